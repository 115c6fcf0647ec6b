"""Two bot processes on one database split a Monday rush of weekly digests: a digest another
process is building right now is left to it (PostgreSQL's advisory claim), and one already
queued is never built again, whichever process looks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.digest_queue import claim_next_digest, queued_keys
from smmbot.persistence.models import OutboxMessage, Workspace
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.reply import Reply
from smmbot.services import digest_sweep
from smmbot.services.context import ServiceContext
from smmbot.services.digest import digest_reply
from smmbot.services.digest_sweep import queue_weekly_digests
from smmbot.services.operations import REGISTRY, metrics_text
from tests.conftest import FakeClock

pytestmark = pytest.mark.usefixtures("workspaces")
MONDAY_NINE_WIB = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def digest_on(ctx: ServiceContext, team_id: str, channel_id: str) -> None:
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, team_id).get()
        assert workspace is not None
        workspace.digest_channel_id = channel_id


def two_digests_due(ctx: ServiceContext, clock: FakeClock) -> None:
    """T1's and T2's weekly digests, to C1 and C2, due now: Monday 09:00 in Jakarta."""
    digest_on(ctx, "T1", "C1")
    digest_on(ctx, "T2", "C2")
    clock.now = MONDAY_NINE_WIB


def many_digests_due(ctx: ServiceContext, clock: FakeClock, count: int) -> list[str]:
    """`count` workspaces, T1..., each with its digest to a channel of its own, due now."""
    teams = [f"T{n}" for n in range(1, count + 1)]
    with ctx.db.transaction() as session:
        for team_id in teams:
            WorkspaceRepository(session, team_id).get_or_create(now=clock.now)
    for n, team_id in enumerate(teams):
        digest_on(ctx, team_id, f"C{n}")
    clock.now = MONDAY_NINE_WIB
    return teams


def queued(ctx: ServiceContext) -> list[str]:
    with ctx.db.transaction() as session:
        return sorted(session.scalars(select(OutboxMessage.dedupe_key)))


def test_a_digest_being_built_elsewhere_is_left_to_that_process(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    two_digests_due(ctx, clock)
    postgres = ctx.db.engine.dialect.name == "postgresql"
    with ctx.db.transaction() as other_process:
        key = "T1:digest:2026-11-30"
        assert claim_next_digest(other_process, ["T1:digest:2026-11-30"]) == key
        built = queue_weekly_digests(ctx=ctx)
    assert built == (1 if postgres else 2)
    assert queued(ctx) == (["T2:digest:2026-11-30"] if postgres else
                           ["T1:digest:2026-11-30", "T2:digest:2026-11-30"])  # fmt: skip
    assert queue_weekly_digests(ctx=ctx) == (1 if postgres else 0)  # the claim has ended
    assert queue_weekly_digests(ctx=ctx) == 0
    assert queued(ctx) == ["T1:digest:2026-11-30", "T2:digest:2026-11-30"]
    with ctx.db.transaction() as session:
        wanted = {"T1:digest:2026-11-30", "T2:digest:2026-12-07", "nothing"}
        assert queued_keys(session, wanted) == {"T1:digest:2026-11-30"}


def test_the_next_digest_free_to_build_is_found_past_queued_and_claimed_ones(
    ctx: ServiceContext,
) -> None:
    """One search past a window's worth of queued digests and one another process is building
    (PostgreSQL's claim; SQLite serves one process, so only the queued are passed over)."""
    keys = [f"T1:digest:{n:03d}" for n in range(100)]
    with ctx.db.transaction() as session:
        for key in keys[:70]:
            OutboxRepository(session, "T1").enqueue(
                kind="digest", dedupe_key=key, channel_id="C1", due_at=ctx.clock(), payload={}
            )
    postgres = ctx.db.engine.dialect.name == "postgresql"
    with ctx.db.transaction() as other_process:
        assert claim_next_digest(other_process, keys[60:]) == keys[70]
        with ctx.db.transaction() as session:
            assert claim_next_digest(session, keys) == keys[71 if postgres else 70]
    with ctx.db.transaction() as session:
        assert claim_next_digest(session, keys[:70]) is None
        assert claim_next_digest(session, []) is None


def test_a_three_process_rush_builds_and_queues_every_digest_once(
    ctx: ServiceContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three "processes" (three engines on one PostgreSQL database, each sweeping on a thread of
    its own; one on SQLite, which serves one process) at once: every workspace's digest is
    built and queued exactly once."""
    teams = many_digests_due(ctx, clock, 12)
    built: list[str] = []
    build = digest_reply

    def counted(session: Session, workspace: Workspace, *args: Any) -> Reply:
        built.append(workspace.team_id)
        return build(session, workspace, *args)

    monkeypatch.setattr(digest_sweep, "digest_reply", counted)
    url = str(ctx.db.engine.url.render_as_string(False))
    postgres = ctx.db.engine.dialect.name == "postgresql"
    others = [Database(create_database_engine(url)) for _ in range(2 if postgres else 0)]
    counts: list[int] = []
    try:
        processes = [
            threading.Thread(
                target=lambda db=db: counts.append(
                    queue_weekly_digests(ctx=ServiceContext(db=db, clock=clock))
                )
            )
            for db in (ctx.db, *others)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
    finally:
        for other in others:
            other.engine.dispose()
    assert sum(counts) == len(teams)
    assert queued(ctx) == sorted(f"{team_id}:digest:2026-11-30" for team_id in teams)
    assert sorted(built) == sorted(teams)  # none built twice
    assert queue_weekly_digests(ctx=ctx) == 0


def test_each_weekly_digest_built_is_timed_for_operators(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    """`smmbot_digest_build_cpu_seconds`: one observation a digest built, none for one queued."""
    two_digests_due(ctx, clock)

    def builds() -> tuple[float, float]:
        count = REGISTRY.get_sample_value("smmbot_digest_build_cpu_seconds_count")
        total = REGISTRY.get_sample_value("smmbot_digest_build_cpu_seconds_sum")
        return count or 0.0, total or 0.0

    count, total = builds()
    assert queue_weekly_digests(ctx=ctx) == 2
    assert queue_weekly_digests(ctx=ctx) == 0
    new_count, new_total = builds()
    assert new_count == count + 2
    assert new_total > total
    assert b"smmbot_digest_build_cpu_seconds_bucket" in metrics_text(ctx)
