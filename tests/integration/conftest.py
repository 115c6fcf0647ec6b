from __future__ import annotations

import pytest

from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext


@pytest.fixture
def workspaces(ctx: ServiceContext) -> None:
    """Workspaces T1 and T2, as identifying a member would have created them."""
    with ctx.db.transaction() as session:
        for team_id in ("T1", "T2"):
            WorkspaceRepository(session, team_id).get_or_create(now=ctx.clock())
