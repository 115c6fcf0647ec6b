"""The outbox of messages the scheduler must deliver."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class OutboxMessage(Base):
    """A message the scheduler must post once at `due_at`. Rows, not scheduler memory, hold due
    work, so restarts and a second bot process neither lose nor repeat it. `dedupe_key` makes
    re-planning the same reminder idempotent."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    drop_after: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """Past this moment the message is pointless (a lead reminder after the post was due)."""
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    calendar_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("calendar_items.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    late: Mapped[bool] = mapped_column(default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """When the latest claim began: a send of that claim, if any, started after it."""
    in_doubt_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """Set when a claim ended without an outcome (its process died mid-sweep): an earlier
    attempt, started after this moment, may have reached Slack, so the channel is looked up
    before the message is posted again."""
