"""Competitors through Instagram Business Discovery at each Meta sync, against the Graph mock:
the documented field expansion and its `media.after(cursor)` paging, per-day storage in the
workspace's zone, a handle that is no business account, and rate limits backing off."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from smmbot.console.printer import format_reply
from smmbot.persistence.competitors_repository import CompetitorRepository
from smmbot.persistence.sources_repository import ConnectorRepository
from smmbot.services.context import ServiceContext
from smmbot.services.sources_sync import sync_due
from tests.conftest import FakeClock
from tests.integration.test_links import ask
from tests.integration.test_meta_sources import connected_ctx, meta, readings, sign_in
from tests.support.meta_mock import MetaMock, MockRival

pytestmark = pytest.mark.usefixtures("workspaces")
__all__ = ["connected_ctx", "meta"]  # the fixtures, shared with the Meta sync tests

RIVAL = MockRival(
    followers=5400,
    media=(
        ("2026-11-24T01:00:00+0000", 100, 10),  # 08:00 WIB on the 24th (the sync day)
        ("2026-11-23T18:30:00+0000", 80, 5),  # 01:30 WIB on the 24th: the zone's day
        ("2026-11-23T03:00:00+0000", None, 7),  # likes hidden: the comments still count
        ("2026-11-21T03:00:00+0000", 50, 0),  # before the 3-day window: read, not stored
        ("2026-11-19T03:00:00+0000", 40, 0),  # on a page never asked for
    ),
)


def _theirs(ctx: ServiceContext) -> dict[tuple[str, date, str], Decimal]:
    with ctx.db.transaction() as session:
        repository = CompetitorRepository(session, "T1")
        names = {c.id: c.name for c in repository.list_all()}
        rows = repository.list_readings(list(names), date(2026, 1, 1))
        return {(names[r.competitor_id], r.day, r.metric): r.value for r in rows}


def _discovery_calls(meta: MetaMock) -> list[str]:
    return [q["fields"] for p, q in meta.state.calls if q.get("fields", "").startswith("busi")]


def _synced_once(ctx: ServiceContext, meta: MetaMock) -> None:
    """The sign-in's 90-day backfill, then a daily sync queued (its calls are recorded)."""
    sign_in(ctx)
    assert sync_due(ctx=ctx, worker_id="w1").synced == 1  # the backfill
    meta.state.calls.clear()
    ask(ctx, "sources sync meta")


def test_business_discovery_is_paged_and_stored_per_day(
    connected_ctx: ServiceContext, meta: MetaMock
) -> None:
    meta.state.rivals["kopikenangan.id"] = RIVAL
    ask(connected_ctx, 'competitor add "Kopi Kenangan" instagram=@kopikenangan.id')
    _synced_once(connected_ctx, meta)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    fields = "{followers_count,media_count,%s{like_count,comments_count,timestamp}}"
    base = "business_discovery.username(kopikenangan.id)"
    assert _discovery_calls(meta) == [base + fields % "media", base + fields % "media.after(2)"]
    assert _theirs(connected_ctx) == {
        ("Kopi Kenangan", date(2026, 11, 24), "followers"): Decimal(5400),
        ("Kopi Kenangan", date(2026, 11, 24), "posts"): Decimal(2),
        ("Kopi Kenangan", date(2026, 11, 24), "engagements"): Decimal(195),
        ("Kopi Kenangan", date(2026, 11, 23), "posts"): Decimal(1),
        ("Kopi Kenangan", date(2026, 11, 23), "engagements"): Decimal(7),
        ("Kopi Kenangan", date(2026, 11, 21), "posts"): Decimal(1),  # from the backfill
        ("Kopi Kenangan", date(2026, 11, 21), "engagements"): Decimal(50),
        ("Kopi Kenangan", date(2026, 11, 19), "posts"): Decimal(1),
        ("Kopi Kenangan", date(2026, 11, 19), "engagements"): Decimal(40),
    }
    assert all(value != Decimal(5400) for value in readings(connected_ctx).values())
    listing = format_reply(ask(connected_ctx, "competitor list"))
    assert "*Kopi Kenangan* (@kopikenangan.id): 5,400 followers" in listing
    assert "1.3 posts a week · 58.4 engagements per post" in listing


def test_a_handle_that_is_no_business_account_is_marked_not_found(
    connected_ctx: ServiceContext, meta: MetaMock
) -> None:
    meta.state.rivals["kopikenangan.id"] = RIVAL
    ask(connected_ctx, 'competitor add "Kopi Kenangan" instagram=@kopikenangan.id')
    ask(connected_ctx, "competitor add Pribadi instagram=@someones.private")
    _synced_once(connected_ctx, meta)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert {name for name, _, _ in _theirs(connected_ctx)} == {"Kopi Kenangan"}
    listing = format_reply(ask(connected_ctx, "competitor list"))
    assert "*Pribadi* (@someones.private): not found" in listing


def test_a_rate_limit_on_discovery_backs_the_whole_sync_off(
    connected_ctx: ServiceContext, meta: MetaMock, clock: FakeClock
) -> None:
    meta.state.rivals["kopikenangan.id"] = RIVAL
    ask(connected_ctx, 'competitor add "Kopi Kenangan" instagram=@kopikenangan.id')
    sign_in(connected_ctx)
    meta.state.discovery_faults = [613]
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 0
    assert _theirs(connected_ctx) == {}
    with connected_ctx.db.transaction() as session:
        source = ConnectorRepository(session, "T1").get("meta")
        assert source is not None and source.problem == "rate_limited"
    clock.now += timedelta(minutes=31)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    assert _theirs(connected_ctx)[("Kopi Kenangan", date(2026, 11, 24), "followers")] == 5400
