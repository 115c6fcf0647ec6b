"""The outbox's delivery side: the claims that make each message go out once.

`OutboxQueue(session)` works across all workspaces on purpose (one sweep serves every
workspace; each row carries its own `team_id`): claim due rows, renew and release claims,
record outcomes.
Claims. A claim sets status 'sending', `claimed_by` and `lease_until` in one
`UPDATE … WHERE id IN (subquery) AND status = 'pending' RETURNING …`. On PostgreSQL the subquery
locks its rows `FOR UPDATE SKIP LOCKED`, so concurrent claimers skip each other's rows instead
of waiting or claiming twice; SQLite has no row locks, but the statement runs under the
database's single write lock and re-checks `status = 'pending'`, so the same holds. A claim
first puts back to 'pending' every row whose lease expired (its process died or stalled). Every
outcome update is conditional on `claimed_by = worker AND status = 'sending'`: a worker whose
lease expired, and whose rows another worker took over, can no longer overwrite anything.

Per-channel cap. A claim takes at most `per_channel` rows per channel, counting the channel's
rows already 'sending' (by any worker), in due order. Slack takes about one message a second per
channel, so this gives every channel its first message in the first claim however the due rows
are ordered, keeps one busy channel from filling a whole batch, and keeps claimed rows few
enough that they go out long before their lease ends.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Subquery, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import (
    DROPPED,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    count_changed,
)
from smmbot.persistence.outbox_sent import mark_sent_statement

log = logging.getLogger(__name__)
_MARK_SENT: Final = mark_sent_statement(claimed=SENDING, sent=SENT)


class OutboxQueue:
    """The delivery engine's side: claims and outcomes, each conditional on the claim."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim_due(
        self,
        now: datetime,
        *,
        worker_id: str,
        limit: int,
        lease: timedelta,
        per_channel: int,
        channels: Collection[str] | None = None,
    ) -> list[OutboxMessage]:
        """Claims up to `limit` due rows (see the module docstring), in due order; only of
        `channels` when given (the lanes this worker holds, see `outbox_lanes`)."""
        self._reclaim_expired(now)
        ranked = _lane_positions(now)
        chosen = (
            select(OutboxMessage.id)
            .join(ranked, ranked.c.id == OutboxMessage.id)
            .where(
                OutboxMessage.status == PENDING,
                OutboxMessage.next_attempt_at <= now,
                ranked.c.lane_position <= per_channel,
                *_in_lanes(channels),
            )
            .order_by(ranked.c.lane_position, OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=OutboxMessage)
            .cte("chosen")
        )
        claimed = self._session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(select(chosen.c.id)), OutboxMessage.status == PENDING)
            .values(status=SENDING, claimed_by=worker_id, lease_until=now + lease, claimed_at=now)
            .returning(OutboxMessage),
            execution_options={"synchronize_session": False},
        ).all()
        return sorted(claimed, key=lambda row: (row.next_attempt_at, row.id))

    def _reclaim_expired(self, now: datetime) -> None:
        expired = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now)
            .with_for_update(skip_locked=True)  # never wait on, or deadlock with, a renewal
            .cte("expired")
        )
        reclaimed = count_changed(
            self._session,
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(select(expired.c.id)), OutboxMessage.status == SENDING)
            .values(status=PENDING, claimed_by=None, lease_until=None, in_doubt_since=_IN_DOUBT),
        )
        if reclaimed:
            log.warning(
                "%d outbox message(s) had an expired claim (a bot process died or stalled); "
                "they are pending again",
                reclaimed,
            )

    def renew(self, ids: Collection[int], *, worker_id: str, lease_until: datetime) -> set[int]:
        """Extends this worker's claims; returns the ids it still holds."""
        if not ids:
            return set()
        held = self._session.scalars(
            update(OutboxMessage)
            .where(*self._claimed(ids, worker_id))
            .values(lease_until=lease_until)
            .returning(OutboxMessage.id),
            execution_options={"synchronize_session": False},
        )
        return set(held)

    def release(self, ids: Collection[int], *, worker_id: str) -> int:
        """Gives unsent claims back, unchanged otherwise: they were never attempted."""
        if not ids:
            return 0
        return self._update(ids, worker_id, status=PENDING, claimed_by=None, lease_until=None)

    def mark_sent(
        self, message_id: int, *, worker_id: str, ts: str, now: datetime, late: bool
    ) -> bool:
        parameters = {"p_id": message_id, "p_worker": worker_id, "p_ts": ts, "p_now": now}
        changed = self._session.execute(_MARK_SENT, parameters | {"p_late": late})
        return len(changed.all()) == 1

    def mark_retry(
        self, message_id: int, *, worker_id: str, next_attempt_at: datetime, error: str
    ) -> bool:
        return self._update_one(
            message_id,
            worker_id,
            status=PENDING,
            next_attempt_at=next_attempt_at,
            attempts=OutboxMessage.attempts + 1,
            last_error=error,
            claimed_by=None,
            lease_until=None,
        )

    def mark_dropped(self, message_id: int, *, worker_id: str) -> bool:
        return self._update_one(message_id, worker_id, status=DROPPED, lease_until=None)

    def mark_failed(self, message_id: int, *, worker_id: str, error: str) -> bool:
        return self._update_one(
            message_id,
            worker_id,
            status=FAILED,
            attempts=OutboxMessage.attempts + 1,
            last_error=error,
            lease_until=None,
        )

    @staticmethod
    def _claimed(ids: Collection[int], worker_id: str) -> tuple[Any, ...]:
        return (
            OutboxMessage.id.in_(list(ids)),
            OutboxMessage.claimed_by == worker_id,
            OutboxMessage.status == SENDING,
        )

    def _update_one(self, message_id: int, worker_id: str, **values: Any) -> bool:
        return self._update((message_id,), worker_id, **values) == 1

    def _update(self, ids: Collection[int], worker_id: str, **values: Any) -> int:
        return count_changed(
            self._session,
            update(OutboxMessage).where(*self._claimed(ids, worker_id)).values(**values),
        )


def _lane_positions(now: datetime) -> Subquery:
    """Each due or in-flight row's place in its channel's lane (in-flight rows first)."""
    in_flight_first = case((OutboxMessage.status == SENDING, 0), else_=1)
    return (
        select(
            OutboxMessage.id,
            func.row_number()
            .over(
                partition_by=OutboxMessage.channel_id,
                order_by=(in_flight_first, OutboxMessage.next_attempt_at, OutboxMessage.id),
            )
            .label("lane_position"),
        )
        .where(
            or_(
                OutboxMessage.status == SENDING,
                and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
            )
        )
        .subquery()
    )


_IN_DOUBT: Final = func.coalesce(
    OutboxMessage.in_doubt_since, OutboxMessage.claimed_at, OutboxMessage.next_attempt_at
)
"""An expired claim's row: a send may have started after its claim (after its due attempt,
for rows claimed before claims were timed), so it is looked up before it is posted again."""


def _in_lanes(channels: Collection[str] | None) -> tuple[Any, ...]:
    if channels is None:
        return ()
    return (OutboxMessage.channel_id.in_(bindparam("lanes", list(channels), expanding=True)),)


def outbox_backlog(session: Session, now: datetime) -> tuple[int, float]:
    """For operators, across workspaces: how many rows are due and unsent (pending or being
    sent), and how many seconds the oldest of them is past due (0 when none)."""
    due = or_(
        OutboxMessage.status == SENDING,
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
    )
    count, oldest = session.execute(
        select(func.count(OutboxMessage.id), func.min(OutboxMessage.due_at)).where(due)
    ).one()
    if oldest is None:
        return int(count), 0.0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return int(count), max((now - oldest).total_seconds(), 0.0)
