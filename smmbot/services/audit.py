"""Recording what happened: `record_audit`, called by every service that changes something
worth keeping, inside that change's own transaction (the entry and the change are saved, or
neither is).

The caller passes facts only; `detail` must never carry a secret (a rotated token is recorded as
rotated, not as its value).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from smmbot.domain.audit import SYSTEM_ACTOR, AuditAction, Subject
from smmbot.persistence.audit_repository import AuditRepository
from smmbot.persistence.models import AuditEvent, CalendarItem
from smmbot.persistence.outbox_queue import ClaimedMessage
from smmbot.rendering.calendar import ItemView
from smmbot.services.context import Actor


def record_audit(
    session: Session,
    *,
    team_id: str,
    actor_id: str,
    action: AuditAction,
    subject: Subject,
    at: datetime,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """`actor_id` is the member's Slack user id, or `domain.audit.SYSTEM_ACTOR` for what the bot
    does by itself (or a connector's provider name for what a connector reports)."""
    AuditRepository(session, team_id).add(
        AuditEvent(
            team_id=team_id,
            occurred_at=at,
            actor_id=actor_id,
            action=action.value,
            subject_kind=subject.kind.value,
            subject_key=subject.key,
            detail=dict(detail or {}),
        )
    )


def record_member_action(
    session: Session,
    actor: Actor,
    action: AuditAction,
    subject: Subject,
    *,
    at: datetime,
    detail: Mapping[str, Any] | None = None,
    once: bool = False,
) -> None:
    """`record_audit` for what a member did (the member is the actor, their workspace the team).
    `once`: not again when the same change (action and detail) is already recorded, for the
    actions a double click or a teammate's simultaneous click does only once (a snooze)."""
    if once and _recorded(session, actor.team_id, action, subject, detail or {}):
        return
    record_audit(
        session,
        team_id=actor.team_id,
        actor_id=actor.user_id,
        action=action,
        subject=subject,
        at=at,
        detail=detail,
    )


REMINDER_KINDS = frozenset({"lead", "due", "missed"})
"""Outbox kinds that remind a post's owner (lead reminders, the due message, the missed nudge)."""


def reminds_of_post(message: ClaimedMessage) -> bool:
    """Whether the message's delivery goes into a post's history: a reminder of a post does,
    other messages (such as digests) do not."""
    return message.kind in REMINDER_KINDS and message.calendar_item_id is not None


def record_reminded(session: Session, message: ClaimedMessage, *, now: datetime) -> None:
    """Called by the outbox, in the transaction that marks a message delivered, for a message
    that `reminds_of_post`: the reminder goes into that post's history."""
    if message.calendar_item_id is None or not reminds_of_post(message):
        return
    record_audit(
        session,
        team_id=message.team_id,
        actor_id=SYSTEM_ACTOR,
        action=AuditAction.ITEM_REMINDED,
        subject=Subject.item(message.calendar_item_id),
        at=now,
        detail={"kind": message.kind},
    )


def _recorded(
    session: Session, team_id: str, action: AuditAction, subject: Subject, detail: Mapping[str, Any]
) -> bool:
    events = AuditRepository(session, team_id).list_for_subject(subject.kind, subject.key)
    return any(e.action == action and e.detail == detail for e in events)


def record_scheduled(
    session: Session, actor: Actor, item: CalendarItem | ItemView, *, now: datetime, held: bool
) -> None:
    """The item's first line of history: scheduled, or submitted for review when held."""
    record_member_action(
        session,
        actor,
        AuditAction.ITEM_SUBMITTED if held else AuditAction.ITEM_SCHEDULED,
        Subject.item(item.id),
        at=now,
        detail={"due_at": item.due_at.isoformat(), "platform": item.platform or ""},
    )
