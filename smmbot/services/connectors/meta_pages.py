"""Facebook Page insights: `/{page-id}/insights`, `period=day`, read with the Page's own token.

Each value carries `end_time`, the end of its day in Pacific time (midnight, so 07:00 or 08:00
UTC of the *next* day): the reporting day is the Pacific date of the instant just before it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from smmbot.services.connectors.base import ConnectorError, FetchedReading
from smmbot.services.connectors.meta_graph import GraphClient, number

log = logging.getLogger(__name__)

PAGE_METRICS = {
    "page_follows": "followers",
    "page_media_view": "impressions",
    "page_total_media_view_unique": "reach",
    "page_post_engagements": "engagements",
}
PACIFIC = ZoneInfo("America/Los_Angeles")
WINDOW_DAYS = 90
"""Graph refuses Page insights ranges over 93 days."""


@lru_cache(maxsize=4096)
def reporting_day(end_time: str) -> date:
    """`2026-11-03T08:00:00+0000` (midnight PST) is the figure for 2026-11-02. Cached: every
    metric of an answer repeats the same `end_time`s, and `strptime` is slow."""
    try:
        moment = datetime.strptime(end_time, "%Y-%m-%dT%H:%M:%S%z")
    except (TypeError, ValueError) as error:
        raise ConnectorError("insights: bad end_time") from error
    return (moment.astimezone(PACIFIC) - timedelta(seconds=1)).date()


def page_readings(
    entries: Sequence[Mapping[str, Any]], start: date, end: date
) -> list[FetchedReading]:
    """DESIGN.md's Page mapping; a malformed value is skipped and logged, never stored as 0."""
    readings: list[FetchedReading] = []
    skipped = 0
    for entry in entries:
        metric = PAGE_METRICS.get(str(entry.get("name")))
        values = entry.get("values")
        if metric is None or entry.get("period", "day") != "day" or not isinstance(values, list):
            continue
        for point in values:
            try:
                day = reporting_day(point["end_time"])
                value = number(point["value"])
            except (ConnectorError, KeyError, TypeError):
                skipped += 1
                continue
            if start <= day <= end:
                readings.append(FetchedReading(day, metric, value, "facebook", "facebook"))
    if skipped:
        log.warning("Page insights: skipped %d malformed value(s)", skipped)
    return readings


def fetch_page(
    graph: GraphClient, page_id: str, page_token: str, start: date, end: date
) -> list[FetchedReading]:
    """One request per window of up to 90 days; `until` is exclusive on Graph, so it is the day
    after `end`. Paging links only walk to other windows, so they are not followed."""
    readings: list[FetchedReading] = []
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=WINDOW_DAYS - 1))
        params = {
            "metric": ",".join(PAGE_METRICS),
            "period": "day",
            "since": first.isoformat(),
            "until": (last + timedelta(days=1)).isoformat(),
        }
        data = graph.get(page_token, f"{page_id}/insights", params, "Page insights")
        entries = data.get("data")
        if not isinstance(entries, list):
            raise ConnectorError("Page insights: no data list")
        readings.extend(page_readings([e for e in entries if isinstance(e, dict)], first, last))
        first = last + timedelta(days=1)
    return readings
