"""What worked: the best weekday x time blocks and content types per platform, from the
engagement rate of the workspace's own published posts.

Pure maths over `PublishedPost`s, so a ranking can be checked by hand. The engagement rate of a
post is engagements / reach; engagements are the post's own `engagements` reading when it has
one, else likes + comments + shares + saves (those it has). A post without reach (or with zero
reach) has no rate and is left out, never counted as 0. A cell ranks by the median rate of its
posts and needs `MIN_POSTS` of them; below that it is "not enough data" and unranked.
Time blocks are 3 hours of the wall clock in the workspace's zone (00-03, 03-06, …, 21-24), so
a post at 21:59 and one at 22:00 fall in different blocks, and after a change of daylight
saving time a 19:00 post is still a 19:00 post.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from statistics import median
from zoneinfo import ZoneInfo

BLOCK_HOURS = 3
MIN_POSTS = 3
DEFAULT_WEEKS = 16
POST_SOURCE_PREFIX = "post:"
"""A post's own readings carry `post:<calendar item id>` as their source."""
POST_METRICS = ("reach", "impressions", "likes", "comments", "shares", "saves", "link_clicks")
"""What `/smm log <metric> <value> post=<id>` takes, besides `engagements`."""
INTERACTIONS = ("likes", "comments", "shares", "saves")
SHORT_TEXT, LONG_TEXT = 100, 300
"""Length bands: up to 100 characters is short, over 300 long, medium between."""


def post_source(item_id: int) -> str:
    return f"{POST_SOURCE_PREFIX}{item_id}"


def post_id(source: str) -> int | None:
    """The calendar item a post reading belongs to, None for an account-level source."""
    if not source.startswith(POST_SOURCE_PREFIX):
        return None
    rest = source[len(POST_SOURCE_PREFIX) :]
    return int(rest) if rest.isdigit() else None


class CellKind(StrEnum):
    TIME = "time"
    TEMPLATE = "template"
    PILLAR = "pillar"
    LINK = "link"
    LENGTH = "length"


@dataclass(frozen=True)
class PublishedPost:
    item_id: int
    platform: str
    published_at: datetime
    text: str
    template: str
    pillar: str
    results: Mapping[str, Decimal]


def engagements(results: Mapping[str, Decimal]) -> Decimal | None:
    if "engagements" in results:
        return results["engagements"]
    parts = [results[name] for name in INTERACTIONS if name in results]
    return sum(parts, Decimal(0)) if parts else None


def engagement_rate(post: PublishedPost) -> Decimal | None:
    reach, engaged = post.results.get("reach"), engagements(post.results)
    if reach is None or engaged is None or reach <= 0:
        return None
    return engaged / reach


def time_block(moment: datetime, zone: str) -> tuple[int, int]:
    """(weekday 0 = Monday, first hour of the block) on the wall clock of `zone`."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday(), local.hour - local.hour % BLOCK_HOURS


def has_link(text: str) -> bool:
    return "http://" in text or "https://" in text or "<http" in text


def length_band(text: str) -> str:
    size = len(text)
    return "short" if size <= SHORT_TEXT else "long" if size > LONG_TEXT else "medium"


@dataclass(frozen=True)
class Cell:
    """A weekday x block (key `"3|18"`) or a content type (template name, `yes`/`no`,
    `short`/`medium`/`long`); `median` is None below `MIN_POSTS` posts."""

    kind: CellKind
    key: str
    posts: int
    median: Decimal | None

    @property
    def block(self) -> tuple[int, int]:
        weekday, hour = self.key.split("|")
        return int(weekday), int(hour)


@dataclass(frozen=True)
class PlatformInsights:
    platform: str
    posts: int
    median: Decimal
    times: tuple[Cell, ...]
    content: tuple[Cell, ...]

    def ratio(self, cell: Cell) -> Decimal | None:
        if cell.median is None or self.median <= 0:
            return None
        return cell.median / self.median

    @property
    def best_time(self) -> Cell | None:
        return self.times[0] if self.times and self.times[0].median is not None else None


def _sort_key(kind: CellKind, key: str) -> tuple[int, int, str]:
    if kind is CellKind.TIME:
        weekday, hour = key.split("|")
        return int(weekday), int(hour), ""
    return 0, 0, key


def rank(kind: CellKind, groups: Mapping[str, Sequence[Decimal]]) -> tuple[Cell, ...]:
    """Cells with enough posts by median rate, highest first (a tie: more posts first, then
    the earlier weekday and block, or the name); then the others by posts, most first."""
    cells = [
        Cell(kind, key, len(rates), median(rates) if len(rates) >= MIN_POSTS else None)
        for key, rates in groups.items()
    ]
    rated = sorted(
        (c for c in cells if c.median is not None),
        key=lambda c: (-(c.median or 0), -c.posts, _sort_key(kind, c.key)),
    )
    unrated = sorted(
        (c for c in cells if c.median is None), key=lambda c: (-c.posts, _sort_key(kind, c.key))
    )
    return (*rated, *unrated)


def _content_keys(post: PublishedPost) -> Iterable[tuple[CellKind, str]]:
    if post.template:
        yield CellKind.TEMPLATE, post.template
    if post.pillar:
        yield CellKind.PILLAR, post.pillar
    yield CellKind.LINK, "yes" if has_link(post.text) else "no"
    yield CellKind.LENGTH, length_band(post.text)


def platform_insights(
    platform: str, posts: Iterable[PublishedPost], zone: str
) -> PlatformInsights | None:
    """One platform's ranking, None when none of its posts has a rate."""
    rated = [(post, rate) for post in posts if (rate := engagement_rate(post)) is not None]
    if not rated:
        return None
    times: dict[str, list[Decimal]] = {}
    content: dict[CellKind, dict[str, list[Decimal]]] = {}
    for post, rate in rated:
        weekday, hour = time_block(post.published_at, zone)
        times.setdefault(f"{weekday}|{hour}", []).append(rate)
        for kind, key in _content_keys(post):
            content.setdefault(kind, {}).setdefault(key, []).append(rate)
    ranked_content = [cell for kind in CellKind for cell in rank(kind, content.get(kind, {}))]
    return PlatformInsights(
        platform=platform,
        posts=len(rated),
        median=median(rate for _, rate in rated),
        times=rank(CellKind.TIME, times),
        content=tuple(ranked_content),
    )


def compute_insights(
    posts: Iterable[PublishedPost], zone: str, platform: str = ""
) -> tuple[PlatformInsights, ...]:
    """Per platform (alphabetical), or only `platform` when given."""
    by_platform: dict[str, list[PublishedPost]] = {}
    for post in posts:
        if not platform or post.platform == platform:
            by_platform.setdefault(post.platform, []).append(post)
    found = (platform_insights(name, by_platform[name], zone) for name in sorted(by_platform))
    return tuple(insight for insight in found if insight is not None)


def top_posts(
    posts: Iterable[PublishedPost], limit: int
) -> tuple[tuple[PublishedPost, Decimal], ...]:
    """The posts with the highest rate (a tie: the earlier post first)."""
    rated = [(post, rate) for post in posts if (rate := engagement_rate(post)) is not None]
    rated.sort(key=lambda pair: (-pair[1], pair[0].published_at, pair[0].item_id))
    return tuple(rated[:limit])
