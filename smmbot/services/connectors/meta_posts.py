"""A published post's own results from the Graph API, for its first week.

The member marks a post published with its link; that link is how we find the post. Instagram:
`/{ig-user-id}/media?fields=id,permalink,timestamp` lists the account's media (newest first)
and a `permalink` equal to the link names the media, whose `/{media-id}/insights` with
`metric=reach,likes,comments,shares,saved,views` are lifetime totals. Facebook:
`/{page-id}/published_posts?fields=id,permalink_url,created_time` the same way, then
`/{post-id}/insights?metric=post_impressions_unique,post_reactions_by_type_total` (reach and
reactions, counted as likes) and `/{post-id}?fields=shares,comments.summary(true)`.
Links are compared without scheme, `www.`, query and trailing slash, case-blind for the host.
Each answer becomes readings with the source `post:<item id>` on the post's own local day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from smmbot.services.connectors.base import (
    CampaignLabel,
    ConnectorError,
    CredentialsRejected,
    FetchedReading,
    PostRef,
    RateLimited,
)
from smmbot.services.connectors.meta_graph import GraphClient, number

log = logging.getLogger(__name__)

MEDIA_METRICS = {
    "reach": "reach",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saved": "saves",
    "views": "impressions",
}
PAGE_POST_METRICS = ("post_impressions_unique", "post_reactions_by_type_total")
LISTED_PAGES = 3
"""Pages of the media list read at most: a week of posts is on the first page or two."""


def link_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.casefold().removeprefix("www.").removeprefix("m.")
    return f"{host}{parts.path.rstrip('/')}"


def _readings(ref: PostRef, values: Mapping[str, Any]) -> list[FetchedReading]:
    label = CampaignLabel(ref.campaign, "name") if ref.campaign else None
    return [
        FetchedReading(ref.day, metric, number(value), ref.source, ref.platform, label)
        for metric, value in values.items()
    ]


def _matched(
    graph: GraphClient, token: str, path: str, fields: str, refs: Sequence[PostRef]
) -> Iterable[tuple[PostRef, str]]:
    """(ref, Graph id) for each ref whose link the listed posts hold."""
    wanted = {link_key(ref.url): ref for ref in refs}
    link_field = fields.split(",")[1]
    listing = graph.pages(token, path, {"fields": fields}, f"{path} list")
    for _, rows in zip(range(LISTED_PAGES), listing, strict=False):
        for row in rows:
            link = row.get(link_field)
            ref = wanted.pop(link_key(link), None) if isinstance(link, str) else None
            if ref is not None and isinstance(row.get("id"), str):
                yield ref, row["id"]
        if not wanted:
            return


def _insight_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """`{name: value}` of an insights answer: lifetime `values[0].value` or `total_value`."""
    found: dict[str, Any] = {}
    for entry in data.get("data") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        total, values = entry.get("total_value"), entry.get("values")
        if isinstance(total, dict):
            found[entry["name"]] = total.get("value")
        elif isinstance(values, list) and values and isinstance(values[-1], dict):
            found[entry["name"]] = values[-1].get("value")
    return found


def _media_readings(
    graph: GraphClient, token: str, ref: PostRef, graph_id: str
) -> list[FetchedReading]:
    data = graph.get(
        token, f"{graph_id}/insights", {"metric": ",".join(MEDIA_METRICS)}, "media insights"
    )
    values = _insight_values(data)
    return _readings(ref, {MEDIA_METRICS[k]: v for k, v in values.items() if k in MEDIA_METRICS})


def _page_post_readings(
    graph: GraphClient, token: str, ref: PostRef, graph_id: str
) -> list[FetchedReading]:
    insights = _insight_values(
        graph.get(
            token, f"{graph_id}/insights", {"metric": ",".join(PAGE_POST_METRICS)}, "post insights"
        )
    )
    counts = graph.get(token, graph_id, {"fields": "shares,comments.summary(true)"}, "post fields")
    values: dict[str, Any] = {}
    if "post_impressions_unique" in insights:
        values["reach"] = insights["post_impressions_unique"]
    reactions = insights.get("post_reactions_by_type_total")
    if isinstance(reactions, dict):
        values["likes"] = int(sum(number(v) for v in reactions.values()))
    shares, comments = counts.get("shares"), counts.get("comments")
    values["shares"] = shares.get("count", 0) if isinstance(shares, dict) else 0
    summary = comments.get("summary") if isinstance(comments, dict) else None
    if isinstance(summary, dict):
        values["comments"] = summary.get("total_count", 0)
    return _readings(ref, values)


def fetch_post_results(
    graph: GraphClient, *, account_id: str, instagram: bool, token: str, refs: Sequence[PostRef]
) -> list[FetchedReading]:
    """The results of the posts `refs` names on one account; a post whose answer is unusable
    is skipped and logged, a rejected token or a rate limit stops the sync as usual."""
    if not refs:
        return []
    path, fields, read = f"{account_id}/media", "id,permalink,timestamp", _media_readings
    if not instagram:
        path, fields = f"{account_id}/published_posts", "id,permalink_url,created_time"
        read = _page_post_readings
    readings: list[FetchedReading] = []
    for ref, graph_id in _matched(graph, token, path, fields, refs):
        try:
            readings.extend(read(graph, token, ref, graph_id))
        except (CredentialsRejected, RateLimited):
            raise
        except (ConnectorError, TypeError, ValueError) as error:
            log.warning("post #%d results skipped: %s", ref.item_id, error)
    return readings
