"""`/smm calendar`: what is overdue, then what is coming by local day, and when the workspace's
reminders come."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

from sqlalchemy.orm import Session

from smmbot.domain.approval import SCHEDULED, WAITING
from smmbot.domain.audit import AuditAction, Subject
from smmbot.domain.commands import subcommand
from smmbot.domain.mentions import mentioned_user
from smmbot.domain.platforms import Platform, UnknownPlatformError, parse_platforms
from smmbot.domain.reminder_lead_times import LeadTimesError, parse_lead_times
from smmbot.persistence.calendar_repository import CalendarRepository, ItemFilter
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.models import CalendarItem
from smmbot.persistence.recurring_repository import RecurringRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import calendar as replies
from smmbot.rendering import calendar_listing as listing
from smmbot.rendering.i18n import Translator
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.audit import record_member_action
from smmbot.services.calendar import item_view
from smmbot.services.context import Actor, ButtonRequest, CommandRequest, ServiceContext, Surface
from smmbot.services.recurring_plan import ref_of

MAX_PAGE = 100
LISTED = (SCHEDULED, *WAITING)
"""The calendar shows posts held for review beside the scheduled ones (marked as held, without
buttons); a rejected post is not coming, so it is not listed."""
CALENDAR = subcommand("calendar")


def upcoming_views(
    session: Session,
    team_id: str,
    *,
    start: datetime,
    end: datetime,
    limit: int,
    where: ItemFilter | None = None,
    statuses: Collection[str] = ("scheduled",),
) -> Sequence[replies.ItemView]:
    items = CalendarRepository(session, team_id).list_upcoming(
        start=start, end=end, limit=limit, where=where, statuses=statuses
    )
    return _views(session, team_id, items)


def _views(session: Session, team_id: str, items: Sequence[CalendarItem]) -> list[replies.ItemView]:
    campaigns = {
        campaign.id: campaign.name for campaign in CampaignRepository(session, team_id).list_all()
    }
    wanted = {item.series_id for item in items if item.series_id is not None}
    series = RecurringRepository(session, team_id).list_by_ids(wanted) if wanted else {}
    return [
        item_view(
            item,
            campaigns.get(item.campaign_id) if item.campaign_id else None,
            ref_of(series[item.series_id]) if item.series_id in series else None,
        )
        for item in items
    ]


def handle_calendar(request: CommandRequest) -> Reply:
    """The catalog has made the range word canonical (`minggu` → `week`) and refused others."""
    tr, actor = request.tr, request.actor
    span = request.command.arguments[0] if request.command.arguments else "week"
    if span == "reminders":
        return _lead_times(request, " ".join(request.command.arguments[1:]))
    if len(request.command.arguments) > 1:
        stray = " ".join(request.command.arguments[1:])
        message = tr.mrkdwn("error.stray_words", words=stray)
        raise Refusal(message, usage_of=request.subcommand)
    options = request.command.options
    typed_page = options.get("page", "1")
    if not typed_page.isdecimal() or not 0 < int(typed_page) <= MAX_PAGE:
        message = tr.mrkdwn("calendar.bad_page", value=typed_page)
        raise Refusal(message, usage_of=request.subcommand)
    asked = listing.Listing(
        month=span == "month",
        timezone=actor.timezone,
        page=int(typed_page),
        filters=_filters(tr, options),
    )
    return calendar_reply(request.ctx, actor, tr, request.prefix, asked)


def _filters(tr: Translator, options: Mapping[str, str]) -> listing.Filters:
    """The typed filters, checked: a platform we know, a mentioned member."""
    platform = options.get("platform") or None
    if platform is not None:
        try:
            platform = parse_platforms(platform)[0].value
        except (UnknownPlatformError, IndexError) as error:
            known = ", ".join(each.value for each in Platform)
            message = tr.mrkdwn("draft.bad_platform", unknown=platform, known=known)
            raise Refusal(message, usage_of=CALENDAR) from error
    owner = options.get("owner") or None
    if owner is not None:
        owner_id = mentioned_user(owner)
        if owner_id is None:
            raise Refusal(tr.mrkdwn("calendar.bad_owner", value=owner), usage_of=CALENDAR)
        owner = owner_id
    return listing.Filters(campaign=options.get("campaign") or None, platform=platform, owner=owner)


def calendar_reply(
    ctx: ServiceContext, actor: Actor, tr: Translator, prefix: str, asked: listing.Listing
) -> Reply:
    """One page of the next 7 or 31 days (page 1 led by what is overdue), for the command and
    for its Next page button."""
    now = ctx.clock()
    end = now + timedelta(days=31 if asked.month else 7)
    with ctx.db.transaction() as session:
        where = _item_filter(session, tr, actor.team_id, prefix, asked.filters)
        items = upcoming_views(
            session,
            actor.team_id,
            start=now,
            end=end,
            limit=listing.CALENDAR_FETCH_LIMIT,
            where=where,
            statuses=LISTED,
        )
        overdue = _overdue(session, actor.team_id, now, where)
    return listing.calendar(tr, prefix, items, asked, overdue)


def _item_filter(
    session: Session, tr: Translator, team_id: str, prefix: str, filters: listing.Filters
) -> ItemFilter:
    campaign_id = None
    if filters.campaign is not None:
        campaign = CampaignRepository(session, team_id).find_by_name(filters.campaign)
        if campaign is None:
            message = tr.mrkdwn("calendar.unknown_campaign", name=filters.campaign, prefix=prefix)
            raise Refusal(message, usage_of=CALENDAR)
        campaign_id = campaign.id
    return ItemFilter(campaign_id=campaign_id, platform=filters.platform, owner_id=filters.owner)


def _overdue(session: Session, team_id: str, now: datetime, where: ItemFilter) -> listing.Overdue:
    calendar = CalendarRepository(session, team_id)
    items = calendar.list_overdue(now=now, limit=listing.OVERDUE_SHOWN + 1, where=where)
    shown = items[: listing.OVERDUE_SHOWN]
    more = 0
    if len(items) > len(shown):
        more = len(calendar.list_overdue(now=now, limit=listing.CALENDAR_FETCH_LIMIT, where=where))
        more -= len(shown)
    return listing.Overdue(
        items=_views(session, team_id, shown),
        more=more,
        snoozed_until=calendar.list_snoozed_until([item.id for item in shown]),
    )


def next_page(request: ButtonRequest[str]) -> Reply:
    """The Next page button: its value is `week:2` or `month:3?campaign=…&platform=…&owner=…`,
    as the page line wrote it."""
    place, _, query = request.value.partition("?")
    span, _, typed_page = place.partition(":")
    page = int(typed_page) if typed_page.isdecimal() and 0 < int(typed_page) <= MAX_PAGE else 1
    kept = dict(parse_qsl(query))
    filters = listing.Filters(
        campaign=kept.get("campaign"), platform=kept.get("platform"), owner=kept.get("owner")
    )
    asked = listing.Listing(
        month=span == "month", timezone=request.actor.timezone, page=page, filters=filters
    )
    prefix = Surface.SLACK.command_prefix
    return calendar_reply(request.ctx, request.actor, request.tr, prefix, asked)


def _lead_times(request: CommandRequest, typed: str) -> Reply:
    """Shows or changes when the workspace's lead reminders come."""
    tr, prefix = request.tr, request.prefix
    with request.ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, request.actor.team_id).get_or_create(
            now=request.ctx.clock()
        )
        if typed.strip():
            try:
                workspace.reminder_lead_minutes = parse_lead_times(typed)
            except LeadTimesError:
                message = tr.mrkdwn("calendar.bad_leads", value=typed)
                raise Refusal(message, usage_of=request.subcommand) from None
            record_member_action(
                session,
                request.actor,
                AuditAction.REMINDERS_CHANGED,
                Subject.setting("reminders"),
                at=request.ctx.clock(),
                detail={"minutes": list(workspace.reminder_lead_minutes)},
            )
        leads = replies.lead_list(tr, workspace.reminder_lead_minutes)
    key = "calendar.leads_saved" if typed.strip() else "calendar.leads_current"
    return replies.notice(tr, key, leads=leads, prefix=prefix)
