"""A small typed Graph API client: versioned paths, Meta's error bodies, paging, string numbers.

Tokens travel in the `Authorization` header, never in a logged URL: Graph's `paging.next`
links carry `access_token` in their query, so it is stripped before the link is followed
(httpx logs every request URL at INFO). Every call also sends `appsecret_proof`, the HMAC of
the token under the app secret, so a leaked token is useless without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from smmbot.services.connectors.base import (
    ConnectorError,
    CredentialsRejected,
    RateLimited,
    retry_after_header,
)

API_VERSION = "v26.0"
TIMEOUT = httpx.Timeout(30.0)
MAX_PAGES = 200
"""A paging loop that never ends is a broken answer, not a reason to hang a sync."""
EXPIRED_TOKEN = 190
UNKNOWN_USER = (110, 2207013)
"""Business Discovery's "Invalid user id" (code 110) and its subcode for a username that is
no business or creator account (2207013)."""
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
"""App, user, Page and custom-level throttles, plus the Marketing API's business-use-case
limits (80000-80014), all of which Meta documents as "wait and retry"."""
RATE_LIMIT_PAUSE = timedelta(minutes=30)
MAX_BATCH = 50
"""Graph refuses a batch of more than 50 requests."""
MAX_DIGITS = 15
"""No follower count or rupiah amount has more digits; a bigger number is a broken answer."""
_ZERO = Decimal(0)
_TOO_BIG = Decimal(10) ** (MAX_DIGITS + 1)


@dataclass(frozen=True)
class MetaEndpoints:
    graph_url: str = "https://graph.facebook.com"
    www_url: str = "https://www.facebook.com"

    def graph(self, path: str) -> str:
        return f"{self.graph_url.rstrip('/')}/{API_VERSION}/{path.lstrip('/')}"

    def dialog(self) -> str:
        return f"{self.www_url.rstrip('/')}/{API_VERSION}/dialog/oauth"


def number(value: object) -> Decimal:
    """Graph sends counts and money as strings ("12.34") or, in insights, as JSON numbers.
    Called for every field of every row, so it is one parse and one range comparison (which
    also refuses NaN: ordering a NaN signals InvalidOperation)."""
    if isinstance(value, str):
        text = value
    elif type(value) is int or type(value) is float:  # not isinstance: a bool is an int
        text = str(value)
    else:
        raise ConnectorError(f"not a number: {type(value).__name__}")
    try:
        parsed = Decimal(text)
        plausible = _ZERO <= parsed < _TOO_BIG
    except InvalidOperation as error:
        raise ConnectorError("not a number") from error
    if not plausible:
        raise ConnectorError("not a plausible non-negative number")
    return parsed


class UnknownUser(ConnectorError):  # noqa: N818 - an answer about the asked user, not a fault
    """Graph knows no business or creator account by the name asked for."""


def _graph_error(body: object) -> tuple[int | None, str, object]:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, "", None
    code = error.get("code")
    kind = str(error.get("type", ""))
    return (code if isinstance(code, int) else None), kind, error.get("error_subcode")


def check(response: httpx.Response, what: str) -> dict[str, Any]:
    """Maps Meta's answers to the interface's errors, naming only the call, status and code.
    The body is parsed once: an ads insights page is hundreds of rows."""
    try:
        body: object = response.json()
    except ValueError:
        body = None
    code, kind, subcode = _graph_error(body)
    if code in UNKNOWN_USER or subcode in UNKNOWN_USER:
        raise UnknownUser(f"{what}: HTTP {response.status_code}, code {code}/{subcode}")
    if response.status_code == 401 or code == EXPIRED_TOKEN:
        raise CredentialsRejected(f"{what}: HTTP {response.status_code}, code {code}")
    if response.status_code == 429 or code in RATE_LIMIT_CODES:
        retry = retry_after_header(response.headers.get("Retry-After", "")) or RATE_LIMIT_PAUSE
        raise RateLimited(f"{what}: HTTP {response.status_code}, code {code}", retry_after=retry)
    if response.status_code >= 400 or code is not None:
        raise ConnectorError(f"{what}: HTTP {response.status_code}, code {code} {kind}".strip())
    if body is None:
        raise ConnectorError(f"{what}: not JSON")
    if not isinstance(body, dict):
        raise ConnectorError(f"{what}: not a JSON object")
    return body


def without_token(url: str) -> str:
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query) if k not in {"access_token", "appsecret_proof"}
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _batch_item(item: object, what: str) -> dict[str, Any]:
    """One answer of a batch, mapped exactly like the single call it stands for; Graph answers
    `null` for a request it did not get to, which is a broken answer, not an empty one."""
    if not isinstance(item, dict) or not isinstance(item.get("code"), int):
        raise ConnectorError(f"{what}: missing batch answer")
    headers = item.get("headers")
    pairs = [
        (str(h.get("name", "")), str(h.get("value", "")))
        for h in (headers if isinstance(headers, list) else [])
        if isinstance(h, dict)
    ]
    body = item.get("body")
    content = body.encode() if isinstance(body, str) else b""
    return check(httpx.Response(item["code"], headers=pairs, content=content), what)


def _batch_answers(response: httpx.Response, count: int, what: str) -> list[dict[str, Any]]:
    try:
        body: object = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, list):
        check(response, what)  # raises for every error body
        raise ConnectorError(f"{what}: batch answer is not a list")
    if len(body) != count:
        raise ConnectorError(f"{what}: {len(body)} batch answers for {count} requests")
    return [_batch_item(item, what) for item in body]


class GraphClient:
    def __init__(self, *, endpoints: MetaEndpoints, app_secret: str, http: httpx.Client) -> None:
        self.endpoints = endpoints
        self._secret = app_secret.encode()
        self._http = http

    def get(
        self, token: str, path_or_url: str, params: Mapping[str, str], what: str
    ) -> dict[str, Any]:
        url = path_or_url if "://" in path_or_url else self.endpoints.graph(path_or_url)
        parts = urlsplit(url)
        url = urlunsplit(parts._replace(query=""))
        params = {**dict(parse_qsl(parts.query)), **params}
        proof = hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()
        headers = {"Authorization": f"Bearer {token}"}
        try:
            response = self._http.get(
                url, params={**params, "appsecret_proof": proof}, headers=headers
            )
        except httpx.HTTPError as error:
            raise ConnectorError(f"{what}: unreachable ({type(error).__name__})") from error
        return check(response, what)

    def batch(
        self, token: str, requests: Sequence[tuple[str, Mapping[str, str]]], what: str
    ) -> list[dict[str, Any]]:
        """Up to 50 GETs in one round trip, answered in order; the first failed item raises as
        its single call would. Token and proof travel in the POSTed form, never in a URL."""
        if not 0 < len(requests) <= MAX_BATCH:
            raise ValueError(f"a Graph batch holds 1 to {MAX_BATCH} requests")
        batch = [
            {"method": "GET", "relative_url": f"{path}?{urlencode(params)}"}
            for path, params in requests
        ]
        proof = hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()
        form = {"batch": json.dumps(batch), "access_token": token, "appsecret_proof": proof}
        try:
            response = self._http.post(self.endpoints.graph(""), data=form)
        except httpx.HTTPError as error:
            raise ConnectorError(f"{what}: unreachable ({type(error).__name__})") from error
        return _batch_answers(response, len(requests), what)

    def pages(
        self, token: str, path: str, params: Mapping[str, str], what: str
    ) -> Iterator[list[dict[str, Any]]]:
        """Each page's `data` list, following `paging.next` until it is absent."""
        data = self.get(token, path, params, what)
        for _ in range(MAX_PAGES):
            rows = data.get("data")
            if not isinstance(rows, list):
                raise ConnectorError(f"{what}: no data list")
            yield [row for row in rows if isinstance(row, dict)]
            paging = data.get("paging")
            following = paging.get("next") if isinstance(paging, dict) else None
            if not isinstance(following, str) or not following or not rows:
                return
            data = self.get(token, without_token(following), {}, what)
        raise ConnectorError(f"{what}: more than {MAX_PAGES} pages")
