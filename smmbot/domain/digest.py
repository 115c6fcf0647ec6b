"""The weekly digest's arithmetic: week boundaries, week-over-week changes, derived ratios, movers.

Pure on purpose: the database only hands over per-metric aggregates (counters summed, the
followers gauge as its last level), and everything a reader sees is computed here, where it can
be checked by hand. SMO and SMM each get their own `PillarSummary`, built only from their own
catalog entries, so a number can never be shown under the wrong pillar. A ratio whose
denominator is zero (or missing) is `None`, which the renderer shows as "—".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from smmbot.domain.metrics import METRICS, MetricKind, Unit
from smmbot.domain.templates import Pillar

_HUNDRED = Decimal(100)


def week_of(day: date) -> tuple[date, date]:
    """The Monday and Sunday of the week that contains `day` (weeks start on Monday)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_bounds(monday: date, timezone: str) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the workspace zone, as UTC datetimes.

    Local midnights, not `start + 7 days`, so a week spanning a DST change is 167 or 169 hours.
    """
    zone = ZoneInfo(timezone)
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


class RatioKind(StrEnum):
    """How a derived ratio reads: a share of something, an amount of money, or a multiple."""

    PERCENT = "percent"
    MONEY = "money"
    MULTIPLE = "multiple"


_RATIOS: dict[Pillar, tuple[tuple[str, str, str, RatioKind], ...]] = {
    Pillar.SMO: (
        ("engagement_rate", "engagements", "reach", RatioKind.PERCENT),
        ("share_rate", "shares", "reach", RatioKind.PERCENT),
        ("site_traffic_share", "social_sessions", "link_clicks", RatioKind.PERCENT),
    ),
    Pillar.SMM: (
        ("ctr", "ad_clicks", "ad_impressions", RatioKind.PERCENT),
        ("cpc", "ad_spend", "ad_clicks", RatioKind.MONEY),
        ("cpa", "ad_spend", "orders", RatioKind.MONEY),
        ("roas", "revenue", "ad_spend", RatioKind.MULTIPLE),
        ("conversion_rate", "orders", "ad_clicks", RatioKind.PERCENT),
    ),
}
"""Per pillar: (ratio name, numerator metric, denominator metric, kind), as in DESIGN.md."""


@dataclass(frozen=True)
class MetricLine:
    """One metric's week: `value` is None when nothing was logged for it this week."""

    name: str
    unit: Unit
    value: Decimal | None
    previous: Decimal | None
    change_percent: Decimal | None

    @property
    def growth(self) -> Decimal | None:
        """For the followers gauge: the level's change since the previous week."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class RatioLine:
    name: str
    kind: RatioKind
    value: Decimal | None
    previous: Decimal | None
    change_percent: Decimal | None


@dataclass(frozen=True)
class PillarSummary:
    """One pillar's numbers; best/worst are its largest rise and steepest fall, if any."""

    pillar: Pillar
    metrics: tuple[MetricLine, ...]
    ratios: tuple[RatioLine, ...]
    best: MetricLine | None
    worst: MetricLine | None


@dataclass(frozen=True)
class WeekSummary:
    monday: date
    sunday: date
    smo: PillarSummary
    smm: PillarSummary
    has_data: bool


def change_percent(value: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(value - previous) / previous * 100, or None when there is nothing to compare with."""
    if value is None or previous is None or previous == 0:
        return None
    return (value - previous) / previous * _HUNDRED


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator; None for a zero or missing denominator, never an error."""
    if denominator is None or denominator == 0:
        return None
    return (numerator or Decimal(0)) / denominator


def summarize(
    monday: date, current: Mapping[str, Decimal], previous: Mapping[str, Decimal]
) -> WeekSummary:
    """The week starting `monday` against the week before, from each week's aggregates."""
    return WeekSummary(
        monday=monday,
        sunday=monday + timedelta(days=6),
        smo=_pillar(Pillar.SMO, current, previous),
        smm=_pillar(Pillar.SMM, current, previous),
        has_data=any(name in METRICS for name in current),
    )


def _pillar(
    pillar: Pillar, current: Mapping[str, Decimal], previous: Mapping[str, Decimal]
) -> PillarSummary:
    lines = tuple(
        MetricLine(
            name=metric.name,
            unit=metric.unit,
            value=current.get(metric.name),
            previous=previous.get(metric.name),
            change_percent=change_percent(current.get(metric.name), previous.get(metric.name)),
        )
        for metric in METRICS.values()
        if metric.pillar is pillar
    )
    ratios = tuple(
        _ratio_line(name, kind, ratio(_counter(current, top), _counter(current, bottom)), before)
        for name, top, bottom, kind in _RATIOS[pillar]
        for before in (ratio(_counter(previous, top), _counter(previous, bottom)),)
    )
    rising = [line for line in lines if _change(line) > 0]
    falling = [line for line in lines if _change(line) < 0]
    return PillarSummary(
        pillar=pillar,
        metrics=lines,
        ratios=ratios,
        best=max(rising, key=_change) if rising else None,
        worst=min(falling, key=_change) if falling else None,
    )


def _change(line: MetricLine) -> Decimal:
    return line.change_percent if line.change_percent is not None else Decimal(0)


def _counter(totals: Mapping[str, Decimal], name: str) -> Decimal | None:
    """A counter's week total; a week with readings but none for this counter counted zero."""
    return totals.get(name, Decimal(0)) if totals else None


def _ratio_line(
    name: str, kind: RatioKind, value: Decimal | None, previous: Decimal | None
) -> RatioLine:
    return RatioLine(name, kind, value, previous, change_percent(value, previous))


@dataclass(frozen=True)
class TargetProgress:
    """How far a campaign is towards one target; `fraction` may pass 1 when it is beaten."""

    campaign: str
    metric: str
    unit: Unit
    achieved: Decimal
    target: Decimal
    fraction: Decimal | None


def target_progress(
    campaign: str, targets: Mapping[str, Decimal], achieved: Mapping[str, Decimal]
) -> tuple[TargetProgress, ...]:
    """Each target of a campaign (catalog order) against what was achieved so far."""
    return tuple(
        TargetProgress(
            campaign=campaign,
            metric=name,
            unit=metric.unit,
            achieved=achieved.get(name, Decimal(0)),
            target=targets[name],
            fraction=ratio(achieved.get(name, Decimal(0)), targets[name]),
        )
        for name, metric in METRICS.items()
        if name in targets
    )


def counter_names() -> tuple[str, ...]:
    """Metrics whose period value is a sum (the database sums these in one query)."""
    return tuple(name for name, metric in METRICS.items() if metric.kind is MetricKind.COUNTER)


def gauge_names() -> tuple[str, ...]:
    """Metrics whose period value is the last level reached in the period."""
    return tuple(name for name, metric in METRICS.items() if metric.kind is MetricKind.GAUGE)


@dataclass(frozen=True)
class ContentExecution:
    """Calendar items due in the week, by what became of them."""

    scheduled: int
    published: int
    missed: int


@dataclass(frozen=True)
class UpcomingPost:
    due_at: datetime
    platform: str | None
    text: str


@dataclass(frozen=True)
class ActiveCampaign:
    """A running campaign: days left include today; budget used is its logged ad spend."""

    name: str
    days_left: int
    budget: Decimal | None
    budget_used: Decimal


@dataclass(frozen=True)
class Digest:
    """Everything one digest message shows, in the workspace's zone and currency."""

    summary: WeekSummary
    targets: tuple[TargetProgress, ...]
    execution: ContentExecution
    upcoming: tuple[UpcomingPost, ...]
    campaigns: tuple[ActiveCampaign, ...]
    timezone: str
    currency: str
    sources: tuple[str, ...] = ()
    """Where this week's readings came from (manual, csv, api, ga4, …), for the footnote."""
    broken_sources: tuple[str, ...] = ()
    """Connected providers whose sign-in stopped working: their numbers are not arriving."""
