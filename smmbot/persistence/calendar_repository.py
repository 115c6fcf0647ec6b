"""Calendar items of one workspace, and the sweep that marks overdue posts missed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from smmbot.persistence.models import CalendarItem
from smmbot.persistence.team_scoped import TeamScopedRepository


class CalendarRepository(TeamScopedRepository):
    def get(self, item_id: int, *, for_update: bool = False) -> CalendarItem | None:
        """`for_update` locks the row until the transaction ends (PostgreSQL; SQLite has one
        writer anyway), so two teammates clicking the same button change it once: the second
        waits, then sees what the first did."""
        query = self._select(CalendarItem, CalendarItem.id == item_id)
        return self._session.scalars(query.with_for_update() if for_update else query).one_or_none()

    def add(self, item: CalendarItem) -> CalendarItem:
        return self._add(item)

    def list_upcoming(
        self, *, start: datetime, end: datetime, campaign_id: int | None = None, limit: int = 50
    ) -> list[CalendarItem]:
        query = self._select(
            CalendarItem,
            CalendarItem.status == "scheduled",
            CalendarItem.due_at >= start,
            CalendarItem.due_at < end,
        )
        if campaign_id is not None:
            query = query.where(CalendarItem.campaign_id == campaign_id)
        return list(self._session.scalars(query.order_by(CalendarItem.due_at).limit(limit)))

    def remove_created_by(self, creator: str) -> None:
        self._session.execute(self._delete(CalendarItem, CalendarItem.created_by == creator))

    def count_upcoming(self, *, campaign_id: int, after: datetime) -> int:
        return (
            self._session.scalar(
                select(func.count()).where(
                    self._scoped(CalendarItem),
                    CalendarItem.campaign_id == campaign_id,
                    CalendarItem.status == "scheduled",
                    CalendarItem.due_at >= after,
                )
            )
            or 0
        )


def mark_overdue_missed(session: Session, *, due_before: datetime, now: datetime) -> int:
    """Every workspace's still-scheduled posts due before `due_before` become missed. Not bound
    to a team: it is the scheduler's sweep, the one caller that works across workspaces."""
    result = session.execute(
        update(CalendarItem)
        .where(CalendarItem.status == "scheduled", CalendarItem.due_at <= due_before)
        .values(status="missed", updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
