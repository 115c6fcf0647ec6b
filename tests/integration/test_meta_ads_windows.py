"""Ads insights over a backfill: month windows read concurrently, each through its own paging."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest

from smmbot.services.connectors.base import RateLimited
from smmbot.services.connectors.meta_ads import fetch_ads
from smmbot.services.connectors.meta_graph import GraphClient, MetaEndpoints
from tests.support.meta_mock import APP_SECRET, MetaMock, MetaState

END = date(2026, 11, 24)
START = END - timedelta(days=89)


@pytest.fixture
def meta() -> Iterator[MetaMock]:
    state = MetaState(ad_accounts={"act_1": ["Spring", "Summer"]}, ads_page_size=25)
    with MetaMock(state) as mock:
        mock.state.user_tokens.add("EAAtoken")
        yield mock


def _graph(meta: MetaMock) -> GraphClient:
    endpoints = MetaEndpoints(meta.base_url, meta.base_url)
    return GraphClient(endpoints=endpoints, app_secret=APP_SECRET, http=httpx.Client())


def test_backfill_reads_every_day_once_in_month_windows(meta: MetaMock) -> None:
    readings = fetch_ads(_graph(meta), "act_1", "EAAtoken", START, END)
    per_day = Counter(r.day for r in readings)
    assert sorted(per_day) == [START + timedelta(days=n) for n in range(90)]
    assert set(per_day.values()) == {
        2 * 5
    }  # 2 campaigns x spend, impressions, clicks, orders, revenue
    assert [r.day for r in readings] == sorted(r.day for r in readings)
    ranges = {q["time_range"] for p, q in meta.insights_calls() if p == "act_1/insights"}
    spans = sorted(json.loads(r)["since"] for r in ranges)
    assert spans == ["2026-08-27", "2026-09-26", "2026-10-26"]
    assert len(meta.insights_calls()) > len(ranges)  # each window followed its paging.next


def test_a_rate_limit_in_one_window_stops_the_backfill(meta: MetaMock) -> None:
    meta.state.faults = [(400, 17)]
    with pytest.raises(RateLimited):
        fetch_ads(_graph(meta), "act_1", "EAAtoken", START, END)
