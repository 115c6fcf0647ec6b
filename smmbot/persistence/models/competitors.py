"""Competitors a workspace watches and their readings, kept apart from the workspace's own
metric readings so that their numbers can never be added into ours.

`status` is "found" until Instagram Business Discovery says the handle is no business or
creator account ("not_found"); a reading is one value per competitor, day and metric.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class Competitor(Base):
    __tablename__ = "competitors"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))
    instagram: Mapped[str] = mapped_column(String(30), default="")
    facebook: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(16), default="found")
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CompetitorReading(Base):
    __tablename__ = "competitor_readings"
    __table_args__ = (UniqueConstraint("competitor_id", "day", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    competitor_id: Mapped[int] = mapped_column(ForeignKey("competitors.id", ondelete="CASCADE"))
    day: Mapped[date]
    metric: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    source: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
