"""Posts held for review: the queue, and the one conditional UPDATE that records a decision."""

from __future__ import annotations

from datetime import datetime

from smmbot.domain.approval import CHANGES_REQUESTED, IN_REVIEW
from smmbot.persistence.models import CalendarItem
from smmbot.persistence.team_scoped import TeamScopedRepository


class ApprovalRepository(TeamScopedRepository):
    def update(
        self,
        item_id: int,
        *,
        status: str,
        who: str,
        now: datetime,
        note: str | None,
        from_status: str = IN_REVIEW,
    ) -> bool:
        """Moves the item only while it is still `from_status`: of two approvers deciding at
        the same moment, the database lets exactly one UPDATE match; the other gets False."""
        statement = (
            self._update(
                CalendarItem, CalendarItem.id == item_id, CalendarItem.status == from_status
            )
            .values(status=status, decided_by=who, decided_at=now, review_note=note, updated_at=now)
            .returning(CalendarItem.id)
        )
        changed = self._session.scalars(
            statement, execution_options={"synchronize_session": False}
        ).all()
        self._session.expire_all()
        return len(changed) == 1

    def resubmit(self, item_id: int, *, text: str, due_at: datetime, now: datetime) -> bool:
        """The author's edit of a post sent back for changes: back in review, only while it is
        still `changes_requested` (a double submit resubmits once)."""
        statement = (
            self._update(
                CalendarItem, CalendarItem.id == item_id, CalendarItem.status == CHANGES_REQUESTED
            )
            .values(status=IN_REVIEW, text=text, due_at=due_at, updated_at=now)
            .returning(CalendarItem.id)
        )
        changed = self._session.scalars(
            statement, execution_options={"synchronize_session": False}
        ).all()
        self._session.expire_all()
        return len(changed) == 1

    def list_waiting(
        self, statuses: tuple[str, ...], *, author: str | None = None
    ) -> list[CalendarItem]:
        """Held posts, oldest request first; `author`: only that member's."""
        query = self._select(CalendarItem, CalendarItem.status.in_(statuses))
        if author is not None:
            query = query.where(CalendarItem.created_by == author)
        return list(self._session.scalars(query.order_by(CalendarItem.updated_at, CalendarItem.id)))
