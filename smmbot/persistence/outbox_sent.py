"""The UPDATE that records a delivered outbox message, built once.

Every message the engine delivers runs it; building an ORM UPDATE, its bound parameters and its
cache key anew each time was the largest part of the engine's CPU for a message. It is a Core
statement on the table for the same reason, and like the queue's other transitions it leaves the
session's objects alone (the row is read again by whoever needs it).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, update

from smmbot.persistence.models import OutboxMessage


def mark_sent_statement(*, claimed: str, sent: str) -> Update:
    """Parameters: p_id, p_worker (the claim that must still hold), p_ts, p_now, p_late; it
    returns the id of the row it changed (none when the claim had passed to another worker)."""
    table = cast(Table, OutboxMessage.__table__)
    c: Any = table.c
    return (
        update(table)
        .where(c.id == bindparam("p_id"), c.claimed_by == bindparam("p_worker"))
        .where(c.status == claimed)
        .values(
            status=sent,
            message_ts=bindparam("p_ts"),
            sent_at=bindparam("p_now", type_=c.sent_at.type),
            late=bindparam("p_late", type_=c.late.type),
            attempts=c.attempts + 1,
            lease_until=None,
            last_error=None,
        )
        .returning(c.id)
    )
