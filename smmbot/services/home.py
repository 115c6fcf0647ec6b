"""The App Home tab's content, built from the same digest and calendar as the commands."""

from __future__ import annotations

from datetime import timedelta

from smmbot.rendering import approval as approval_replies
from smmbot.rendering import home as replies
from smmbot.rendering.reply import Reply
from smmbot.services.approval import home_queue
from smmbot.services.calendar_listing import upcoming_views
from smmbot.services.context import InteractionRequest, Surface
from smmbot.services.digest import build_digest

UPCOMING_ON_HOME = 5


def home_tab(request: InteractionRequest) -> Reply:
    ctx, actor = request.ctx, request.actor
    now = ctx.clock()
    digest = build_digest(ctx=ctx, team_id=actor.team_id, now=now)
    with ctx.db.transaction() as session:
        upcoming = upcoming_views(
            session, actor.team_id, start=now, end=now + timedelta(days=7), limit=UPCOMING_ON_HOME
        )
        review = home_queue(session, actor)
    queue = approval_replies.home_queue(request.tr, review, now)
    return replies.home(request.tr, Surface.SLACK.command_prefix, digest, upcoming, queue)
