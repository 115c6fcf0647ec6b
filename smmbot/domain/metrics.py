"""The metric catalog: which numbers a team logs, which pillar each belongs to, how it adds up.

SMO (optimisation: visibility, audience, traffic to the site) and SMM (marketing: paid reach and
sales) are kept apart everywhere, so every metric names exactly one pillar. The kind decides how a
period aggregates: a gauge (followers) is a level, so the period's value is its last reading and
growth is the change; a counter is a flow, so readings in a period are summed. Money counters are
counters whose values are amounts in the workspace currency (parsed with ``parse_money``).

Each metric also says which way is good (`Direction`), declared here once: the digest's best and
worst movers read it, so spending more is never a "best mover" and spending less never a "worst".

Each metric has Indonesian names too (``pengikut``, ``biaya_iklan``: the digest's Indonesian
labels, snake-cased), accepted wherever a metric is named (``/smm log``, ``target.<metric>=``,
CSV rows, the API) through ``find_metric``. A name that is neither is not guessed:
``suggest_metric`` offers the likely one for a "did you mean" (``follower``, ``ad spend``,
``omzet``), and the member types it again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
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
    """One loggable metric; ``name`` is the id users type in ``/smm log <metric> <value>``, and
    each of ``aliases`` (Indonesian, the first one the name shown to Indonesian members) works
    the same way."""

    name: str
    pillar: Pillar
    kind: MetricKind
    unit: Unit
    better: Direction = Direction.UP
    aliases: tuple[str, ...] = ()

    def local_name(self, locale: str) -> str:
        """The name to show a member: the Indonesian alias for ``id``, else the id itself."""
        return self.aliases[0] if locale == "id" and self.aliases else self.name


def _catalog(*metrics: Metric) -> Mapping[str, Metric]:
    return MappingProxyType({metric.name: metric for metric in metrics})


def _counter(
    name: str,
    pillar: Pillar,
    *aliases: str,
    unit: Unit = Unit.COUNT,
    better: Direction = Direction.UP,
) -> Metric:
    return Metric(name, pillar, MetricKind.COUNTER, unit, better, aliases)


METRICS: Final[Mapping[str, Metric]] = _catalog(
    Metric("followers", Pillar.SMO, MetricKind.GAUGE, Unit.COUNT, aliases=("pengikut",)),
    _counter("reach", Pillar.SMO, "jangkauan"),
    _counter("impressions", Pillar.SMO, "tayangan"),
    _counter("profile_visits", Pillar.SMO, "kunjungan_profil"),
    _counter("shares", Pillar.SMO, "dibagikan"),
    _counter("link_clicks", Pillar.SMO, "klik_tautan", "klik_link"),
    _counter("social_sessions", Pillar.SMO, "kunjungan_medsos", "kunjungan_situs"),
    _counter("likes", Pillar.SMO, "suka"),
    _counter("comments", Pillar.SMO, "komentar"),
    _counter("saves", Pillar.SMO, "disimpan"),
    _counter("engagements", Pillar.SMO, "interaksi"),
    _counter("ad_impressions", Pillar.SMM, "tayangan_iklan"),
    _counter("ad_clicks", Pillar.SMM, "klik_iklan"),
    _counter("paid_sessions", Pillar.SMM, "kunjungan_iklan"),
    _counter("leads", Pillar.SMM, "prospek"),
    _counter("orders", Pillar.SMM, "pesanan"),
    _counter("ad_spend", Pillar.SMM, "biaya_iklan", unit=Unit.MONEY, better=Direction.NEUTRAL),
    _counter("revenue", Pillar.SMM, "pendapatan", unit=Unit.MONEY),
)
"""Every metric, in the order DESIGN.md lists them (SMO first); help and digests follow it."""

_BY_NAME: Final[Mapping[str, Metric]] = MappingProxyType(
    {name: metric for metric in METRICS.values() for name in (metric.name, *metric.aliases)}
)

_RELATED: Final[Mapping[str, str]] = MappingProxyType(
    {
        "omzet": "pendapatan",
        "omset": "pendapatan",
        "penjualan": "pendapatan",
        "belanja_iklan": "biaya_iklan",
        "sales": "revenue",
        "spend": "ad_spend",
        "views": "impressions",
    }
)
"""Words people use for a metric that are not exact enough to accept silently (``omzet`` is
turnover, close to but not always revenue), each to the catalog name in the same language:
they only ever become a "did you mean"."""

_SEPARATORS = re.compile(r"[\s\-.]+")


def find_metric(name: str) -> Metric | None:
    """Look a metric up by its id or an Indonesian name; case and surrounding spaces do not
    matter, anything else does (``ad spend`` is a near miss, see ``suggest_metric``)."""
    return _BY_NAME.get(name.strip().casefold())


def suggest_metric(typed: str) -> str | None:
    """The metric name (id or Indonesian name, whichever is nearer to what was typed) that
    someone who typed ``typed`` most likely meant, or None; ``find_metric`` accepts it.

    Spaces, hyphens and dots read as underscores (``ad spend``), then known related words
    (``omzet``), then a close spelling of any name (``follower``, ``pengikt``).
    """
    key = _SEPARATORS.sub("_", typed.strip().casefold()).strip("_")
    if key in _BY_NAME or key in _RELATED:
        return _RELATED.get(key, key)
    close = get_close_matches(key, list(_BY_NAME), n=1, cutoff=0.8) if key else []
    return close[0] if close else None


def metrics_by_pillar() -> dict[Pillar, list[Metric]]:
    """Group the catalog by pillar, each pillar present (SMO first) and in catalog order."""
    grouped: dict[Pillar, list[Metric]] = {pillar: [] for pillar in Pillar}
    for metric in METRICS.values():
        grouped[metric.pillar].append(metric)
    return grouped


CONNECTOR_SOURCES: Final = ("ga4", "instagram", "facebook", "meta_ads")
"""Sources that connectors write; a member's `/smm log` of the same number replaces theirs."""
