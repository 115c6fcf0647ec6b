"""Meta Ads: `/act_{id}/insights` per campaign and day.

Meta reports one purchase under several action types at once (`purchase`, `omni_purchase`,
`offsite_conversion.fb_pixel_purchase`, `onsite_web_purchase`, ...): adding them up would count
each order two or three times, so only `omni_purchase` (Meta's de-duplicated total across web,
app and offline) becomes `orders`, and its `action_values` entry `revenue`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from smmbot.services.connectors.base import CampaignLabel, ConnectorError, FetchedReading
from smmbot.services.connectors.meta_graph import GraphClient, number

log = logging.getLogger(__name__)

FIELDS = "campaign_name,spend,impressions,inline_link_clicks,actions,action_values"
PLAIN = {"spend": "ad_spend", "impressions": "ad_impressions", "inline_link_clicks": "ad_clicks"}
PURCHASE = "omni_purchase"
PAGE_SIZE = 500


def _action(entries: object, action_type: str) -> Decimal | None:
    if entries is None:
        return None
    if not isinstance(entries, list):
        raise ConnectorError("ads insights: actions is not a list")
    for entry in entries:
        if isinstance(entry, dict) and entry.get("action_type") == action_type:
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
    day = date.fromisoformat(str(row["date_start"]))
    label = _label(row.get("campaign_name"), labels)
    values: dict[str, Decimal] = {
        metric: number(row[field]) for field, metric in PLAIN.items() if field in row
    }
    orders = _action(row.get("actions"), PURCHASE)
    revenue = _action(row.get("action_values"), PURCHASE)
    if orders is not None:
        values["orders"] = orders
    if revenue is not None:
        values["revenue"] = revenue
    return [
        FetchedReading(day, metric, value, "meta_ads", None, label)
        for metric, value in values.items()
    ]


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


def fetch_ads(
    graph: GraphClient, account_id: str, token: str, start: date, end: date
) -> list[FetchedReading]:
    params = {
        "level": "campaign",
        "time_increment": "1",
        "fields": FIELDS,
        "time_range": json.dumps({"since": start.isoformat(), "until": end.isoformat()}),
        "limit": str(PAGE_SIZE),
    }
    readings: list[FetchedReading] = []
    for rows in graph.pages(token, f"{account_id}/insights", params, "ads insights"):
        readings.extend(ads_readings(rows))
    return readings
