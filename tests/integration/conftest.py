from __future__ import annotations

import pytest

from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.chart import WeekPoint
from smmbot.rendering.i18n import Translator
from smmbot.services import digest as digest_service
from smmbot.services.context import ServiceContext


def add_workspaces(ctx: ServiceContext) -> None:
    """Workspaces T1 and T2, as identifying a member would have created them."""
    with ctx.db.transaction() as session:
        for team_id in ("T1", "T2"):
            WorkspaceRepository(session, team_id).get_or_create(now=ctx.clock())


@pytest.fixture
def workspaces(ctx: ServiceContext) -> None:
    add_workspaces(ctx)


@pytest.fixture
def drawn_charts(monkeypatch: pytest.MonkeyPatch) -> list[list[WeekPoint]]:
    """The points of every weekly chart a digest asks for, in order; the chart is not drawn
    (its pixels are tests/unit/test_chart.py's business) and the digest attaches b"png"."""
    drawn: list[list[WeekPoint]] = []

    def capture(_tr: Translator, points: list[WeekPoint], _currency: str) -> bytes:
        drawn.append(points)
        return b"png"

    monkeypatch.setattr(digest_service, "weekly_chart_png", capture)
    return drawn
