"""A realistic sample workspace, so a new user sees a full digest within a minute of cloning.

Eight weeks of daily readings for every metric (a coffee shop growing on Instagram and running
ads), one SMO and one SMM campaign with targets, and a calendar with published, missed and
upcoming posts. Random but seeded, so every run shows the same story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.insights_repository import InsightsRepository
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import CalendarItem, Campaign, MetricReading
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.competitors_demo import add_demo_competitors
from smmbot.services.context import Actor, ServiceContext
from smmbot.services.demo_posts import DEMO_SOURCE, add_demo_posts

DEMO_WEEKS = 8
SMO_CAMPAIGN = "Kenalan dengan Kopi Nusantara"
SMM_CAMPAIGN = "Promo Akhir Tahun"


@dataclass(frozen=True)
class DemoSummary:
    readings: int
    campaigns: int
    calendar_items: int


def _daily_readings(day: date, index: int, rng: random.Random) -> dict[str, Decimal]:
    growth = 1 + index / 120  # a steady climb over the eight weeks
    reach = int(rng.randint(900, 1400) * growth)
    link_clicks = int(reach * rng.uniform(0.025, 0.04))
    ad_impressions = rng.randint(3000, 5000)
    ad_clicks = int(ad_impressions * rng.uniform(0.012, 0.02))
    orders = int(ad_clicks * rng.uniform(0.03, 0.06) * growth)
    shares = int(reach * rng.uniform(0.01, 0.02))
    return {
        "followers": Decimal(1200 + index * 8 + rng.randint(0, 5)),
        "reach": Decimal(reach),
        "impressions": Decimal(int(reach * rng.uniform(1.8, 2.4))),
        "profile_visits": Decimal(int(reach * rng.uniform(0.04, 0.06))),
        "shares": Decimal(shares),
        "link_clicks": Decimal(link_clicks),
        "social_sessions": Decimal(int(link_clicks * rng.uniform(0.6, 0.8))),
        "ad_impressions": Decimal(ad_impressions),
        "ad_clicks": Decimal(ad_clicks),
        "leads": Decimal(int(ad_clicks * rng.uniform(0.08, 0.12))),
        "orders": Decimal(orders),
        "ad_spend": Decimal(rng.randrange(120_000, 180_000, 5_000)),
        "revenue": Decimal(orders * rng.randrange(65_000, 95_000, 5_000)),
        **_engagement(reach, shares, ad_clicks, rng),
    }


def _engagement(reach: int, shares: int, ad_clicks: int, rng: random.Random) -> dict[str, Decimal]:
    """What a connected Instagram/Facebook account and GA4 would add: interactions and visits
    from paid social, so the demo digest shows the engagement rate too."""
    likes = int(reach * rng.uniform(0.03, 0.05))
    comments = int(likes * rng.uniform(0.05, 0.1))
    saves = int(likes * rng.uniform(0.1, 0.2))
    return {
        "likes": Decimal(likes),
        "comments": Decimal(comments),
        "saves": Decimal(saves),
        "engagements": Decimal(likes + comments + saves + shares),  # all interactions
        "paid_sessions": Decimal(int(ad_clicks * rng.uniform(0.7, 0.9))),
    }


SMM_METRICS = frozenset({"ad_impressions", "ad_clicks", "leads", "orders", "ad_spend", "revenue"})
SMO_CAMPAIGN_METRICS = frozenset({"reach", "impressions", "shares", "link_clicks"})
SMO_START_DAYS_AGO = 30
SMM_START_DAYS_AGO = 21


def _campaign_of(metric: str, day: date, today: date) -> str:
    """Readings belong to a campaign from the day it started, as a real team would log them."""
    if metric in SMM_METRICS and day >= today - timedelta(days=SMM_START_DAYS_AGO):
        return SMM_CAMPAIGN
    if metric in SMO_CAMPAIGN_METRICS and day >= today - timedelta(days=SMO_START_DAYS_AGO):
        return SMO_CAMPAIGN
    return ""


def load_demo(*, ctx: ServiceContext, actor: Actor) -> DemoSummary:
    """Replaces any earlier demo data of this workspace with a fresh eight weeks."""
    now = ctx.clock()
    zone = ZoneInfo(actor.timezone)
    today = now.astimezone(zone).date()
    first_day = today - timedelta(weeks=DEMO_WEEKS) + timedelta(days=1)
    rng = random.Random(20261124)  # noqa: S311  (sample data, not security)
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, actor.team_id).get_or_create(now=now)
        MetricRepository(session, actor.team_id).remove_source(DEMO_SOURCE)
        readings = []
        for index in range((today - first_day).days + 1):
            day = first_day + timedelta(days=index)
            for metric, value in _daily_readings(day, index, rng).items():
                campaign = _campaign_of(metric, day, today)
                readings.append(
                    MetricReading(
                        team_id=actor.team_id,
                        day=day,
                        metric=metric,
                        value=value,
                        campaign=campaign,
                        platform="instagram",
                        source=DEMO_SOURCE,
                        recorded_by=actor.user_id,
                        updated_at=now,
                    )
                )
        session.add_all(readings)
        add_demo_competitors(session, actor.team_id, actor.user_id, (first_day, today), now)
        campaigns = _campaigns(session, actor, today, now)
        InsightsRepository(session, actor.team_id).remove_made_by(DEMO_SOURCE)
        items = _calendar(session, actor, today, zone, now, campaigns)
        items += add_demo_posts(session, actor, today=today, weeks=DEMO_WEEKS, now=now)
    return DemoSummary(readings=len(readings), campaigns=len(campaigns), calendar_items=items)


def _campaigns(session: Session, actor: Actor, today: date, now: datetime) -> dict[str, int]:
    repository = CampaignRepository(session, actor.team_id)
    specs = (
        (
            SMO_CAMPAIGN,
            "smo",
            today - timedelta(days=30),
            today + timedelta(days=30),
            None,
            {"reach": "45000", "followers": "1800"},
        ),
        (
            SMM_CAMPAIGN,
            "smm",
            today - timedelta(days=21),
            today + timedelta(days=14),
            Decimal(6_000_000),
            {"revenue": "30000000", "orders": "400"},
        ),
    )
    ids: dict[str, int] = {}
    for name, objective, start, end, budget, targets in specs:
        campaign = repository.find_by_name(name)
        if campaign is None:
            campaign = repository.add(
                Campaign(
                    name=name,
                    objective=objective,
                    start_date=start,
                    end_date=end,
                    budget=budget,
                    currency="IDR",
                    platforms=["instagram", "facebook"],
                    targets=targets,
                    owner_id=None,
                    created_by=actor.user_id,
                    created_at=now,
                )
            )
        ids[name] = campaign.id
    return ids


class _DemoPost(NamedTuple):
    days_from_today: int
    hour: int
    status: str
    platform: str
    campaign: str
    text: str


_DEMO_POSTS: Final = (
    _DemoPost(
        -5,
        10,
        "published",
        "instagram",
        SMO_CAMPAIGN,
        "Di balik layar: beginilah kami menyangrai biji kopi setiap pagi ☕",
    ),
    _DemoPost(
        -3,
        12,
        "published",
        "facebook",
        SMM_CAMPAIGN,
        "Promo akhir tahun: beli 2 Kopi Susu Gula Aren, gratis 1!",
    ),
    _DemoPost(
        -2,
        19,
        "missed",
        "x",
        SMM_CAMPAIGN,
        "Flash sale malam ini saja, diskon 30% sampai jam 22.00",
    ),
    _DemoPost(
        1, 9, "scheduled", "instagram", SMO_CAMPAIGN, "5 cara menyeduh kopi lebih enak di rumah"
    ),
    _DemoPost(
        3,
        11,
        "scheduled",
        "instagram",
        SMM_CAMPAIGN,
        "Tinggal 3 hari lagi! Promo akhir tahun berakhir Minggu",
    ),
    _DemoPost(
        6,
        15,
        "scheduled",
        "linkedin",
        SMO_CAMPAIGN,
        "Terima kasih 1.500 pengikut: cerita perjalanan kami",
    ),
)
"""Published, missed and upcoming posts around today, in both campaigns."""


def _calendar(
    session: Session,
    actor: Actor,
    today: date,
    zone: ZoneInfo,
    now: datetime,
    campaigns: dict[str, int],
) -> int:
    repository = CalendarRepository(session, actor.team_id)
    repository.remove_created_by(DEMO_SOURCE)
    for post in _DEMO_POSTS:
        day = today + timedelta(days=post.days_from_today)
        repository.add(
            CalendarItem(
                due_at=datetime.combine(day, time(post.hour), tzinfo=zone),
                timezone=actor.timezone,
                text=post.text,
                platform=post.platform,
                campaign_id=campaigns[post.campaign],
                draft_id=None,
                channel_id=actor.channel_id or "",
                owner_id=actor.user_id,
                status=post.status,
                published_url=None,
                created_by=DEMO_SOURCE,
                created_at=now,
                updated_at=now,
            )
        )
    return len(_DEMO_POSTS)
