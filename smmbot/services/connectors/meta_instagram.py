"""Instagram professional accounts: the follower count and the account's daily insights.

`metric_type=total_value` answers one total for the whole `since`..`until` range, so each day is
its own request; an older or partial answer in the `values` shape (a list with `end_time`) is
read the same way as a Page's. `followers_count` is only ever "now": it is the sync day's value.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from smmbot.services.connectors.base import ConnectorError, FetchedReading
from smmbot.services.connectors.meta_graph import GraphClient, number
from smmbot.services.connectors.meta_pages import reporting_day

log = logging.getLogger(__name__)

PARALLEL_DAYS = 4
"""Concurrent day requests per account: well inside Graph's per-user throttles."""
INSTAGRAM_METRICS = {
    "reach": "reach",
    "views": "impressions",
    "profile_views": "profile_visits",
    "profile_links_taps": "link_clicks",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "total_interactions": "engagements",
}


def _reading(day: date, metric: str, value: object) -> FetchedReading:
    return FetchedReading(day, metric, number(value), "instagram", "instagram")


def _entry_readings(entry: Mapping[str, Any], day: date) -> list[FetchedReading]:
    metric = INSTAGRAM_METRICS.get(str(entry.get("name")))
    if metric is None:
        return []
    total = entry.get("total_value")
    if isinstance(total, dict):
        return [_reading(day, metric, total.get("value"))]
    values = entry.get("values")
    if not isinstance(values, list):
        raise ConnectorError("Instagram insights: neither total_value nor values")
    readings = []
    for point in values:
        if not isinstance(point, dict):
            raise ConnectorError("Instagram insights: bad value")
        when = reporting_day(point["end_time"]) if "end_time" in point else day
        if when == day:
            readings.append(_reading(day, metric, point.get("value")))
    return readings


def instagram_readings(entries: Sequence[Mapping[str, Any]], day: date) -> list[FetchedReading]:
    """DESIGN.md's Instagram mapping for one day; a malformed entry is skipped and logged."""
    readings: list[FetchedReading] = []
    skipped = 0
    for entry in entries:
        try:
            readings.extend(_entry_readings(entry, day))
        except (ConnectorError, KeyError, TypeError):
            skipped += 1
    if skipped:
        log.warning("Instagram insights %s: skipped %d malformed metric(s)", day, skipped)
    return readings


def follower_reading(data: Mapping[str, Any], today: date) -> FetchedReading:
    return _reading(today, "followers", data.get("followers_count"))


def _day(graph: GraphClient, ig_user_id: str, token: str, day: date) -> list[FetchedReading]:
    params = {
        "metric": ",".join(INSTAGRAM_METRICS),
        "metric_type": "total_value",
        "period": "day",
        "since": day.isoformat(),
        "until": (day + timedelta(days=1)).isoformat(),
    }
    data = graph.get(token, f"{ig_user_id}/insights", params, "Instagram insights")
    entries = data.get("data")
    if not isinstance(entries, list):
        raise ConnectorError("Instagram insights: no data list")
    return instagram_readings([e for e in entries if isinstance(e, dict)], day)


def fetch_instagram(
    graph: GraphClient, ig_user_id: str, token: str, start: date, end: date
) -> list[FetchedReading]:
    """One call per day, a few at a time: a 90-day backfill is 90 calls, and waiting for each
    in turn would spend the whole sync on round trips. The first error stops the account."""
    fields = graph.get(token, ig_user_id, {"fields": "followers_count"}, "Instagram account")
    readings = [follower_reading(fields, end)]
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    with ThreadPoolExecutor(max_workers=PARALLEL_DAYS) as pool:
        for found in pool.map(lambda day: _day(graph, ig_user_id, token, day), days):
            readings.extend(found)
    return readings
