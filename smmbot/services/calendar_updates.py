"""Editing the channel's reminders in place once someone marks a post published or snoozes it.

The edits go out like every channel message, through the outbox: queued in the transaction that
changes the item (so an edit exists exactly when the change does), then sent as chat.update by
the delivery engine, which paces and retries them. Each edit is written in the language its
reminder was written in, which the reminder's payload records.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
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
        kinds=("due", "missed"),
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
        kinds=("due",),
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
) -> None:
    """Every review request of the item (the approvals channel's, or each approver's DM) shows
    the decision, without buttons."""
    _queue_edits(
        session,
        team_id,
        item,
        kinds=(REVIEW_KIND,),
        tag=tag,
        now=now,
        locale=locale,
        render=lambda tr, _sent: render(tr),
    )


def _queue_edits(
    session: Session,
    team_id: str,
    item: ItemView,
    *,
    kinds: Collection[str],
    tag: str,
    now: datetime,
    locale: str,
    render: Callable[[Translator, OutboxMessage], Reply],
    metadata: dict[str, object] | None = None,
) -> None:
    """`tag` names the change: a double click, or two teammates acting on the same change,
    queue one edit per message (the outbox keeps the first row under a dedupe key)."""
    outbox = OutboxRepository(session, team_id)
    for sent in CalendarRepository(session, team_id).list_sent_reminders(item.id, kinds):
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
