"""Editing the channel's reminders in place once someone marks a post published or snoozes it.

The edits go out like every channel message, through the outbox: queued in the transaction that
changes the item (so an edit exists exactly when the change does), then sent as chat.update by
the delivery engine, which paces and retries them. Each edit is written in the language its
reminder was written in, which the reminder's payload records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from smmbot.domain.workflows import published_event
from smmbot.persistence.calendar_repository import CalendarRepository
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.rendering.calendar import ItemView
from smmbot.rendering.calendar_updates import published_reminder, snoozed_reminder
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply, reply_to_data

UPDATE_KIND = "update"
"""Outbox kind of an edit; its payload's `update_ts` names the message it replaces."""
REVIEW_KIND = "review"
"""Outbox kind of a review request (to the approvals channel or an approver's DM)."""


def show_published(
    session: Session,
    team_id: str,
    item: ItemView,
    *,
    who: str,
    url: str | None,
    now: datetime,
    locale: str,
) -> None:
    """Every due reminder and missed nudge of the item says who published it, without buttons,
    and carries the published event for Slack workflows."""
    event = published_event(
        item_id=item.id,
        platform=item.platform,
        url=url,
        published_by=who,
        owner_id=item.owner_id,
        channel_id=item.channel_id,
    )
    _queue_edits(
        session,
        team_id,
        item,
        CalendarRepository(session, team_id).list_sent_reminders(item.id, ("due", "missed")),
        tag="published",
        now=now,
        locale=locale,
        render=lambda tr, sent: published_reminder(tr, item, kind=sent.kind, who=who, url=url),
        metadata=event,
    )


def show_snoozed(
    session: Session,
    team_id: str,
    item: ItemView,
    *,
    who: str,
    until: datetime,
    now: datetime,
    locale: str,
) -> None:
    """Every due reminder of the item says until when it is snoozed, and by whom."""
    _queue_edits(
        session,
        team_id,
        item,
        CalendarRepository(session, team_id).list_sent_reminders(item.id, ("due",)),
        tag=f"snoozed:{int(until.timestamp())}",
        now=now,
        locale=locale,
        render=lambda tr, _sent: snoozed_reminder(tr, item, who=who, until=until),
    )


def show_decided(
    session: Session,
    team_id: str,
    item: ItemView,
    *,
    tag: str,
    now: datetime,
    locale: str,
    render: Callable[[Translator], Reply],
    metadata: dict[str, object],
) -> None:
    """The current round's review requests (the approvals channel's, or each approver's DM)
    show the decision, without buttons, and carry the decision event for Slack workflows.
    Requests of an earlier round were marked superseded at the resubmit and stay so."""
    sent = CalendarRepository(session, team_id).list_sent_reminders(item.id, (REVIEW_KIND,))
    latest = max((round_of(message) for message in sent), default=0)
    _queue_edits(
        session,
        team_id,
        item,
        [message for message in sent if round_of(message) == latest],
        tag=tag,
        now=now,
        locale=locale,
        render=lambda tr, _sent: render(tr),
        metadata=metadata,
    )


def show_superseded(
    session: Session,
    team_id: str,
    item: ItemView,
    *,
    round_: int,
    now: datetime,
    locale: str,
    render: Callable[[Translator], Reply],
) -> None:
    """At a resubmit, the earlier rounds' review requests say a newer request replaces them, so
    the next decision is shown only on the new round's messages and no old button is left."""
    sent = CalendarRepository(session, team_id).list_sent_reminders(item.id, (REVIEW_KIND,))
    _queue_edits(
        session,
        team_id,
        item,
        [message for message in sent if round_of(message) < round_],
        tag=f"superseded:{round_}",
        now=now,
        locale=locale,
        render=lambda tr, _sent: render(tr),
    )


def round_of(message: OutboxMessage) -> int:
    """The review round a request belongs to (its payload's `round`; 0 for the first)."""
    value = message.payload.get("round", 0)
    return value if isinstance(value, int) else 0


def _queue_edits(
    session: Session,
    team_id: str,
    item: ItemView,
    messages: Sequence[OutboxMessage],
    *,
    tag: str,
    now: datetime,
    locale: str,
    render: Callable[[Translator, OutboxMessage], Reply],
    metadata: dict[str, object] | None = None,
) -> None:
    """`tag` names the change: a double click, or two teammates acting on the same change,
    queue one edit per message (the outbox keeps the first row under a dedupe key)."""
    outbox = OutboxRepository(session, team_id)
    for sent in messages:
        tr = Translator(str(sent.payload.get("locale") or locale))
        payload = {"reply": reply_to_data(render(tr, sent)), "update_ts": sent.message_ts}
        outbox.enqueue(
            kind=UPDATE_KIND,
            dedupe_key=f"{team_id}:item:{item.id}:update:{sent.id}:{tag}",
            channel_id=sent.channel_id,
            due_at=now,
            payload=payload | ({"metadata": metadata} if metadata else {}),
            calendar_item_id=item.id,
        )
