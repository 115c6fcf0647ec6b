"""Competitors: who they are (a name and their public handles) and what their readings say.

A competitor's numbers are theirs, never ours: they live apart from the workspace's own metric
readings, so no total, digest line or target of ours can ever count them. What a member sees
(latest followers, growth over four weeks, posts a week, engagement per post) is computed here
from the per-day readings, so a number shown is always one that was read or logged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MAX_COMPETITORS = 10
"""Enough to benchmark a local market; each one costs a Graph call per sync."""
MAX_NAME = 40
FOLLOWERS = "followers"
POSTS = "posts"
ENGAGEMENTS = "engagements"
COMPETITOR_METRICS = (FOLLOWERS, POSTS, ENGAGEMENTS)
"""Followers are a level (the day's gauge); posts and engagements are counted per day."""
GROWTH_WEEKS = 4
_INSTAGRAM = re.compile(r"[a-z0-9._]{1,30}")
_FACEBOOK = re.compile(r"[A-Za-z0-9.\-]{1,50}")
_FACEBOOK_URL = re.compile(r"(?:https?://)?(?:www\.|m\.)?facebook\.com/([^/?#\s]+)/?")


def name_key(name: str) -> str:
    """Names are matched as people type them: `Kopi Kenangan` and `kopi kenangan` are one."""
    return " ".join(name.split()).casefold()


def read_name(typed: str) -> str | None:
    name = " ".join(typed.split())
    return name if 0 < len(name) <= MAX_NAME and not name.startswith("@") else None


def read_instagram(typed: str) -> str | None:
    """An Instagram username (`@kopikenangan.id`): letters, digits, `.` and `_`, at most 30;
    Instagram keeps them lowercase, so `@KopiKenangan` is the same account."""
    handle = typed.strip().removeprefix("@").lower()
    ok = _INSTAGRAM.fullmatch(handle) and not handle.startswith(".") and ".." not in handle
    return handle if ok and not handle.endswith(".") else None


def read_facebook(typed: str) -> str | None:
    """A Page's username or its address (`facebook.com/kopikenangan`)."""
    text = typed.strip().removeprefix("@")
    found = _FACEBOOK_URL.fullmatch(text)
    page = found.group(1) if found else text
    return page if _FACEBOOK.fullmatch(page) else None


@dataclass(frozen=True)
class DayReading:
    day: date
    metric: str
    value: Decimal


@dataclass(frozen=True)
class Standing:
    """Where a competitor stands on `today`; None where the readings cannot tell."""

    followers: Decimal | None
    growth: Decimal | None
    growth_percent: Decimal | None
    posts_per_week: Decimal | None
    engagement_per_post: Decimal | None

    @property
    def has_data(self) -> bool:
        return self.followers is not None or self.posts_per_week is not None


def _rounded(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def standing(readings: Sequence[DayReading], today: date, weeks: int = GROWTH_WEEKS) -> Standing:
    """Followers: the latest level; growth: against the last level on or before `weeks` ago
    (else the first level since, when there are two days to compare). Posts a week and
    engagement per post: over the `weeks` ending `today`, only from days with posts logged."""
    start = today - timedelta(weeks=weeks)
    levels = sorted((r.day, r.value) for r in readings if r.metric == FOLLOWERS and r.day <= today)
    latest = levels[-1] if levels else None
    before = [level for level in levels if level[0] <= start]
    baseline = before[-1] if before else (levels[0] if levels else None)
    growth = percent = None
    if latest is not None and baseline is not None and baseline[0] < latest[0]:
        growth = latest[1] - baseline[1]
        percent = _rounded(growth * 100 / baseline[1]) if baseline[1] else None
    window = [r for r in readings if start < r.day <= today]
    posts = sum((r.value for r in window if r.metric == POSTS), Decimal(0))
    posted_days = {r.day for r in window if r.metric == POSTS}
    engagements = sum(
        (r.value for r in window if r.metric == ENGAGEMENTS and r.day in posted_days), Decimal(0)
    )
    has_engagement = any(r.metric == ENGAGEMENTS and r.day in posted_days for r in window)
    return Standing(
        followers=latest[1] if latest else None,
        growth=growth,
        growth_percent=percent,
        posts_per_week=_rounded(posts / weeks) if posted_days else None,
        engagement_per_post=_rounded(engagements / posts) if posts and has_engagement else None,
    )


METRIC_WORDS = {
    "followers": FOLLOWERS,
    "pengikut": FOLLOWERS,
    "posts": POSTS,
    "unggahan": POSTS,
    "engagements": ENGAGEMENTS,
    "interaksi": ENGAGEMENTS,
}
"""What `log … competitor=` takes, in both languages (the catalog's Indonesian metric names)."""


def read_competitor_metric(word: str) -> str | None:
    return METRIC_WORDS.get(word.strip().casefold())
