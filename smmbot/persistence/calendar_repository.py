"""Calendar items of one workspace, and the sweep that marks overdue posts missed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from smmbot.persistence.models import CalendarItem, OutboxMessage
from smmbot.persistence.outbox_repository import PENDING, SENT
from smmbot.persistence.team_scoped import TeamScopedRepository

SNOOZE_KEY = ":snooze-after:"
"""Marks the dedupe key of a snoozed reminder (calendar_actions.snooze_item)."""


@dataclass(frozen=True)
class ItemFilter:
    """Narrows a listing to one campaign, platform or owner (None: any)."""

    campaign_id: int | None = None
    platform: str | None = None
    owner_id: str | None = None

    def applied(self, query: Select[CalendarItem]) -> Select[CalendarItem]:
        if self.campaign_id is not None:
            query = query.where(CalendarItem.campaign_id == self.campaign_id)
        if self.platform is not None:
            query = query.where(CalendarItem.platform == self.platform)
        if self.owner_id is not None:
            query = query.where(CalendarItem.owner_id == self.owner_id)
        return query


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
        self,
        *,
        start: datetime,
        end: datetime,
        limit: int = 50,
        where: ItemFilter | None = None,
        statuses: Collection[str] = ("scheduled",),
    ) -> list[CalendarItem]:
        """Posts due in [start, end), soonest first: scheduled ones, unless `statuses` also
        asks for held ones (the calendar shows posts in review too)."""
        query = self._select(
            CalendarItem,
            CalendarItem.status.in_(tuple(statuses)),
            CalendarItem.due_at >= start,
            CalendarItem.due_at < end,
        )
        query = (where or ItemFilter()).applied(query)
        return list(self._session.scalars(query.order_by(CalendarItem.due_at).limit(limit)))

    def list_overdue(
        self, *, now: datetime, limit: int = 50, where: ItemFilter | None = None
    ) -> list[CalendarItem]:
        """Posts whose moment passed without being marked published, and not yet counted
        missed (the sweep does that a day after), oldest first."""
        query = self._select(
            CalendarItem, CalendarItem.status == "scheduled", CalendarItem.due_at < now
        )
        query = (where or ItemFilter()).applied(query)
        return list(self._session.scalars(query.order_by(CalendarItem.due_at).limit(limit)))

    def list_planned_near(
        self, *, platform: str | None, start: datetime, end: datetime
    ) -> list[CalendarItem]:
        """Posts for this platform (or for none) scheduled or published in [start, end]."""
        same_platform = (
            CalendarItem.platform.is_(None)
            if platform is None
            else CalendarItem.platform == platform
        )
        query = self._select(
            CalendarItem,
            CalendarItem.status.in_(("scheduled", "published")),
            same_platform,
            CalendarItem.due_at >= start,
            CalendarItem.due_at <= end,
        )
        return list(self._session.scalars(query.order_by(CalendarItem.due_at)))

    def list_sent_reminders(self, item_id: int, kinds: Collection[str]) -> list[OutboxMessage]:
        """The item's channel messages of these kinds that Slack took (they have a ts), so
        they can be edited in place."""
        query = self._select(
            OutboxMessage,
            OutboxMessage.calendar_item_id == item_id,
            OutboxMessage.kind.in_(tuple(kinds)),
            OutboxMessage.status == SENT,
            OutboxMessage.message_ts.is_not(None),
        )
        return list(self._session.scalars(query.order_by(OutboxMessage.id)))

    def list_snoozed_until(self, item_ids: Collection[int]) -> dict[int, datetime]:
        """When the pending snoozed reminder of each of these items comes (the latest one)."""
        query = select(OutboxMessage.calendar_item_id, OutboxMessage.due_at).where(
            self._scoped(
                OutboxMessage,
                OutboxMessage.calendar_item_id.in_(tuple(item_ids)),
                OutboxMessage.status == PENDING,
                OutboxMessage.dedupe_key.contains(SNOOZE_KEY),
            )
        )
        until: dict[int, datetime] = {}
        for item_id, due_at in self._session.execute(query):
            if item_id is not None and (item_id not in until or due_at > until[item_id]):
                until[item_id] = due_at
        return until

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


def mark_overdue_missed(
    session: Session, *, due_before: datetime, now: datetime
) -> list[tuple[str, int]]:
    """Every workspace's still-scheduled posts due before `due_before` become missed; returns
    their (team id, item id), for the audit log. Not bound to a team: it is the scheduler's
    sweep, the one caller that works across workspaces."""
    result = session.execute(
        update(CalendarItem)
        .where(CalendarItem.status == "scheduled", CalendarItem.due_at <= due_before)
        .values(status="missed", updated_at=now)
        .returning(CalendarItem.team_id, CalendarItem.id)
    )
    return [(team_id, item_id) for team_id, item_id in result.all()]
