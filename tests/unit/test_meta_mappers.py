"""Meta's documented answers → readings: Page `values` with Pacific `end_time`s, Instagram's
`total_value` and `values` shapes, ads rows with duplicated purchase action types, Graph's error
bodies, and malformed answers skipped rather than stored as zero."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest

from smmbot.services.connectors.base import (
    CampaignLabel,
    ConnectorError,
    CredentialsRejected,
    FetchedReading,
    RateLimited,
)
from smmbot.services.connectors.meta_ads import ads_readings
from smmbot.services.connectors.meta_graph import check, number, without_token
from smmbot.services.connectors.meta_instagram import follower_reading, instagram_readings
from smmbot.services.connectors.meta_pages import page_readings, reporting_day
from tests.support.meta_mock import ad_row, end_time

NOV_2 = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("2026-11-03T08:00:00+0000", date(2026, 11, 2)),  # PST: midnight is 08:00 UTC
        ("2026-07-02T07:00:00+0000", date(2026, 7, 1)),  # PDT: midnight is 07:00 UTC
        ("2026-03-08T08:00:00+0000", date(2026, 3, 7)),  # the day DST starts
        ("2026-11-01T07:00:00+0000", date(2026, 10, 31)),  # the day DST ends
    ],
)
def test_end_time_is_the_next_pacific_midnight(stamp: str, day: date) -> None:
    assert reporting_day(stamp) == day
    assert end_time(day) == stamp


def test_page_values_map_to_design_metrics_on_their_day() -> None:
    entries = [
        {
            "name": "page_media_view",
            "period": "day",
            "values": [
                {"value": 800, "end_time": "2026-11-02T08:00:00+0000"},
                {"value": 900, "end_time": "2026-11-03T08:00:00+0000"},
            ],
        },
        {"name": "page_follows", "values": [{"value": "5000", "end_time": end_time(NOV_2)}]},
        {
            "name": "page_total_media_view_unique",
            "values": [{"value": 6, "end_time": end_time(NOV_2)}],
        },
        {"name": "page_post_engagements", "values": [{"value": 4, "end_time": end_time(NOV_2)}]},
        {"name": "page_fans", "values": [{"value": 1, "end_time": end_time(NOV_2)}]},
    ]
    found = page_readings(entries, NOV_2, NOV_2)
    assert sorted((r.metric, int(r.value)) for r in found) == [
        ("engagements", 4),
        ("followers", 5000),
        ("impressions", 900),  # the 800 was 2026-11-01, outside the range
        ("reach", 6),
    ]
    assert {(r.day, r.source, r.platform, r.campaign) for r in found} == {
        (NOV_2, "facebook", "facebook", None)
    }


def test_malformed_page_values_are_skipped_not_zero() -> None:
    entries = [
        {"name": "page_media_view", "values": [{"value": None, "end_time": end_time(NOV_2)}]},
        {"name": "page_follows", "values": [{"value": "-3", "end_time": end_time(NOV_2)}]},
        {"name": "page_post_engagements", "values": [{"value": 4, "end_time": "yesterday"}]},
        {"name": "page_total_media_view_unique", "values": [{"end_time": end_time(NOV_2)}]},
    ]
    assert page_readings(entries, NOV_2, NOV_2) == []


def test_instagram_total_value_shape() -> None:
    entries = [
        {"name": name, "period": "day", "total_value": {"value": value}}
        for name, value in [
            ("reach", 700),
            ("views", 1500),
            ("profile_views", 60),
            ("profile_links_taps", 12),
            ("likes", 90),
            ("comments", 8),
            ("shares", 5),
            ("saves", 7),
            ("total_interactions", 110),
        ]
    ]
    found = {r.metric: r.value for r in instagram_readings(entries, NOV_2)}
    assert found == {
        "reach": 700,
        "impressions": 1500,
        "profile_visits": 60,
        "link_clicks": 12,
        "likes": 90,
        "comments": 8,
        "shares": 5,
        "saves": 7,
        "engagements": 110,
    }


def test_instagram_values_shape_reads_only_the_asked_day() -> None:
    entries = [
        {
            "name": "reach",
            "period": "day",
            "values": [
                {"value": 10, "end_time": end_time(date(2026, 11, 1))},
                {"value": 20, "end_time": end_time(NOV_2)},
            ],
        }
    ]
    assert instagram_readings(entries, NOV_2) == [
        FetchedReading(NOV_2, "reach", Decimal(20), "instagram", "instagram")
    ]


def test_instagram_partial_answer_keeps_what_is_readable() -> None:
    entries: list[dict[str, Any]] = [
        {"name": "reach", "total_value": {"value": 10}},
        {"name": "likes", "total_value": {}},
        {"name": "shares"},
    ]
    assert [r.metric for r in instagram_readings(entries, NOV_2)] == ["reach"]


def test_followers_is_a_snapshot_and_missing_count_is_an_error() -> None:
    assert follower_reading({"followers_count": 1200}, NOV_2) == FetchedReading(
        NOV_2, "followers", Decimal(1200), "instagram", "instagram"
    )
    with pytest.raises(ConnectorError):
        follower_reading({"id": "1"}, NOV_2)


def test_ads_row_uses_omni_purchase_only() -> None:
    found = ads_readings([ad_row("Ramadan Sale", 0, NOV_2)])
    label = CampaignLabel("Ramadan Sale", "name")
    assert {(r.metric, r.value) for r in found} == {
        ("ad_spend", Decimal("150000.50")),
        ("ad_impressions", Decimal(2000)),
        ("ad_clicks", Decimal(40)),
        ("orders", Decimal(3)),  # not 9: purchase + omni_purchase + pixel purchase
        ("revenue", Decimal("450000.50")),
    }
    assert {(r.day, r.source, r.platform, r.campaign) for r in found} == {
        (NOV_2, "meta_ads", None, label)
    }


def test_ads_row_without_purchases_reports_no_orders() -> None:
    row = {"campaign_name": "", "spend": "10", "date_start": "2026-11-02", "actions": []}
    assert ads_readings([row]) == [
        FetchedReading(NOV_2, "ad_spend", Decimal(10), "meta_ads", None, None)
    ]


@pytest.mark.parametrize(
    "broken",
    [
        {"spend": "abc"},
        {"date_start": "soon"},
        {"actions": "omni_purchase"},
        {"action_values": [{"action_type": "omni_purchase", "value": None}]},
    ],
)
def test_malformed_ads_row_is_skipped_whole(broken: dict[str, object]) -> None:
    good = ad_row("A", 0, NOV_2)
    bad = {**ad_row("B", 1, NOV_2), **broken}
    assert {r.campaign for r in ads_readings([good, bad])} == {CampaignLabel("A", "name")}


def test_numbers_arrive_as_strings_or_json_numbers() -> None:
    assert number("12.34") == Decimal("12.34")
    assert number(5) == 5
    for bad in ("NaN", "-1", True, None, "1e999999999999"):
        with pytest.raises(ConnectorError):
            number(bad)


def _answer(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body)


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_rate_limit_codes(code: int) -> None:
    with pytest.raises(RateLimited) as caught:
        check(_answer(400, {"error": {"code": code, "message": "slow down"}}), "x")
    assert caught.value.retry_after is not None


def test_http_errors_map_to_the_interface() -> None:
    with pytest.raises(CredentialsRejected):
        check(_answer(400, {"error": {"code": 190, "type": "OAuthException"}}), "x")
    with pytest.raises(CredentialsRejected):
        check(_answer(401, {}), "x")
    with pytest.raises(RateLimited):
        check(httpx.Response(429, headers={"Retry-After": "120"}), "x")
    with pytest.raises(ConnectorError) as caught:
        check(_answer(400, {"error": {"code": 100, "type": "GraphMethodException"}}), "x")
    assert type(caught.value) is ConnectorError
    with pytest.raises(ConnectorError):
        check(httpx.Response(200, text="<html>"), "x")
    with pytest.raises(ConnectorError):
        check(_answer(200, [1, 2]), "x")
    assert check(_answer(200, {"data": []}), "x") == {"data": []}


def test_paging_links_lose_their_token() -> None:
    link = "https://graph.facebook.com/v26.0/me/accounts?access_token=EAAsecret&limit=25&after=QVFI"
    assert without_token(link) == "https://graph.facebook.com/v26.0/me/accounts?limit=25&after=QVFI"
