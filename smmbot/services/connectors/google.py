"""Google: OAuth 2.0 sign-in, the GA4 Admin API's property list and Data API `runReport`.

A small typed client over httpx rather than `google-analytics-data`: that package's REST
transport goes through google-auth's credential machinery and its own endpoint resolution, while
smmbot already holds the tokens and must point every call at `SMMBOT_GA4_*_URL` for tests and
sovereign clouds; three documented JSON calls are easier to keep correct than that adaptation.
Values arrive as strings; a row that does not read as numbers is skipped and logged, never zero.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import httpx

from smmbot.services.connectors.base import (
    Account,
    AccountKind,
    CampaignLabel,
    ConnectorError,
    CredentialsRejected,
    FetchedReading,
    Provider,
    RateLimited,
    TokenSet,
    retry_after_header,
)

log = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
DIMENSIONS = ("date", "sessionDefaultChannelGroup", "sessionCampaignName")
METRICS = ("sessions", "keyEvents", "ecommercePurchases", "purchaseRevenue")
PAGE_SIZE = 10_000
SOCIAL_CHANNELS = {"Organic Social": "social_sessions", "Paid Social": "paid_sessions"}
CONVERSIONS = {"keyEvents": "leads", "ecommercePurchases": "orders", "purchaseRevenue": "revenue"}
NO_CAMPAIGN = {"", "(not set)", "(direct)", "(organic)", "(referral)"}
TIMEOUT = httpx.Timeout(20.0)


@dataclass(frozen=True)
class GoogleEndpoints:
    accounts_url: str = "https://accounts.google.com"
    token_url: str = "https://oauth2.googleapis.com/token"  # noqa: S105  (a URL, not a secret)
    data_url: str = "https://analyticsdata.googleapis.com"
    admin_url: str = "https://analyticsadmin.googleapis.com"


def _raise_for(response: httpx.Response, what: str) -> None:
    """Maps an HTTP error to the interface's errors, naming only the call and the status."""
    if response.status_code == 401:
        raise CredentialsRejected(f"{what}: HTTP 401")
    if response.status_code == 429:
        retry = retry_after_header(response.headers.get("Retry-After", ""))
        raise RateLimited(f"{what}: HTTP 429", retry_after=retry)
    if response.status_code >= 400:
        raise ConnectorError(f"{what}: HTTP {response.status_code}")


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    _raise_for(response, what)
    try:
        data = response.json()
    except ValueError as error:
        raise ConnectorError(f"{what}: not JSON") from error
    if not isinstance(data, dict):
        raise ConnectorError(f"{what}: not a JSON object")
    return data


class GoogleConnector:
    provider = Provider.GOOGLE

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        endpoints: GoogleEndpoints,
        http: httpx.Client | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._clock = clock
        self._client_id = client_id
        self._client_secret = client_secret
        self._endpoints = endpoints
        self._http = http or httpx.Client(timeout=TIMEOUT)

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": SCOPE,
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
            "state": state,
        }
        return f"{self._endpoints.accounts_url.rstrip('/')}/o/oauth2/v2/auth?{urlencode(query)}"

    def exchange(self, *, code: str, redirect_uri: str) -> TokenSet:
        return self._token_call(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
            refresh_token=None,
        )

    def refresh(self, tokens: TokenSet) -> TokenSet:
        if tokens.refresh_token is None:
            raise CredentialsRejected("no refresh token stored")
        return self._token_call(
            {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token},
            refresh_token=tokens.refresh_token,
        )

    def _token_call(self, form: Mapping[str, str], *, refresh_token: str | None) -> TokenSet:
        body = {**form, "client_id": self._client_id, "client_secret": self._client_secret}
        try:
            response = self._http.post(self._endpoints.token_url, data=body)
        except httpx.HTTPError as error:
            raise ConnectorError(f"token endpoint unreachable: {type(error).__name__}") from error
        if response.status_code == 400 and _error_code(response) == "invalid_grant":
            raise CredentialsRejected("token endpoint: invalid_grant")
        data = _json(response, "token endpoint")
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise ConnectorError("token endpoint: no access_token")
        lifetime = data.get("expires_in")
        expires = (
            self._clock() + timedelta(seconds=int(lifetime))
            if isinstance(lifetime, int | str) and str(lifetime).isdigit()
            else None
        )
        fresh_refresh = data.get("refresh_token")
        return TokenSet(
            access_token=access,
            refresh_token=fresh_refresh if isinstance(fresh_refresh, str) else refresh_token,
            expires_at=expires,
        )

    def list_accounts(self, tokens: TokenSet) -> list[Account]:
        accounts: list[Account] = []
        page_token = ""
        while True:
            params = {"pageSize": "200", **({"pageToken": page_token} if page_token else {})}
            data = self._get(
                tokens, f"{self._endpoints.admin_url.rstrip('/')}/v1beta/accountSummaries", params
            )
            for summary in data.get("accountSummaries", ()):
                for prop in summary.get("propertySummaries", ()):
                    if isinstance(prop.get("property"), str):
                        name = f"{prop.get('displayName', '')} ({summary.get('displayName', '')})"
                        accounts.append(Account(AccountKind.GA4_PROPERTY, prop["property"], name))
            page_token = str(data.get("nextPageToken") or "")
            if not page_token:
                return accounts

    def _get(self, tokens: TokenSet, url: str, params: Mapping[str, str]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {tokens.access_token}"}
        try:
            response = self._http.get(url, params=params, headers=headers)
        except httpx.HTTPError as error:
            raise ConnectorError(f"GA4 Admin API unreachable: {type(error).__name__}") from error
        return _json(response, "GA4 accountSummaries")

    def fetch(
        self, tokens: TokenSet, accounts: Sequence[Account], start: date, end: date
    ) -> list[FetchedReading]:
        readings: list[FetchedReading] = []
        for account in accounts:
            if account.kind is AccountKind.GA4_PROPERTY:
                rows = self._report_rows(tokens, account.id, start, end)
                readings.extend(readings_from_rows(rows))
        return readings

    def _report_rows(
        self, tokens: TokenSet, property_id: str, start: date, end: date
    ) -> list[dict[str, Any]]:
        url = f"{self._endpoints.data_url.rstrip('/')}/v1beta/{property_id}:runReport"
        headers = {"Authorization": f"Bearer {tokens.access_token}"}
        rows: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = {
                "dateRanges": [{"startDate": start.isoformat(), "endDate": end.isoformat()}],
                "dimensions": [{"name": name} for name in DIMENSIONS],
                "metrics": [{"name": name} for name in METRICS],
                "limit": str(PAGE_SIZE),
                "offset": str(offset),
            }
            try:
                response = self._http.post(url, json=body, headers=headers)
            except httpx.HTTPError as error:
                raise ConnectorError(
                    f"GA4 runReport unreachable: {type(error).__name__}"
                ) from error
            data = _json(response, "GA4 runReport")
            page = data.get("rows") or []
            rows.extend(row for row in page if isinstance(row, dict))
            offset += len(page)
            total = data.get("rowCount", 0)
            if not page or not isinstance(total, int) or offset >= total:
                return rows


def _error_code(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def _row_values(row: Mapping[str, Any]) -> tuple[date, str, str, dict[str, Decimal]] | None:
    try:
        dims = [d["value"] for d in row["dimensionValues"]]
        values = [Decimal(m["value"]) for m in row["metricValues"]]
        day = datetime.strptime(dims[0], "%Y%m%d").date()
    except (KeyError, TypeError, IndexError, ValueError, InvalidOperation):
        return None
    if len(dims) != len(DIMENSIONS) or len(values) != len(METRICS):
        return None
    if any(not value.is_finite() or value < 0 for value in values):
        return None
    return day, str(dims[1]), str(dims[2]), dict(zip(METRICS, values, strict=True))


def readings_from_rows(rows: Sequence[Mapping[str, Any]]) -> list[FetchedReading]:
    """DESIGN.md's mapping: social sessions by channel, conversions of both social channels."""
    totals: dict[tuple[date, str, str], Decimal] = defaultdict(Decimal)
    skipped = 0
    for row in rows:
        parsed = _row_values(row)
        if parsed is None:
            skipped += 1
            continue
        day, channel, campaign, values = parsed
        if channel not in SOCIAL_CHANNELS:
            continue
        label = "" if campaign in NO_CAMPAIGN else campaign
        totals[(day, SOCIAL_CHANNELS[channel], label)] += values["sessions"]
        for field, metric in CONVERSIONS.items():
            totals[(day, metric, label)] += values[field]
    if skipped:
        log.warning("GA4 runReport: skipped %d malformed row(s)", skipped)
    return [
        FetchedReading(
            day=day,
            metric=metric,
            value=value,
            source="ga4",
            campaign=CampaignLabel(label, "utm_slug") if label else None,
        )
        for (day, metric, label), value in sorted(totals.items())
    ]
