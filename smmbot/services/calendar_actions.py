"""The calendar's buttons: cancel, reschedule, mark published, snooze; and marking missed posts.

Each one changes the item and its pending outbox messages in one transaction, so a cancelled or
published post never gets another reminder.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from smmbot.domain.audit import SYSTEM_ACTOR, AuditAction, Subject
from smmbot.domain.commands import find_subcommand
from smmbot.domain.grammar import ParsedCommand
from smmbot.domain.when import WhenError, parse_when
from smmbot.persistence.calendar_repository import (
    SNOOZE_KEY,
    CalendarRepository,
    mark_overdue_missed,
)
from smmbot.persistence.campaigns_repository import CampaignRepository
from smmbot.persistence.drafts_repository import DraftRepository
from smmbot.persistence.models import CalendarItem
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.rendering import calendar as replies
from smmbot.rendering import formatting
from smmbot.rendering.dates import when_example, when_hint
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import mention
from smmbot.rendering.reply import Reply, reply_to_data
from smmbot.services.audit import record_audit, record_member_action
from smmbot.services.calendar import MISSED_AFTER, handle_schedule, item_view, plan_messages
from smmbot.services.calendar_updates import show_published, show_snoozed
from smmbot.services.context import (
    ButtonRequest,
    CommandRequest,
    FormOutcome,
    FormRequest,
    InteractionRequest,
    ServiceContext,
    Surface,
)
from smmbot.services.insights_slots import BEST_WHEN_LENGTH, best_choices

SNOOZE = timedelta(hours=1)


def _not_scheduled(tr: Translator, item: CalendarItem | None, item_id: int) -> Reply | None:
    if item is None:
        return replies.notice(tr, "calendar.item_not_found", id=item_id)
    if item.status != "scheduled":
        status = tr.plain(f"calendar.status_{item.status}")
        return replies.notice(tr, "calendar.not_scheduled", id=item_id, status=status)
    return None


def cancel_item(request: ButtonRequest[int]) -> Reply:
    ctx, actor, tr, item_id = request.ctx, request.actor, request.tr, request.value
    with ctx.db.transaction() as session:
        item = CalendarRepository(session, actor.team_id).get(item_id, for_update=True)
        refusal = _not_scheduled(tr, item, item_id)
        if refusal is not None or item is None:
            return refusal or replies.notice(tr, "calendar.item_not_found", id=item_id)
        item.status, item.updated_at = "cancelled", ctx.clock()
        record_member_action(
            session, actor, AuditAction.ITEM_CANCELLED, Subject.item(item.id), at=ctx.clock()
        )
        OutboxRepository(session, actor.team_id).cancel_for_item(item.id)
        when = formatting.moment(item.due_at, actor.timezone, tr.locale)
    return replies.notice(tr, "calendar.cancelled", id=item_id, when=when)


def reschedule_form(request: ButtonRequest[int]) -> Reply:
    ctx, actor, tr = request.ctx, request.actor, request.tr
    metadata = json.dumps({"item": request.value, "channel": actor.channel_id})
    example = when_example(ctx.clock(), actor.timezone, tr.locale)
    return replies.reschedule_form(tr, request.value, metadata, example=example)


def submit_reschedule(request: FormRequest) -> FormOutcome:
    ctx, actor, tr = request.ctx, request.actor, request.tr
    item_id = request.metadata.ids["item"]
    now = ctx.clock()
    try:
        due_at = parse_when(request.values.get("when", ""), now=now, timezone=actor.timezone)
    except WhenError as error:
        key = "calendar.past" if error.when is not None else "calendar.unreadable"
        when = formatting.moment(error.when, actor.timezone, tr.locale) if error.when else ""
        hint = when_hint(tr, error)
        return FormOutcome(errors={"when": tr.plain(key, text=error.text, when=when, hint=hint)})
    reply = reschedule_item(request, item_id=item_id, due_at=due_at)
    return FormOutcome(errors={}, reply=reply, channel_id=request.metadata.channel)


def reschedule_item(request: InteractionRequest, *, item_id: int, due_at: datetime) -> Reply:
    ctx, actor, tr = request.ctx, request.actor, request.tr
    with ctx.db.transaction() as session:
        item = CalendarRepository(session, actor.team_id).get(item_id, for_update=True)
        refusal = _not_scheduled(tr, item, item_id)
        if refusal is not None or item is None:
            return refusal or replies.notice(tr, "calendar.item_not_found", id=item_id)
        OutboxRepository(session, actor.team_id).cancel_for_item(item.id)
        detail = {"from": item.due_at.isoformat(), "to": due_at.isoformat()}
        item.due_at, item.updated_at = due_at, ctx.clock()
        record_member_action(
            session,
            actor,
            AuditAction.ITEM_RESCHEDULED,
            Subject.item(item.id),
            at=ctx.clock(),
            detail=detail,
        )
        session.flush()
        campaign = _campaign_name(session, actor.team_id, item.campaign_id)
        plan_messages(
            session, tr, item_view(item, campaign), team_id=actor.team_id, now=ctx.clock()
        )
        when = formatting.moment(due_at, actor.timezone, tr.locale)
    return replies.notice(tr, "calendar.rescheduled", id=item_id, when=when)


def _campaign_name(session: Session, team_id: str, campaign_id: int | None) -> str | None:
    if campaign_id is None:
        return None
    campaign = CampaignRepository(session, team_id).get(campaign_id)
    return campaign.name if campaign else None


def publish_form(request: ButtonRequest[int]) -> Reply:
    metadata = json.dumps({"item": request.value, "channel": request.actor.channel_id})
    return replies.publish_form(request.tr, metadata)


def submit_publish(request: FormRequest) -> FormOutcome:
    ctx, actor, tr, channel = request.ctx, request.actor, request.tr, request.metadata.channel
    url = request.values.get("url", "").strip()
    if url and (urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc):
        return FormOutcome(errors={"url": tr.plain("calendar.bad_url")})
    item_id = request.metadata.ids["item"]
    with ctx.db.transaction() as session:
        item = CalendarRepository(session, actor.team_id).get(item_id, for_update=True)
        if item is None or item.status not in {"scheduled", "missed"}:
            reply = _not_scheduled(tr, item, item_id) or replies.notice(
                tr, "calendar.item_not_found", id=item_id
            )
            return FormOutcome(errors={}, reply=reply, channel_id=channel)
        item.status, item.published_url, item.updated_at = "published", url or None, ctx.clock()
        record_member_action(
            session,
            actor,
            AuditAction.ITEM_PUBLISHED,
            Subject.item(item.id),
            at=ctx.clock(),
            detail={"url": url} if url else None,
        )
        OutboxRepository(session, actor.team_id).cancel_for_item(item.id)
        view = item_view(item, _campaign_name(session, actor.team_id, item.campaign_id))
        show_published(
            session,
            actor.team_id,
            view,
            who=actor.user_id,
            url=url or None,
            now=ctx.clock(),
            locale=tr.locale,
        )
    reply = replies.notice(
        tr, "calendar.published", id=item_id, who=mention(actor.user_id), url=url
    )
    return FormOutcome(errors={}, reply=reply, channel_id=channel)


def snooze_item(request: ButtonRequest[int]) -> Reply:
    ctx, actor, tr, item_id = request.ctx, request.actor, request.tr, request.value
    now = ctx.clock()
    with ctx.db.transaction() as session:
        item = CalendarRepository(session, actor.team_id).get(item_id, for_update=True)
        refusal = _not_scheduled(tr, item, item_id)
        if refusal is not None or item is None:
            return refusal or replies.notice(tr, "calendar.item_not_found", id=item_id)
        view = item_view(item, _campaign_name(session, actor.team_id, item.campaign_id))
        outbox = OutboxRepository(session, actor.team_id)
        # One snooze per delivered reminder: a double click, or two teammates clicking the
        # same message, share this key, so the insert-or-keep stores a single reminder.
        delivered = outbox.count_delivered_for_item(item.id, "due")
        snoozed = outbox.enqueue(
            kind="due",
            dedupe_key=f"{actor.team_id}:item:{item.id}{SNOOZE_KEY}{delivered}",
            channel_id=item.channel_id,
            due_at=now + SNOOZE,
            drop_after=None,
            payload={"reply": reply_to_data(replies.due_message(tr, view)), "locale": tr.locale},
            calendar_item_id=item.id,
        )
        due_at = snoozed.due_at
        record_member_action(
            session,
            actor,
            AuditAction.ITEM_SNOOZED,
            Subject.item(item.id),
            at=now,
            detail={"until": due_at.isoformat()},
            once=True,
        )
        show_snoozed(
            session, actor.team_id, view, who=actor.user_id, until=due_at, now=now, locale=tr.locale
        )
    when = formatting.moment(due_at, actor.timezone, tr.locale)
    return replies.notice(tr, "calendar.snoozed", owner=mention(view.owner_id), when=when)


def mark_missed(*, ctx: ServiceContext) -> int:
    """Posts still not published a day after they were due count as missed (a scheduler sweep)."""
    now = ctx.clock()
    with ctx.db.transaction() as session:
        missed = mark_overdue_missed(session, due_before=now - MISSED_AFTER, now=now)
        for team_id, item_id in missed:
            record_audit(
                session,
                team_id=team_id,
                actor_id=SYSTEM_ACTOR,
                action=AuditAction.ITEM_MISSED,
                subject=Subject.item(item_id),
                at=now,
            )
        return len(missed)


def schedule_draft_form(request: ButtonRequest[int]) -> Reply:
    """The draft's Schedule button: when, and which of its versions to post."""
    ctx, actor, tr, draft_id = request.ctx, request.actor, request.tr, request.value
    with ctx.db.transaction() as session:
        draft = DraftRepository(session, actor.team_id).get(draft_id)
        platforms = [variant.platform for variant in draft.variants] if draft else []
        best = best_choices(
            session, tr, team_id=actor.team_id, platforms=platforms, zone=actor.timezone,
            now=ctx.clock(),
        )  # fmt: skip
    if not platforms:
        return replies.notice(tr, "calendar.draft_not_found", id=draft_id)
    metadata = json.dumps({"draft": draft_id, "channel": actor.channel_id})
    example = when_example(ctx.clock(), actor.timezone, tr.locale)
    return replies.schedule_draft_form(
        tr, draft_id, platforms, metadata, example=example, best=best
    )


def submit_schedule_draft(request: FormRequest) -> FormOutcome:
    """Runs the same `/smm schedule <when> draft=<id>` a member could type."""
    ctx, actor, tr, values = request.ctx, request.actor, request.tr, request.values
    when = values.get("when", "").strip() or values.get("best", "")[:BEST_WHEN_LENGTH]
    try:
        parse_when(when, now=ctx.clock(), timezone=actor.timezone)
    except WhenError as error:
        key = "calendar.past" if error.when is not None else "calendar.unreadable"
        moment = formatting.moment(error.when, actor.timezone, tr.locale) if error.when else ""
        hint = when_hint(tr, error)
        return FormOutcome(errors={"when": tr.plain(key, text=error.text, when=moment, hint=hint)})
    schedule = find_subcommand("schedule")
    assert schedule is not None
    command = ParsedCommand(
        words=("schedule", when),
        options={
            "draft": str(request.metadata.ids["draft"]),
            "platform": values.get("platform", ""),
        },
    )
    scheduled_actor = replace(actor, channel_id=request.metadata.channel or actor.channel_id)
    typed = CommandRequest(
        ctx, scheduled_actor, command, schedule, tr, Surface.SLACK.command_prefix
    )
    return FormOutcome(
        errors={}, reply=handle_schedule(typed), channel_id=scheduled_actor.channel_id
    )
