"""After a decision, the approvers' App Home is published again, so its review queue never
shows a decided post with live buttons.

Slack shows a member's Home as it was last published (views.publish); smmbot publishes it when
the member opens the tab, and, through the outbox like every other Slack write, when a decision
changes the queue. The new tab is rendered in the decision's transaction, so it shows the queue
as that decision left it, and is queued with it (a later decision's tab goes out after it, in
due order, on the member's lane). Each approver's tab is in their own language and time zone as
last seen; the member who decided (an approver or a workspace admin) gets theirs too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from smmbot.domain.digest import Digest
from smmbot.persistence.models import Workspace
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import UserRepository, WorkspaceRepository
from smmbot.rendering.i18n import Translator, choose_locale
from smmbot.rendering.reply import reply_to_data
from smmbot.services.approval import policy_of
from smmbot.services.context import Actor
from smmbot.services.home import home_reply

HOME_KIND = "home"
"""Outbox kind of an App Home to publish; its `channel_id` is the member's user id."""


def queue_home_refresh(
    session: Session, decided_by: Actor, digest: Digest, *, tag: str, now: datetime
) -> None:
    """`tag` names the decision, so a retried transaction queues each tab once."""
    team_id = decided_by.team_id
    workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
    approvers = dict.fromkeys((*policy_of(workspace).approvers, decided_by.user_id))
    outbox = OutboxRepository(session, team_id)
    for user_id in approvers:
        actor = (
            decided_by if user_id == decided_by.user_id else _approver(session, workspace, user_id)
        )
        tr = Translator(actor.locale)
        outbox.enqueue(
            kind=HOME_KIND,
            dedupe_key=f"{team_id}:home:{user_id}:{tag}",
            channel_id=user_id,
            due_at=now,
            payload={
                "reply": reply_to_data(home_reply(session, tr, actor, digest, now)),
                "home": True,
                "locale": tr.locale,
            },
        )


def _approver(session: Session, workspace: Workspace, user_id: str) -> Actor:
    """An approver as smmbot last saw them (language, zone, admin flag); the workspace's zone
    and language for one who never used smmbot."""
    user = UserRepository(session, workspace.team_id).get(user_id)
    return Actor(
        workspace.team_id,
        user_id,
        None,
        choose_locale(user.locale if user else None, workspace.locale),
        (user.timezone if user else None) or workspace.timezone,
        is_admin=bool(user and user.is_admin),
        is_approver=True,
    )
