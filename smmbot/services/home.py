"""The App Home tab's content, built from the same digest and calendar as the commands."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from smmbot.domain.digest import Digest
from smmbot.rendering import approval as approval_replies
from smmbot.rendering import home as replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.approval import home_queue
from smmbot.services.calendar_listing import upcoming_views
from smmbot.services.context import Actor, InteractionRequest, Surface
from smmbot.services.digest import build_digest

UPCOMING_ON_HOME = 5


def home_tab(request: InteractionRequest) -> Reply:
    ctx, actor = request.ctx, request.actor
    now = ctx.clock()
    digest = build_digest(ctx=ctx, team_id=actor.team_id, now=now)
    with ctx.db.transaction() as session:
        return home_reply(session, request.tr, actor, digest, now)


def home_reply(
    session: Session, tr: Translator, actor: Actor, digest: Digest, now: datetime
) -> Reply:
    """The tab for one member; also what a decision re-publishes for the approvers
    (`approval_home`), so both show the same thing."""
    upcoming = upcoming_views(
        session, actor.team_id, start=now, end=now + timedelta(days=7), limit=UPCOMING_ON_HOME
    )
    queue = approval_replies.home_queue(tr, home_queue(session, actor), now)
    return replies.home(tr, Surface.SLACK.command_prefix, digest, upcoming, queue)
