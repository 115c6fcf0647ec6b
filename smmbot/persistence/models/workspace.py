"""Workspaces and their members. Every workspace-owned row carries the Slack `team_id`."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import JSON, ForeignKey, String, Time, false
from sqlalchemy.orm import Mapped, mapped_column, validates

from smmbot.domain.timezones import canonical_zone
from smmbot.persistence.models.base import Base, UtcDateTime

DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_CURRENCY = "IDR"


class Workspace(Base):
    """A Slack workspace (team) and its defaults for everyone in it."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    currency: Mapped[str] = mapped_column(String(3), default=DEFAULT_CURRENCY)
    digest_enabled: Mapped[bool] = mapped_column(default=True)
    digest_weekday: Mapped[int] = mapped_column(default=0)
    digest_time: Mapped[time] = mapped_column(Time(), default=time(9, 0))
    digest_channel_id: Mapped[str | None] = mapped_column(String(32))
    metrics_token_hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the bearer token for `POST /api/metrics`; the token itself is shown once."""
    reminder_lead_minutes: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1440, 60])
    """When reminders come before a post is due; 24 h and 1 h unless the workspace changes it."""
    approval_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    """`settings approval on`: a member's scheduled post waits for an approver."""
    approvers: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Member ids who may decide, with the user groups' members resolved when it was set."""
    approvals_channel_id: Mapped[str | None] = mapped_column(String(32))
    """Where review requests go; None: to each approver by DM."""
    self_approve: Mapped[bool | None] = mapped_column()
    """Whether an approver's own post skips review; None: yes when there is one approver."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    @validates("timezone")
    def _known_zone(self, _key: str, value: str) -> str:
        """Stored as its IANA key (WITA is Asia/Makassar), so every reader can load it."""
        zone = canonical_zone(value)
        if zone is None:
            raise ValueError(f"unknown time zone {value!r}")
        return zone


class SlackUser(Base):
    """What Slack last told us about a member, cached: users.info is slow and rate limited."""

    __tablename__ = "slack_users"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    profile_fetched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    @validates("timezone")
    def _known_zone(self, _key: str, value: str | None) -> str | None:
        """A zone Slack names oddly is stored as its IANA key, or not at all (the workspace's
        zone then applies)."""
        return canonical_zone(value)
