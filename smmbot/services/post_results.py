"""`/smm log likes 120 post=<item id>`: a published post's own results, logged by hand.

A post's results are kept as readings under the source `post:<id>`, on the platform and local
day it was published, so the digest's totals see them; the roll-up counts them only when that
platform's account-level figure for the day is missing (see `persistence.rollups`). Logging a
metric of a post again replaces its value, as a Meta sync of that post does in its first week.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from smmbot.domain.insights import POST_METRICS, engagement_rate, post_source
from smmbot.domain.metrics import Metric
from smmbot.domain.readings import ReadingError, read_metric, read_platform, read_value
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.insights_repository import PUBLISHED
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import CalendarItem
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import formatting
from smmbot.rendering import insights as replies
from smmbot.rendering.calendar import platform_name
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.context import CommandRequest
from smmbot.services.insights_posts import post_of
from smmbot.services.metrics import problem_message

POST_LOGGABLE = (*POST_METRICS, "engagements")


def handle_post_log(request: CommandRequest) -> Reply:
    """The metric and value as `/smm log` reads them, the post as the workspace's own."""
    tr, actor, options = request.tr, request.actor, request.command.options
    name, *rest = request.command.arguments
    now = request.ctx.clock()
    for key in ("date", "campaign"):
        if key in options:
            refusal = tr.mrkdwn(f"post_results.no_{key}")
            raise Refusal(refusal, usage_of=request.subcommand)
    metric: Metric | None = None
    with request.ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, actor.team_id).get_or_create(now=now)
        try:
            metric = read_metric(name)
            _check_loggable(request, metric, bool(rest))
            value = read_value(metric, " ".join(rest), currency=workspace.currency)
            item = _published_item(session, request)
            platform = _platform_of(request, item)
        except ReadingError as error:
            message = problem_message(
                tr, error, metric=metric, currency=workspace.currency, prefix=request.prefix
            )
            raise Refusal(message, usage_of=request.subcommand) from error
        item.platform = platform
        previous = (
            MetricRepository(session, actor.team_id)
            .upsert(
                day=item.due_at.astimezone(ZoneInfo(workspace.timezone)).date(),
                metric=metric.name,
                value=value,
                campaign=_campaign(session, actor.team_id, item),
                platform=platform,
                source=post_source(item.id),
                recorded_by=actor.user_id,
                now=now,
            )
            .previous
        )
        post = post_of(session, actor.team_id, item.id)
    return replies.post_logged(
        tr,
        metric=name.strip().casefold(),
        value=formatting.number(value, tr.locale),
        item_id=item.id,
        platform=platform,
        previous=formatting.number(previous, tr.locale) if previous is not None else "",
        rate=engagement_rate(post) if post is not None else None,
    )


def _check_loggable(request: CommandRequest, metric: Metric, has_value: bool) -> None:
    tr = request.tr
    if metric.name not in POST_LOGGABLE:
        shown = ", ".join(read_metric(m).local_name(tr.locale) for m in POST_LOGGABLE)
        message = tr.mrkdwn("post_results.not_post_metric", metric=metric.name, metrics=shown)
        raise Refusal(message, usage_of=request.subcommand)
    if not has_value:
        message = tr.mrkdwn(
            "metrics_problem.missing_value", metric=metric.name, prefix=request.prefix
        )
        raise Refusal(message, usage_of=request.subcommand)


def _published_item(session: Session, request: CommandRequest) -> CalendarItem:
    """The workspace's own published item; another workspace's id reads as unknown."""
    tr, typed = request.tr, request.command.options["post"].strip().lstrip("#")
    item = (
        CalendarRepository(session, request.actor.team_id).get(int(typed))
        if typed.isdigit() and len(typed) < 12
        else None
    )
    if item is None:
        message = tr.mrkdwn("post_results.unknown_post", id=typed, prefix=request.prefix)
        raise Refusal(message, usage_of=request.subcommand)
    if item.status != PUBLISHED:
        raise Refusal(tr.mrkdwn("post_results.not_published", id=item.id, status=item.status))
    return item


def _platform_of(request: CommandRequest, item: CalendarItem) -> str:
    """The item's platform; `platform=` may name it (or give it one), never another."""
    typed = read_platform(request.command.options.get("platform", ""))
    if item.platform and typed and typed != item.platform:
        message = request.tr.mrkdwn(
            "post_results.other_platform",
            id=item.id,
            platform=platform_name(request.tr, item.platform),
        )
        raise Refusal(message, usage_of=request.subcommand)
    if not (item.platform or typed):
        raise Refusal(request.tr.mrkdwn("post_results.no_platform", id=item.id))
    return item.platform or typed


def _campaign(session: Session, team_id: str, item: CalendarItem) -> str:
    if item.campaign_id is None:
        return ""
    campaign = CampaignRepository(session, team_id).get(item.campaign_id)
    return campaign.name if campaign is not None else ""
