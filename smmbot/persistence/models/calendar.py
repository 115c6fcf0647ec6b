"""Posts planned on the content calendar: in review → scheduled → published | missed | cancelled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class CalendarItem(Base):
    """A post planned for a moment: scheduled → published | missed | cancelled; with approval
    on, it starts in_review (→ changes_requested → in_review, or rejected) and is scheduled,
    with its reminders planned, once approved."""

    __tablename__ = "calendar_items"
    __table_args__ = (
        Index("ix_calendar_items_team_id_due_at", "team_id", "due_at"),
        Index("uq_calendar_items_series_id_series_slot", "series_id", "series_slot", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(16))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    channel_id: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    published_url: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    """The approver who last decided on it (approved, asked for changes, rejected)."""
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    review_note: Mapped[str | None] = mapped_column(Text)
    """The comment of a change request, or a rejection's reason."""
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurring_series.id", ondelete="SET NULL")
    )
    series_slot: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """The series' moment this occurrence stands for, kept when the occurrence is moved, so
    the series never creates it twice (unique with `series_id`, across replicas too)."""
