"""The outbox's delivery side: the claims that make each message go out once.

`OutboxQueue(connection)` works across all workspaces on purpose (one sweep serves every
workspace; each row carries its own `team_id`): claim due rows, renew and release claims,
record outcomes. It runs on a Core connection, with statements built once
(`outbox_statements`), and hands out claimed rows as `ClaimedMessage` values: the engine's hot
path, run for every message, sets up no Session and loads no ORM object.
Claims. A claim sets status 'sending', `claimed_by` and `lease_until` in one
`UPDATE … WHERE id IN (subquery) AND status = 'pending' RETURNING …`. On PostgreSQL the subquery
locks its rows `FOR UPDATE SKIP LOCKED`, so concurrent claimers skip each other's rows instead
of waiting or claiming twice; SQLite has no row locks, but the statement runs under the
database's single write lock and re-checks `status = 'pending'`, so the same holds. A claim
first puts back to 'pending' every row whose lease expired (its process died or stalled),
marked in doubt from its claim's time: it may have reached Slack (`services.outbox_delivery`). Every
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
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, Update, and_, func, or_, select
from sqlalchemy.orm import Session

from smmbot.persistence import outbox_statements as statements
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import PENDING, SENDING

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """A claimed row, as much of it as delivering it needs."""

    id: int
    team_id: str
    kind: str
    dedupe_key: str
    channel_id: str
    due_at: datetime
    drop_after: datetime | None
    payload: Mapping[str, Any]
    calendar_item_id: int | None
    attempts: int
    next_attempt_at: datetime
    in_doubt_since: datetime | None


_RETURNED: Final = [f.name for f in fields(ClaimedMessage)]
_CLAIM: Final = statements.claim_statement(_RETURNED)
_CLAIM_IN_LANES: Final = statements.claim_statement(_RETURNED, in_lanes=True)


class OutboxQueue:
    """The delivery engine's side: claims and outcomes, each conditional on the claim."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def claim_due(
        self,
        now: datetime,
        *,
        worker_id: str,
        limit: int,
        lease: timedelta,
        per_channel: int,
        channels: Collection[str] | None = None,
    ) -> list[ClaimedMessage]:
        """Claims up to `limit` due rows (see the module docstring), in due order; only of
        `channels` when given (the lanes this worker holds, see `outbox_lanes`)."""
        self._reclaim_expired(now)
        parameters = {
            "p_now": now,
            "p_worker": worker_id,
            "p_lease_until": now + lease,
            "p_limit": limit,
            "p_per_channel": per_channel,
        }
        if channels is None:
            rows = self._connection.execute(_CLAIM, parameters)
        else:
            rows = self._connection.execute(_CLAIM_IN_LANES, parameters | {"p_lanes": [*channels]})
        claimed = [ClaimedMessage(*row) for row in rows]
        return sorted(claimed, key=lambda message: (message.next_attempt_at, message.id))

    def _reclaim_expired(self, now: datetime) -> None:
        reclaimed = self._changed(statements.RECLAIM_EXPIRED, p_now=now)
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
        held = self._connection.execute(
            statements.RENEW,
            {"p_ids": list(ids), "p_worker": worker_id, "p_lease_until": lease_until},
        )
        return set(held.scalars())

    def release(self, ids: Collection[int], *, worker_id: str) -> int:
        """Gives unsent claims back, unchanged otherwise: they were never attempted."""
        if not ids:
            return 0
        return self._changed(statements.RELEASE, p_ids=list(ids), p_worker=worker_id)

    def mark_sent(
        self, message_id: int, *, worker_id: str, ts: str, now: datetime, late: bool
    ) -> bool:
        return self._one_changed(
            statements.MARK_SENT, message_id, worker_id, p_ts=ts, p_now=now, p_late=late
        )

    def mark_retry(
        self, message_id: int, *, worker_id: str, next_attempt_at: datetime, error: str
    ) -> bool:
        return self._one_changed(
            statements.MARK_RETRY,
            message_id,
            worker_id,
            p_next_attempt_at=next_attempt_at,
            p_error=error,
        )

    def mark_dropped(self, message_id: int, *, worker_id: str) -> bool:
        return self._one_changed(statements.MARK_DROPPED, message_id, worker_id)

    def mark_failed(self, message_id: int, *, worker_id: str, error: str) -> bool:
        return self._one_changed(statements.MARK_FAILED, message_id, worker_id, p_error=error)

    def _one_changed(
        self, statement: Update, message_id: int, worker_id: str, **parameters: Any
    ) -> bool:
        return self._changed(statement, p_id=message_id, p_worker=worker_id, **parameters) == 1

    def _changed(self, statement: Update, **parameters: Any) -> int:
        """Rows the statement changed, through its RETURNING: portable, unlike `rowcount`."""
        return len(self._connection.execute(statement, parameters).all())


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
