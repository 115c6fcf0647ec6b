"""`POST /api/metrics`: readings sent by a team's own scripts (ads exports, shop reports).

The bearer token is the workspace's identity here, so it is checked before anything else. A
batch is all or nothing: scripts retry whole batches, and a half-saved batch retried after a
fix would be hard to reason about. Saving is an upsert on (day, metric, campaign, platform,
source "api"), so sending the same batch twice does not double count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from smmbot.domain.readings import ReadingProblem
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.metrics_repository import MetricRepository, workspace_by_token
from smmbot.services.context import ServiceContext
from smmbot.services.metrics_rows import Row, RowError, check_row, save_rows

API_SOURCE: Final = "api"
MAX_ROWS: Final = 5000


class IngestStatus(StrEnum):
    SAVED = "saved"
    UNAUTHORIZED = "unauthorized"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class IngestResult:
    status: IngestStatus
    saved: int = 0
    errors: tuple[RowError, ...] = ()


def ingest_readings(*, ctx: ServiceContext, token: str, rows: object) -> IngestResult:
    """Check every row, then save all of them, or none when any row is wrong.

    ``rows`` is the decoded JSON body: a list of reading objects or ``{"readings": [...]}``.
    """
    now = ctx.clock()
    with ctx.db.transaction() as session:
        workspace = workspace_by_token(session, token)
        if workspace is None:
            return IngestResult(IngestStatus.UNAUTHORIZED)
        batch = _batch(rows)
        if isinstance(batch, RowError):
            return IngestResult(IngestStatus.INVALID, errors=(batch,))
        today = now.astimezone(ZoneInfo(workspace.timezone)).date()
        campaigns = CampaignRepository(session, workspace.team_id)
        good: list[Row] = []
        errors: list[RowError] = []
        for number, raw in enumerate(batch, start=1):
            if not isinstance(raw, Mapping):
                errors.append(RowError(number, "row", ReadingProblem.NOT_AN_OBJECT))
                continue
            checked = check_row(
                raw, number, today=today, currency=workspace.currency, campaigns=campaigns
            )
            if isinstance(checked, Row):
                good.append(checked)
            else:
                errors.extend(checked)
        if errors:
            return IngestResult(IngestStatus.INVALID, errors=tuple(errors))
        readings = MetricRepository(session, workspace.team_id)
        save_rows(readings, good, source=API_SOURCE, recorded_by=None, now=now)
    return IngestResult(IngestStatus.SAVED, saved=len(good))


def _batch(rows: object) -> list[object] | RowError:
    if isinstance(rows, Mapping) and set(rows) == {"readings"}:
        rows = rows["readings"]
    if not isinstance(rows, list):
        return RowError(0, "body", ReadingProblem.NOT_A_LIST)
    if len(rows) > MAX_ROWS:
        return RowError(0, "body", ReadingProblem.TOO_MANY_ROWS, str(len(rows)))
    return rows
