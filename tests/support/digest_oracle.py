"""The digest's numbers computed independently, from DESIGN.md's Metrics section alone.

Property tests compare the digest with this module, so it must not call the code under test:
every rule below is written out again from the design notes, in the plainest Python, reading
by reading. The rules it encodes:

- weeks run Monday to Sunday in the workspace's zone; `digest now` counts Monday to today and
  compares with the same days of last week, gauges included;
- a counter's week is the sum of its days; a day's figure is the sum of its readings without a
  platform (the account-wide figure) when there are any, else the sum of its per-platform ones;
- followers (the one gauge) is a level: on the period's last logged day, the account-wide
  reading if there is one that day, else each platform's latest reading in the period, added;
- a ratio is numerator / denominator, unknown ("—", None) when either was never logged or
  the denominator is zero; a change is (now - before) / before in percent;
- CPC and CPA are better when they fall, ad spend is neutral (never a mover), everything else
  is better when it rises; the best mover is the largest improvement, the worst the largest
  setback, among a pillar's metrics and ratios;
- a campaign's counters add up the same per-day figures, from its start to today, counting
  only readings tagged with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

SMO = (
    "followers", "reach", "impressions", "profile_visits", "shares", "link_clicks",
    "social_sessions", "likes", "comments", "saves", "engagements",
)  # fmt: skip
SMM = ("ad_impressions", "ad_clicks", "leads", "orders", "ad_spend", "revenue", "paid_sessions")
GAUGES = frozenset({"followers"})
RATIOS = {
    "engagement_rate": ("engagements", "reach"),
    "share_rate": ("shares", "reach"),
    "site_traffic_share": ("social_sessions", "link_clicks"),
    "ctr": ("ad_clicks", "ad_impressions"),
    "cpc": ("ad_spend", "ad_clicks"),
    "cpa": ("ad_spend", "orders"),
    "roas": ("revenue", "ad_spend"),
    "conversion_rate": ("orders", "ad_clicks"),
}
FALLING_IS_BETTER = frozenset({"cpc", "cpa"})
NEUTRAL = frozenset({"ad_spend"})


@dataclass(frozen=True)
class Reading:
    day: date
    metric: str
    value: Decimal
    campaign: str = ""
    platform: str = ""


def this_week(today: date) -> tuple[date, date]:
    """Monday of today's week and the last day counted so far (today)."""
    return today - timedelta(days=today.weekday()), today


def day_figure(readings: Iterable[Reading]) -> Decimal | None:
    """One metric's figure for one day from its readings."""
    found = list(readings)
    if not found:
        return None
    account_wide = [r.value for r in found if r.platform == ""]
    return sum(account_wide if account_wide else [r.value for r in found], Decimal(0))


def counter_total(readings: list[Reading], metric: str, first: date, last: date) -> Decimal | None:
    total: Decimal | None = None
    day = first
    while day <= last:
        figure = day_figure(r for r in readings if r.metric == metric and r.day == day)
        if figure is not None:
            total = (total or Decimal(0)) + figure
        day += timedelta(days=1)
    return total


def gauge_level(readings: list[Reading], metric: str, first: date, last: date) -> Decimal | None:
    inside = [r for r in readings if r.metric == metric and first <= r.day <= last]
    if not inside:
        return None
    last_logged = max(r.day for r in inside)
    account_wide = [r.value for r in inside if r.platform == "" and r.day == last_logged]
    if account_wide:
        return max(account_wide)
    level = Decimal(0)
    for platform in {r.platform for r in inside if r.platform != ""}:
        own = [r for r in inside if r.platform == platform]
        latest = max(r.day for r in own)
        level += max(r.value for r in own if r.day == latest)
    return level


def week_numbers(readings: list[Reading], first: date, last: date) -> dict[str, Decimal]:
    """Every metric with a number in [first, last]."""
    numbers: dict[str, Decimal] = {}
    for metric in {r.metric for r in readings}:
        value = (gauge_level if metric in GAUGES else counter_total)(readings, metric, first, last)
        if value is not None:
            numbers[metric] = value
    return numbers


def campaign_totals(
    readings: list[Reading], campaign: str, start: date, today: date
) -> dict[str, Decimal]:
    own = [r for r in readings if r.campaign == campaign]
    totals = {m: counter_total(own, m, start, today) for m in {r.metric for r in own}}
    return {m: v for m, v in totals.items() if v is not None and m not in GAUGES}


def ratio(numbers: Mapping[str, Decimal], name: str) -> Decimal | None:
    top, bottom = RATIOS[name]
    if top not in numbers or bottom not in numbers or numbers[bottom] == 0:
        return None
    return numbers[top] / numbers[bottom]


def change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before * 100


def improvement(name: str, now: Decimal | None, before: Decimal | None) -> Decimal | None:
    moved = change(now, before)
    if moved is None or name in NEUTRAL:
        return None
    return -moved if name in FALLING_IS_BETTER else moved


def acceptable_movers(
    scores: Mapping[str, Decimal],
) -> tuple[set[str | None], set[str | None]]:
    """The names that may be shown as best and worst mover, given each number's improvement
    (several when they tie); {None} when nothing improved (or nothing fell back)."""
    gains = {name: score for name, score in scores.items() if score > 0}
    losses = {name: score for name, score in scores.items() if score < 0}
    best: set[str | None] = {n for n, s in gains.items() if s == max(gains.values())}
    worst: set[str | None] = {n for n, s in losses.items() if s == min(losses.values())}
    return best or {None}, worst or {None}
