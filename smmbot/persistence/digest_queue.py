"""The weekly digest sweep's cross-workspace reads and its claim on a digest being built.

Why a claim: building a digest (its queries and its chart) costs a few hundred milliseconds of
CPU, and on a Monday morning every workspace's digest falls due in the same minute. Each digest
is built in its own transaction, and on PostgreSQL the builder first takes a transaction-scoped
advisory lock on the digest's dedupe key without waiting: a second bot process that finds it
taken moves on to the next workspace instead of building the same digest only for the outbox's
unique key to throw it away, so two processes split the rush between them. The lock ends with
the transaction that enqueued the digest, so whoever looks next sees it queued. SQLite has one
writer and no such locks; there the dedupe key alone keeps the digest single.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.orm import Session

from smmbot.persistence.models import OutboxMessage

_KEYS_PER_STATEMENT = 500  # keeps the IN lists far below SQLite's bound-parameter limit


def queued_keys(session: Session, keys: Collection[str]) -> set[str]:
    """Which of these digest dedupe keys (of any workspace) are already in the outbox: one
    statement per few hundred keys, rather than one per workspace on every sweep of the week.
    On PostgreSQL one statement with the keys as one array parameter: an IN list of a thousand
    bound parameters cost more to render and send than the lookup itself."""
    ordered = sorted(keys)
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # only PostgreSQL has arrays

        keys_array = bindparam("keys", ordered, type_=ARRAY(String))
        return set(
            session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key == any_(keys_array))
            )
        )
    found: set[str] = set()
    for start in range(0, len(ordered), _KEYS_PER_STATEMENT):
        chunk = ordered[start : start + _KEYS_PER_STATEMENT]
        found.update(
            session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))
            )
        )
    return found


def claim_digest(session: Session, dedupe_key: str) -> bool:
    """Whether this transaction may build the digest under `dedupe_key`: False when another
    process's transaction is building it right now (PostgreSQL); always True elsewhere."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    lock = func.pg_try_advisory_xact_lock(func.hashtextextended(dedupe_key, 0))
    return bool(session.scalar(select(lock)))
