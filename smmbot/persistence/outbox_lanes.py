"""Lanes across processes: on PostgreSQL, one bot process at a time sends to a channel.

Why: Slack takes about one message a second per channel, and each process paces only its own
sends. Two replicas claiming rows of the same channel would each send at that pace, together
twice as fast, and Slack answers the excess with 429s (each one a retry as late as its Retry-After).

How: a process holds a channel's lane with a session-level advisory lock, taken with
`pg_try_advisory_lock(LANE_LOCKS, hashtext(schema:channel))` (advisory locks are per database,
so the schema keeps two deployments in one database apart) on the one connection its sweep keeps
for claims, and claims rows only of channels whose lane it holds. The lock lives as long as
that database session, not as a lease: a process killed with kill -9 loses its connection and
with it every lane at once (PostgreSQL ends the session when the socket closes), so another
process takes the channels over on its next claim, within a second, instead of after the rows'
60 s lease. A sweep keeps its lanes until it ends (`release_all`). Two channels whose names
hash alike share one lane: paced together, which is slower, never faster.

Taking a lane over from a process that died mid-sweep (`take_over`): the rows it held are
pending again at once, marked in doubt (a send of theirs may have reached Slack, see
`OutboxMessage.in_doubt_since`), and due only after a grace longer than a request can last, or
at their lease's end if that comes first (no send starts within the send margin of it), so that
whatever the dead process had in flight has landed before the channel is looked up. Rows it had
not claimed go on meanwhile.

SQLite serves one process: it has no advisory locks and needs none.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Final

from sqlalchemy import Engine, and_, bindparam, func, or_, select, text, update
from sqlalchemy.orm import Session

from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import PENDING, SENDING, count_changed

LANE_LOCKS: Final = 0x6F62  # the advisory locks' first key: "ob", outbox lanes
_TRY_LOCK: Final = text(
    "SELECT channel_id FROM unnest(CAST(:channels AS text[])) AS lane(channel_id) "
    "WHERE pg_try_advisory_lock(:space, hashtext(current_schema() || ':' || channel_id)) "
    "LIMIT :most"
)


def lanes_across_processes(engine: Engine) -> bool:
    """Whether this database can be shared by processes, which then need lanes (PostgreSQL)."""
    return engine.dialect.name == "postgresql"


class OutboxLaneLocks:
    """One sweep's lanes, on the connection the sweep keeps (advisory locks are per session)."""

    def __init__(self, session: Session, worker_id: str) -> None:
        self._session = session
        self._worker_id = worker_id

    def take(self, now: datetime, *, held: Collection[str], most: int) -> list[str]:
        """Locks up to `most` more channels with work that are free; returns them.

        Work: rows due, or rows another process holds (it may have died, leaving them to us).
        A channel this session holds already is never asked again: its lock would count twice.
        """
        work = (
            select(OutboxMessage.channel_id)
            .where(
                or_(
                    and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
                    and_(
                        OutboxMessage.status == SENDING,
                        OutboxMessage.claimed_by != self._worker_id,
                    ),
                )
            )
            .distinct()
        )
        candidates = sorted(set(self._session.scalars(work)) - set(held))
        if not candidates or most < 1:
            return []
        locked = self._session.execute(
            _TRY_LOCK, {"channels": candidates, "space": LANE_LOCKS, "most": most}
        )
        return [str(channel) for channel in locked.scalars()]

    def take_over(self, channels: Collection[str], *, grace_until: datetime) -> int:
        """Makes the rows other processes held in `channels` pending again, in doubt, due at
        `grace_until` or their lease's end (see the module docstring); returns how many."""
        if not channels:
            return 0
        return count_changed(
            self._session,
            update(OutboxMessage)
            .where(
                OutboxMessage.channel_id.in_(bindparam("lanes", list(channels), expanding=True)),
                OutboxMessage.status == SENDING,
                OutboxMessage.claimed_by != self._worker_id,
            )
            .values(
                status=PENDING,
                claimed_by=None,
                lease_until=None,
                in_doubt_since=func.coalesce(
                    OutboxMessage.in_doubt_since,
                    OutboxMessage.claimed_at,
                    OutboxMessage.next_attempt_at,
                ),
                next_attempt_at=func.least(grace_until, OutboxMessage.lease_until),
            ),
        )

    def release_all(self) -> None:
        """Gives every lane of this session back (the end of a sweep)."""
        self._session.execute(text("SELECT pg_advisory_unlock_all()"))
