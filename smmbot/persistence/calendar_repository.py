"""Calendar items of one workspace, and the sweep that marks overdue posts missed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from smmbot.persistence.models import CalendarItem


class CalendarRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def get(self, item_id: int) -> CalendarItem | None:
        return self._session.scalars(
            select(CalendarItem).where(
                CalendarItem.team_id == self.team_id, CalendarItem.id == item_id
            )
        ).one_or_none()

    def add(self, item: CalendarItem) -> CalendarItem:
        item.team_id = self.team_id
        self._session.add(item)
        self._session.flush()
        return item

    def upcoming(
        self, *, start: datetime, end: datetime, campaign_id: int | None = None, limit: int = 50
    ) -> list[CalendarItem]:
        query = select(CalendarItem).where(
            CalendarItem.team_id == self.team_id,
            CalendarItem.status == "scheduled",
            CalendarItem.due_at >= start,
            CalendarItem.due_at < end,
        )
        if campaign_id is not None:
            query = query.where(CalendarItem.campaign_id == campaign_id)
        return list(self._session.scalars(query.order_by(CalendarItem.due_at).limit(limit)))

    def delete_created_by(self, creator: str) -> None:
        self._session.execute(
            delete(CalendarItem).where(
                CalendarItem.team_id == self.team_id, CalendarItem.created_by == creator
            )
        )

    def count_upcoming(self, *, campaign_id: int, after: datetime) -> int:
        return (
            self._session.scalar(
                select(func.count()).where(
                    CalendarItem.team_id == self.team_id,
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
