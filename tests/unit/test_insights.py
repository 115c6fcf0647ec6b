"""Insights maths against rankings worked out by hand: rates, medians, ties, the minimum of
3 posts, the wall-clock blocks of the workspace zone (also across a DST change), free slots."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from smmbot.domain.insights import (
    CellKind,
    PublishedPost,
    compute_insights,
    engagement_rate,
    length_band,
    time_block,
    top_posts,
)
from smmbot.domain.insights_slots import free_slots

JAKARTA = "Asia/Jakarta"


def post(
    item_id: int,
    at: datetime,
    *,
    reach: int = 100,
    likes: int = 0,
    platform: str = "instagram",
    template: str = "",
    pillar: str = "",
    text: str = "hi",
    extra: dict[str, int] | None = None,
) -> PublishedPost:
    results = {"reach": Decimal(reach), "likes": Decimal(likes)}
    results |= {k: Decimal(v) for k, v in (extra or {}).items()}
    return PublishedPost(item_id, platform, at, text, template, pillar, results)


def utc(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_rate_sums_interactions_unless_engagements_are_given() -> None:
    summed = post(1, utc(3, 12), reach=200, likes=10, extra={"comments": 5, "saves": 5})
    assert engagement_rate(summed) == Decimal("0.1")
    given = post(2, utc(3, 12), reach=200, likes=10, extra={"engagements": 50})
    assert engagement_rate(given) == Decimal("0.25")
    assert engagement_rate(post(3, utc(3, 12), reach=0, likes=5)) is None
    no_reach = PublishedPost(4, "instagram", utc(3, 12), "", "", "", {"likes": Decimal(3)})
    assert engagement_rate(no_reach) is None


def test_blocks_are_the_wall_clock_of_the_zone() -> None:
    # Thursday 3 Dec 2026: 14:59 UTC is 21:59 WIB (18-21 block), 15:00 UTC is 22:00 WIB.
    assert time_block(utc(3, 14, 59), JAKARTA) == (3, 21)
    assert time_block(utc(3, 11, 59), JAKARTA) == (3, 18)
    assert time_block(utc(3, 17, 30), JAKARTA) == (4, 0)  # 00:30 Friday in Jakarta
    assert time_block(utc(3, 17, 30), "UTC") == (3, 15)


def test_dst_keeps_the_local_hour() -> None:
    # Europe/Berlin: 19:30 local is 18:30 UTC in winter, 17:30 UTC in summer.
    winter = time_block(datetime(2026, 3, 26, 18, 30, tzinfo=UTC), "Europe/Berlin")
    summer = time_block(datetime(2026, 4, 2, 17, 30, tzinfo=UTC), "Europe/Berlin")
    assert winter == summer == (3, 18)


def test_ranking_medians_minimum_and_ties() -> None:
    thursday_evening = [post(n, utc(3, 12, n), likes=likes) for n, likes in enumerate((4, 6, 8))]
    monday_morning = [post(10 + n, utc(7, 2, n), likes=likes) for n, likes in enumerate((6, 6, 9))]
    friday = [post(20 + n, utc(4, 5, n), likes=20) for n in range(2)]  # only 2 posts
    [found] = compute_insights([*friday, *monday_morning, *thursday_evening], JAKARTA)
    assert found.posts == 8
    assert found.median == Decimal("0.07")  # rates 4,6,6,6,8,9,20,20 % → (6+8)/2
    keys = [(c.key, c.median, c.posts) for c in found.times]
    # Thursday 19:00 WIB and Monday 09:00 WIB both have median 6 %: a tie, earlier weekday first.
    assert keys == [
        ("0|9", Decimal("0.06"), 3),
        ("3|18", Decimal("0.06"), 3),
        ("4|12", None, 2),
    ]
    assert found.best_time is not None and found.ratio(found.best_time) == Decimal(
        "0.06"
    ) / Decimal("0.07")


def test_content_types_and_platform_filter() -> None:
    link = "Menu baru https://kopi.id/menu"
    posts = [
        post(1, utc(1, 3), likes=10, template="promo", pillar="smm", text=link),
        post(2, utc(2, 3), likes=12, template="promo", pillar="smm", text=link),
        post(3, utc(3, 3), likes=14, template="promo", pillar="smm", text=link),
        post(4, utc(4, 3), likes=2, template="tips", pillar="smo", text="x" * 400),
        post(5, utc(5, 3), likes=50, platform="facebook"),
    ]
    [instagram] = compute_insights(posts, JAKARTA, "instagram")
    templates = [(c.key, c.median) for c in instagram.content if c.kind is CellKind.TEMPLATE]
    assert templates == [("promo", Decimal("0.12")), ("tips", None)]
    links = {c.key: c.posts for c in instagram.content if c.kind is CellKind.LINK}
    assert links == {"yes": 3, "no": 1}
    assert [f.platform for f in compute_insights(posts, JAKARTA)] == ["facebook", "instagram"]
    assert (length_band("x" * 100), length_band("x" * 101), length_band("x" * 301)) == (
        "short",
        "medium",
        "long",
    )


def test_top_posts_by_rate() -> None:
    posts = [post(1, utc(1, 3), likes=5), post(2, utc(2, 3), likes=9), post(3, utc(3, 3), likes=9)]
    assert [p.item_id for p, _ in top_posts(posts, 2)] == [2, 3]


def test_free_slots_skip_taken_blocks() -> None:
    posts = [post(n, utc(3, 12, n), likes=6) for n in range(3)]  # Thursdays 19:00 WIB
    posts += [post(10 + n, utc(7, 2, n), likes=3) for n in range(3)]  # Mondays 09:00 WIB
    [found] = compute_insights(posts, JAKARTA)
    now = utc(8, 0)  # Tuesday 8 Dec 07:00 WIB
    [(thursday, _), (monday, _)] = free_slots(found.times, JAKARTA, now, [])
    assert thursday == utc(10, 11)  # Thursday 10 Dec 18:00 WIB
    assert monday == utc(14, 2)
    taken = free_slots(found.times, JAKARTA, now, [utc(10, 13, 30)])  # 20:30 WIB that Thursday
    assert taken[0][0] == utc(17, 11)
