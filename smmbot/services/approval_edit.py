"""The author's Edit on a post sent back for changes: change the text (and the time), resubmit.

Resubmitting puts the post back `in_review` and sends a fresh review request, in one
transaction. A due time that passed while the post waited cannot be kept: the form says so
next to the time field and asks for a new one, and nothing is saved until it is ahead.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from smmbot.domain.approval import CHANGES_REQUESTED
from smmbot.domain.audit import AuditAction, Subject
from smmbot.domain.when import WhenError, parse_when
from smmbot.persistence.approval_repository import ApprovalRepository
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering import approval as replies
from smmbot.rendering import formatting
from smmbot.rendering.approval import TEXT_FIELD, WHEN_FIELD
from smmbot.rendering.dates import when_example, when_hint
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.approval import policy_of, request_review, review_view
from smmbot.services.audit import record_member_action
from smmbot.services.calendar_updates import show_superseded
from smmbot.services.context import ButtonRequest, FormOutcome, FormRequest, InteractionRequest


def edit_form(request: ButtonRequest[int]) -> Reply:
    ctx, actor, tr, item_id = request.ctx, request.actor, request.tr, request.value
    with ctx.db.transaction() as session:
        item = CalendarRepository(session, actor.team_id).get(item_id)
        if item is None or item.status != CHANGES_REQUESTED:
            return replies.notice(tr, "approval.not_editable", id=item_id)
        _refuse_other_member(request, item.created_by)
        view = review_view(session, item)
    metadata = json.dumps({"item": item_id, "channel": actor.channel_id})
    example = when_example(ctx.clock(), actor.timezone, tr.locale)
    return replies.edit_form(tr, view, metadata, example=example)


def resubmit(request: FormRequest) -> FormOutcome:
    ctx, actor, tr, now = request.ctx, request.actor, request.tr, request.ctx.clock()
    item_id = request.metadata.ids["item"]
    text = request.values.get(TEXT_FIELD, "").strip()
    if not text:
        return FormOutcome(errors={TEXT_FIELD: tr.plain("calendar.no_text")})
    with ctx.db.transaction() as session:
        item = CalendarRepository(session, actor.team_id).get(item_id)
        if item is None or item.status != CHANGES_REQUESTED:
            reply = replies.notice(tr, "approval.not_editable", id=item_id)
            return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)
        _refuse_other_member(request, item.created_by)
        due_at = _new_time(request, item.due_at, item.timezone)
        if isinstance(due_at, str):
            return FormOutcome(errors={WHEN_FIELD: due_at})
        repository = ApprovalRepository(session, actor.team_id)
        if repository.resubmit(item_id, text=text, due_at=due_at, now=now):
            record_member_action(
                session,
                actor,
                AuditAction.ITEM_RESUBMITTED,
                Subject.item(item_id),
                at=now,
                detail={"due_at": due_at.isoformat()},
            )
            policy = policy_of(WorkspaceRepository(session, actor.team_id).get_or_create(now=now))
            view = replace(review_view(session, item), text=text, due_at=due_at)
            round_ = int(now.timestamp())
            show_superseded(
                session,
                actor.team_id,
                view,
                round_=round_,
                now=now,
                locale=tr.locale,
                render=lambda edit_tr: replies.superseded_request(edit_tr, view, item.created_by),
            )
            request_review(
                session,
                tr,
                policy,
                view,
                team_id=actor.team_id,
                author=actor.user_id,
                now=now,
                round_=round_,
            )
    when = formatting.moment(due_at, actor.timezone, tr.locale)
    reply = replies.notice(tr, "approval.resubmitted", id=item_id, when=when)
    return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)


def _new_time(request: FormRequest, current: datetime, timezone: str) -> datetime | str:
    """The moment typed (or the current one when left blank), or the field's error."""
    tr, now = request.tr, request.ctx.clock()
    typed = request.values.get(WHEN_FIELD, "").strip()
    if not typed:
        if current > now:
            return current
        when = formatting.moment(current, timezone, tr.locale)
        return tr.plain("approval.time_passed", when=when)
    try:
        return parse_when(typed, now=now, timezone=request.actor.timezone)
    except WhenError as error:
        key = "calendar.past" if error.when is not None else "calendar.unreadable"
        when = formatting.moment(error.when, timezone, tr.locale) if error.when else ""
        return tr.plain(key, text=error.text, when=when, hint=when_hint(tr, error))


def _refuse_other_member(request: InteractionRequest, author: str) -> None:
    """Only the author (or a workspace admin) edits a post sent back to them."""
    if request.actor.user_id != author and not request.actor.is_admin:
        raise Refusal(request.tr.mrkdwn("approval.not_author"))
