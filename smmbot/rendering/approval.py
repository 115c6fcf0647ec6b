"""The review request, its decided form, the author's notice, the decision forms and the queue.

The review request shows the post as it will go out: its text to copy, its platform with the
count that platform applies (and the warning a draft would show when it is over), the campaign,
the due time and the author, with the three decisions as buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_timedelta

from smmbot.domain.approval import CHANGES_REQUESTED, Decision
from smmbot.domain.platforms import Platform, measure
from smmbot.rendering import formatting, limits
from smmbot.rendering.calendar import ItemView, platform_name
from smmbot.rendering.drafts import over_limit_note
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, mention
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

APPROVE_ACTION = "review_approve"
CHANGES_ACTION = "review_changes"
REJECT_ACTION = "review_reject"
CHANGES_FORM_CALLBACK = "review_changes_form"
REJECT_FORM_CALLBACK = "review_reject_form"
EDIT_ACTION = "review_edit"
EDIT_FORM_CALLBACK = "review_edit_form"
TEXT_FIELD = "text"
WHEN_FIELD = "when"
NOTE_FIELD = "note"
HOME_ROWS = 10
"""Waiting posts on the App Home, each a line and its buttons (the tab holds 100 blocks)."""
QUEUE_ROWS = 40
"""Rows of the queue in one message (a title and rows stay within Slack's 50 blocks)."""
PREVIEW_LENGTH = 80


def _when(tr: Translator, item: ItemView) -> str:
    return formatting.moment(item.due_at, item.timezone, tr.locale)


def _post_blocks(tr: Translator, item: ItemView, author: str) -> list[Block]:
    header = tr.mrkdwn(
        "approval.request",
        id=item.id,
        author=mention(author),
        platform=platform_name(tr, item.platform),
        campaign=item.campaign or "",
        when=_when(tr, item),
    )
    blocks: list[Block] = [Section(header), *limits.code_sections(item.text)]
    count = _count_note(tr, item)
    if count is not None:
        blocks.append(Context(count))
    return blocks


def _count_note(tr: Translator, item: ItemView) -> Mrkdwn | None:
    if item.platform is None:
        return None
    platform = Platform(item.platform)
    check = measure(item.text, platform)
    over = over_limit_note(tr, check, platform)
    if over is not None:
        return over
    return tr.mrkdwn(
        "draft.within_limit",
        length=check.length,
        limit=check.limit,
        hashtags=check.hashtags,
        cap=check.hashtag_cap,
    )


def _decisions(tr: Translator, item_id: int) -> Actions:
    value = str(item_id)
    return Actions(
        (
            Button(tr.plain("approval.button_approve"), APPROVE_ACTION, value, ButtonStyle.PRIMARY),
            Button(tr.plain("approval.button_changes"), CHANGES_ACTION, value),
            Button(tr.plain("approval.button_reject"), REJECT_ACTION, value, ButtonStyle.DANGER),
        )
    )


def review_request(tr: Translator, item: ItemView, author: str) -> Reply:
    blocks = (*_post_blocks(tr, item, author), _decisions(tr, item.id))
    return Reply(blocks=blocks, fallback=tr.plain("approval.fallback_request"), public=True)


def decided_request(
    tr: Translator, item: ItemView, author: str, decision: Decision, who: str, note: str | None
) -> Reply:
    """The review request once decided: the same post, the decision and who made it, no
    buttons, so nobody clicks a decided request again."""
    line = tr.mrkdwn(f"approval.decided_{decision.name.lower()}", who=mention(who), note=bool(note))
    blocks = (*_post_blocks(tr, item, author), Section(line), *_note(note))
    return Reply(blocks=blocks, fallback=tr.plain("approval.fallback_decided"), public=True)


def superseded_request(tr: Translator, item: ItemView, author: str) -> Reply:
    """An earlier round's review request once the author resubmitted: it points to the newer
    request and has no buttons, so nobody decides on a text that was replaced."""
    line = tr.mrkdwn("approval.superseded", id=item.id, author=mention(author))
    return Reply(
        blocks=(Section(line),), fallback=tr.plain("approval.superseded_fallback"), public=True
    )


def author_notice(
    tr: Translator, item: ItemView, decision: Decision, who: str, note: str | None
) -> Reply:
    text = tr.mrkdwn(
        f"approval.told_{decision.name.lower()}",
        id=item.id,
        who=mention(who),
        note=bool(note),
        when=_when(tr, item),
    )
    blocks: list[Block] = [Section(text), *_note(note), *limits.code_sections(item.text)]
    if decision is Decision.CHANGES:
        edit = Button(
            tr.plain("approval.button_edit"), EDIT_ACTION, str(item.id), ButtonStyle.PRIMARY
        )
        blocks.append(Actions((edit,)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("approval.fallback_told"), public=True)


def edit_form(tr: Translator, item: ItemView, metadata: str, *, example: str) -> Reply:
    """The post's text to change, and a new time (blank keeps the current one)."""
    fields = (
        FormField(
            TEXT_FIELD,
            tr.plain("approval.edit_text"),
            required=True,
            initial=item.text[: limits.INPUT_VALUE],
            multiline=True,
        ),
        FormField(
            WHEN_FIELD,
            tr.plain("approval.edit_when"),
            tr.plain("approval.edit_when_hint", when=_when(tr, item)),
            placeholder=example,
        ),
    )
    form = Form(
        EDIT_FORM_CALLBACK,
        tr.plain("approval.edit_title", id=item.id),
        tr.plain("approval.edit_submit"),
        fields,
        metadata,
    )
    return Reply(blocks=(), fallback=tr.plain("approval.edit_title", id=item.id), form=form)


def note_form(tr: Translator, decision: Decision, item_id: int, metadata: str) -> Reply:
    """Request changes (a comment, required) or Reject (a reason, optional)."""
    changes = decision is Decision.CHANGES
    kind = "changes" if changes else "reject"
    form = Form(
        CHANGES_FORM_CALLBACK if changes else REJECT_FORM_CALLBACK,
        tr.plain(f"approval.{kind}_title", id=item_id),
        tr.plain(f"approval.{kind}_submit"),
        (
            FormField(
                NOTE_FIELD, tr.plain(f"approval.{kind}_field"), required=changes, multiline=True
            ),
        ),
        metadata,
    )
    return Reply(blocks=(), fallback=tr.plain(f"approval.{kind}_title", id=item_id), form=form)


@dataclass(frozen=True)
class Waiting:
    """A held post in a queue: who wrote it, its status and since when it waits."""

    item: ItemView
    author: str
    status: str
    since: datetime


def queue(tr: Translator, items: Sequence[Waiting], now: datetime) -> Reply:
    """Oldest first, each with how long it has waited."""
    if not items:
        return notice(tr, "approval.queue_empty")
    blocks: list[Block] = [Section(tr.mrkdwn("approval.queue_title", count=len(items)))]
    blocks += [Section(_queue_line(tr, waiting, now)) for waiting in items[:QUEUE_ROWS]]
    fallback = tr.plain("approval.queue_fallback", count=len(items))
    return Reply(blocks=tuple(blocks), fallback=fallback)


def home_queue(tr: Translator, items: Sequence[Waiting], now: datetime) -> list[Block]:
    """The App Home's section for an approver: each waiting post with its decision buttons."""
    if not items:
        return []
    blocks: list[Block] = [Section(tr.mrkdwn("approval.queue_title", count=len(items)))]
    for waiting in items[:HOME_ROWS]:
        blocks += [Section(_queue_line(tr, waiting, now)), _decisions(tr, waiting.item.id)]
    return blocks


def _queue_line(tr: Translator, waiting: Waiting, now: datetime) -> Mrkdwn:
    item = waiting.item
    return tr.mrkdwn(
        "approval.queue_item",
        id=item.id,
        author=mention(waiting.author),
        platform=platform_name(tr, item.platform),
        when=_when(tr, item),
        age=format_timedelta(now - waiting.since, locale=formatting.babel_locale(tr.locale)),
        changes=waiting.status == CHANGES_REQUESTED,
        text=_preview(item.text),
    )


def _note(note: str | None) -> list[Section]:
    """The approver's comment or reason, quoted as typed (escaped, split to fit a section)."""
    if not note:
        return []
    return [
        Section(chunk)
        for chunk in limits.chunk_lines(f"> {escape_mrkdwn(line)}" for line in note.splitlines())
    ]


def channel_mention(channel_id: str | None) -> Mrkdwn | str:
    """`<#C…>` for a channel the settings picked; "" for none (review requests go by DM)."""
    return Mrkdwn(f"<#{escape_mrkdwn(channel_id)}>") if channel_id else ""


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_LENGTH else flat[: PREVIEW_LENGTH - 1] + "…"


def notice(tr: Translator, key: str, **params: object) -> Reply:
    return Reply(blocks=(Section(tr.mrkdwn(key, **params)),), fallback=tr.plain(key, **params))
