"""The weekly digest sweep's cross-workspace reads and its claim on a digest being built.

Why a claim: building a digest (its queries and its chart) costs a few hundred milliseconds of
CPU, and on a Monday morning every workspace's digest falls due in the same minute. Each digest
is built in its own transaction, and on PostgreSQL the builder first takes a transaction-scoped
advisory lock on the digest's dedupe key without waiting: a second bot process that finds it
taken moves on to the next workspace instead of building the same digest only for the outbox's
unique key to throw it away, so two processes split the rush between them. The lock ends with
the transaction that enqueued the digest, so whoever looks next sees it queued
(`claim_next_digest` finds the next digest free to build in one statement). SQLite has one
writer and no such locks; there the dedupe key alone keeps the digest single.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import String, any_, bindparam, select, text
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


def claim_next_digest(session: Session, keys: Sequence[str]) -> str | None:
    """The first of these due digests' dedupe keys (of any workspace) that is neither queued
    nor being built by another process right now, claimed for this transaction (PostgreSQL);
    None when every one is taken. On SQLite, which serves one process, the first not queued.

    One statement for the whole search, looking at `_CLAIM_WINDOW` keys at a time: when two
    processes work down the same list, every other key is the other's, and a statement (and
    a transaction) for each of those cost the loser a millisecond of CPU a digest. PostgreSQL
    tries the keys in the array's order and stops at the first that passes (a LIMIT over a
    function scan's filter); a key whose lock it got but that is queued already stays locked
    until this transaction ends, which keeps no one from anything: it is done. The key found is
    looked up once more, in a statement of its own: another process may have queued it and
    let go of its lock while the search ran, after the search's snapshot was taken."""
    postgres = session.get_bind().dialect.name == "postgresql"
    start = 0
    while start < len(keys):
        window = list(keys[start : start + _CLAIM_WINDOW])
        if not postgres:
            queued = queued_keys(session, window)
            found = next((key for key in window if key not in queued), None)
        else:
            found = session.execute(_NEXT_FREE_KEY, {"keys": window}).scalar()
            if found is not None and session.execute(_QUEUED, {"key": found}).scalar():
                start += window.index(found) + 1
                continue
        if found is not None:
            return str(found)
        start += len(window)
    return None


_CLAIM_WINDOW = 64
# Whether the key found was queued during the search; as text, like the search: through the
# ORM's select (`queued_keys`) it cost 0.29 ms of the bot's CPU for every digest of a rush,
# against 0.11.
_QUEUED = text("SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE dedupe_key = :key)")
_NEXT_FREE_KEY = text(
    "SELECT due.key FROM unnest(CAST(:keys AS text[])) AS due(key)"
    " WHERE pg_try_advisory_xact_lock(hashtextextended(due.key, 0))"
    " AND NOT EXISTS (SELECT 1 FROM outbox_messages WHERE dedupe_key = due.key)"
    " LIMIT 1"
)
