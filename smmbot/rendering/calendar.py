"""Replies and scheduled messages of the content calendar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_timedelta

from smmbot.domain.recurring import SeriesRef
from smmbot.rendering import formatting, limits
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, mention
from smmbot.rendering.recurring import cancel_series_button
from smmbot.rendering.reply import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Context,
    Form,
    FormField,
    Reply,
    Section,
)

RESCHEDULE_ACTION = "item_reschedule"
CANCEL_ACTION = "item_cancel"
PUBLISHED_ACTION = "item_published"
SNOOZE_ACTION = "item_snooze"
RESCHEDULE_FORM_CALLBACK = "item_reschedule_form"
SCHEDULE_DRAFT_FORM_CALLBACK = "draft_schedule_form"
PUBLISH_FORM_CALLBACK = "item_publish_form"


@dataclass(frozen=True)
class ItemView:
    id: int
    due_at: datetime
    timezone: str
    text: str
    platform: str | None
    campaign: str | None
    owner_id: str
    channel_id: str
    series: SeriesRef | None = None
    status: str = "scheduled"


def platform_name(tr: Translator, platform: str | None) -> str:
    return tr.plain(f"platform.{platform}") if platform else ""


def _when(tr: Translator, item: ItemView) -> str:
    return formatting.moment(item.due_at, item.timezone, tr.locale)


def lead_list(tr: Translator, minutes: Sequence[int]) -> str:
    """`1 day, 1 hour` in the reader's language."""
    locale = formatting.babel_locale(tr.locale)
    return ", ".join(format_timedelta(timedelta(minutes=value), locale=locale) for value in minutes)


def scheduled(
    tr: Translator,
    item: ItemView,
    leads: Sequence[timedelta],
    skipped: bool,
    warnings: Sequence[Mrkdwn],
) -> Reply:
    lead_text = lead_list(tr, [int(lead.total_seconds() // 60) for lead in leads])
    lines = [
        tr.mrkdwn(
            "calendar.scheduled",
            id=item.id,
            when=_when(tr, item),
            platform=platform_name(tr, item.platform),
            campaign=item.campaign or "",
        ),
        tr.mrkdwn(
            "calendar.reminders",
            owner=mention(item.owner_id),
            channel=Mrkdwn(f"<#{escape_mrkdwn(item.channel_id)}>"),
            leads=lead_text,
        ),
    ]
    blocks: list[Block] = [Section(Mrkdwn("\n".join(lines)))]
    notes = [*warnings, *([tr.mrkdwn("calendar.no_leads")] if skipped else [])]
    blocks.extend(Context(note) for note in notes)
    blocks.append(item_actions(tr, item.id))
    return Reply(
        blocks=tuple(blocks),
        fallback=tr.plain(
            "calendar.scheduled",
            id=item.id,
            when=_when(tr, item),
            platform=platform_name(tr, item.platform),
            campaign=item.campaign or "",
        ),
    )


def scheduled_versions(
    tr: Translator,
    items: Sequence[ItemView],
    draft_id: int | None,
    leads: Sequence[timedelta],
    skipped: bool,
    warnings: Sequence[Mrkdwn],
) -> Reply:
    """Every version of a draft put on the calendar at once: one item (and buttons) each."""
    first = items[0]
    params = {
        "count": len(items),
        "draft": draft_id,
        "when": _when(tr, first),
        "campaign": first.campaign or "",
        "platforms": ", ".join(platform_name(tr, item.platform) for item in items),
    }
    reminders = tr.mrkdwn(
        "calendar.reminders",
        owner=mention(first.owner_id),
        channel=Mrkdwn(f"<#{escape_mrkdwn(first.channel_id)}>"),
        leads=lead_list(tr, [int(lead.total_seconds() // 60) for lead in leads]),
    )
    blocks: list[Block] = [
        Section(Mrkdwn(tr.mrkdwn("calendar.scheduled_versions", **params) + "\n" + reminders))
    ]
    blocks += [Context(note) for note in warnings]
    if skipped:
        blocks.append(Context(tr.mrkdwn("calendar.no_leads")))
    for item in items:
        label = tr.mrkdwn(
            "calendar.version_line", id=item.id, platform=platform_name(tr, item.platform)
        )
        blocks += [Context(label), item_actions(tr, item.id)]
    return Reply(blocks=tuple(blocks), fallback=tr.plain("calendar.scheduled_versions", **params))


def item_actions(tr: Translator, item_id: int, series_id: int | None = None) -> Actions:
    """Reschedule and Cancel; an occurrence of a repeating post also Cancel series."""
    value = str(item_id)
    series = (cancel_series_button(tr, series_id),) if series_id is not None else ()
    return Actions(
        (
            Button(tr.plain("calendar.button_reschedule"), RESCHEDULE_ACTION, value),
            Button(tr.plain("calendar.button_cancel"), CANCEL_ACTION, value, ButtonStyle.DANGER),
            *series,
        )
    )


def lead_reminder(tr: Translator, item: ItemView, lead: timedelta) -> Reply:
    text = tr.mrkdwn(
        "calendar.lead_reminder",
        owner=mention(item.owner_id),
        lead=format_timedelta(lead, locale=formatting.babel_locale(tr.locale)),
        platform=platform_name(tr, item.platform),
        campaign=item.campaign or "",
        when=_when(tr, item),
    )
    blocks: tuple[Block, ...] = (Section(text), *limits.code_sections(item.text))
    return Reply(blocks=blocks, fallback=tr.plain("calendar.fallback_lead"), public=True)


def due_message(tr: Translator, item: ItemView) -> Reply:
    text = tr.mrkdwn(
        "calendar.due",
        owner=mention(item.owner_id),
        platform=platform_name(tr, item.platform),
        campaign=item.campaign or "",
    )
    value = str(item.id)
    blocks: tuple[Block, ...] = (
        Section(text),
        *limits.code_sections(item.text),
        Actions(
            (
                publish_button(tr, item.id),
                Button(tr.plain("calendar.button_snooze"), SNOOZE_ACTION, value),
            )
        ),
    )
    return Reply(blocks=blocks, fallback=tr.plain("calendar.fallback_due"), public=True)


def late_note(tr: Translator, item: ItemView) -> Reply:
    """Added to a message the scheduler delivers more than 15 minutes after its moment."""
    return Reply(blocks=(Context(tr.mrkdwn("calendar.late", when=_when(tr, item))),), fallback="")


def missed_nudge(tr: Translator, item: ItemView) -> Reply:
    text = tr.mrkdwn(
        "calendar.missed",
        owner=mention(item.owner_id),
        platform=platform_name(tr, item.platform),
        when=_when(tr, item),
    )
    blocks = (Section(text), Actions((publish_button(tr, item.id),)))
    return Reply(blocks=blocks, fallback=tr.plain("calendar.fallback_missed"), public=True)


def publish_button(tr: Translator, item_id: int) -> Button:
    """Mark published: on the due reminder and the missed nudge (a post can go out late)."""
    return Button(
        tr.plain("calendar.button_published"), PUBLISHED_ACTION, str(item_id), ButtonStyle.PRIMARY
    )


def reschedule_form(tr: Translator, item_id: int, metadata: str, *, example: str) -> Reply:
    """``example``: a ``<when>`` still ahead for this member (``dates.when_example``)."""
    form = Form(
        RESCHEDULE_FORM_CALLBACK,
        tr.plain("calendar.reschedule_title"),
        tr.plain("calendar.reschedule_submit"),
        (
            FormField(
                "when",
                tr.plain("calendar.reschedule_field"),
                tr.plain("calendar.reschedule_hint", example=example),
                required=True,
                placeholder=example,
            ),
        ),
        metadata,
    )
    return Reply(blocks=(), fallback=tr.plain("calendar.reschedule_title"), form=form)


def _best_field(tr: Translator, best: Sequence[str]) -> tuple[FormField, ...]:
    if not best:
        return ()
    hint = tr.plain("schedule_best.hint")
    return (FormField("best", tr.plain("schedule_best.field"), hint, choices=tuple(best)),)


def schedule_draft_form(
    tr: Translator,
    draft_id: int,
    platforms: Sequence[str],
    metadata: str,
    *,
    example: str,
    best: Sequence[str] = (),
) -> Reply:
    """The platform choice starts on every version at once (`x,instagram`, as `platform=`
    takes it), with each single version below it. With `best` times (from the workspace's
    own results) a pick-one list offers them, and typing a moment becomes optional."""
    every = ",".join(platforms)
    fields = (
        *_best_field(tr, best),
        FormField(
            "when",
            tr.plain("calendar.reschedule_field"),
            tr.plain("calendar.reschedule_hint", example=example),
            required=not best,
            placeholder=example,
        ),
        FormField(
            "platform",
            tr.plain("calendar.field_platform"),
            tr.plain("calendar.field_platform_hint") if len(platforms) > 1 else "",
            required=True,
            initial=every,
            choices=(every, *platforms) if len(platforms) > 1 else tuple(platforms),
        ),
    )
    form = Form(
        SCHEDULE_DRAFT_FORM_CALLBACK,
        tr.plain("calendar.schedule_draft_title", id=draft_id),
        tr.plain("calendar.schedule_draft_submit"),
        fields,
        metadata,
    )
    return Reply(
        blocks=(), fallback=tr.plain("calendar.schedule_draft_title", id=draft_id), form=form
    )


def publish_form(tr: Translator, metadata: str) -> Reply:
    form = Form(
        PUBLISH_FORM_CALLBACK,
        tr.plain("calendar.publish_title"),
        tr.plain("calendar.publish_submit"),
        (FormField("url", tr.plain("calendar.publish_field")),),
        metadata,
    )
    return Reply(blocks=(), fallback=tr.plain("calendar.publish_title"), form=form)


def notice(tr: Translator, key: str, **params: object) -> Reply:
    """A one-line confirmation (cancelled, moved, published, snoozed)."""
    return Reply(blocks=(Section(tr.mrkdwn(key, **params)),), fallback=tr.plain(key, **params))
