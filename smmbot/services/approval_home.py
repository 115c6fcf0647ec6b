"""The approvers' App Home is published again whenever their review queue changes: a post sent
for review (or resubmitted) and a decision on one, so the queue never misses a waiting post nor
shows a decided one with live buttons.

Slack shows a member's Home as it was last published (views.publish); smmbot publishes it when
the member opens the tab, and, through the outbox like every other Slack write, when the queue
changes. Only the publish is queued here, in the transaction that changes the queue: the Home
itself (the digest included, the slow part) is rendered by the outbox delivery when it is sent
(`services.home.home_payload`), from the state then, so the click or command that changed the
queue never waits for it, and a publish still waiting for a member covers the next change too
(`OutboxRepository.enqueue_unless_pending`): two decisions in a row publish one Home, showing
both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from smmbot.domain.outbox import HOME_KIND
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository


def queue_home_refresh(
    session: Session, team_id: str, *, also: Iterable[str] = (), tag: str, now: datetime
) -> None:
    """For the workspace's approvers and `also` (the member who decided, who may be an admin
    rather than an approver). `tag` names the change (a decision, a round of review), so a
    replayed one queues each Home once. Members in sorted order, so two transactions lock their
    publishes in the same order and never wait for each other in a cycle."""
    workspace = WorkspaceRepository(session, team_id).get_or_create(now=now)
    outbox = OutboxRepository(session, team_id)
    for user_id in sorted({*(workspace.approvers or ()), *also}):
        outbox.enqueue_unless_pending(
            kind=HOME_KIND,
            dedupe_key=f"{team_id}:home:{user_id}:{tag}",
            channel_id=user_id,
            due_at=now,
            payload={"home": True},
        )
