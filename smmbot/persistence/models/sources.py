"""Connected metric sources (GA4, Meta) and the single-use OAuth states of `/smm connect`.

A source row is also its own due work: `next_sync_at` is when it must sync next, and a sweep
claims it with `claimed_by`/`lease_until` exactly like the outbox claims messages, so two bot
processes never sync the same source for the same day twice and a process killed mid-sync
leaves a lease that expires and is taken over (the upserts make the retry harmless).
`vault` holds the Fernet-encrypted tokens and account secrets; nothing secret is stored in clear.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class ConnectorSource(Base):
    __tablename__ = "connector_sources"
    __table_args__ = (
        UniqueConstraint("team_id", "provider"),
        Index("ix_connector_sources_status_next_sync_at", "status", "next_sync_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    """'picking' (signed in, no account chosen yet), 'active' or 'broken'."""
    connected_by: Mapped[str] = mapped_column(String(32))
    vault: Mapped[str] = mapped_column(Text)
    accounts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The chosen accounts, without secrets: [{"kind", "id", "name"}]."""
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The accounts offered at sign-in, without secrets, for the picker."""
    backfill_pending: Mapped[bool] = mapped_column(default=True)
    next_sync_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_sync_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What the last sync brought: {"readings": n, "metrics": [...], "start", "end"}."""
    problem: Mapped[str | None] = mapped_column(String(32))
    """'credentials_rejected', 'rate_limited' or 'fetch_failed' (never a provider message)."""
    broken_notified: Mapped[bool] = mapped_column(default=False)
    connected_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ConnectState(Base):
    """A `state` handed out by `/smm connect`; deleted when a callback uses it (single use)."""

    __tablename__ = "connect_states"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
