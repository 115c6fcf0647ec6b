"""The review request, its decided form, the author's notice, the decision forms and the queue.

The review request shows the post as it will go out: its text to copy, its platform with the
count that platform applies (and the warning a draft would show when it is over), the campaign,
the due time and the author, with the three decisions as buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def review_request(tr: Translator, item: ItemView, author: str) -> Reply:
    value = str(item.id)
    buttons = (
        Button(tr.plain("approval.button_approve"), APPROVE_ACTION, value, ButtonStyle.PRIMARY),
        Button(tr.plain("approval.button_changes"), CHANGES_ACTION, value),
        Button(tr.plain("approval.button_reject"), REJECT_ACTION, value, ButtonStyle.DANGER),
    )
    blocks = (*_post_blocks(tr, item, author), Actions(buttons))
    return Reply(blocks=blocks, fallback=tr.plain("approval.fallback_request"), public=True)


def decided_request(
    tr: Translator, item: ItemView, author: str, decision: Decision, who: str, note: str | None
) -> Reply:
    """The review request once decided: the same post, the decision and who made it, no
    buttons, so nobody clicks a decided request again."""
    line = tr.mrkdwn(f"approval.decided_{decision.name.lower()}", who=mention(who), note=note or "")
    blocks = (*_post_blocks(tr, item, author), Section(line))
    return Reply(blocks=blocks, fallback=tr.plain("approval.fallback_decided"), public=True)


def author_notice(
    tr: Translator, item: ItemView, decision: Decision, who: str, note: str | None
) -> Reply:
    text = tr.mrkdwn(
        f"approval.told_{decision.name.lower()}",
        id=item.id,
        who=mention(who),
        note=note or "",
        when=_when(tr, item),
    )
    blocks: list[Block] = [Section(text), *limits.code_sections(item.text)]
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


def queue(
    tr: Translator, items: Sequence[tuple[ItemView, str, str, datetime]], now: datetime
) -> Reply:
    """`(item, author, status, since)` oldest first, each with how long it has waited."""
    if not items:
        return notice(tr, "approval.queue_empty")
    locale = formatting.babel_locale(tr.locale)
    blocks: list[Block] = [Section(tr.mrkdwn("approval.queue_title", count=len(items)))]
    for item, author, status, since in items[:QUEUE_ROWS]:
        line = tr.mrkdwn(
            "approval.queue_item",
            id=item.id,
            author=mention(author),
            platform=platform_name(tr, item.platform),
            when=_when(tr, item),
            age=format_timedelta(now - since, locale=locale),
            changes=status == CHANGES_REQUESTED,
            text=_preview(item.text),
        )
        blocks.append(Section(line))
    return Reply(
        blocks=tuple(blocks), fallback=tr.plain("approval.queue_fallback", count=len(items))
    )


def channel_mention(channel_id: str | None) -> Mrkdwn | str:
    """`<#C…>` for a channel the settings picked; "" for none (review requests go by DM)."""
    return Mrkdwn(f"<#{escape_mrkdwn(channel_id)}>") if channel_id else ""


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_LENGTH else flat[: PREVIEW_LENGTH - 1] + "…"


def notice(tr: Translator, key: str, **params: object) -> Reply:
    return Reply(blocks=(Section(tr.mrkdwn(key, **params)),), fallback=tr.plain(key, **params))
