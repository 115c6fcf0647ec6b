"""The weekly digest against hand-computed numbers, on SQLite and PostgreSQL.

Readings are inserted directly, as `/smm log` or an import would store them. The fake clock
stands at Tuesday 24 November 2026, 09:00 WIB: this week is 23-29 November, last week 16-22.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import CalendarItem, Campaign, MetricReading, OutboxMessage
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.chart import WeekPoint
from smmbot.rendering.reply import Reply, Section, reply_from_data
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.digest_sweep import queue_weekly_digests
from tests.conftest import FakeClock
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")

AYU = Actor(team_id="T1", user_id="U01AYU", channel_id="C1", locale="en", timezone="Asia/Jakarta")
BUDI = Actor(team_id="T1", user_id="U02BUDI", channel_id="C1", locale="id", timezone="Asia/Jakarta")
OTHER = Actor(team_id="T2", user_id="U09", channel_id="C7", locale="en", timezone="Asia/Jakarta")

WEEK_TITLE = "23 Nov 2026 \u2013 29 Nov 2026"

# (day, metric, value, campaign, platform, source)
READINGS = [
    ("2026-11-17", "followers", "800", "", "instagram", "manual"),  # the same weekday last week
    ("2026-11-17", "followers", "200", "", "tiktok", "manual"),
    ("2026-11-20", "followers", "900", "", "instagram", "manual"),  # later in last week
    ("2026-11-22", "followers", "1000", "", "instagram", "manual"),
    ("2026-11-23", "followers", "1100", "", "instagram", "manual"),
    ("2026-11-24", "followers", "1200", "", "instagram", "manual"),
    ("2026-11-24", "followers", "1200", "", "instagram", "csv"),  # same level, other source
    ("2026-11-24", "followers", "300", "", "tiktok", "manual"),
    ("2026-11-16", "reach", "10000", "", "", "manual"),
    ("2026-11-23", "reach", "3000", "", "", "manual"),
    ("2026-11-24", "reach", "2000", "Ramadan", "", "manual"),
    ("2026-11-30", "reach", "7777", "", "", "manual"),  # next week: not counted
    ("2026-11-17", "ad_spend", "2000000", "", "", "manual"),
    ("2026-11-23", "ad_spend", "2500000", "Ramadan", "", "manual"),
    ("2026-11-24", "ad_spend", "2500000", "Ramadan", "", "csv"),
    ("2026-11-24", "revenue", "10000000", "Ramadan", "", "manual"),
    ("2026-11-24", "ad_clicks", "1000", "", "", "manual"),
    ("2026-11-24", "ad_impressions", "50000", "", "", "manual"),
    ("2026-11-24", "orders", "20", "Ramadan", "", "manual"),
]


def ask(ctx: ServiceContext, text: str, actor: Actor = AYU) -> Reply:
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def week(ctx: ServiceContext, workspaces: None) -> None:
    now = ctx.clock()
    with ctx.db.transaction() as session:
        for day, metric, value, campaign, platform, source in READINGS:
            session.add(
                MetricReading(
                    team_id="T1",
                    day=date.fromisoformat(day),
                    metric=metric,
                    value=Decimal(value),
                    campaign=campaign,
                    platform=platform,
                    source=source,
                    updated_at=now,
                )
            )
        session.add(
            MetricReading(
                team_id="T2", day=date(2026, 11, 24), metric="ad_spend", value=Decimal(99),
                campaign="", platform="", source="manual", updated_at=now,
            )
        )  # fmt: skip
        session.add(
            Campaign(
                team_id="T1", name="Ramadan", name_key="ramadan", objective="sales",
                start_date=date(2026, 11, 20), end_date=date(2026, 11, 30),
                budget=Decimal(10000000), currency="IDR", platforms=["instagram"],
                targets={"revenue": "20000000", "orders": "40"}, created_by="U01AYU",
                created_at=now,
            )
        )  # fmt: skip
        for due_at, status, text in [
            (utc(2026, 11, 22, 16, 0), "published", "Last week, 23:00 WIB Sunday"),
            (utc(2026, 11, 22, 17, 30), "published", "Monday 00:30 WIB"),
            (utc(2026, 11, 23, 3, 0), "missed", "Missed one"),
            (utc(2026, 11, 26, 3, 0), "scheduled", "Thursday post"),
            (utc(2026, 12, 1, 3, 0), "scheduled", "Promo 12.12 teaser"),
        ]:
            session.add(
                CalendarItem(
                    team_id="T1", due_at=due_at, timezone="Asia/Jakarta", text=text,
                    platform="instagram", channel_id="C1", owner_id="U01AYU", status=status,
                    created_by="U01AYU", created_at=now, updated_at=now,
                )
            )  # fmt: skip


def sections(reply: Reply) -> dict[str, str]:
    """Each section's text, keyed by its first line."""
    found = [block.mrkdwn for block in reply.blocks if isinstance(block, Section)]
    return {text.splitlines()[0]: text for text in found}


@pytest.mark.usefixtures("week")
def test_digest_now_in_english(ctx: ServiceContext) -> None:
    reply = ask(ctx, "digest now")
    assert reply.public
    assert WEEK_TITLE in reply_text(reply)
    parts = sections(reply)
    smo = parts["*SMO — brand and site traffic*"]
    smm = parts["*SMM — sales*"]
    assert "Followers: *1,500* (+500) ↑ 50%" in smo  # (1200 + 300) vs (800 + 200) on Tuesday
    assert "Reach: *5,000* ↓ 50%" in smo
    assert "Impressions: *—*" in smo
    assert "Share rate: *—*" in smo  # shares never logged: unknown, not 0%
    assert "Site visits per link click: *—*" in smo
    assert "Best mover: Followers ↑ 50%" in smo and "Worst mover: Reach ↓ 50%" in smo
    assert "Ad spend: *Rp5,000,000* ↑ 150%" in smm
    assert "CTR: *2%*" in smm  # 1000 / 50000
    assert "CPC: *Rp5,000*" in smm  # 5,000,000 / 1000
    assert "CPA: *Rp250,000*" in smm  # 5,000,000 / 20
    assert "ROAS: *2\u00d7*" in smm  # 10,000,000 / 5,000,000
    assert "Conversion rate: *2%*" in smm  # 20 / 1000
    assert "mover" not in smm  # ad spend rose but is neutral; nothing else compares
    for smo_label in ("Followers", "Reach", "Share rate"):
        assert smo_label not in smm
    for smm_label in ("Ad spend", "Revenue", "ROAS", "Rp"):
        assert smm_label not in smo
    text = "\n".join(parts.values())
    assert "Ramadan · Revenue: Rp10,000,000 of Rp20,000,000\n`▓▓▓▓▓░░░░░` 50%" in text
    assert "Ramadan · Orders: 20 of 40\n`▓▓▓▓▓░░░░░` 50%" in text
    assert "1 published, 1 missed, 1 still scheduled" in text
    assert "Tuesday 1 December 2026, 10:00 WIB · Instagram · Promo 12.12 teaser" in text
    assert "Ramadan: 7 days left · budget used Rp5,000,000 of Rp10,000,000" in text
    assert "99" not in smm  # T2's reading stays in T2


@pytest.mark.usefixtures("week")
def test_digest_now_in_indonesian(ctx: ServiceContext) -> None:
    parts = sections(ask(ctx, "ringkasan now", BUDI))
    smo = parts["*SMO — merek dan trafik situs*"]
    smm = parts["*SMM — penjualan*"]
    assert "Pengikut: *1.500* (+500) ↑ 50%" in smo
    assert "Biaya iklan: *Rp5.000.000* ↑ 150%" in smm
    assert "CPA: *Rp250.000*" in smm
    assert "Rp" not in smo


def test_a_week_without_readings_says_how_to_add_them(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "digest now", OTHER))
    assert "No numbers were logged for this week yet" in text
    assert "/smm log followers 1200" in text
    assert "SMO" not in text


def test_settings_default_change_and_off(ctx: ServiceContext) -> None:
    text = reply_text(ask(ctx, "digest settings"))
    assert "every *Monday* at *09:00 WIB* in <#C1>" in text  # the channel it was typed in
    text = reply_text(
        ask(ctx, "digest settings day=kamis time=16:30 channel=<#C9|marketing>", BUDI)
    )
    assert "Tersimpan" in text and "*Kamis* pukul *16:30 WIB* di <#C9>" in text
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, "T1").get()
        assert workspace is not None
        assert (workspace.digest_weekday, workspace.digest_channel_id) == (3, "C9")
    assert "`time=25:00`" in reply_text(ask(ctx, "digest settings time=25:00"))
    assert "`day=someday`" in reply_text(ask(ctx, "digest settings day=someday"))
    assert "weekly digest is off" in reply_text(ask(ctx, "digest off"))


def digests(ctx: ServiceContext) -> list[OutboxMessage]:
    with ctx.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")))


@pytest.mark.usefixtures("week")
def test_weekly_digest_is_queued_once_at_its_moment(ctx: ServiceContext, clock: FakeClock) -> None:
    ask(ctx, "digest settings")  # T1: Monday 09:00 WIB in C1; T2 has no channel
    clock.now = utc(2026, 11, 30, 1, 59)  # Monday 08:59 WIB
    assert queue_weekly_digests(ctx=ctx) == 0
    clock.now = utc(2026, 11, 30, 2, 0)
    assert queue_weekly_digests(ctx=ctx) == 1
    clock.now = utc(2026, 11, 30, 2, 5)
    assert queue_weekly_digests(ctx=ctx) == 0
    [message] = digests(ctx)
    assert (message.team_id, message.dedupe_key) == ("T1", "T1:digest:2026-11-30")
    assert (message.channel_id, message.due_at) == ("C1", utc(2026, 11, 30, 2, 0))
    reply = reply_from_data(message.payload["reply"])
    assert reply.public and WEEK_TITLE in reply_text(reply)  # last full week
    clock.now = utc(2026, 12, 7, 2, 0)
    ask(ctx, "digest off")
    assert queue_weekly_digests(ctx=ctx) == 0


@pytest.mark.usefixtures("week")
def test_the_chart_sums_eight_weeks_and_marks_the_running_one(
    ctx: ServiceContext, clock: FakeClock, drawn_charts: list[list[WeekPoint]]
) -> None:
    with ctx.db.transaction() as session:
        for day, metric, value in [
            ("2026-10-05", "social_sessions", "4"),  # Monday of the first charted week
            ("2026-10-04", "social_sessions", "999"),  # the Sunday before: not charted
            ("2026-11-17", "social_sessions", "30"),
            ("2026-11-22", "social_sessions", "12"),  # last week's Sunday
            ("2026-11-24", "social_sessions", "7"),
        ]:
            MetricRepository(session, "T1").upsert(
                day=date.fromisoformat(day), metric=metric, value=Decimal(value),
                source="manual", recorded_by="U01AYU", now=clock.now,
            )  # fmt: skip
    assert ask(ctx, "digest now").files[0].content == b"png"
    [points] = drawn_charts
    assert [p.monday for p in points] == [date(2026, 10, 5) + timedelta(weeks=n) for n in range(8)]
    assert [p.social_sessions for p in points] == [4, 0, 0, 0, 0, 0, 42, 7]
    assert [p.revenue for p in points][-1] == Decimal(10000000)
    assert [p.complete for p in points] == [True] * 7 + [False]

    ask(ctx, "digest settings")
    clock.now = utc(2026, 11, 30, 2, 0)  # the weekly digest covers last week, which is over
    queue_weekly_digests(ctx=ctx)
    assert [p.complete for p in drawn_charts[-1]] == [True] * 8
    assert drawn_charts[-1][-1].social_sessions == 7


@pytest.mark.usefixtures("week")
@pytest.mark.parametrize(
    ("actor", "note"),
    [(AYU, "Not enough weeks yet"), (BUDI, "Belum cukup minggu")],
)
def test_one_week_of_chart_numbers_says_not_enough_weeks_instead_of_a_chart(
    ctx: ServiceContext, actor: Actor, note: str
) -> None:
    reply = ask(ctx, "digest now", actor)  # revenue only this week, no social sessions at all
    assert reply.files == ()
    assert note in reply_text(reply)
