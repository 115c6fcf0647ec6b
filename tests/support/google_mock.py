"""A local stand-in for Google's OAuth token endpoint, the GA4 Admin API's `accountSummaries`
and the GA4 Data API's `runReport`, answering in their documented JSON shapes.

Numbers are strings (as the Data API sends them), `runReport` pages with `limit`/`offset` and
reports `rowCount`, and faults are the documented bodies: `invalid_grant` from the token
endpoint, 401 `UNAUTHENTICATED` and 429 `RESOURCE_EXHAUSTED` from the APIs. A `delay` makes
every answer slow (the daily-sync bench answers in 200 ms).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.http_mock import HttpMock, JsonHandler, StateServer

CLIENT_ID = "mock-client.apps.googleusercontent.com"
CLIENT_SECRET = "mock-client-secret"


@dataclass(frozen=True)
class Ga4Row:
    day: date
    channel: str
    campaign: str
    sessions: int
    key_events: int = 0
    purchases: int = 0
    revenue: str = "0"

    def as_json(self) -> dict[str, Any]:
        return {
            "dimensionValues": [
                {"value": self.day.strftime("%Y%m%d")},
                {"value": self.channel},
                {"value": self.campaign},
            ],
            "metricValues": [
                {"value": str(self.sessions)},
                {"value": str(self.key_events)},
                {"value": str(self.purchases)},
                {"value": self.revenue},
            ],
        }


@dataclass
class GoogleState:
    properties: list[tuple[str, str]] = field(
        default_factory=lambda: [("properties/111", "Toko Kopi")]
    )
    rows: dict[str, list[Ga4Row]] = field(default_factory=dict)
    codes: set[str] = field(default_factory=lambda: {"good-code"})
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: set[str] = field(default_factory=set)
    expires_in: int = 3600
    fail_reports: list[int] = field(default_factory=list)
    """Statuses the next runReport calls answer with (401, 429, 500), in order."""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    delay: float = 0.0


def _error(status: int) -> dict[str, Any]:
    names = {401: "UNAUTHENTICATED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL"}
    return {
        "error": {"code": status, "message": "mock fault", "status": names.get(status, "UNKNOWN")}
    }


class _Handler(JsonHandler):
    server: StateServer[GoogleState]

    def _authorized(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        return token in self.server.state.access_tokens

    def do_POST(self) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        raw = self._body()
        if path.endswith(":runReport"):
            state.calls.append(("runReport", {"path": path, **json.loads(raw or b"{}")}))
        time.sleep(state.delay)  # after recording, so a test can act while the answer is due
        if path == "/token":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            state.calls.append(("token", form))
            self._token(form)
        elif path.endswith(":runReport"):
            body = json.loads(raw or b"{}")
            self._report(path.removeprefix("/v1beta/").removesuffix(":runReport"), body)
        else:
            self._send(404, _error(404))

    def do_GET(self) -> None:
        state = self.server.state
        time.sleep(state.delay)
        url = urlsplit(self.path)
        state.calls.append(("get", {"path": url.path, **parse_qs(url.query)}))
        if url.path != "/v1beta/accountSummaries":
            self._send(404, _error(404))
        elif not self._authorized():
            self._send(401, _error(401))
        else:
            summaries = [
                {
                    "name": "accountSummaries/1",
                    "account": "accounts/1",
                    "displayName": "Mock account",
                    "propertySummaries": [
                        {
                            "property": prop,
                            "displayName": name,
                            "propertyType": "PROPERTY_TYPE_ORDINARY",
                        }
                        for prop, name in state.properties
                    ],
                }
            ]
            self._send(200, {"accountSummaries": summaries})

    def _token(self, form: dict[str, str]) -> None:
        state = self.server.state
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            self._send(401, {"error": "invalid_client", "error_description": "Unauthorized"})
            return
        grant = form.get("grant_type")
        if grant == "authorization_code" and form.get("code") in state.codes:
            state.codes.discard(form["code"])
            refresh = "1//mock-refresh-" + secrets.token_hex(8)
            state.refresh_tokens.add(refresh)
            self._issue(refresh)
        elif grant == "refresh_token" and form.get("refresh_token") in state.refresh_tokens:
            self._issue(None)
        else:
            self._send(400, {"error": "invalid_grant", "error_description": "Bad Request"})

    def _issue(self, refresh: str | None) -> None:
        state = self.server.state
        access = "ya29.mock-" + secrets.token_hex(12)
        state.access_tokens.add(access)
        payload: dict[str, Any] = {
            "access_token": access,
            "expires_in": state.expires_in,
            "scope": "https://www.googleapis.com/auth/analytics.readonly",
            "token_type": "Bearer",
        }
        if refresh:
            payload["refresh_token"] = refresh
        self._send(200, payload)

    def _report(self, property_id: str, body: dict[str, Any]) -> None:
        state = self.server.state
        if state.fail_reports:
            status = state.fail_reports.pop(0)
            self._send(status, _error(status))
            return
        if not self._authorized():
            self._send(401, _error(401))
            return
        span = body["dateRanges"][0]
        start, end = date.fromisoformat(span["startDate"]), date.fromisoformat(span["endDate"])
        rows = [r for r in state.rows.get(property_id, []) if start <= r.day <= end]
        offset, limit = int(body.get("offset", 0)), int(body.get("limit", 10000))
        page = rows[offset : offset + limit]
        answer: dict[str, Any] = {
            "dimensionHeaders": [{"name": d["name"]} for d in body["dimensions"]],
            "metricHeaders": [{"name": m["name"], "type": "TYPE_INTEGER"} for m in body["metrics"]],
            "rowCount": len(rows),
            "metadata": {"currencyCode": "IDR", "timeZone": "Asia/Jakarta"},
            "kind": "analyticsData#runReport",
        }
        if page:
            answer["rows"] = [r.as_json() for r in page]
        self._send(200, answer)


class GoogleMock(HttpMock[GoogleState]):
    """`with GoogleMock() as google:` then point SMMBOT_GOOGLE_* / SMMBOT_GA4_* at `base_url`."""

    def __init__(self, state: GoogleState | None = None) -> None:
        super().__init__(state or GoogleState(), _Handler)

    def revoke_all(self) -> None:
        """The member revoked access: every token stops working."""
        self.state.access_tokens.clear()
        self.state.refresh_tokens.clear()

    def report_calls(self) -> list[dict[str, Any]]:
        return [body for kind, body in self.state.calls if kind == "runReport"]


def week_rows(monday: date, days: int, campaigns: Iterable[str]) -> list[Ga4Row]:
    """Organic and Paid Social rows per day and campaign, plus an Organic Search row that
    must be ignored."""
    rows: list[Ga4Row] = []
    for offset in range(days):
        day = monday + timedelta(days=offset)
        for campaign in campaigns:
            rows.append(Ga4Row(day, "Organic Social", campaign, 100, 4, 2, "150000.50"))
            rows.append(Ga4Row(day, "Paid Social", campaign, 40, 1, 1, "99000"))
        rows.append(Ga4Row(day, "Organic Search", "(organic)", 999, 9, 9, "999999"))
    return rows
