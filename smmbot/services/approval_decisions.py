"""An approver's decisions on a held post: approve, request changes, reject.

Each decision is one function (`approve`, `request_changes`, `reject`) around `_decide`, which
refuses anyone who is not an approver or a workspace admin before anything changes, records the
decision with one conditional UPDATE (only an item still `in_review` moves, so of two approvers
clicking at once exactly one wins and the other is told who did), and in the same transaction
queues the edits that show the decision on the current round's review requests (with the
decision's event for Slack workflows), the author's DM, the approvers' App Home to publish
again (rendered when the outbox sends it, not on the click), and, for an approval, the post's
reminders. The items are read through the member's own workspace, so a button replayed from
another workspace finds nothing there to decide.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from smmbot.domain.approval import CHANGES_REQUESTED, IN_REVIEW, REJECTED, Decision
from smmbot.domain.audit import AuditAction, Subject
from smmbot.domain.workflows import review_decided_event
from smmbot.persistence.approval_repository import ApprovalRepository
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.models import CalendarItem
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import UserRepository, WorkspaceRepository
from smmbot.rendering import approval as replies
from smmbot.rendering import formatting
from smmbot.rendering.approval import NOTE_FIELD
from smmbot.rendering.calendar import ItemView
from smmbot.rendering.i18n import Translator, choose_locale
from smmbot.rendering.mrkdwn import mention
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply, reply_to_data
from smmbot.services.approval import policy_of, review_view
from smmbot.services.approval_home import queue_home_refresh
from smmbot.services.audit import record_member_action
from smmbot.services.calendar import plan_messages
from smmbot.services.calendar_updates import show_decided
from smmbot.services.context import ButtonRequest, FormOutcome, FormRequest, InteractionRequest
from smmbot.services.recurring_plan import decide_series

DECIDED_WORDS = frozenset({CHANGES_REQUESTED, REJECTED, IN_REVIEW})
"""Statuses named as such when a late click is told; any later one means it was approved."""
NOTICE_KIND = "notice"
"""Outbox kind of the author's DM about a decision."""
AUDITED: dict[Decision, tuple[AuditAction, str]] = {
    Decision.APPROVE: (AuditAction.ITEM_APPROVED, "comment"),
    Decision.CHANGES: (AuditAction.ITEM_CHANGES_REQUESTED, "comment"),
    Decision.REJECT: (AuditAction.ITEM_REJECTED, "reason"),
}
"""The history line each decision writes, and the detail key its note is kept under."""


def approve(request: ButtonRequest[int]) -> Reply:
    return _decide(request, request.value, Decision.APPROVE, None)


def changes_form(request: ButtonRequest[int]) -> Reply:
    _refuse_non_approver(request)
    return _note_form(request, Decision.CHANGES)


def reject_form(request: ButtonRequest[int]) -> Reply:
    _refuse_non_approver(request)
    return _note_form(request, Decision.REJECT)


def request_changes(request: FormRequest) -> FormOutcome:
    """The comment is required, and checked here: a blank one is a field error, whatever
    Slack's own client checked."""
    comment = request.values.get(NOTE_FIELD, "").strip()
    if not comment:
        return FormOutcome(errors={NOTE_FIELD: request.tr.plain("approval.comment_required")})
    reply = _decide(request, request.metadata.ids["item"], Decision.CHANGES, comment)
    return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)


def reject(request: FormRequest) -> FormOutcome:
    reason = request.values.get(NOTE_FIELD, "").strip() or None
    reply = _decide(request, request.metadata.ids["item"], Decision.REJECT, reason)
    return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)


def _note_form(request: ButtonRequest[int], decision: Decision) -> Reply:
    metadata = json.dumps({"item": request.value, "channel": request.actor.channel_id})
    return replies.note_form(request.tr, decision, request.value, metadata)


def _refuse_non_approver(request: InteractionRequest) -> None:
    """Approvers and workspace admins decide; anyone else is told who may, and nothing moves."""
    actor = request.actor
    with request.ctx.db.transaction() as session:
        workspace = WorkspaceRepository(session, actor.team_id).get_or_create(
            now=request.ctx.clock()
        )
        allowed = policy_of(workspace).may_decide(actor.user_id, is_admin=actor.is_admin)
    if not allowed:
        raise Refusal(request.tr.mrkdwn("approval.not_approver"))


def _decide(
    request: InteractionRequest, item_id: int, decision: Decision, note: str | None
) -> Reply:
    _refuse_non_approver(request)
    ctx, actor, tr, now = request.ctx, request.actor, request.tr, request.ctx.clock()
    with ctx.db.transaction() as session:
        if not ApprovalRepository(session, actor.team_id).update(
            item_id, status=decision.value, who=actor.user_id, now=now, note=note
        ):
            return _not_waiting(
                tr, CalendarRepository(session, actor.team_id).get(item_id), item_id, actor.timezone
            )
        item = CalendarRepository(session, actor.team_id).get(item_id)
        assert item is not None  # the UPDATE above has just matched it
        action, note_key = AUDITED[decision]
        detail = {note_key: note} if note else None
        record_member_action(session, actor, action, Subject.item(item_id), at=now, detail=detail)
        if decision is not Decision.CHANGES:
            decide_series(session, item, approved=decision is Decision.APPROVE, now=now)
        view = review_view(session, item)
        OutboxRepository(session, actor.team_id).cancel_for_item(item.id)
        tag = f"{item.id}:{decision.name.lower()}:{int(now.timestamp())}"
        _show_decision(session, request, item, view, (decision, actor.user_id, note, now))
        if decision is Decision.APPROVE:
            plan_messages(session, tr, view, team_id=actor.team_id, now=now)
        queue_home_refresh(session, actor.team_id, also=(actor.user_id,), tag=tag, now=now)
    return replies.notice(
        tr, f"approval.done_{decision.name.lower()}", id=item_id, author=mention(item.created_by)
    )


def _show_decision(
    session: Session,
    request: InteractionRequest,
    item: CalendarItem,
    view: ItemView,
    decided: tuple[Decision, str, str | None, datetime],
) -> None:
    """The review requests show the decision (with its workflow event); the author is told."""
    decision, who, note, now = decided
    stamp = int(now.timestamp())
    show_decided(
        session,
        item.team_id,
        view,
        tag=f"{decision.name.lower()}:{stamp}",
        now=now,
        locale=request.tr.locale,
        render=lambda edit_tr: replies.decided_request(
            edit_tr, view, item.created_by, decision, who, note
        ),
        metadata=review_decided_event(
            item_id=item.id,
            author=item.created_by,
            decision=decision.value,
            decided_by=who,
            channel_id=item.channel_id,
        ),
    )
    _tell_author(session, item, view, (decision, who, note, stamp), request.tr.locale)


def _tell_author(
    session: Session,
    item: CalendarItem,
    view: ItemView,
    decided: tuple[Decision, str, str | None, int],
    fallback_locale: str,
) -> None:
    """A DM to the author, in the author's language (as last seen), else the approver's."""
    decision, who, note, stamp = decided
    author = UserRepository(session, item.team_id).get(item.created_by)
    tr = Translator(choose_locale(author.locale if author else None, fallback_locale))
    OutboxRepository(session, item.team_id).enqueue(
        kind=NOTICE_KIND,
        dedupe_key=f"{item.team_id}:item:{item.id}:told:{decision.name.lower()}:{stamp}",
        channel_id=item.created_by,
        due_at=datetime.fromtimestamp(stamp, UTC),
        payload={
            "reply": reply_to_data(replies.author_notice(tr, view, decision, who, note)),
            "locale": tr.locale,
        },
        calendar_item_id=item.id,
    )


def _not_waiting(tr: Translator, item: CalendarItem | None, item_id: int, timezone: str) -> Reply:
    """The item is gone, or someone decided first: say who, and when."""
    if item is None:
        return replies.notice(tr, "calendar.item_not_found", id=item_id)
    if item.decided_by is None or item.decided_at is None:
        return replies.notice(tr, "approval.not_in_review", id=item_id)
    decided = item.status if item.status in DECIDED_WORDS else Decision.APPROVE.value
    return replies.notice(
        tr,
        "approval.already_decided",
        id=item_id,
        status=tr.plain(f"approval.status_{decided}"),
        who=mention(item.decided_by),
        when=formatting.moment(item.decided_at, timezone, tr.locale),
    )
