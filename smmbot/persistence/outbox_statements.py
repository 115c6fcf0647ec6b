"""The outbox queue's statements, each built once on the table with bound parameters.

Every message the engine delivers takes a share of a claim and of lease renewals and runs the
"sent" UPDATE; building those as ORM statements, with their bound values and cache keys, anew
each time was the largest part of the engine's CPU for a message (`bench/reminder_fanout.py`).
Built once, each finds its compiled form in SQLAlchemy's cache at once; they are Core statements
on the table, run on a Core connection, so no Session is set up and rows come back as plain
tuples rather than ORM objects. What each one does, and why every transition is conditional on
the claim, is told in `outbox_queue`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, cast

from sqlalchemy import Table, Update, and_, bindparam, case, func, or_, select, update

from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import DROPPED, FAILED, PENDING, SENDING, SENT

_TABLE: Final = cast(Table, OutboxMessage.__table__)
_C: Final[Any] = _TABLE.c
_MOMENT: Final = _C.next_attempt_at.type  # how every moment column stores a datetime


def _held(ids: Any) -> tuple[Any, ...]:
    """Rows still claimed by the worker `p_worker`: the condition of every transition."""
    return (ids, _C.claimed_by == bindparam("p_worker"), _C.status == SENDING)


def _one_held() -> tuple[Any, ...]:
    return _held(_C.id == bindparam("p_id"))


def _many_held() -> tuple[Any, ...]:
    return _held(_C.id.in_(bindparam("p_ids", expanding=True)))


def claim_statement(returning: Sequence[str], *, in_lanes: bool = False) -> Update:
    """Parameters: p_now, p_worker, p_lease_until, p_limit, p_per_channel, and with `in_lanes`
    p_lanes (the channels whose lanes the worker holds, `outbox_lanes`); returns the claimed
    rows' `returning` columns. The claim's time is recorded: a send may start from then on."""
    now = bindparam("p_now", type_=_MOMENT)
    due = and_(_C.status == PENDING, _C.next_attempt_at <= now)
    in_flight_first = case((_C.status == SENDING, 0), else_=1)
    lane_position = func.row_number().over(
        partition_by=_C.channel_id, order_by=(in_flight_first, _C.next_attempt_at, _C.id)
    )
    ranked = (
        select(_C.id, lane_position.label("lane_position"))
        .where(or_(_C.status == SENDING, due))
        .subquery()
    )
    chosen = (
        select(_C.id)
        .join(ranked, ranked.c.id == _C.id)
        .where(due, ranked.c.lane_position <= bindparam("p_per_channel"), *_lanes(in_lanes))
        .order_by(ranked.c.lane_position, _C.next_attempt_at, _C.id)
        .limit(bindparam("p_limit"))
        .with_for_update(skip_locked=True, of=_TABLE)
        .cte("chosen")
    )
    return (
        update(_TABLE)
        .where(_C.id.in_(select(chosen.c.id)), _C.status == PENDING)
        .values(
            status=SENDING,
            claimed_by=bindparam("p_worker"),
            lease_until=bindparam("p_lease_until", type_=_MOMENT),
            claimed_at=now,
        )
        .returning(*(_C[name] for name in returning))
    )


def _lanes(in_lanes: bool) -> tuple[Any, ...]:
    return (_C.channel_id.in_(bindparam("p_lanes", expanding=True)),) if in_lanes else ()


IN_DOUBT: Final = func.coalesce(_C.in_doubt_since, _C.claimed_at, _C.next_attempt_at)
"""An expired claim's row: a send may have started after its claim (after its due attempt,
for rows claimed before claims were timed), so it is looked up before it is posted again."""


def _reclaim_expired_statement() -> Update:
    expired = (
        select(_C.id)
        .where(_C.status == SENDING, _C.lease_until < bindparam("p_now", type_=_MOMENT))
        .with_for_update(skip_locked=True)  # never wait on, or deadlock with, a renewal
        .cte("expired")
    )
    return (
        update(_TABLE)
        .where(_C.id.in_(select(expired.c.id)), _C.status == SENDING)
        .values(status=PENDING, claimed_by=None, lease_until=None, in_doubt_since=IN_DOUBT)
        .returning(_C.id)
    )


def _transition(held: tuple[Any, ...], **values: Any) -> Update:
    return update(_TABLE).where(*held).values(**values).returning(_C.id)


RECLAIM_EXPIRED: Final = _reclaim_expired_statement()
"""Parameters: p_now. Puts back to 'pending', in doubt, every claim whose lease ended before it."""

RENEW: Final = _transition(_many_held(), lease_until=bindparam("p_lease_until", type_=_MOMENT))
"""Parameters: p_ids, p_worker, p_lease_until."""

RELEASE: Final = _transition(_many_held(), status=PENDING, claimed_by=None, lease_until=None)
"""Parameters: p_ids, p_worker."""

MARK_SENT: Final = _transition(
    _one_held(),
    status=SENT,
    message_ts=bindparam("p_ts"),
    sent_at=bindparam("p_now", type_=_MOMENT),
    late=bindparam("p_late", type_=_C.late.type),
    attempts=_C.attempts + 1,
    lease_until=None,
    last_error=None,
)
"""Parameters: p_id, p_worker, p_ts, p_now, p_late."""

MARK_RETRY: Final = _transition(
    _one_held(),
    status=PENDING,
    next_attempt_at=bindparam("p_next_attempt_at", type_=_MOMENT),
    attempts=_C.attempts + 1,
    last_error=bindparam("p_error"),
    claimed_by=None,
    lease_until=None,
)
"""Parameters: p_id, p_worker, p_next_attempt_at, p_error."""

MARK_DROPPED: Final = _transition(_one_held(), status=DROPPED, lease_until=None)
"""Parameters: p_id, p_worker."""

MARK_FAILED: Final = _transition(
    _one_held(),
    status=FAILED,
    attempts=_C.attempts + 1,
    last_error=bindparam("p_error"),
    lease_until=None,
)
"""Parameters: p_id, p_worker, p_error."""
