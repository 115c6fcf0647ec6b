"""A campaign as members see it: its status, its progress towards its targets, its posts.

`campaign show`, `campaign new` and `campaign edit` all answer with it, so what a campaign
"stands at" is worked out in one place, the way the digest works it out.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.campaigns import campaign_status, days_left
from smmbot.domain.digest import campaign_achieved, target_progress
from smmbot.persistence.calendar_repository import CalendarRepository, ItemFilter
from smmbot.persistence.digest_repository import DigestRepository
from smmbot.persistence.models import Campaign
from smmbot.rendering import campaigns as replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.context import Actor, ServiceContext


def campaign_today(ctx: ServiceContext, actor: Actor) -> date:
    return ctx.clock().astimezone(ZoneInfo(actor.timezone)).date()


def campaign_view(campaign: Campaign, today: date) -> replies.CampaignView:
    status = campaign_status(
        campaign.start_date, campaign.end_date, campaign.closed_at is not None, today
    )
    return replies.CampaignView(
        name=campaign.name,
        objective=campaign.objective,
        start=campaign.start_date,
        end=campaign.end_date,
        status=status.value,
        days_left=days_left(campaign.end_date, today) if status.value == "active" else None,
        budget=campaign.budget,
        currency=campaign.currency,
        owner_id=campaign.owner_id,
        platforms=campaign.platforms,
    )


def campaign_reply(
    session: Session, ctx: ServiceContext, actor: Actor, tr: Translator, campaign: Campaign
) -> Reply:
    """The campaign as it stands: its plan, its progress so far and what is scheduled for it."""
    now, today = ctx.clock(), campaign_today(ctx, actor)
    calendar = CalendarRepository(session, actor.team_id)
    upcoming = calendar.count_upcoming(campaign_id=campaign.id, after=now)
    items = [
        replies.ItemLine(item.due_at, actor.timezone, item.platform, item.text)
        for item in calendar.list_upcoming(
            start=now,
            end=now + timedelta(days=3650),
            limit=5,
            where=ItemFilter(campaign_id=campaign.id),
        )
    ]
    view = campaign_view(campaign, today)
    return replies.shown(tr, view, _progress(session, campaign, today), upcoming, items)


def _progress(session: Session, campaign: Campaign, today: date) -> replies.Progress:
    """Counted like the digest counts a campaign: its own readings from its first day to today
    (or to its last day once it is over), and the account's followers then."""
    achieved: dict[str, Decimal] = {}
    if today >= campaign.start_date:
        last = min(campaign.end_date, today)
        period = DigestRepository(session, campaign.team_id).week_aggregates(
            campaign.start_date, last, {campaign.name: campaign.start_date}, until=last
        )
        achieved = campaign_achieved(period.by_campaign.get(campaign.name, {}), period.current)
    wanted = {metric: Decimal(value) for metric, value in campaign.targets.items()}
    spent = achieved.get("ad_spend", Decimal(0))
    budget = (
        target_progress(campaign.name, {"ad_spend": campaign.budget}, {"ad_spend": spent})
        if campaign.budget is not None
        else ()
    )
    return replies.Progress(
        targets=target_progress(campaign.name, wanted, achieved),
        budget=budget[0] if budget else None,
        spent=spent,
    )
