"""`/smm log` on SQLite and PostgreSQL: parsing local number forms, refusals, and the upsert."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import MetricReading
from smmbot.rendering.reply import Reply
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")


def log(ctx: ServiceContext, text: str, *, locale: str = "en", team_id: str = "T1") -> Reply:
    actor = Actor(team_id, "U1", "C1", locale, "Asia/Jakarta")
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def readings(ctx: ServiceContext, team_id: str = "T1") -> list[MetricReading]:
    with ctx.db.transaction() as session:
        found = MetricRepository(session, team_id).list_all()
        session.expunge_all()
    return found


@pytest.mark.parametrize(
    ("text", "metric", "value"),
    [
        ("log followers 347", "followers", Decimal(347)),
        ("log reach 1.200", "reach", Decimal(1200)),
        ("log reach 1,200", "reach", Decimal(1200)),
        ("log revenue Rp5.000.000", "revenue", Decimal(5_000_000)),
        ("log ad_spend 5jt", "ad_spend", Decimal(5_000_000)),
        ("catat impressions 500rb", "impressions", Decimal(500_000)),
        ("log engagements 1.234", "engagements", Decimal(1234)),
        ("log paid_sessions 80", "paid_sessions", Decimal(80)),
        ("log saves 12", "saves", Decimal(12)),
    ],
)
def test_log_reads_local_number_forms(
    ctx: ServiceContext, text: str, metric: str, value: Decimal
) -> None:
    reply = log(ctx, text)
    assert "Logged" in reply_text(reply)
    [reading] = readings(ctx)
    assert (reading.metric, reading.value, reading.source) == (metric, value, "manual")
    assert (reading.campaign, reading.platform, reading.recorded_by) == ("", "", "U1")
    assert str(reading.day) == "2026-11-24"  # 02:00 UTC is 09:00 in Jakarta


def test_reply_confirms_metric_pillar_value_and_day_in_both_languages(ctx: ServiceContext) -> None:
    english = reply_text(log(ctx, "log revenue Rp5.000.000 date=2026-11-20"))
    assert "*revenue* (SMM)" in english and "Rp5,000,000" in english
    assert "20 Nov 2026" in english
    indonesian = reply_text(log(ctx, "catat followers 1.200", locale="id"))
    assert "Tercatat *followers* (SMO)" in indonesian and "1.200" in indonesian


def test_logging_again_replaces_and_says_so(ctx: ServiceContext) -> None:
    log(ctx, "log followers 347")
    reply = reply_text(log(ctx, "log followers 350"))
    assert "updated the earlier value 347" in reply
    assert [r.value for r in readings(ctx)] == [Decimal(350)]
    other_day = reply_text(log(ctx, "log followers 340 date=2026-11-23"))
    assert "earlier" not in other_day
    assert len(readings(ctx)) == 2
    indonesian = reply_text(log(ctx, "catat followers 351", locale="id"))
    assert "Angka sebelumnya, 350, sudah diganti" in indonesian


def test_campaign_and_platform_are_part_of_the_key(ctx: ServiceContext) -> None:
    created = log(ctx, 'campaign new "Ramadan Sale" objective=smm start=2026-11-01 end=2026-12-31')
    assert "saved" in reply_text(created)
    reply = reply_text(log(ctx, 'log orders 12 campaign="ramadan sale" platform=ig'))
    assert "campaign *Ramadan Sale*" in reply and "instagram" in reply
    log(ctx, "log orders 3")
    assert sorted((r.campaign, r.platform, r.value) for r in readings(ctx)) == [
        ("", "", Decimal(3)),
        ("Ramadan Sale", "instagram", Decimal(12)),
    ]


@pytest.mark.parametrize(
    ("text", "english", "indonesian"),
    [
        ("log", "Which metric", "Metrik apa"),
        ("log reach", "What is the value of *reach*", "Berapa nilai *reach*"),
        ("log bogus 5", "There is no metric `bogus`", "Tidak ada metrik `bogus`"),
        ("log reach 12%", "is a percentage", "berupa persentase"),
        ("log reach -5", "is negative", "bernilai negatif"),
        ("log reach lots", "is not a number", "bukan angka"),
        ("log reach 1,5", "whole number", "bilangan bulat"),
        ("log ad_spend $5", "currency, IDR", "mata uang workspace ini, IDR"),
        ("log reach 5 date=2026-11-25", "in the future", "masa depan"),
        ("log reach 5 date=11/24/2026", "not a real date", "bukan tanggal"),  # month first
        ("log reach 5 campaign=nope", "no campaign *nope*", "Tidak ada kampanye *nope*"),
        ("log reach 5 platform=myspace", "not a platform I know", "bukan platform"),
        ("log reach 5 when=today", "`when=` is not an option", "`when=` bukan opsi"),
    ],
)
def test_bad_input_names_the_problem_shows_usage_and_saves_nothing(
    ctx: ServiceContext, text: str, english: str, indonesian: str
) -> None:
    for locale, expected, usage in (("en", english, "/smm log"), ("id", indonesian, "/smm catat")):
        reply = reply_text(log(ctx, text, locale=locale))
        assert expected in reply
        assert usage in reply
    assert readings(ctx) == []


def test_unknown_metric_lists_the_metrics_by_pillar(ctx: ServiceContext) -> None:
    reply = reply_text(log(ctx, "log folowers 5"))
    assert "*SMO*: followers, reach" in reply and "*SMM*: ad_impressions" in reply


def test_readings_stay_in_their_workspace(ctx: ServiceContext) -> None:
    log(ctx, "log followers 347")
    assert readings(ctx, "T2") == []


@pytest.mark.parametrize(
    ("text", "metric", "value"),
    [
        ("catat pengikut 1800", "followers", Decimal(1800)),
        ("catat pendapatan 2,5jt", "revenue", Decimal(2_500_000)),
        ("catat biaya_iklan Rp 2.500.000", "ad_spend", Decimal(2_500_000)),
        ("catat pesanan 12 date=20/11/2026", "orders", Decimal(12)),
        ("log jangkauan 1.200 date=20-11-2026", "reach", Decimal(1200)),
    ],
)
def test_indonesian_metric_names_and_day_first_dates(
    ctx: ServiceContext, text: str, metric: str, value: Decimal
) -> None:
    reply = reply_text(log(ctx, text, locale="id"))
    assert f"Tercatat *{text.split()[1]}*" in reply  # echoed as the member named it
    [reading] = readings(ctx)
    assert (reading.metric, reading.value) == (metric, value)
    assert str(reading.day) == ("2026-11-20" if "date=" in text else "2026-11-24")


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("catat follower 10", "id", "metrik `follower`. Maksudmu `followers`?"),
        ("catat omzet 5jt", "id", "Maksudmu `pendapatan`?"),
        ("log ad spend 5000", "en", "no metric `ad spend`. Did you mean `ad_spend`?"),
        ("catat pengikt 10", "id", "Maksudmu `pengikut`?"),
    ],
)
def test_near_misses_get_a_did_you_mean_and_save_nothing(
    ctx: ServiceContext, text: str, locale: str, expected: str
) -> None:
    reply = reply_text(log(ctx, text, locale=locale))
    assert expected in reply
    assert readings(ctx) == []


def test_indonesian_members_see_the_indonesian_metric_names(ctx: ServiceContext) -> None:
    reply = reply_text(log(ctx, "catat hati 10", locale="id"))
    assert "Tidak ada metrik `hati`." in reply and "Maksud" not in reply
    assert "pengikut, jangkauan" in reply and "biaya_iklan, pendapatan" in reply


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("11/20/2026", "hari dulu (HH/BB/TTTT), jadi `11/20/2026` bukan tanggal"),
        ("20/11/26", "Tulis tahunnya lengkap"),
    ],
)
def test_ambiguous_dates_are_refused_with_the_reason(
    ctx: ServiceContext, date: str, reason: str
) -> None:
    reply = reply_text(log(ctx, f"catat pengikut 10 date={date}", locale="id"))
    assert reason in reply
    assert readings(ctx) == []
