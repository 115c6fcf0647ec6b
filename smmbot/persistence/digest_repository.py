"""The digest's aggregates, computed by the database for one workspace.

Readings can number in the thousands per week (imports write one row per day, platform and
campaign), so sums and the followers level are computed in SQL and only one row per metric
comes back; Python never walks raw readings.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmbot.domain.digest import counter_names, gauge_names
from smmbot.persistence.models import CalendarItem, Campaign, MetricReading, OutboxMessage

EXECUTION_STATUSES = ("scheduled", "published", "missed")


class DigestRepository:
    def __init__(self, session: Session, team_id: str) -> None:
        self._session = session
        self.team_id = team_id

    def week_totals(self, first: date, last: date) -> dict[str, Decimal]:
        """Counters summed over `first`..`last` (inclusive) and each gauge's last level.

        A gauge's level is, per platform, the reading on the latest day that platform was
        logged in the period (the largest, if several sources logged that day), added up
        across platforms: followers on Instagram and TikTok together.
        """
        in_period = (
            MetricReading.team_id == self.team_id,
            MetricReading.day >= first,
            MetricReading.day <= last,
        )
        rows = self._session.execute(
            select(MetricReading.metric, func.sum(MetricReading.value))
            .where(*in_period, MetricReading.metric.in_(counter_names()))
            .group_by(MetricReading.metric)
        )
        totals = {metric: Decimal(total) for metric, total in rows if total is not None}
        latest = (
            select(
                MetricReading.metric,
                MetricReading.platform,
                func.max(MetricReading.day).label("day"),
            )
            .where(*in_period, MetricReading.metric.in_(gauge_names()))
            .group_by(MetricReading.metric, MetricReading.platform)
            .subquery()
        )
        per_platform = (
            select(MetricReading.metric, func.max(MetricReading.value).label("level"))
            .join(
                latest,
                (MetricReading.metric == latest.c.metric)
                & (MetricReading.platform == latest.c.platform)
                & (MetricReading.day == latest.c.day),
            )
            .where(MetricReading.team_id == self.team_id)
            .group_by(MetricReading.metric, MetricReading.platform)
            .subquery()
        )
        levels = self._session.execute(
            select(per_platform.c.metric, func.sum(per_platform.c.level)).group_by(
                per_platform.c.metric
            )
        )
        totals |= {metric: Decimal(level) for metric, level in levels if level is not None}
        return totals

    def campaign_totals(
        self, names: Collection[str], since: date, until: date
    ) -> dict[str, dict[str, Decimal]]:
        """Per campaign (case-folded name) and counter: what was logged from `since` (the
        earliest start among `names`) to `until`. Filtering names and days in SQL keeps this
        to the campaigns' own weeks instead of the workspace's whole history."""
        if not names:
            return {}
        wanted = {name.casefold() for name in names}
        rows = self._session.execute(
            select(MetricReading.campaign, MetricReading.metric, func.sum(MetricReading.value))
            .where(
                MetricReading.team_id == self.team_id,
                MetricReading.day >= since,
                MetricReading.day <= until,
                func.lower(MetricReading.campaign).in_(wanted),
                MetricReading.metric.in_(counter_names()),
            )
            .group_by(MetricReading.campaign, MetricReading.metric)
        )
        totals: dict[str, dict[str, Decimal]] = {}
        for campaign, metric, total in rows:
            key = campaign.casefold()
            if key in wanted and total is not None:
                bucket = totals.setdefault(key, {})
                bucket[metric] = bucket.get(metric, Decimal(0)) + Decimal(total)
        return totals

    def execution_counts(self, start: datetime, end: datetime) -> dict[str, int]:
        """Calendar items due in [start, end), counted by status."""
        rows = self._session.execute(
            select(CalendarItem.status, func.count())
            .where(
                CalendarItem.team_id == self.team_id,
                CalendarItem.due_at >= start,
                CalendarItem.due_at < end,
                CalendarItem.status.in_(EXECUTION_STATUSES),
            )
            .group_by(CalendarItem.status)
        )
        return {status: int(count) for status, count in rows}

    def active_campaigns(self, today: date) -> list[Campaign]:
        """Open campaigns running on `today`, ending soonest first."""
        return list(
            self._session.scalars(
                select(Campaign)
                .where(
                    Campaign.team_id == self.team_id,
                    Campaign.closed_at.is_(None),
                    Campaign.start_date <= today,
                    Campaign.end_date >= today,
                )
                .order_by(Campaign.end_date, Campaign.name)
            )
        )

    def queued(self, dedupe_key: str) -> bool:
        """Whether this workspace's digest under `dedupe_key` is already in the outbox; checked
        first so a sweep does not assemble a digest the outbox would only discard."""
        found = self._session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.team_id == self.team_id, OutboxMessage.dedupe_key == dedupe_key
            )
        )
        return found is not None
