"""Metric readings: one value per workspace, day, metric, campaign, platform and source; and
their daily roll-up, which is what the digest, App Home and the chart read.

The unique key is what makes imports idempotent: logging or importing the same reading again
updates it instead of counting it twice. Empty strings, not NULLs, stand for "no campaign" and
"no platform" so the unique constraint holds on every database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric, PrimaryKeyConstraint, String, UniqueConstraint
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


class RollupDimension(StrEnum):
    """What a roll-up row is per: a platform (all campaigns and sources of it) or a campaign
    (all platforms and sources of it). Every reading lands in exactly one row of each."""

    PLATFORM = "platform"
    CAMPAIGN = "campaign"


class MetricDailyRollup(Base):
    """Per workspace, day, metric and platform (or campaign): the sum and the largest value.

    Imports write a row per day, platform and campaign, so a busy workspace has over a
    thousand readings a day; the digest needs only sums (counters), per-platform levels
    (gauges: the day's largest reading) and per-campaign sums. Kept in step with the readings
    in the same transaction (see `persistence.rollups`), it makes a week's aggregate read tens
    of rows instead of thousands.
    """

    __tablename__ = "metric_daily_rollups"
    __table_args__ = (
        PrimaryKeyConstraint("team_id", "dimension", "key", "metric", "day"),
        Index(
            "ix_metric_daily_rollups_team_id_dimension_metric_day",
            "team_id",
            "dimension",
            "metric",
            "day",
        ),
    )

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(16))
    metric: Mapped[str] = mapped_column(String(32))
    day: Mapped[date]
    key: Mapped[str] = mapped_column(String(120))
    total: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    peak: Mapped[Decimal] = mapped_column(Numeric(20, 4))
