"""The website share bar's rules: which networks a beacon may name, what a beacon must hold,
and which beacons are counted (not bots, not repeats, not floods).

The gate keeps its memory in this process only, on purpose: a share count is analytics, the
window is a minute, and nothing about a visitor is stored — the IP arrives already hashed with
a per-process salt and is forgotten when its window ends. With several bot processes each one
limits on its own, so a flood is cut at a small multiple of the limits instead of exactly at them.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from urllib.parse import urlsplit

NETWORKS: Final = ("facebook", "x", "linkedin", "whatsapp", "telegram", "copy")
"""What the bar shows, in order; `copy` is the Copy-link button, counted like a network."""
DEFAULT_CAMPAIGN: Final = "share-bar"
READING_SOURCE: Final = "share_bar"
MAX_BODY_BYTES: Final = 2_048
MAX_PAGE_URL: Final = 2_000
MAX_CAMPAIGN: Final = 100  # GA4 keeps 100 characters of a campaign name; so does `/smm link`
DUPLICATE_SECONDS: Final = 60.0
PER_IP_PER_MINUTE: Final = 20
PER_KEY_PER_MINUTE: Final = 600
_KEY_ALPHABET: Final = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-")
_BOTS: Final = (
    "bot",
    "crawler",
    "spider",
    "slurp",
    "headlesschrome",
    "phantomjs",
    "facebookexternalhit",
    "curl/",
    "wget/",
    "python-requests",
    "python-httpx",
    "go-http-client",
)


class BeaconProblem(StrEnum):
    NOT_JSON = "not_json"
    BAD_KEY = "bad_key"
    BAD_NETWORK = "bad_network"
    BAD_URL = "bad_url"
    BAD_CAMPAIGN = "bad_campaign"


@dataclass(frozen=True)
class Beacon:
    key: str
    network: str
    page_url: str
    campaign: str | None = None  # the snippet's `data-campaign` slug, when it has one


class BeaconError(ValueError):
    def __init__(self, problem: BeaconProblem) -> None:
        self.problem = problem
        super().__init__(problem.value)


def parse_beacon(body: bytes) -> Beacon:
    """`{"k": public key, "n": network, "u": page URL, "c": campaign slug}`, as share.js sends
    it (text/plain, so `navigator.sendBeacon` needs no CORS preflight); `c` only from a snippet
    made with `campaign=`."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BeaconError(BeaconProblem.NOT_JSON) from error
    if not isinstance(data, dict):
        raise BeaconError(BeaconProblem.NOT_JSON)
    key, network, url = data.get("k"), data.get("n"), data.get("u")
    if not isinstance(key, str) or not 8 <= len(key) <= 32 or not set(key) <= _KEY_ALPHABET:
        raise BeaconError(BeaconProblem.BAD_KEY)
    if network not in NETWORKS:
        raise BeaconError(BeaconProblem.BAD_NETWORK)
    if not isinstance(url, str) or not is_page_url(url):
        raise BeaconError(BeaconProblem.BAD_URL)
    campaign = data.get("c")
    if campaign is not None and (
        not isinstance(campaign, str) or not 1 <= len(campaign) <= MAX_CAMPAIGN
    ):
        raise BeaconError(BeaconProblem.BAD_CAMPAIGN)
    return Beacon(key=key, network=str(network), page_url=url, campaign=campaign)


def is_page_url(url: str) -> bool:
    """An http(s) address with a host, of a length a browser would send."""
    if len(url) > MAX_PAGE_URL:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def is_bot(user_agent: str) -> bool:
    """Crawlers, preview fetchers, scripts and headless browsers; no user agent at all too."""
    agent = user_agent.lower()
    return not agent.strip() or any(marker in agent for marker in _BOTS)


class Verdict(StrEnum):
    COUNT = "count"
    DUPLICATE = "duplicate"
    LIMITED = "limited"


class _Window:
    """Timestamps of the last minute per key, oldest first, at most `limit` kept per key."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float) -> bool:
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= 60.0:
            hits.popleft()
        if len(hits) >= self._limit:
            return False
        hits.append(now)
        return True

    def forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or now - hits[-1] >= 60.0]:
            del self._hits[key]


class ShareGate:
    """Decides, per beacon, whether it is counted. Thread-safe (one lock; the work is tiny).

    A duplicate is the same visitor (IP hash), page and network within `DUPLICATE_SECONDS`;
    a flood is more than `PER_IP_PER_MINUTE` beacons from one IP or `PER_KEY_PER_MINUTE`
    for one workspace. A limited or duplicate beacon does not use up the budget.
    """

    def __init__(
        self, *, per_ip: int = PER_IP_PER_MINUTE, per_key: int = PER_KEY_PER_MINUTE
    ) -> None:
        self._lock = threading.Lock()
        self._per_ip = _Window(per_ip)
        self._per_key = _Window(per_key)
        self._seen: OrderedDict[tuple[str, str, str, str], float] = OrderedDict()
        self._last_sweep = 0.0

    def check(self, beacon: Beacon, *, visitor: str, now: float) -> Verdict:
        seen_key = (visitor, beacon.key, beacon.page_url, beacon.network)
        with self._lock:
            self._sweep(now)
            seen_at = self._seen.get(seen_key)
            if seen_at is not None and now - seen_at < DUPLICATE_SECONDS:
                return Verdict.DUPLICATE
            if not self._per_ip.allow(visitor, now) or not self._per_key.allow(beacon.key, now):
                return Verdict.LIMITED
            self._seen[seen_key] = now
            self._seen.move_to_end(seen_key)
            return Verdict.COUNT

    def _sweep(self, now: float) -> None:
        """Forget what is older than a minute, so memory follows traffic, not history."""
        while self._seen:
            oldest_key, oldest_at = next(iter(self._seen.items()))
            if now - oldest_at < DUPLICATE_SECONDS:
                break
            del self._seen[oldest_key]
        if now - self._last_sweep >= 60.0:
            self._per_ip.forget_idle(now)
            self._per_key.forget_idle(now)
            self._last_sweep = now
