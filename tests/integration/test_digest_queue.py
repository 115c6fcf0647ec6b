"""Two bot processes on one database split a Monday rush of weekly digests: a digest another
process is building right now is left to it (PostgreSQL's advisory claim), and one already
queued is never built again, whichever process looks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from smmbot.persistence.digest_queue import claim_digest, queued_keys
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext
from smmbot.services.digest import queue_weekly_digests
from tests.conftest import FakeClock

pytestmark = pytest.mark.usefixtures("workspaces")
MONDAY_NINE_WIB = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def digest_on(ctx: ServiceContext, team_id: str, channel_id: str) -> None:
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, team_id).get()
        assert workspace is not None
        workspace.digest_channel_id = channel_id


def queued(ctx: ServiceContext) -> list[str]:
    with ctx.db.transaction() as session:
        return sorted(session.scalars(select(OutboxMessage.dedupe_key)))


def test_a_digest_being_built_elsewhere_is_left_to_that_process(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    digest_on(ctx, "T1", "C1")
    digest_on(ctx, "T2", "C2")
    clock.now = MONDAY_NINE_WIB
    postgres = ctx.db.engine.dialect.name == "postgresql"
    with ctx.db.transaction() as other_process:
        assert claim_digest(other_process, "T1:digest:2026-11-30")
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
