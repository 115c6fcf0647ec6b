"""Connected sources and connect states of one workspace, and the sync sweep's claims.

A claim is one conditional UPDATE: due (`next_sync_at <= now`), not held by a live lease, and
chosen `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers), so of two bot
processes exactly one syncs a source for a day. A process killed mid-sync leaves a lease that
expires; the next sweep takes the source over, and the sync's upserts make the rerun harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from smmbot.persistence.models import ConnectorSource, ConnectState
from smmbot.persistence.team_scoped import TeamScopedRepository

ACTIVE = "active"
PICKING = "picking"
BROKEN = "broken"


class ConnectorRepository(TeamScopedRepository):
    def get(self, provider: str) -> ConnectorSource | None:
        return self._session.scalars(
            self._select(ConnectorSource, ConnectorSource.provider == provider)
        ).one_or_none()

    def list_all(self) -> list[ConnectorSource]:
        return list(
            self._session.scalars(self._select(ConnectorSource).order_by(ConnectorSource.provider))
        )

    def add(self, source: ConnectorSource) -> None:
        self._add(source)

    def remove(self, provider: str) -> bool:
        result = self._session.execute(
            self._delete(ConnectorSource, ConnectorSource.provider == provider)
        )
        return bool(getattr(result, "rowcount", 0))

    def add_state(self, *, nonce: str, user_id: str, provider: str, expires_at: datetime) -> None:
        self._session.add(
            ConnectState(
                nonce=nonce,
                team_id=self.team_id,
                user_id=user_id,
                provider=provider,
                expires_at=expires_at,
            )
        )

    def consume_state(self, *, nonce: str, user_id: str, provider: str, now: datetime) -> bool:
        """True once for a live state: the DELETE that uses it is the atomic check, so two
        callbacks racing with one state cannot both pass. Expired states are swept too."""
        result = self._session.execute(
            self._delete(
                ConnectState,
                ConnectState.nonce == nonce,
                ConnectState.user_id == user_id,
                ConnectState.provider == provider,
                ConnectState.expires_at > now,
            )
        )
        self._session.execute(self._delete(ConnectState, ConnectState.expires_at <= now))
        return bool(getattr(result, "rowcount", 0))


class SyncClaims:
    """The sync sweep's side, across workspaces (each row carries its team id)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim_due(
        self, now: datetime, *, worker_id: str, lease: timedelta, limit: int
    ) -> list[ConnectorSource]:
        due = (
            select(ConnectorSource.id)
            .where(*_claimable(now))
            .order_by(ConnectorSource.next_sync_at, ConnectorSource.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("due")
        )
        return list(
            self._session.scalars(
                update(ConnectorSource)
                .where(ConnectorSource.id.in_(select(due.c.id)), *_claimable(now))
                .values(claimed_by=worker_id, lease_until=now + lease)
                .returning(ConnectorSource),
                execution_options={"synchronize_session": False},
            ).all()
        )

    def holds(self, source_id: int, worker_id: str) -> ConnectorSource | None:
        """The source, locked, if this worker still holds its claim (a lease that expired and
        was taken over belongs to the other worker now). The lock is taken by writing the row,
        not by FOR UPDATE, which SQLite ignores: there pysqlite would only begin the
        transaction at its first write, so a member's pick committed between this read and the
        sync's write would go unseen ("nothing picked meanwhile", next sync tomorrow)."""
        locked = self._session.scalars(
            update(ConnectorSource)
            .where(ConnectorSource.id == source_id, ConnectorSource.claimed_by == worker_id)
            .values(claimed_by=worker_id)
            .returning(ConnectorSource.id)
            .execution_options(synchronize_session=False)
        ).one_or_none()
        if locked is None:
            return None
        return self._session.scalars(
            select(ConnectorSource)
            .where(ConnectorSource.id == source_id)
            .execution_options(populate_existing=True)
        ).one()


def _claimable(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        ConnectorSource.status == ACTIVE,
        ConnectorSource.next_sync_at <= now,
        or_(
            ConnectorSource.claimed_by.is_(None),
            and_(ConnectorSource.lease_until.is_not(None), ConnectorSource.lease_until < now),
        ),
    )
