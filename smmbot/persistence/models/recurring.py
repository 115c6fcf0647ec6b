"""Repeating posts: a series, whose occurrences are ordinary calendar items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class RecurringSeries(Base):
    """`/smm schedule "every monday 9am" …`: the rule (every `every` days or weeks, on
    `weekdays` such as "0,3", at `minutes` after local midnight in `timezone`, from
    `start_date`), its end (`until` or `count`, neither: until cancelled), and what each
    occurrence posts. Occurrences are created ahead up to `planned_through`; status active →
    ended (every occurrence created) | cancelled."""

    __tablename__ = "recurring_series"
    __table_args__ = (
        Index("ix_recurring_series_status_planned_through", "status", "planned_through"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    every: Mapped[int]
    unit: Mapped[str] = mapped_column(String(8))
    weekdays: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[int]
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    count: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(16))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    channel_id: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    """The language its occurrences' reminders are written in (the creator's)."""
    status: Mapped[str] = mapped_column(String(16), default="active")
    planned_through: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
