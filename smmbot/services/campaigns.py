"""`/smm campaign new|list|show|edit|close`: plan what the team is working towards.

Every input problem is reported at once, naming the field and its right form, and nothing is
saved until all of them are fixed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from smmbot.domain.campaigns import CampaignInputError, sort_for_listing, validate_campaign
from smmbot.domain.commands import subcommand
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.models import Campaign
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import campaigns as replies
from smmbot.rendering.help import problem
from smmbot.rendering.i18n import Translator
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.rendering.usage import usage_lines
from smmbot.services.campaigns_edit import handle_campaign_edit
from smmbot.services.campaigns_view import (
    campaign_reply,
    campaign_today,
    campaign_view,
)
from smmbot.services.context import (
    Actor,
    CommandRequest,
    FormOutcome,
    FormRequest,
    ServiceContext,
    Surface,
)

CAMPAIGN = subcommand("campaign")


def handle_campaign(request: CommandRequest) -> Reply:
    """The catalog has checked the action word (`new`, `list`, `show`, `edit`, `close`) and the
    options."""
    action, *words = request.command.arguments
    name = " ".join(words).strip()
    if action == "list":
        return _list(request)
    if not name and action == "new" and not request.command.options:
        metadata = json.dumps({"channel": request.actor.channel_id})
        usage = "\n".join(usage_lines(request.tr, CAMPAIGN))
        return replies.campaign_form(request.tr, metadata, request.prefix, usage)
    if not name:
        message = request.tr.mrkdwn("campaign_problem.missing", field="name", value="")
        raise Refusal(message, usage_of=CAMPAIGN)
    if action == "new":
        return create_campaign(
            ctx=request.ctx,
            actor=request.actor,
            tr=request.tr,
            name=name,
            options=request.command.options,
            prefix=request.prefix,
        )
    if action == "show":
        return _show(request, name)
    if action == "edit":
        return handle_campaign_edit(request, name)
    return _close(request, name)


def create_campaign(
    *,
    ctx: ServiceContext,
    actor: Actor,
    tr: Translator,
    name: str,
    options: Mapping[str, str],
    prefix: str = Surface.SLACK.command_prefix,
) -> Reply:
    with ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, actor.team_id).get_or_create(now=ctx.clock())
        currency = workspace.currency
        try:
            draft = validate_campaign(name, options, currency=currency)
        except CampaignInputError as error:
            return replies.not_saved(tr, [(p.field, p.problem, p.value) for p in error.problems])
        campaigns = CampaignRepository(session, actor.team_id)
        if campaigns.find_by_name(draft.name) is not None:
            return problem(tr, prefix, tr.mrkdwn("campaign.duplicate", name=draft.name))
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
        return replies.created(tr, prefix, campaign_view(campaign, campaign_today(ctx, actor)))


def _list(request: CommandRequest) -> Reply:
    today = campaign_today(request.ctx, request.actor)
    with request.ctx.db.transaction() as session:
        views = [
            campaign_view(c, today)
            for c in CampaignRepository(session, request.actor.team_id).list_all()
        ]
    return replies.listing(
        request.tr, request.prefix, sort_for_listing(views), request.tr.plain("example.campaign")
    )


def _show(request: CommandRequest, name: str) -> Reply:
    tr, ctx, actor = request.tr, request.ctx, request.actor
    with ctx.db.transaction() as session:
        campaign = CampaignRepository(session, actor.team_id).find_by_name(name)
        if campaign is None:
            raise Refusal(tr.mrkdwn("campaign.not_found", name=name, prefix=request.prefix))
        return campaign_reply(session, ctx, actor, tr, campaign)


def _close(request: CommandRequest, name: str) -> Reply:
    tr = request.tr
    with request.ctx.db.transaction() as session:
        campaign = CampaignRepository(session, request.actor.team_id).find_by_name(name)
        if campaign is None:
            raise Refusal(tr.mrkdwn("campaign.not_found", name=name, prefix=request.prefix))
        if campaign.closed_at is not None:
            raise Refusal(tr.mrkdwn("campaign.already_closed", name=campaign.name))
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
        validate_campaign(values.get("name", ""), options, currency=currency)
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
