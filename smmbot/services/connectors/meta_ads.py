"""Meta Ads: `/act_{id}/insights` per campaign and day.

Meta reports one purchase under several action types at once (`purchase`, `omni_purchase`,
`offsite_conversion.fb_pixel_purchase`, `onsite_web_purchase`, ...): adding them up would count
each order two or three times, so only `omni_purchase` (Meta's de-duplicated total across web,
app and offline) becomes `orders`, and its `action_values` entry `revenue`.

A backfill's campaign-day rows are thousands, and Graph pages them 500 at a time, each page
only after the previous one's cursor: so the range is cut into windows of a month, read a few
at a time, each following its own `paging.next`. A rate limit or rejected token in any window
stops the others (nothing further is asked) and reaches the sync, which backs off.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from smmbot.services.connectors.base import CampaignLabel, ConnectorError, FetchedReading
from smmbot.services.connectors.meta_graph import GraphClient, number

log = logging.getLogger(__name__)

FIELDS = "campaign_name,spend,impressions,inline_link_clicks,actions,action_values"
PLAIN = (
    ("spend", "ad_spend"),
    ("impressions", "ad_impressions"),
    ("inline_link_clicks", "ad_clicks"),
)
PURCHASE = "omni_purchase"
PAGE_SIZE = 500
WINDOW_DAYS = 30
PARALLEL_WINDOWS = 3
"""A 90-day backfill is three windows read at once: three requests in flight per ad account,
far inside the Marketing API's per-account throttle."""


def _purchase(entries: object) -> Decimal | None:
    if entries is None:
        return None
    if not isinstance(entries, list):
        raise ConnectorError("ads insights: actions is not a list")
    for entry in entries:
        if isinstance(entry, dict) and entry.get("action_type") == PURCHASE:
            return number(entry.get("value"))
    return None


def _label(name: object, labels: dict[str, CampaignLabel | None]) -> CampaignLabel | None:
    text = str(name or "").strip()
    if text not in labels:
        labels[text] = CampaignLabel(text, "name") if text else None
    return labels[text]


def _row_readings(
    row: Mapping[str, Any], labels: dict[str, CampaignLabel | None]
) -> list[FetchedReading]:
    """Every value is parsed before any reading is kept, so a bad field drops its whole row."""
    day = date.fromisoformat(row["date_start"])
    label = _label(row.get("campaign_name"), labels)
    values = [(metric, number(row[field])) for field, metric in PLAIN if field in row]
    orders = _purchase(row.get("actions"))
    revenue = _purchase(row.get("action_values"))
    if orders is not None:
        values.append(("orders", orders))
    if revenue is not None:
        values.append(("revenue", revenue))
    return [FetchedReading(day, metric, value, "meta_ads", None, label) for metric, value in values]


def ads_readings(rows: Sequence[Mapping[str, Any]]) -> list[FetchedReading]:
    """DESIGN.md's Ads mapping; a malformed row is skipped and logged, never stored as 0.
    A field Meta omits (no link clicks that day) is simply not reported."""
    readings: list[FetchedReading] = []
    skipped = 0
    labels: dict[str, CampaignLabel | None] = {}  # one label per campaign, not per row
    for row in rows:
        try:
            readings.extend(_row_readings(row, labels))
        except (ConnectorError, KeyError, TypeError, ValueError):
            skipped += 1
    if skipped:
        log.warning("ads insights: skipped %d malformed row(s)", skipped)
    return readings


def _windows(start: date, end: date) -> list[tuple[date, date]]:
    windows = []
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=WINDOW_DAYS - 1))
        windows.append((first, last))
        first = last + timedelta(days=1)
    return windows


def _fetch_window(
    graph: GraphClient, account_id: str, token: str, window: tuple[date, date]
) -> list[FetchedReading]:
    first, last = window
    params = {
        "level": "campaign",
        "time_increment": "1",
        "fields": FIELDS,
        "time_range": json.dumps({"since": first.isoformat(), "until": last.isoformat()}),
        "limit": str(PAGE_SIZE),
    }
    readings: list[FetchedReading] = []
    for rows in graph.pages(token, f"{account_id}/insights", params, "ads insights"):
        readings.extend(ads_readings(rows))
    return readings


def fetch_ads(
    graph: GraphClient, account_id: str, token: str, start: date, end: date
) -> list[FetchedReading]:
    """Every window's readings in day order; the first error (in window order) is raised, and
    the windows not yet started are never asked."""
    windows = _windows(start, end)
    if len(windows) == 1:
        return _fetch_window(graph, account_id, token, windows[0])
    pool = ThreadPoolExecutor(max_workers=min(PARALLEL_WINDOWS, len(windows)))
    try:
        futures = [pool.submit(_fetch_window, graph, account_id, token, w) for w in windows]
        return [reading for future in futures for reading in future.result()]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
