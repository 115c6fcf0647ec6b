"""`/smm insights [platform=…] [weeks=16]`: the best times and content types per platform, from
the workspace's own published posts of the last weeks, in the workspace's zone."""

from __future__ import annotations

from datetime import timedelta

from smmbot.domain.insights import DEFAULT_WEEKS, compute_insights
from smmbot.domain.readings import ReadingError, read_platform
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import insights as replies
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.context import CommandRequest
from smmbot.services.insights_posts import published_posts

MAX_WEEKS = 104


def _weeks(request: CommandRequest) -> int:
    typed = request.command.options.get("weeks", "").strip()
    if not typed:
        return DEFAULT_WEEKS
    if not typed.isdigit() or not 1 <= int(typed) <= MAX_WEEKS:
        message = request.tr.mrkdwn("insights.bad_weeks", value=typed, most=MAX_WEEKS)
        raise Refusal(message, usage_of=request.subcommand)
    return int(typed)


def _platform(request: CommandRequest) -> str:
    typed = request.command.options.get("platform", "")
    try:
        return read_platform(typed)
    except ReadingError as error:
        message = request.tr.mrkdwn("metrics_problem.unknown_platform", text=typed)
        raise Refusal(message, usage_of=request.subcommand) from error


def handle_insights(request: CommandRequest) -> Reply:
    actor, now = request.actor, request.ctx.clock()
    weeks, platform = _weeks(request), _platform(request)
    with request.ctx.db.transaction() as session:
        zone = WorkspaceRepository(session, actor.team_id).get_or_create(now=now).timezone
        posts = published_posts(
            session, actor.team_id, since=now - timedelta(weeks=weeks), until=now
        )
    return replies.insights_reply(
        request.tr,
        compute_insights(posts, zone, platform),
        zone=zone,
        now=now,
        weeks=weeks,
        platform=platform,
        prefix=request.prefix,
    )
