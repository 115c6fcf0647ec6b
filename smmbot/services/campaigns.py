"""`/smm campaign new|list|show|close`: plan what the team is working towards.

Every input problem is reported at once, naming the field and its right form, and nothing is
saved until all of them are fixed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from smmbot.domain.campaigns import (
    CampaignInputError,
    campaign_status,
    days_left,
    sort_for_listing,
    validate_campaign,
)
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.models import Campaign
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import campaigns as replies
from smmbot.rendering.help import problem
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.context import (
    Actor,
    CommandRequest,
    FormOutcome,
    FormRequest,
    ServiceContext,
    Surface,
)

ACTIONS = {
    "new": "new",
    "baru": "new",
    "list": "list",
    "daftar": "list",
    "show": "show",
    "lihat": "show",
    "close": "close",
    "tutup": "close",
}


def _today(ctx: ServiceContext, actor: Actor) -> date:
    return ctx.clock().astimezone(ZoneInfo(actor.timezone)).date()


def handle_campaign(request: CommandRequest) -> Reply:
    arguments = request.command.arguments
    action = ACTIONS.get(arguments[0].lower()) if arguments else None
    if action is None:
        return problem(
            request.tr,
            request.prefix,
            request.tr.mrkdwn(
                "error.which_action", name=request.subcommand.name, actions="new, list, show, close"
            ),
            usage_of=request.subcommand,
        )
    name = " ".join(arguments[1:]).strip()
    if action == "list":
        return _list(request)
    if not name and action == "new" and not request.command.options:
        metadata = json.dumps({"channel": request.actor.channel_id})
        return replies.campaign_form(
            request.tr, metadata, request.prefix, request.tr.plain("usage.campaign")
        )
    if not name:
        return problem(
            request.tr,
            request.prefix,
            request.tr.mrkdwn("campaign_problem.missing", field="name", value=""),
            usage_of=request.subcommand,
        )
    if action == "new":
        return create_campaign(
            ctx=request.ctx,
            actor=request.actor,
            tr=request.tr,
            name=name,
            options=request.command.options,
        )
    if action == "show":
        return _show(request, name)
    return _close(request, name)


def create_campaign(
    *, ctx: ServiceContext, actor: Actor, tr: Translator, name: str, options: Mapping[str, str]
) -> Reply:
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, actor.team_id).get_or_create(now=ctx.clock())
        currency = workspace.currency
        try:
            draft = validate_campaign(name, options, currency=currency, today=_today(ctx, actor))
        except CampaignInputError as error:
            return replies.not_saved(tr, [(p.field, p.problem, p.value) for p in error.problems])
        campaigns = CampaignRepository(session, actor.team_id)
        if campaigns.find_by_name(draft.name) is not None:
            return problem(
                tr, Surface.SLACK.command_prefix, tr.mrkdwn("campaign.duplicate", name=draft.name)
            )
        campaign = campaigns.add(
            Campaign(
                name=draft.name,
                objective=draft.objective.value,
                start_date=draft.start,
                end_date=draft.end,
                budget=draft.budget,
                currency=currency,
                platforms=[platform.value for platform in draft.platforms],
                targets={metric: str(value) for metric, value in draft.targets.items()},
                owner_id=draft.owner_id,
                created_by=actor.user_id,
                created_at=ctx.clock(),
            )
        )
        return replies.created(tr, _view(campaign, _today(ctx, actor)))


def _view(campaign: Campaign, today: date) -> replies.CampaignView:
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
        targets=sorted(campaign.targets.items()),
    )


def _list(request: CommandRequest) -> Reply:
    today = _today(request.ctx, request.actor)
    with request.ctx.db.transaction() as session:
        views = [
            _view(c, today) for c in CampaignRepository(session, request.actor.team_id).list_all()
        ]
    return replies.listing(
        request.tr, request.prefix, sort_for_listing(views), request.tr.plain("example.campaign")
    )


def _show(request: CommandRequest, name: str) -> Reply:
    tr, ctx, actor = request.tr, request.ctx, request.actor
    now = ctx.clock()
    with ctx.db.transaction() as session:
        campaign = CampaignRepository(session, actor.team_id).find_by_name(name)
        if campaign is None:
            return problem(
                tr,
                request.prefix,
                tr.mrkdwn("campaign.not_found", name=name, prefix=request.prefix),
            )
        calendar = CalendarRepository(session, actor.team_id)
        upcoming = calendar.count_upcoming(campaign_id=campaign.id, after=now)
        items = [
            replies.ItemLine(item.due_at, actor.timezone, item.platform, item.text)
            for item in calendar.list_upcoming(
                start=now, end=now + timedelta(days=3650), campaign_id=campaign.id, limit=5
            )
        ]
        return replies.shown(tr, _view(campaign, _today(ctx, actor)), upcoming, items)


def _close(request: CommandRequest, name: str) -> Reply:
    tr = request.tr
    with request.ctx.db.transaction() as session:
        campaign = CampaignRepository(session, request.actor.team_id).find_by_name(name)
        if campaign is None:
            message = tr.mrkdwn("campaign.not_found", name=name, prefix=request.prefix)
            return problem(tr, request.prefix, message)
        if campaign.closed_at is not None:
            message = tr.mrkdwn("campaign.already_closed", name=campaign.name)
            return problem(tr, request.prefix, message)
        campaign.closed_at = request.ctx.clock()
        return replies.closed(tr, campaign.name)


def submit_campaign_form(request: FormRequest) -> FormOutcome:
    ctx, actor, tr, values = request.ctx, request.actor, request.tr, request.values
    options = {key: value for key, value in values.items() if key != "name" and value}
    with ctx.db.transaction() as session:
        currency = (
            WorkspaceRepository(session, actor.team_id).get_or_create(now=ctx.clock()).currency
        )
    try:
        validate_campaign(
            values.get("name", ""), options, currency=currency, today=_today(ctx, actor)
        )
    except CampaignInputError as error:
        return FormOutcome(
            errors={
                p.field: replies.problem_text(tr, p.field, p.problem, p.value)
                for p in error.problems
            }
        )
    reply = create_campaign(
        ctx=ctx, actor=actor, tr=tr, name=values.get("name", ""), options=options
    )
    return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)
