"""The App Home tab's content, built from the same digest and calendar as the commands."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from smmbot.domain.digest import Digest
from smmbot.rendering import approval as approval_replies
from smmbot.rendering import home as replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply, reply_to_data
from smmbot.services.approval import home_queue
from smmbot.services.calendar_listing import upcoming_views
from smmbot.services.context import Actor, InteractionRequest, ServiceContext, Surface
from smmbot.services.digest import build_digest
from smmbot.services.identity import stored_actor

UPCOMING_ON_HOME = 5


def home_tab(request: InteractionRequest) -> Reply:
    ctx, actor = request.ctx, request.actor
    now = ctx.clock()
    digest = build_digest(ctx=ctx, team_id=actor.team_id, now=now)
    with ctx.db.transaction() as session:
        return home_reply(session, request.tr, actor, digest, now)


def home_payload(ctx: ServiceContext, team_id: str, user_id: str) -> dict[str, Any]:
    """A member's Home as the outbox publishes it (`approval_home` queues it), rendered when it
    is sent, in their language and zone as last seen."""
    now = ctx.clock()
    digest = build_digest(ctx=ctx, team_id=team_id, now=now)
    with ctx.db.transaction() as session:
        actor = stored_actor(session, team_id, user_id, now=now)
        tr = Translator(actor.locale)
        reply = home_reply(session, tr, actor, digest, now)
    return {"reply": reply_to_data(reply), "home": True, "locale": tr.locale}


def home_reply(
    session: Session, tr: Translator, actor: Actor, digest: Digest, now: datetime
) -> Reply:
    """The tab for one member; also what the outbox publishes for the approvers when their
    queue changes (`home_payload`), so both show the same thing."""
    upcoming = upcoming_views(
        session, actor.team_id, start=now, end=now + timedelta(days=7), limit=UPCOMING_ON_HOME
    )
    queue = approval_replies.home_queue(tr, home_queue(session, actor), now)
    return replies.home(tr, Surface.SLACK.command_prefix, digest, upcoming, queue)
