"""The digest's aggregates, computed by the database for one workspace.

Readings can number in the thousands per day (imports write one row per day, platform and
campaign), so the aggregates are read from the daily roll-up (`persistence.rollups`: a row per
day, metric and platform or campaign) and computed in SQL; only one row per metric comes back
and Python never walks readings. Everything the digest needs from them comes back from one
statement (a UNION ALL of three GROUP BYs), one round trip.

A reading without a platform is the account-wide figure, never added to per-platform readings
of the same metric and day (DESIGN.md). Precisely, per metric and day:

- a counter's figure is the sum of the day's account-wide readings if there is one, else the
  sum of its per-platform readings (the roll-up's platform row keyed "" against the others);
- a gauge's level on a period's last logged day is the account-wide reading (the largest, if
  several sources or campaigns logged one) when there is one that day, else the sum over
  platforms of each platform's latest level in the period;
- a campaign's counters follow the counter rule within the campaign (the roll-up's campaign
  rows already hold that figure, see `persistence.rollups`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeAlias

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    Subquery,
    and_,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from smmbot.domain.digest import counter_names, gauge_names
from smmbot.persistence.models import (
    CalendarItem,
    Campaign,
    MetricDailyRollup,
    RollupDimension,
)
from smmbot.persistence.team_scoped import TeamScopedRepository

EXECUTION_STATUSES = ("scheduled", "published", "missed")
_Part: TypeAlias = "Select[str, str, str, Decimal, Decimal]"
"""One branch of the week's UNION ALL: (part, campaign, metric, this week, week before)."""
_WEEK = "week"
ACCOUNT_WIDE = ""
"""The platform of a reading logged without one: the account-wide figure."""
_CAMPAIGN = "campaign"


@dataclass(frozen=True, slots=True)
class WeekAggregates:
    """One week's readings as the digest compares them.

    `current`: counters summed from Monday to the last day counted, and each gauge's level then.
    `previous`: the same for the same days of the week before, gauges included (two days
    against seven would always look like a collapse, and followers now against followers at
    the end of last week would count last week's growth as this week's). `by_campaign`: per
    campaign, its counters from its own start to `until`.
    """

    current: dict[str, Decimal] = field(default_factory=dict)
    previous: dict[str, Decimal] = field(default_factory=dict)
    by_campaign: dict[str, dict[str, Decimal]] = field(default_factory=dict)


def _both_weeks(monday: date, last_day: date) -> ColumnElement[bool]:
    """Monday to `last_day`, and the same weekdays of the week before."""
    day, week = MetricDailyRollup.day, timedelta(days=7)
    return or_(day.between(monday, last_day), day.between(monday - week, last_day - week))


class DigestRepository(TeamScopedRepository):
    def week_aggregates(
        self, monday: date, last_day: date, campaign_starts: Mapping[str, date], until: date
    ) -> WeekAggregates:
        """The week from `monday` to `last_day` against the week before, and the campaigns
        named in `campaign_starts` (name as stored on readings -> first day) up to `until`."""
        parts = [self._counters(monday, last_day), self._gauges(monday, last_day)]
        if campaign_starts:
            parts.append(self._campaigns(campaign_starts, until))
        aggregates = WeekAggregates()
        for part, campaign, metric, current, previous in self._session.execute(union_all(*parts)):
            if part == _CAMPAIGN:
                if current is not None:
                    aggregates.by_campaign.setdefault(campaign, {})[metric] = Decimal(current)
                continue
            if current is not None:
                aggregates.current[metric] = Decimal(current)
            if previous is not None:
                aggregates.previous[metric] = Decimal(previous)
        return aggregates

    def _counters(self, monday: date, last_day: date) -> _Part:
        """Each counter this week and over the same days of the week before, in one scan: per
        day the account-wide figure if logged, else the platforms' sum, then summed per week."""
        rollup = MetricDailyRollup
        daily = (
            select(
                rollup.metric,
                rollup.day,
                func.coalesce(
                    func.sum(rollup.total).filter(rollup.key == ACCOUNT_WIDE),
                    func.sum(rollup.total),
                ).label("figure"),
            )
            .where(
                *self._per(RollupDimension.PLATFORM),
                rollup.metric.in_(counter_names()),
                _both_weeks(monday, last_day),
            )
            .group_by(rollup.metric, rollup.day)
            .subquery()
        )
        this_week = daily.c.day >= monday
        return select(
            literal(_WEEK),
            literal(""),
            daily.c.metric,
            func.sum(daily.c.figure).filter(this_week),
            func.sum(daily.c.figure).filter(~this_week),
        ).group_by(daily.c.metric)

    def _gauges(self, monday: date, last_day: date) -> _Part:
        """Each gauge's level now and on the same weekday of last week.

        Per platform (the account-wide key "" among them) the level is its peak on the latest
        day it was logged in the period; the period's level is the account-wide one when that
        is from the period's last logged day, else the platforms' levels added up: followers
        on Instagram and TikTok together, but never the account's total on top of them.
        """
        row = self._gauge_days(monday, last_day).c

        def level(week: ColumnElement[bool]) -> ColumnElement[Decimal]:
            account = and_(week, row.key == ACCOUNT_WIDE, row.day == row.last_logged)
            platforms = and_(week, row.key != ACCOUNT_WIDE)
            return func.coalesce(
                func.max(row.peak).filter(account), func.sum(row.peak).filter(platforms)
            )

        return (
            select(
                literal(_WEEK),
                literal(""),
                row.metric,
                level(row.this_week),
                level(~row.this_week),
            )
            .where(row.recency == 1)
            .group_by(row.metric)
        )

    def _gauge_days(self, monday: date, last_day: date) -> Subquery:
        """Gauge roll-up rows of both periods, each ranked by recency within its platform and
        carrying its period's last logged day."""
        rollup = MetricDailyRollup
        this_week = rollup.day >= monday
        return (
            select(
                rollup.metric,
                rollup.key,
                rollup.day,
                this_week.label("this_week"),
                rollup.peak,
                func.row_number()
                .over(
                    partition_by=(rollup.metric, rollup.key, this_week),
                    order_by=rollup.day.desc(),
                )
                .label("recency"),
                func.max(rollup.day)
                .over(partition_by=(rollup.metric, this_week))
                .label("last_logged"),
            )
            .where(
                *self._per(RollupDimension.PLATFORM),
                rollup.metric.in_(gauge_names()),
                _both_weeks(monday, last_day),
            )
            .subquery()
        )

    def _campaigns(self, starts: Mapping[str, date], until: date) -> _Part:
        """Counters per campaign since its own start; readings carry the campaign's exact
        name (logging resolves it), so the roll-up's key is that name."""
        rollup = MetricDailyRollup
        return (
            select(
                literal(_CAMPAIGN),
                rollup.key,
                rollup.metric,
                func.sum(rollup.total),
                cast(null(), Numeric),
            )
            .where(
                *self._per(RollupDimension.CAMPAIGN),
                rollup.metric.in_(counter_names()),
                or_(
                    *(
                        and_(rollup.key == name, rollup.day.between(start, until))
                        for name, start in starts.items()
                    )
                ),
            )
            .group_by(rollup.key, rollup.metric)
        )

    def daily_totals(
        self, first: date, last: date, metrics: Collection[str]
    ) -> dict[date, dict[str, Decimal]]:
        """Per day from `first` to `last`, each of `metrics` under the account-wide rule (the
        account-wide figure if logged, else the platforms' sum): the chart's series."""
        rollup = MetricDailyRollup
        rows = self._session.execute(
            select(
                rollup.day,
                rollup.metric,
                func.coalesce(
                    func.sum(rollup.total).filter(rollup.key == ACCOUNT_WIDE),
                    func.sum(rollup.total),
                ),
            )
            .where(
                *self._per(RollupDimension.PLATFORM),
                rollup.metric.in_(metrics),
                rollup.day.between(first, last),
            )
            .group_by(rollup.day, rollup.metric)
        )
        totals: dict[date, dict[str, Decimal]] = {}
        for day, metric, total in rows:
            if total is not None:
                totals.setdefault(day, {})[metric] = Decimal(total)
        return totals

    def _per(self, dimension: RollupDimension) -> tuple[ColumnElement[bool], ...]:
        return (self._scoped(MetricDailyRollup, MetricDailyRollup.dimension == dimension.value),)

    def count_executions(self, start: datetime, end: datetime) -> dict[str, int]:
        """Calendar items due in [start, end), counted by status."""
        rows = self._session.execute(
            select(CalendarItem.status, func.count())
            .where(
                self._scoped(
                    CalendarItem,
                    CalendarItem.due_at >= start,
                    CalendarItem.due_at < end,
                    CalendarItem.status.in_(EXECUTION_STATUSES),
                )
            )
            .group_by(CalendarItem.status)
        )
        return {status: int(count) for status, count in rows}

    def list_active_campaigns(self, today: date) -> list[Campaign]:
        """Open campaigns running on `today`, ending soonest first."""
        return list(
            self._session.scalars(
                self._select(
                    Campaign,
                    Campaign.closed_at.is_(None),
                    Campaign.start_date <= today,
                    Campaign.end_date >= today,
                ).order_by(Campaign.end_date, Campaign.name)
            )
        )
