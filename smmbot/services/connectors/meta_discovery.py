"""Instagram Business Discovery: another business or creator account's public numbers.

`GET /{our-ig-user-id}?fields=business_discovery.username(<handle>){followers_count,
media_count,media{like_count,comments_count,timestamp}}` answers their follower count and their
media newest first, 25 to a page; the next page is asked for with `media.after(<cursor>)` in
the same field expansion, the cursor being `media.paging.cursors.after` (Graph may send a
cursor on the last page too; only a page with `paging.next` has another after it). Paging
stops at the first page that reaches back past `since`. A handle that is no business or
creator account is Graph's "Invalid user id" (code 110, subcode 2207013): `UnknownUser`,
never a zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from smmbot.services.connectors.base import ConnectorError
from smmbot.services.connectors.meta_graph import GraphClient, number

MAX_MEDIA_PAGES = 20
"""25 posts a page: five hundred posts is more than 90 days of any shop's feed."""
MEDIA_FIELDS = "{like_count,comments_count,timestamp}"


@dataclass(frozen=True)
class Discovered:
    """Followers now, and each post read (its time and likes plus comments), newest first."""

    followers: Decimal
    media: tuple[tuple[datetime, Decimal], ...]


def discovery_fields(handle: str, cursor: str | None) -> str:
    media = f"media.after({cursor})" if cursor else "media"
    return (
        f"business_discovery.username({handle})"
        f"{{followers_count,media_count,{media}{MEDIA_FIELDS}}}"
    )


def _post(row: Mapping[str, Any]) -> tuple[datetime, Decimal]:
    """A post whose owner hides its likes has no `like_count`: its comments still count."""
    try:
        when = datetime.strptime(str(row["timestamp"]), "%Y-%m-%dT%H:%M:%S%z")
    except (KeyError, ValueError) as error:
        raise ConnectorError("Business Discovery: a post without a timestamp") from error
    likes = number(row["like_count"]) if "like_count" in row else Decimal(0)
    comments = number(row["comments_count"]) if "comments_count" in row else Decimal(0)
    return when, likes + comments


def _page(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[dict[str, Any]], str | None]:
    found = data.get("business_discovery")
    if not isinstance(found, dict):
        raise ConnectorError("Business Discovery: no business_discovery")
    media = found.get("media") or {"data": []}
    rows = media.get("data") if isinstance(media, dict) else None
    if not isinstance(rows, list):
        raise ConnectorError("Business Discovery: no media list")
    paging = media.get("paging")
    more = isinstance(paging, dict) and "next" in paging  # documented: no next, no more pages
    cursors = paging.get("cursors") if more and isinstance(paging, dict) else None
    after = cursors.get("after") if isinstance(cursors, dict) else None
    return (
        found,
        [r for r in rows if isinstance(r, dict)],
        after if isinstance(after, str) else None,
    )


def discover(
    graph: GraphClient, ig_user_id: str, token: str, handle: str, since: datetime
) -> Discovered:
    """Their followers and every post since `since` (and the rest of the page that reaches it)."""
    followers: Decimal | None = None
    media: list[tuple[datetime, Decimal]] = []
    cursor: str | None = None
    for _ in range(MAX_MEDIA_PAGES):
        params = {"fields": discovery_fields(handle, cursor)}
        found, rows, after = _page(graph.get(token, ig_user_id, params, "Business Discovery"))
        if followers is None:
            followers = number(found.get("followers_count"))
        posts = [_post(row) for row in rows]
        media.extend(posts)
        if not posts or not after or min(when for when, _ in posts) < since:
            break
        cursor = after
    assert followers is not None
    return Discovered(followers, tuple(media))
