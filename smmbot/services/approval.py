"""Approval: holding a member's scheduled post for review, `/smm review`, `drafts review`.

A held post is saved `in_review` with no reminder planned at all, so no sweep can remind it;
its review request goes through the outbox to the approvals channel (or to each approver by
DM) in the transaction that saves it. Its reminders are planned when it is approved
(`approval_decisions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from smmbot.domain.approval import IN_REVIEW, WAITING, ApprovalPolicy
from smmbot.domain.workflows import review_requested_event
from smmbot.persistence.approval_repository import ApprovalRepository
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.models import CalendarItem, Workspace
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import approval as replies
from smmbot.rendering.calendar import ItemView
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply, reply_to_data
from smmbot.services.approval_home import queue_home_refresh
from smmbot.services.calendar_updates import REVIEW_KIND
from smmbot.services.context import Actor, CommandRequest


def policy_of(workspace: Workspace) -> ApprovalPolicy:
    return ApprovalPolicy(
        enabled=workspace.approval_enabled,
        approvers=tuple(workspace.approvers or ()),
        channel_id=workspace.approvals_channel_id,
        self_approve=workspace.self_approve,
    )


def request_review(
    session: Session,
    tr: Translator,
    policy: ApprovalPolicy,
    item: ItemView,
    *,
    team_id: str,
    author: str,
    now: datetime,
    round_: int = 0,
) -> None:
    """Queues the review request: one message in the approvals channel, or one DM per approver,
    carrying the review-requested event for Slack workflows. `round_` tells a resubmission's
    request apart from the first one's (kept in the payload: a decision edits only the latest
    round's messages). The approvers' App Home is published again too, so its queue shows the
    post."""
    outbox = OutboxRepository(session, team_id)
    event = review_requested_event(
        item_id=item.id,
        author=author,
        platform=item.platform,
        due_at=int(item.due_at.timestamp()),
        channel_id=item.channel_id,
    )
    payload = {
        "reply": reply_to_data(replies.review_request(tr, item, author)),
        "locale": tr.locale,
        "round": round_,
        "metadata": event,
    }
    targets = (policy.channel_id,) if policy.channel_id else policy.approvers
    for target in targets:
        outbox.enqueue(
            kind=REVIEW_KIND,
            dedupe_key=f"{outbox.team_id}:item:{item.id}:review:{round_}:{target}",
            channel_id=target,
            due_at=now,
            payload=payload,
            calendar_item_id=item.id,
        )
    queue_home_refresh(session, team_id, tag=f"{item.id}:review:{round_}", now=now)


def held_reply(tr: Translator, views: Sequence[ItemView], policy: ApprovalPolicy) -> Reply:
    """What the author sees: the post waits for an approver and is not reminded until then."""
    return replies.notice(
        tr,
        "approval.held",
        ids=", ".join(f"#{view.id}" for view in views),
        channel=replies.channel_mention(policy.channel_id),
    )


def handle_review(request: CommandRequest) -> Reply:
    """`/smm review`: what waits for a decision, oldest first (the catalog lets only approvers
    and admins in)."""
    return _queue(request, (IN_REVIEW,), author=None)


def drafts_review(request: CommandRequest) -> Reply:
    """`/smm drafts review`: the member's own posts in review or sent back for changes."""
    return _queue(request, WAITING, author=request.actor.user_id)


def _queue(request: CommandRequest, statuses: tuple[str, ...], *, author: str | None) -> Reply:
    with request.ctx.db.transaction() as session:
        items = waiting(session, request.actor.team_id, statuses, author=author)
    return replies.queue(request.tr, items, request.ctx.clock())


def home_queue(session: Session, actor: Actor) -> list[replies.Waiting]:
    """The App Home's review queue: for approvers and admins while approval is on, else none."""
    workspace = WorkspaceRepository(session, actor.team_id).get()
    if workspace is None or not workspace.approval_enabled:
        return []
    if not policy_of(workspace).may_decide(actor.user_id, is_admin=actor.is_admin):
        return []
    return waiting(session, actor.team_id, (IN_REVIEW,), author=None)


def waiting(
    session: Session, team_id: str, statuses: tuple[str, ...], *, author: str | None
) -> list[replies.Waiting]:
    rows = ApprovalRepository(session, team_id).list_waiting(statuses, author=author)
    return [
        replies.Waiting(review_view(session, row), row.created_by, row.status, row.updated_at)
        for row in rows
    ]


def review_view(session: Session, row: CalendarItem) -> ItemView:
    """The item as a review request, a decision and the queue show it (with its campaign)."""
    campaigns = CampaignRepository(session, row.team_id)
    campaign = campaigns.get(row.campaign_id) if row.campaign_id is not None else None
    return ItemView(
        id=row.id,
        due_at=row.due_at,
        timezone=row.timezone,
        text=row.text,
        platform=row.platform,
        campaign=campaign.name if campaign else None,
        owner_id=row.owner_id,
        channel_id=row.channel_id,
    )
