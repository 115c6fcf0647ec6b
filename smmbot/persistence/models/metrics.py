"""Metric readings: one value per workspace, day, metric, campaign, platform and source.

The unique key is what makes imports idempotent: logging or importing the same reading again
updates it instead of counting it twice. Empty strings, not NULLs, stand for "no campaign" and
"no platform" so the unique constraint holds on every database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smmbot.persistence.models.base import Base, UtcDateTime


class MetricReading(Base):
    __tablename__ = "metric_readings"
    __table_args__ = (
        UniqueConstraint("team_id", "day", "metric", "campaign", "platform", "source"),
        Index("ix_metric_readings_team_id_metric_day", "team_id", "metric", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    day: Mapped[date]
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    campaign: Mapped[str] = mapped_column(String(120), default="")
    platform: Mapped[str] = mapped_column(String(16), default="")
    source: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
