"""A local stand-in for Meta's login dialog and Graph API (`/v26.0/…`), answering in the
documented JSON shapes.

The dialog redirects straight back with a code; `oauth/access_token` trades it for a
short-lived token and that (`grant_type=fb_exchange_token`) for a long-lived one. `/me/accounts`
and ads insights page with `paging.next` links that, as Graph's do, carry `access_token` in their
query. Instagram insights answer in the `total_value` shape (or `values`, on request), Page
insights in `values` with Pacific-midnight `end_time`s, ads numbers as strings with a purchase
reported under three action types at once. Faults are Graph's error bodies (code 190, 4, 17,
32, 613) or bare HTTP 401/429. A batch (`POST /v26.0/` with a `batch` form field) answers each
of its requests as the GET would, as `{"code", "headers", "body": "<json>"}` (or `null`).
Every metric has one value per day, so tests and the bench can compute what a week must add up to.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

from tests.support.http_mock import HttpMock, JsonHandler, StateServer

APP_ID = "1234567890"
APP_SECRET = "mock-app-secret"
PACIFIC = ZoneInfo("America/Los_Angeles")
PAGE_DAILY = {
    "page_follows": 5000,
    "page_media_view": 800,
    "page_total_media_view_unique": 600,
    "page_post_engagements": 45,
}
INSTAGRAM_DAILY = {
    "reach": 700,
    "views": 1500,
    "profile_views": 60,
    "profile_links_taps": 12,
    "likes": 90,
    "comments": 8,
    "shares": 5,
    "saves": 7,
    "total_interactions": 110,
}
CAMPAIGN_SPEND = "150000.50"
CAMPAIGN_IMPRESSIONS = 2000
CAMPAIGN_CLICKS = 40
CAMPAIGN_ORDERS = 3
CAMPAIGN_REVENUE = "450000.50"
PURCHASE_TYPES = ("purchase", "omni_purchase", "offsite_conversion.fb_pixel_purchase")


@dataclass(frozen=True)
class MockPage:
    id: str
    name: str
    token: str
    instagram_id: str | None = None
    instagram_username: str = ""
    instagram_followers: int = 1200


@dataclass(frozen=True)
class MockMedia:
    """An Instagram media of the account `owner`, with its lifetime insights."""

    owner: str
    id: str
    permalink: str
    timestamp: str
    insights: dict[str, int]


@dataclass(frozen=True)
class MockPagePost:
    """A Facebook Page post with its lifetime reach, reactions by type, comments and shares."""

    page: str
    id: str
    permalink_url: str
    created_time: str
    reach: int
    reactions: dict[str, int]
    comments: int
    shares: int


@dataclass(frozen=True)
class MockRival:
    followers: int
    media: tuple[tuple[str, int | None, int], ...] = ()
    """(timestamp, like_count or None when hidden, comments_count), newest first."""


@dataclass
class MetaState:
    pages: list[MockPage] = field(
        default_factory=lambda: [
            MockPage("101", "Toko Kopi", "page-token-101", "17841400000000001", "tokokopi")
        ]
    )
    ad_accounts: dict[str, list[str]] = field(
        default_factory=lambda: {"act_555": ["Ramadan Sale", "Brand Awareness"]}
    )
    codes: set[str] = field(default_factory=lambda: {"good-code"})
    short_tokens: set[str] = field(default_factory=set)
    user_tokens: set[str] = field(default_factory=set)
    long_expires_in: int = 5_183_944
    accounts_page_size: int = 1
    ads_page_size: int = 25
    instagram_shape: str = "total_value"
    faults: list[tuple[int, int | None]] = field(default_factory=list)
    """(HTTP status, Graph error code or None) that the next insights calls answer, in order."""
    node_faults: dict[str, int | None] = field(default_factory=dict)
    """Node id -> the Graph error code every call about it answers with HTTP 400 (10: the app
    lacks a permission for that account), or None for a 200 answer without its `data`."""
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """Every HTTP request: a batch is one, with path "" and its form."""
    batched: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """Every request inside a batch, as (path, query)."""
    batch_sizes: list[int] = field(default_factory=list)
    unanswered: set[str] = field(default_factory=set)
    """Node ids whose requests inside a batch Graph answers `null` (it did not get to them)."""
    tokens_in_query: int = 0
    connections: list[tuple[str, int]] = field(default_factory=list)
    """The client address of every TCP connection accepted (kept alive across requests)."""
    delay: float = 0.0
    media: list[MockMedia] = field(default_factory=list)
    page_posts: list[MockPagePost] = field(default_factory=list)
    rivals: dict[str, MockRival] = field(default_factory=dict)
    """Business and creator accounts Business Discovery knows, by username."""
    media_page_size: int = 2
    discovery_faults: list[int] = field(default_factory=list)
    """Graph error codes that the next Business Discovery calls answer with HTTP 400."""

    def page_tokens(self) -> set[str]:
        return {page.token for page in self.pages}


def graph_error(code: int, message: str = "mock fault") -> dict[str, Any]:
    kind = "OAuthException" if code in {190, 100, 10} else "GraphMethodException"
    return {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "Amock"}}


def end_time(day: date) -> str:
    """Graph's end of `day`: the next midnight in Pacific time, written in UTC."""
    midnight = datetime.combine(day + timedelta(days=1), clock_time(), PACIFIC)
    return midnight.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _days(since: str, until: str) -> list[date]:
    first, stop = date.fromisoformat(since), date.fromisoformat(until)
    return [first + timedelta(days=n) for n in range((stop - first).days)]


class _Handler(JsonHandler):
    server: StateServer[MetaState]
    protocol_version = "HTTP/1.1"  # keep-alive, as Graph's servers do; every answer has a length
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def setup(self) -> None:
        super().setup()
        self.server.state.connections.append(self.client_address[:2])

    _captured: list[tuple[int, dict[str, Any]]] | None = None
    """While a batch is answered: where its item's answer goes instead of the socket."""

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        if self._captured is not None:
            self._captured.append((status, payload))
            return
        super()._send(status, payload)

    def do_GET(self) -> None:
        state = self.server.state
        time.sleep(state.delay)
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path.removeprefix("/v26.0/")
        state.calls.append((path, query))
        if "access_token" in query and path != "oauth/access_token":
            state.tokens_in_query += 1
        if path == "dialog/oauth":
            self._dialog(query)
        elif path == "oauth/access_token":
            self._token(query)
        elif url.path == path:
            self._send(400, graph_error(2500, "Unknown path components"))
        else:
            self._graph(path, query)

    def do_POST(self) -> None:
        """Graph answers a POSTed form like the GET with the same parameters."""
        state = self.server.state
        time.sleep(state.delay)
        path = urlsplit(self.path).path.removeprefix("/v26.0/")
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        form = {k: v[0] for k, v in parse_qs(raw).items()}
        state.calls.append((path, form))
        if path == "oauth/access_token":
            self._token(form)
        elif path == "" and "batch" in form:
            self._batch(form)
        else:
            self._send(400, graph_error(100, "Unsupported post request."))

    def _batch(self, form: dict[str, str]) -> None:
        """Each request answered by the GET handlers, with the batch's token and proof."""
        state = self.server.state
        try:
            requests = json.loads(form["batch"])
        except ValueError:
            self._send(400, graph_error(100, "The parameter batch must be JSON."))
            return
        if not isinstance(requests, list) or not 0 < len(requests) <= 50:
            self._send(400, graph_error(1, "Maximum of 50 requests in a batch."))
            return
        state.batch_sizes.append(len(requests))
        answers: list[dict[str, Any] | None] = []
        for request in requests:
            url = urlsplit(request["relative_url"])
            path = url.path.lstrip("/").removeprefix("v26.0/")
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            state.batched.append((path, query))
            if "access_token" in query:
                state.tokens_in_query += 1
            if path.partition("/")[0] in state.unanswered:
                answers.append(None)
                continue
            self._captured = []
            credentials: dict[str, str] = {
                k: form[k] for k in ("access_token", "appsecret_proof") if k in form
            }
            self._graph(path, {**query, **credentials})
            [(status, payload)] = self._captured
            self._captured = None
            headers = [{"name": "Content-Type", "value": "text/javascript; charset=UTF-8"}]
            answers.append({"code": status, "headers": headers, "body": json.dumps(payload)})
        body = json.dumps(answers).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _dialog(self, query: dict[str, str]) -> None:
        target = (
            f"{query['redirect_uri']}?{urlencode({'code': 'good-code', 'state': query['state']})}"
        )
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _token(self, query: dict[str, str]) -> None:
        state = self.server.state
        if query.get("client_id") != APP_ID or query.get("client_secret") != APP_SECRET:
            self._send(400, graph_error(1, "Error validating client secret."))
        elif query.get("grant_type") == "fb_exchange_token":
            if query.get("fb_exchange_token") not in state.short_tokens:
                self._send(400, graph_error(190, "Invalid OAuth access token."))
                return
            token = "EAAlong" + secrets.token_hex(12)
            state.user_tokens.add(token)
            self._send(
                200,
                {
                    "access_token": token,
                    "token_type": "bearer",
                    "expires_in": state.long_expires_in,
                },
            )
        elif query.get("code") in state.codes and query.get("redirect_uri"):
            state.codes.discard(query["code"])
            token = "EAAshort" + secrets.token_hex(12)
            state.short_tokens.add(token)
            self._send(200, {"access_token": token, "token_type": "bearer", "expires_in": 5183})
        else:
            self._send(400, graph_error(100, "Invalid verification code format."))

    def _token_ok(self, query: dict[str, str]) -> str | None:
        state = self.server.state
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        token = token or query.get("access_token", "")
        proof = hmac.new(APP_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
        if token not in state.user_tokens | state.page_tokens():
            self._send(400, graph_error(190, "Error validating access token."))
            return None
        if query.get("appsecret_proof") != proof:
            self._send(
                400, graph_error(100, "Invalid appsecret_proof provided in the API argument")
            )
            return None
        return token

    def _graph(self, path: str, query: dict[str, str]) -> None:
        state = self.server.state
        if path.endswith("/insights") and state.faults:
            status, code = state.faults.pop(0)
            self._send(status, graph_error(code) if code is not None else {})
            return
        if self._token_ok(query) is None:
            return
        node, _, edge = path.partition("/")
        if node in state.node_faults:
            code = state.node_faults[node]
            self._send(400 if code else 200, graph_error(code) if code else {"paging": {}})
            return
        answers = {
            ("me", "accounts"): self._accounts,
            ("me", "adaccounts"): self._ad_accounts,
        }
        if (node, edge) in answers:
            answers[(node, edge)](query)
        elif edge in ("media", "published_posts") or node in self._post_ids():
            self._posts(node, edge, query)
        elif edge == "insights" and node.startswith("act_"):
            self._ads(node, query)
        elif edge == "insights":
            self._insights(node, query)
        elif edge == "" and query.get("fields") == "followers_count":
            self._followers(node)
        elif edge == "" and query.get("fields", "").startswith("business_discovery."):
            self._discovery(query["fields"])
        else:
            self._send(400, graph_error(100, "Unsupported get request."))

    def _post_ids(self) -> set[str]:
        state = self.server.state
        return {m.id for m in state.media} | {p.id for p in state.page_posts}

    def _posts(self, node: str, edge: str, query: dict[str, str]) -> None:
        """Media and Page post lists (newest first), their insights and a post's counts."""
        state = self.server.state
        media = {m.id: m for m in state.media}
        posts = {p.id: p for p in state.page_posts}
        if edge in ("media", "published_posts"):
            link = "permalink" if edge == "media" else "permalink_url"
            found = [
                {"id": m.id, link: m.permalink, "timestamp": m.timestamp}
                for m in state.media if m.owner == node
            ] if edge == "media" else [
                {"id": p.id, link: p.permalink_url, "created_time": p.created_time}
                for p in state.page_posts if p.page == node
            ]  # fmt: skip
            found.reverse()
            self._paged(f"{node}/{edge}", lambda a, b: found[a:b], len(found), query, 2)
        elif edge == "insights" and node in media:
            names = query["metric"].split(",")
            data = [self._lifetime(node, n, media[node].insights[n]) for n in names]
            self._send(200, {"data": data})
        elif edge == "insights":
            post = posts[node]
            values = {"post_impressions_unique": post.reach}
            values["post_reactions_by_type_total"] = post.reactions  # type: ignore[assignment]
            names = query["metric"].split(",")
            self._send(200, {"data": [self._lifetime(node, n, values[n]) for n in names]})
        else:
            post = posts[node]
            summary = {"order": "ranked", "total_count": post.comments, "can_comment": True}
            answer = {"id": node, "comments": {"data": [], "summary": summary}}
            self._send(200, answer | ({"shares": {"count": post.shares}} if post.shares else {}))

    @staticmethod
    def _lifetime(node: str, name: str, value: object) -> dict[str, Any]:
        return {
            "name": name,
            "period": "lifetime",
            "values": [{"value": value}],
            "title": name,
            "id": f"{node}/insights/{name}/lifetime",
        }

    def _paged(
        self,
        path: str,
        rows: Callable[[int, int], list[dict[str, Any]]],
        total: int,
        query: dict[str, str],
        size: int,
    ) -> None:
        """One page of `total` rows; `rows(first, stop)` builds only that slice."""
        offset = int(query.get("after") or 0)
        answer: dict[str, Any] = {"data": rows(offset, min(total, offset + size))}
        answer["paging"] = {"cursors": {"before": str(offset), "after": str(offset + size)}}
        if offset + size < total:
            following = {**query, "after": str(offset + size), "access_token": "EAAinquery"}
            host, port = self.server.server_address[:2]
            answer["paging"]["next"] = f"http://{host!s}:{port}/v26.0/{path}?{urlencode(following)}"
        self._send(200, answer)

    def _accounts(self, query: dict[str, str]) -> None:
        rows = []
        for page in self.server.state.pages:
            row: dict[str, Any] = {
                "id": page.id,
                "name": page.name,
                "access_token": page.token,
                "category": "Coffee Shop",
                "tasks": ["ANALYZE", "ADVERTISE", "CREATE_CONTENT", "MODERATE"],
            }
            if page.instagram_id:
                row["instagram_business_account"] = {
                    "id": page.instagram_id,
                    "username": page.instagram_username,
                }
            rows.append(row)
        size = self.server.state.accounts_page_size
        self._paged("me/accounts", lambda a, b: rows[a:b], len(rows), query, size)

    def _ad_accounts(self, query: dict[str, str]) -> None:
        rows = [
            {"id": act, "account_id": act.removeprefix("act_"), "name": f"Ads {act}"}
            for act in self.server.state.ad_accounts
        ]
        self._paged("me/adaccounts", lambda a, b: rows[a:b], len(rows), query, 25)

    def _followers(self, node: str) -> None:
        for page in self.server.state.pages:
            if page.instagram_id == node:
                self._send(200, {"followers_count": page.instagram_followers, "id": node})
                return
        self._send(400, graph_error(100, "Unsupported get request."))

    def _discovery(self, fields: str) -> None:
        """`business_discovery.username(x){followers_count,media_count,media[.after(c)]{…}}`,
        media newest first, `media_page_size` to a page, with `paging.cursors.after`."""
        found = re.fullmatch(
            r"business_discovery\.username\(([^)]*)\)\{followers_count,media_count,"
            r"media(?:\.after\(([^)]*)\))?\{like_count,comments_count,timestamp\}\}",
            fields,
        )
        if found is None:
            self._send(400, graph_error(100, "Syntax error in fields"))
            return
        if self.server.state.discovery_faults:
            self._send(400, graph_error(self.server.state.discovery_faults.pop(0)))
            return
        rival = self.server.state.rivals.get(found.group(1))
        if rival is None:
            error = graph_error(110, "Invalid user id")
            error["error"]["error_subcode"] = 2207013
            self._send(400, error)
            return
        offset, size = int(found.group(2) or 0), self.server.state.media_page_size
        rows = []
        for n, (stamp, likes, comments) in enumerate(rival.media[offset : offset + size]):
            row: dict[str, Any] = {"timestamp": stamp, "comments_count": comments}
            if likes is not None:
                row["like_count"] = likes
            rows.append(row | {"id": f"media-{offset + n}"})
        media: dict[str, Any] = {"data": rows}
        cursors = {"before": str(offset), "after": str(offset + size)}
        if offset + size < len(rival.media):
            media["paging"] = {"cursors": cursors, "next": "https://graph.example/next"}
        else:
            media["paging"] = {"cursors": cursors}  # Graph's last page keeps its cursors
        discovered = {
            "followers_count": rival.followers,
            "media_count": len(rival.media),
            "media": media,
            "id": "17841400000009999",
        }
        self._send(200, {"business_discovery": discovered, "id": "17841400000000001"})

    def _insights(self, node: str, query: dict[str, str]) -> None:
        days = _days(query["since"], query["until"])
        names = query["metric"].split(",")
        if node in {page.id for page in self.server.state.pages}:
            data = [self._values(name, PAGE_DAILY[name], days) for name in names]
        elif self.server.state.instagram_shape == "total_value":
            data = [self._total(node, name, INSTAGRAM_DAILY[name] * len(days)) for name in names]
        else:
            data = [self._values(name, INSTAGRAM_DAILY[name], days) for name in names]
        self._send(200, {"data": data, "paging": {"previous": "x", "next": "y"}})

    @staticmethod
    def _values(name: str, value: int, days: list[date]) -> dict[str, Any]:
        points = [{"value": value, "end_time": end_time(day)} for day in days]
        return {"name": name, "period": "day", "values": points, "title": name, "id": name}

    @staticmethod
    def _total(node: str, name: str, value: int) -> dict[str, Any]:
        return {
            "name": name,
            "period": "day",
            "title": name,
            "total_value": {"value": value},
            "id": f"{node}/insights/{name}/day",
        }

    def _ads(self, node: str, query: dict[str, str]) -> None:
        span = json.loads(query["time_range"])
        days = _days(span["since"], (date.fromisoformat(span["until"]) + timedelta(1)).isoformat())
        campaigns = self.server.state.ad_accounts.get(node, [])
        count = len(campaigns)

        def rows(first: int, stop: int) -> list[dict[str, Any]]:
            return [
                ad_row(campaigns[i % count], i % count, days[i // count])
                for i in range(first, stop)
            ]

        size = self.server.state.ads_page_size
        self._paged(f"{node}/insights", rows, len(days) * count, query, size)


def ad_row(campaign: str, index: int, day: date) -> dict[str, Any]:
    return {
        **_campaign_row(campaign, index),
        "date_start": day.isoformat(),
        "date_stop": day.isoformat(),
    }


@lru_cache(maxsize=1024)
def _campaign_row(campaign: str, index: int) -> dict[str, Any]:
    """What a campaign's row says on any day (built once: the bench pages thousands of rows).
    Callers copy it, so the cached dict is never changed."""
    purchases = [{"action_type": t, "value": str(CAMPAIGN_ORDERS)} for t in PURCHASE_TYPES]
    values = [{"action_type": t, "value": CAMPAIGN_REVENUE} for t in PURCHASE_TYPES]
    return {
        "campaign_name": campaign,
        "campaign_id": f"2385{index:06d}",
        "spend": CAMPAIGN_SPEND,
        "impressions": str(CAMPAIGN_IMPRESSIONS),
        "inline_link_clicks": str(CAMPAIGN_CLICKS),
        "actions": [{"action_type": "link_click", "value": "41"}, *purchases],
        "action_values": values,
    }


class MetaMock(HttpMock[MetaState]):
    """`with MetaMock() as meta:` then point SMMBOT_META_GRAPH_URL/_WWW_URL at `base_url`."""

    def __init__(self, state: MetaState | None = None) -> None:
        super().__init__(state or MetaState(), _Handler)

    def expire_tokens(self) -> None:
        """The member changed their password or removed the app: every token answers 190."""
        self.state.user_tokens.clear()
        self.state.pages = [
            MockPage(p.id, p.name, "revoked-" + p.token, p.instagram_id, p.instagram_username)
            for p in self.state.pages
        ]

    def report_calls(self) -> list[tuple[str, dict[str, str]]]:
        """Every Graph API call but the sign-in's token exchange (the bench counts these)."""
        return [(path, query) for path, query in self.state.calls if path != "oauth/access_token"]

    def insights_calls(self) -> list[tuple[str, dict[str, str]]]:
        """Insights requests, whether sent alone or inside a batch."""
        requests = [*self.state.calls, *self.state.batched]
        return [(path, query) for path, query in requests if path.endswith("/insights")]
