"""Series of repeating posts, and the occurrences they put on the calendar.

An occurrence is inserted with `INSERT … ON CONFLICT DO NOTHING` on (series, slot): two
replicas extending the same series at once, or a sweep that runs twice, store it once and
only the one that stored it plans its reminders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmbot.persistence.models import CalendarItem, RecurringSeries
from smmbot.persistence.team_scoped import TeamScopedRepository

ACTIVE = "active"
HELD = "in_review"
"""A member's series while approval is on: only its first post exists, held for review."""
ENDED = "ended"
CANCELLED = "cancelled"


class RecurringRepository(TeamScopedRepository):
    def add(self, series: RecurringSeries) -> RecurringSeries:
        return self._add(series)

    def get(self, series_id: int, *, for_update: bool = False) -> RecurringSeries | None:
        """`for_update` serialises the extension sweep and a cancel on one series."""
        query = self._select(RecurringSeries, RecurringSeries.id == series_id)
        return self._session.scalars(query.with_for_update() if for_update else query).one_or_none()

    def list_by_ids(self, series_ids: set[int]) -> dict[int, RecurringSeries]:
        query = self._select(RecurringSeries, RecurringSeries.id.in_(tuple(series_ids)))
        return {series.id: series for series in self._session.scalars(query)}

    def add_occurrence(self, values: dict[str, Any]) -> CalendarItem | None:
        """The occurrence stored now, or None when the series already has one at its slot."""
        statement = (
            self._upsert_insert(CalendarItem)
            .values(team_id=self.team_id, **values)
            .on_conflict_do_nothing(index_elements=["series_id", "series_slot"])
            .returning(CalendarItem)
        )
        return self._session.scalars(
            statement, execution_options={"populate_existing": True}
        ).one_or_none()

    def list_upcoming_occurrences(self, series_id: int, *, after: datetime) -> list[CalendarItem]:
        """The series' still-scheduled occurrences due after `after`, locked for the cancel."""
        query = self._select(
            CalendarItem,
            CalendarItem.series_id == series_id,
            CalendarItem.status == "scheduled",
            CalendarItem.due_at > after,
        )
        return list(self._session.scalars(query.order_by(CalendarItem.due_at).with_for_update()))


def list_to_extend(session: Session, *, before: datetime) -> list[tuple[str, int]]:
    """(team, series) of every active series planned only up to before `before`. Not bound to
    a team: the scheduler's sweep is the one caller that works across workspaces."""
    query = select(RecurringSeries.team_id, RecurringSeries.id).where(
        RecurringSeries.status == ACTIVE, RecurringSeries.planned_through < before
    )
    return [(team_id, series_id) for team_id, series_id in session.execute(query)]
