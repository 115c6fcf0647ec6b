"""The metric catalog: which numbers a team logs, which pillar each belongs to, how it adds up.

SMO (optimisation: visibility, audience, traffic to the site) and SMM (marketing: paid reach and
sales) are kept apart everywhere, so every metric names exactly one pillar. The kind decides how a
period aggregates: a gauge (followers) is a level, so the period's value is its last reading and
growth is the change; a counter is a flow, so readings in a period are summed. Money counters are
counters whose values are amounts in the workspace currency (parsed with ``parse_money``).

Each metric also says which way is good (`Direction`), declared here once: the digest's best and
worst movers read it, so spending more is never a "best mover" and spending less never a "worst".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from smmbot.domain.templates import Pillar


class MetricKind(StrEnum):
    """How readings within one period combine: last value (gauge) or sum (counter)."""

    GAUGE = "gauge"
    COUNTER = "counter"


class Direction(StrEnum):
    """Which way a number should move: up (reach, revenue), down (cost per click) or neither
    (ad spend: more is neither good nor bad in itself, so it is shown but never a mover)."""

    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


class Unit(StrEnum):
    """What a value counts: things (people, clicks, orders) or money in the workspace currency."""

    COUNT = "count"
    MONEY = "money"


@dataclass(frozen=True, slots=True)
class Metric:
    """One loggable metric; ``name`` is the id users type in ``/smm log <metric> <value>``."""

    name: str
    pillar: Pillar
    kind: MetricKind
    unit: Unit
    better: Direction = Direction.UP


def _catalog(*metrics: Metric) -> Mapping[str, Metric]:
    return MappingProxyType({metric.name: metric for metric in metrics})


def _counter(
    name: str, pillar: Pillar, unit: Unit = Unit.COUNT, better: Direction = Direction.UP
) -> Metric:
    return Metric(name, pillar, MetricKind.COUNTER, unit, better)


METRICS: Final[Mapping[str, Metric]] = _catalog(
    Metric("followers", Pillar.SMO, MetricKind.GAUGE, Unit.COUNT),
    _counter("reach", Pillar.SMO),
    _counter("impressions", Pillar.SMO),
    _counter("profile_visits", Pillar.SMO),
    _counter("shares", Pillar.SMO),
    _counter("link_clicks", Pillar.SMO),
    _counter("social_sessions", Pillar.SMO),
    _counter("likes", Pillar.SMO),
    _counter("comments", Pillar.SMO),
    _counter("saves", Pillar.SMO),
    _counter("engagements", Pillar.SMO),
    _counter("ad_impressions", Pillar.SMM),
    _counter("ad_clicks", Pillar.SMM),
    _counter("paid_sessions", Pillar.SMM),
    _counter("leads", Pillar.SMM),
    _counter("orders", Pillar.SMM),
    _counter("ad_spend", Pillar.SMM, Unit.MONEY, Direction.NEUTRAL),
    _counter("revenue", Pillar.SMM, Unit.MONEY),
)
"""Every metric, in the order DESIGN.md lists them (SMO first); help and digests follow it."""


def find_metric(name: str) -> Metric | None:
    """Look a metric up by the name a user typed; case and surrounding spaces do not matter."""
    return METRICS.get(name.strip().casefold())


def metrics_by_pillar() -> dict[Pillar, list[Metric]]:
    """Group the catalog by pillar, each pillar present (SMO first) and in catalog order."""
    grouped: dict[Pillar, list[Metric]] = {pillar: [] for pillar in Pillar}
    for metric in METRICS.values():
        grouped[metric.pillar].append(metric)
    return grouped


CONNECTOR_SOURCES: Final = ("ga4", "instagram", "facebook", "meta_ads")
"""Sources that connectors write; a member's `/smm log` of the same number replaces theirs."""
