"""Instagram professional accounts: the follower count and the account's daily insights.

`metric_type=total_value` answers one total for the whole `since`..`until` range, so each day is
its own request, sent in Graph batches of 50 (the follower count rides in the first); an older
or partial answer in the `values` shape (a list with `end_time`) is read the same way as a
Page's. `followers_count` is only ever "now": it is the sync day's value.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from smmbot.services.connectors.base import ConnectorError, FetchedReading
from smmbot.services.connectors.meta_graph import MAX_BATCH, GraphClient, number
from smmbot.services.connectors.meta_pages import reporting_day

log = logging.getLogger(__name__)

PARALLEL_BATCHES = 4
"""Concurrent batches per account (a 90-day backfill needs two): well inside Graph's per-user
throttles, which count each request of a batch."""
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


def _day_request(ig_user_id: str, day: date) -> tuple[str, dict[str, str]]:
    params = {
        "metric": ",".join(INSTAGRAM_METRICS),
        "metric_type": "total_value",
        "period": "day",
        "since": day.isoformat(),
        "until": (day + timedelta(days=1)).isoformat(),
    }
    return f"{ig_user_id}/insights", params


def _day_readings(data: Mapping[str, Any], day: date) -> list[FetchedReading]:
    entries = data.get("data")
    if not isinstance(entries, list):
        raise ConnectorError("Instagram insights: no data list")
    return instagram_readings([e for e in entries if isinstance(e, dict)], day)


def fetch_instagram(
    graph: GraphClient, ig_user_id: str, token: str, start: date, end: date
) -> list[FetchedReading]:
    """The follower count and one request per day, 50 to a batch and a few batches at a time:
    a 90-day backfill is two round trips instead of 91. The first error stops the account."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    requests = [(ig_user_id, {"fields": "followers_count"})]
    requests += [_day_request(ig_user_id, day) for day in days]
    chunks = [requests[n : n + MAX_BATCH] for n in range(0, len(requests), MAX_BATCH)]
    with ThreadPoolExecutor(max_workers=PARALLEL_BATCHES) as pool:
        answers = [
            answer
            for found in pool.map(lambda c: graph.batch(token, c, "Instagram insights"), chunks)
            for answer in found
        ]
    readings = [follower_reading(answers[0], end)]
    for day, data in zip(days, answers[1:], strict=True):
        readings.extend(_day_readings(data, day))
    return readings
