"""Metric ingestion (`POST /api/metrics`'s service) and `/smm settings token` on both databases."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from smmbot.persistence.metrics_repository import MetricRepository, token_hash
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.commands import run_command
from smmbot.services.context import Actor, ServiceContext, Surface
from smmbot.services.metrics_api import MAX_ROWS, IngestStatus, ingest_readings
from tests.support.replies import reply_text

pytestmark = pytest.mark.usefixtures("workspaces")
TOKEN = "test-token-T1"


def set_token(ctx: ServiceContext, team_id: str = "T1", token: str = TOKEN) -> None:
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, team_id).get_or_create(
            now=ctx.clock()
        ).metrics_token_hash = token_hash(token)


def values(ctx: ServiceContext, team_id: str = "T1") -> list[tuple[str, str, Decimal, str]]:
    with ctx.db.transaction() as session:
        return [
            (str(r.day), r.metric, r.value, r.source)
            for r in MetricRepository(session, team_id).list_all()
        ]


GOOD = [
    {"date": "2026-11-23", "metric": "followers", "value": 347},
    {"date": "2026-11-23", "metric": "revenue", "value": "Rp5.000.000", "platform": "ig"},
    {"date": "2026-11-24", "metric": "reach", "value": "1.200"},
]


def test_good_batch_is_saved_and_resending_it_does_not_double_count(ctx: ServiceContext) -> None:
    set_token(ctx)
    for _ in range(2):
        result = ingest_readings(ctx=ctx, token=TOKEN, rows=GOOD)
        assert (result.status, result.saved) == (IngestStatus.SAVED, 3)
    assert values(ctx) == [
        ("2026-11-23", "followers", Decimal(347), "api"),
        ("2026-11-23", "revenue", Decimal(5_000_000), "api"),
        ("2026-11-24", "reach", Decimal(1200), "api"),
    ]
    assert values(ctx, "T2") == []


def test_readings_wrapper_is_accepted(ctx: ServiceContext) -> None:
    set_token(ctx)
    result = ingest_readings(ctx=ctx, token=TOKEN, rows={"readings": GOOD[:1]})
    assert result.saved == 1


@pytest.mark.parametrize("token", ["", "wrong", token_hash(TOKEN)])
def test_unknown_token_is_unauthorized(ctx: ServiceContext, token: str) -> None:
    set_token(ctx)
    result = ingest_readings(ctx=ctx, token=token, rows=GOOD)
    assert result.status is IngestStatus.UNAUTHORIZED
    assert values(ctx) == []


def test_any_bad_row_saves_nothing_and_every_problem_is_reported(ctx: ServiceContext) -> None:
    set_token(ctx)
    rows: list[object] = [
        GOOD[0],
        {"date": "2026-11-30", "metric": "reach", "value": "12%"},
        {"metric": "bogus", "value": True, "campaign": "nope"},
        "not a row",
        {"date": "2026-11-20", "metric": "orders", "value": 1.5, "platform": "myspace"},
    ]
    result = ingest_readings(ctx=ctx, token=TOKEN, rows=rows)
    assert result.status is IngestStatus.INVALID
    assert [(e.row, e.field, e.problem.value) for e in result.errors] == [
        (2, "date", "future_date"),
        (2, "value", "percent_not_allowed"),
        (3, "metric", "unknown_metric"),
        (3, "date", "missing_field"),
        (3, "campaign", "unknown_campaign"),
        (4, "row", "not_an_object"),
        (5, "value", "not_a_whole_number"),
        (5, "platform", "unknown_platform"),
    ]
    assert values(ctx) == []


@pytest.mark.parametrize(
    ("rows", "problem"),
    [({"rows": []}, "not_a_list"), ([GOOD[0]] * (MAX_ROWS + 1), "too_many_rows")],
)
def test_bad_body_shape(ctx: ServiceContext, rows: object, problem: str) -> None:
    set_token(ctx)
    result = ingest_readings(ctx=ctx, token=TOKEN, rows=rows)
    assert [e.problem.value for e in result.errors] == [problem]


def settings(ctx: ServiceContext, text: str, locale: str = "en", *, admin: bool = True) -> str:
    actor = Actor("T1", "U1", "C1", locale, "Asia/Jakarta", is_admin=admin)
    return reply_text(run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK))


def test_token_rotation_shows_the_token_once_and_it_works(ctx: ServiceContext) -> None:
    assert "no metrics API token yet" in settings(ctx, "settings token")
    rotated = settings(ctx, "settings token rotate")
    token = re.findall(r"```([A-Za-z0-9_-]{40,})```", rotated)[0]
    assert "no longer works" in rotated and "SMMBOT_PUBLIC_URL" in rotated
    assert ingest_readings(ctx=ctx, token=token, rows=GOOD).status is IngestStatus.SAVED
    shown = settings(ctx, "pengaturan token", locale="id")
    assert "sudah punya token" in shown and token not in shown
    settings(ctx, "settings token rotate")
    assert ingest_readings(ctx=ctx, token=token, rows=GOOD).status is IngestStatus.UNAUTHORIZED


def test_rotation_with_public_url_shows_a_curl_example(ctx: ServiceContext) -> None:
    public = ServiceContext(db=ctx.db, clock=ctx.clock, public_url="https://bot.toko.id")
    reply = settings(public, "settings token rotate")
    assert "curl -X POST https://bot.toko.id/api/metrics" in reply
    assert "Authorization: Bearer" in reply


def test_settings_without_token_word_shows_usage(ctx: ServiceContext) -> None:
    text = settings(ctx, "settings colour")
    assert "`colour` is not something `settings` does: `token`" in text
    assert "settings token [rotate]" in text
    assert "settings token rotate" in settings(ctx, "settings token colour")


@pytest.mark.parametrize(
    ("text", "locale", "refusal"),
    [
        ("settings token", "en", "Only workspace admins and owners"),
        ("settings token rotate", "en", "Only workspace admins and owners"),
        ("pengaturan token ganti", "id", "Hanya admin dan pemilik workspace"),
    ],
)
def test_members_who_are_not_admins_cannot_see_or_rotate_the_token(
    ctx: ServiceContext, text: str, locale: str, refusal: str
) -> None:
    set_token(ctx)
    reply = settings(ctx, text, locale, admin=False)
    assert refusal in reply and "```" not in reply
    assert ingest_readings(ctx=ctx, token=TOKEN, rows=GOOD).status is IngestStatus.SAVED


def test_engagement_metrics_arrive_through_the_api(ctx: ServiceContext) -> None:
    set_token(ctx)
    rows = [
        {"date": "2026-11-23", "metric": name, "value": 10}
        for name in ("likes", "comments", "saves", "engagements", "paid_sessions")
    ]
    assert ingest_readings(ctx=ctx, token=TOKEN, rows=rows).saved == 5
    assert {metric for _, metric, _, _ in values(ctx)} == {
        "likes",
        "comments",
        "saves",
        "engagements",
        "paid_sessions",
    }


def test_indonesian_names_and_dates_and_a_did_you_mean(ctx: ServiceContext) -> None:
    set_token(ctx)
    rows = [
        {"date": "23/11/2026", "metric": "pengikut", "value": 1800},
        {"date": "2026-11-23", "metric": "pendapatan", "value": "2,5jt"},
    ]
    result = ingest_readings(ctx=ctx, token=TOKEN, rows=rows)
    assert (result.status, result.saved) == (IngestStatus.SAVED, 2)
    assert values(ctx) == [
        ("2026-11-23", "followers", Decimal(1800), "api"),
        ("2026-11-23", "revenue", Decimal(2_500_000), "api"),
    ]
    missed = ingest_readings(
        ctx=ctx, token=TOKEN, rows=[{"date": "2026-11-23", "metric": "follower", "value": 1}]
    )
    assert missed.status is IngestStatus.INVALID
    assert [(e.problem.value, e.suggestion) for e in missed.errors] == [
        ("unknown_metric", "followers")
    ]
