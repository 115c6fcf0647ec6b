"""`/smm calendar`: what is coming, by local day, and when the workspace's reminders come."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from smmbot.domain.reminder_lead_times import LeadTimesError, parse_lead_times
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import calendar as replies
from smmbot.rendering import calendar_listing as listing
from smmbot.rendering.help import problem
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.calendar import item_view
from smmbot.services.context import Actor, ButtonRequest, CommandRequest, ServiceContext, Surface

MAX_PAGE = 100


def upcoming_views(
    session: Session, team_id: str, *, start: datetime, end: datetime, limit: int
) -> Sequence[replies.ItemView]:
    campaigns = {
        campaign.id: campaign.name for campaign in CampaignRepository(session, team_id).list_all()
    }
    return [
        item_view(item, campaigns.get(item.campaign_id) if item.campaign_id else None)
        for item in CalendarRepository(session, team_id).list_upcoming(
            start=start, end=end, limit=limit
        )
    ]


def handle_calendar(request: CommandRequest) -> Reply:
    tr, actor = request.tr, request.actor
    span = request.command.arguments[0].lower() if request.command.arguments else "week"
    if span in {"reminders", "pengingat"}:
        return _lead_times(request, " ".join(request.command.arguments[1:]))
    if span not in {"week", "month", "minggu", "bulan"}:
        return problem(
            tr,
            request.prefix,
            tr.mrkdwn("calendar.bad_range", value=span),
            usage_of=request.subcommand,
        )
    if len(request.command.arguments) > 1:
        stray = " ".join(request.command.arguments[1:])
        message = tr.mrkdwn("error.stray_words", words=stray)
        return problem(tr, request.prefix, message, usage_of=request.subcommand)
    typed_page = request.command.options.get("page", "1")
    if not typed_page.isdecimal() or not 0 < int(typed_page) <= MAX_PAGE:
        message = tr.mrkdwn("calendar.bad_page", value=typed_page)
        return problem(tr, request.prefix, message, usage_of=request.subcommand)
    return calendar_reply(
        request.ctx,
        actor,
        tr,
        request.prefix,
        month=span in {"month", "bulan"},
        page=int(typed_page),
    )


def calendar_reply(
    ctx: ServiceContext, actor: Actor, tr: Translator, prefix: str, *, month: bool, page: int
) -> Reply:
    """One page of the next 7 or 31 days, for the command and for its Next page button."""
    now = ctx.clock()
    end = now + timedelta(days=31 if month else 7)
    with ctx.db.transaction() as session:
        items = upcoming_views(
            session, actor.team_id, start=now, end=end, limit=listing.CALENDAR_FETCH_LIMIT
        )
    return listing.calendar(tr, prefix, items, month=month, timezone=actor.timezone, page=page)


def next_page(request: ButtonRequest[str]) -> Reply:
    """The Next page button: its value is `week:2` or `month:3`, as the page line wrote it."""
    span, _, typed_page = request.value.partition(":")
    page = int(typed_page) if typed_page.isdecimal() and 0 < int(typed_page) <= MAX_PAGE else 1
    prefix = Surface.SLACK.command_prefix
    return calendar_reply(
        request.ctx, request.actor, request.tr, prefix, month=span == "month", page=page
    )


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
                return problem(tr, prefix, message, usage_of=request.subcommand)
        leads = replies.lead_list(tr, workspace.reminder_lead_minutes)
    key = "calendar.leads_saved" if typed.strip() else "calendar.leads_current"
    return replies.notice(tr, key, leads=leads, prefix=prefix)
