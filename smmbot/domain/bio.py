"""Link-in-bio rules: what a link may be, how long its title, how positions move.

Instagram and TikTok captions cannot hold a clickable link, so the bio page is where a post
points; it only ever links to http(s) addresses, each through one of our short links.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeVar
from urllib.parse import urlsplit

MAX_LINKS: Final = 30
MAX_TITLE: Final = 100
MAX_URL: Final = 2_000
SHORT_LINK_SOURCE: Final = "bio"
SHORT_LINK_CAMPAIGN: Final = "link-in-bio"

T = TypeVar("T")


def is_web_url(url: str) -> bool:
    """http(s) with a host and nothing unprintable: the only links a bio page may carry."""
    if len(url) > MAX_URL:
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(host)
        and not any(char.isspace() or not char.isprintable() for char in url)
    )


def moved(items: Sequence[T], source: int, target: int) -> list[T]:
    """`items` with the one at 1-based `source` moved to 1-based `target` (both in range)."""
    reordered = list(items)
    item = reordered.pop(source - 1)
    reordered.insert(target - 1, item)
    return reordered
