"""Per-post results through a Meta sync against the Graph mock: an Instagram media found by its
permalink (over two pages of the media list) and its lifetime insights, a Facebook Page post's
insights and counts, the 7-day window, and totals that count a post once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from smmbot.persistence.models import CalendarItem, MetricDailyRollup
from smmbot.services.context import ServiceContext
from smmbot.services.sources_sync import sync_due
from tests.integration.test_insights import add_item
from tests.integration.test_meta_sources import connected_ctx, meta, readings, sign_in
from tests.support.meta_mock import MetaMock, MockMedia, MockPagePost

__all__ = ["connected_ctx", "meta"]  # fixtures
pytestmark = pytest.mark.usefixtures("workspaces")
IG = "17841400000000001"
SUNDAY = date(2026, 11, 22)
MEDIA_INSIGHTS = {"reach": 400, "likes": 30, "comments": 4, "shares": 2, "saved": 4, "views": 900}


def platform_total(ctx: ServiceContext, metric: str, platform: str, day: date) -> Decimal:
    with ctx.db.transaction() as session:
        return session.scalars(
            select(MetricDailyRollup.total).where(
                MetricDailyRollup.team_id == "T1",
                MetricDailyRollup.dimension == "platform",
                MetricDailyRollup.key == platform,
                MetricDailyRollup.metric == metric,
                MetricDailyRollup.day == day,
            )
        ).one()


def add_posts(ctx: ServiceContext, meta: MetaMock) -> tuple[int, int, int]:
    sunday_noon = datetime(2026, 11, 22, 5, tzinfo=UTC)  # 12:00 WIB
    instagram = add_item(ctx, sunday_noon)
    facebook = add_item(ctx, sunday_noon, platform="facebook")
    old = add_item(ctx, datetime(2026, 11, 10, 5, tzinfo=UTC))
    with ctx.db.transaction() as session:
        links = {
            instagram: "https://instagram.com/p/ABC123?igsh=x",
            facebook: "https://www.facebook.com/tokokopi/posts/pfbid02xyz/",
            old: "https://www.instagram.com/p/OLD1/",
        }
        for item_id, link in links.items():
            row = session.get(CalendarItem, item_id)
            assert row is not None
            row.published_url = link
    meta.state.media = [
        MockMedia(IG, "m-old", "https://www.instagram.com/p/OLD1/", "2026-11-10T05:00:00+0000",
                  MEDIA_INSIGHTS),
        MockMedia(IG, "m-1", "https://www.instagram.com/p/ABC123/", "2026-11-22T05:00:00+0000",
                  MEDIA_INSIGHTS),
        MockMedia(IG, "m-2", "https://www.instagram.com/p/OTHER/", "2026-11-23T05:00:00+0000",
                  MEDIA_INSIGHTS),
        MockMedia(IG, "m-3", "https://www.instagram.com/reel/NEW/", "2026-11-23T09:00:00+0000",
                  MEDIA_INSIGHTS),
    ]  # fmt: skip
    meta.state.page_posts = [
        MockPagePost("101", "101_9", "https://www.facebook.com/tokokopi/posts/pfbid02xyz",
                     "2026-11-22T05:00:00+0000", 300, {"like": 20, "love": 5}, 3, 2),
    ]  # fmt: skip
    return instagram, facebook, old


def test_a_sync_reads_each_recent_posts_own_results(
    connected_ctx: ServiceContext, meta: MetaMock
) -> None:
    instagram, facebook, old = add_posts(connected_ctx, meta)
    sign_in(connected_ctx)
    assert sync_due(ctx=connected_ctx, worker_id="w1").synced == 1
    listed = [q for p, q in meta.state.calls if p == f"{IG}/media"]
    assert listed[0]["fields"] == "id,permalink,timestamp" and len(listed) == 2  # two pages
    media_calls = [q for p, q in meta.state.calls if p == "m-1/insights"]
    assert [q["metric"] for q in media_calls] == ["reach,likes,comments,shares,saved,views"]
    assert not [p for p, _ in meta.state.calls if p == "m-old/insights"]  # over 7 days old
    found = readings(connected_ctx)
    own = {m: v for (d, m, _, p, s), v in found.items() if s == f"post:{instagram}"}
    assert own == {
        "reach": 400, "likes": 30, "comments": 4, "shares": 2, "saves": 4, "impressions": 900,
    }  # fmt: skip
    assert all(day == SUNDAY for day, *_ in found if _[-1] == f"post:{instagram}")
    page = {m: v for (_, m, _, _, s), v in found.items() if s == f"post:{facebook}"}
    assert page == {"reach": 300, "likes": 25, "comments": 3, "shares": 2}
    assert not [key for key in found if key[4] == f"post:{old}"]
    # Totals: Instagram's account-level likes (90 a day) already hold the post's 30; Facebook's
    # Page insights have reach (600) but no likes, so the post's own 25 likes count there.
    assert platform_total(connected_ctx, "likes", "instagram", SUNDAY) == 90
    assert platform_total(connected_ctx, "reach", "facebook", SUNDAY) == 600
    assert platform_total(connected_ctx, "likes", "facebook", SUNDAY) == 25
