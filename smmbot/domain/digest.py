"""The weekly digest's arithmetic: week boundaries, week-over-week changes, derived ratios, movers.

Pure on purpose: the database only hands over per-metric aggregates (counters summed, the
followers gauge as its last level), and everything a reader sees is computed here, where it can
be checked by hand. SMO and SMM each get their own `PillarSummary`, built only from their own
catalog entries, so a number can never be shown under the wrong pillar. A ratio whose
denominator is zero or whose either side was never logged is `None`, which the renderer shows as
"—" (unknown is not zero). Which way is good is declared once, on each catalog metric and
derived ratio; movers are ranked by the change in that direction, and neutral numbers (ad
spend) are never movers. Week choice and bounds live in `domain.digest_weeks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

from smmbot.domain.insights import PublishedPost
from smmbot.domain.metrics import METRICS, Direction, MetricKind, Unit
from smmbot.domain.templates import Pillar

_HUNDRED = Decimal(100)


class RatioKind(StrEnum):
    """How a derived ratio reads: a share of something, an amount of money, or a multiple."""

    PERCENT = "percent"
    MONEY = "money"
    MULTIPLE = "multiple"


@dataclass(frozen=True, slots=True)
class Ratio:
    """A derived number, numerator / denominator of two catalog metrics, as DESIGN.md defines
    it; `better` is which way is good (a cost per click should fall)."""

    name: str
    numerator: str
    denominator: str
    kind: RatioKind
    better: Direction = Direction.UP


RATIOS: Mapping[Pillar, tuple[Ratio, ...]] = MappingProxyType(
    {
        Pillar.SMO: (
            Ratio("engagement_rate", "engagements", "reach", RatioKind.PERCENT),
            Ratio("share_rate", "shares", "reach", RatioKind.PERCENT),
            Ratio("site_traffic_share", "social_sessions", "link_clicks", RatioKind.PERCENT),
        ),
        Pillar.SMM: (
            Ratio("ctr", "ad_clicks", "ad_impressions", RatioKind.PERCENT),
            Ratio("cpc", "ad_spend", "ad_clicks", RatioKind.MONEY, Direction.DOWN),
            Ratio("cpa", "ad_spend", "orders", RatioKind.MONEY, Direction.DOWN),
            Ratio("roas", "revenue", "ad_spend", RatioKind.MULTIPLE),
            Ratio("conversion_rate", "orders", "ad_clicks", RatioKind.PERCENT),
        ),
    }
)
"""Each pillar's derived ratios, built only from that pillar's metrics."""


@dataclass(frozen=True)
class MetricLine:
    """One metric's week: `value` is None when nothing was logged for it this week."""

    name: str
    unit: Unit
    value: Decimal | None
    previous: Decimal | None
    change_percent: Decimal | None
    better: Direction = Direction.UP

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
    better: Direction = Direction.UP


Line: TypeAlias = MetricLine | RatioLine


@dataclass(frozen=True)
class PillarSummary:
    """One pillar's numbers; best/worst are its largest improvement and steepest setback among
    metrics and ratios alike (a falling CPC is an improvement), if any."""

    pillar: Pillar
    metrics: tuple[MetricLine, ...]
    ratios: tuple[RatioLine, ...]
    best: Line | None
    worst: Line | None


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
    """numerator / denominator; None (shown "—") for a zero or missing denominator and for a
    numerator never logged: unknown is not zero, so CTR is not 0% when clicks are unknown."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def improvement(line: Line) -> Decimal | None:
    """The change in the direction that is good: +10 for reach up 10% or CPC down 10%, None
    for a neutral number (ad spend) or one without a comparison."""
    if line.change_percent is None or line.better is Direction.NEUTRAL:
        return None
    return line.change_percent if line.better is Direction.UP else -line.change_percent


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
            better=metric.better,
        )
        for metric in METRICS.values()
        if metric.pillar is pillar
    )
    ratios = tuple(
        RatioLine(
            name=r.name,
            kind=r.kind,
            value=now,
            previous=before,
            change_percent=change_percent(now, before),
            better=r.better,
        )
        for r in RATIOS[pillar]
        for now, before in (
            (
                ratio(current.get(r.numerator), current.get(r.denominator)),
                ratio(previous.get(r.numerator), previous.get(r.denominator)),
            ),
        )
    )
    candidates: tuple[Line, ...] = (*lines, *ratios)
    better = [line for line in candidates if _score(line) > 0]
    worse = [line for line in candidates if _score(line) < 0]
    return PillarSummary(
        pillar=pillar,
        metrics=lines,
        ratios=ratios,
        best=max(better, key=_score) if better else None,
        worst=min(worse, key=_score) if worse else None,
    )


def _score(line: Line) -> Decimal:
    return improvement(line) or Decimal(0)


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


def campaign_achieved(
    counters: Mapping[str, Decimal], levels: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """What a campaign achieved: its own counters (the readings tagged with it), and the
    account's gauge levels, since followers are counted for the account, never per campaign."""
    gauges = gauge_names()
    return {**counters, **{name: value for name, value in levels.items() if name in gauges}}


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
    website_shares: tuple[tuple[str, int], ...] = ()
    """Shares counted by the website's share bar this week, per network, most first."""
    sources: tuple[str, ...] = ()
    """Where this week's readings came from (manual, csv, api, ga4, …), for the footnote."""
    broken_sources: tuple[str, ...] = ()
    """Connected providers whose sign-in stopped working: their numbers are not arriving."""
    top_posts: tuple[tuple[PublishedPost, Decimal], ...] = ()  # "What worked": (post, rate)
