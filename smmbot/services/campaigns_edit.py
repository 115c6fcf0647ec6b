"""`/smm campaign edit <name> [field=value…]`: change a saved campaign's plan.

The edited campaign goes through the same validation as a new one (`domain.campaigns_edit`);
every problem is reported at once and nothing changes until all are fixed.
"""

from __future__ import annotations

from decimal import Decimal

from smmbot.domain.campaigns import CampaignDraft, CampaignInputError
from smmbot.domain.campaigns_edit import edit_campaign
from smmbot.domain.platforms import Platform
from smmbot.domain.templates import Pillar
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.models import Campaign
from smmbot.rendering import campaigns as replies
from smmbot.rendering.help import problem
from smmbot.rendering.reply import Reply
from smmbot.services.campaigns_view import campaign_reply
from smmbot.services.context import CommandRequest


def handle_campaign_edit(request: CommandRequest, name: str) -> Reply:
    tr, ctx, actor, options = request.tr, request.ctx, request.actor, request.command.options
    if not options:
        message = tr.mrkdwn("campaign.edit_nothing", name=name, prefix=request.prefix)
        return problem(tr, request.prefix, message, usage_of=request.subcommand)
    with ctx.db.transaction() as session:
        campaign = CampaignRepository(session, actor.team_id).find_by_name(name)
        if campaign is None:
            message = tr.mrkdwn("campaign.not_found", name=name, prefix=request.prefix)
            return problem(tr, request.prefix, message)
        try:
            edited = edit_campaign(_as_draft(campaign), options, currency=campaign.currency)
        except CampaignInputError as error:
            problems = [(p.field, p.problem, p.value) for p in error.problems]
            return replies.not_saved(tr, problems, key="campaign.not_changed")
        _apply(campaign, edited)
        session.flush()
        shown = campaign_reply(session, ctx, actor, request.tr, campaign)
        fields = [key.strip().casefold() for key in options]
        return replies.edited(tr, campaign.name, fields, shown)


def _as_draft(campaign: Campaign) -> CampaignDraft:
    return CampaignDraft(
        name=campaign.name,
        objective=Pillar(campaign.objective),
        start=campaign.start_date,
        end=campaign.end_date,
        budget=campaign.budget,
        platforms=tuple(Platform(platform) for platform in campaign.platforms),
        targets={metric: Decimal(value) for metric, value in campaign.targets.items()},
        owner_id=campaign.owner_id,
    )


def _apply(campaign: Campaign, edited: CampaignDraft) -> None:
    campaign.objective = edited.objective.value
    campaign.start_date, campaign.end_date = edited.start, edited.end
    campaign.budget = edited.budget
    campaign.platforms = [platform.value for platform in edited.platforms]
    campaign.targets = {metric: str(value) for metric, value in edited.targets.items()}
    campaign.owner_id = edited.owner_id
