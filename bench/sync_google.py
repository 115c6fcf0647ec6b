"""The GA4 part of `bench.sync`: one property per workspace, its 90 days of rows per campaign
served by the local Google mock (an Organic Social and a Paid Social row per day and campaign,
plus an Organic Search row the sync must ignore)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smmbot.services.connectors.base import Account, AccountKind, Connector
from smmbot.services.connectors.google import GoogleConnector, GoogleEndpoints
from tests.support.google_mock import CLIENT_ID, CLIENT_SECRET, GoogleMock, GoogleState, week_rows

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
DAYS = 90


def mock(delay: float) -> GoogleMock:
    return GoogleMock(GoogleState(delay=delay))


def connector(base_url: str) -> Connector:
    return GoogleConnector(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        endpoints=GoogleEndpoints(base_url, f"{base_url}/token", base_url, base_url),
    )


def seed_rows(google: GoogleMock, account_id: str, campaigns: int) -> None:
    names = [f"campaign-{n}" for n in range(campaigns)]
    google.state.rows[account_id] = week_rows(NOW.date() - timedelta(days=DAYS - 1), DAYS, names)


def accounts(n: int) -> tuple[Account, ...]:
    return (Account(AccountKind.GA4_PROPERTY, f"properties/{n}", f"Shop {n}"),)


def mint_token(google: GoogleMock) -> str:
    token = f"ya29.bench-{len(google.state.access_tokens)}"
    google.state.access_tokens.add(token)
    return token
