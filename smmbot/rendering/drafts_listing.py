"""Replies for `/smm drafts` and `draft delete`: the list in pages, the question, the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from smmbot.domain.commands import subcommand
from smmbot.domain.drafts_listing import DraftScope, DraftStatus
from smmbot.rendering import formatting, limits
from smmbot.rendering.drafts import EDIT_ACTION, SCHEDULE_ACTION
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import mention
from smmbot.rendering.reply import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Context,
    Header,
    Reply,
    Section,
)

DELETE_ACTION = "draft_delete"
DELETE_CONFIRMED_ACTION = "draft_delete_confirmed"
PAGE_ACTION = "drafts_page"
PAGE_SIZE: Final = (limits.MESSAGE_BLOCKS - 4) // 2
"""Two blocks per draft (its line, its buttons); the header, the page line, the page buttons
and the command hint take the rest of one message."""
PREVIEW_LENGTH: Final = 120
SCHEDULED_SHOWN: Final = 10

DRAFTS: Final = subcommand("drafts")


@dataclass(frozen=True)
class DraftRow:
    """`scheduled`: its calendar items still to go out."""

    id: int
    template: str
    author_id: str
    created_at: datetime
    platforms: tuple[str, ...]
    preview: str
    status: DraftStatus
    scheduled: int


@dataclass(frozen=True)
class DraftPage:
    scope: DraftScope
    rows: Sequence[DraftRow]
    page: int
    total: int


@dataclass(frozen=True)
class ScheduledLine:
    id: int
    due_at: datetime
    platform: str | None


def _platforms(tr: Translator, platforms: Sequence[str]) -> str:
    return ", ".join(tr.plain(f"platform.{platform}") for platform in platforms)


def listing(tr: Translator, prefix: str, drafts: DraftPage, timezone: str) -> Reply:
    title = tr.plain(f"drafts.title_{drafts.scope.value}")
    if not drafts.total:
        text = tr.mrkdwn(f"drafts.empty_{drafts.scope.value}", prefix=prefix)
        return Reply(blocks=(Section(text),), fallback=title)
    first = (drafts.page - 1) * PAGE_SIZE + 1
    last = first + len(drafts.rows) - 1
    if not drafts.rows:
        pages = -(-drafts.total // PAGE_SIZE)
        text = tr.mrkdwn("drafts.no_page", page=drafts.page, pages=pages)
        return Reply(blocks=(Section(text),), fallback=title)
    blocks: list[Block] = [
        Header(title),
        Context(tr.mrkdwn("drafts.page_line", first=first, last=last, total=drafts.total)),
    ]
    for row in drafts.rows:
        blocks += [Section(_line(tr, row, timezone)), _buttons(tr, row.id)]
    blocks += _paging(tr, prefix, drafts, more=last < drafts.total)
    return Reply(blocks=tuple(blocks), fallback=title)


def _line(tr: Translator, row: DraftRow, timezone: str) -> str:
    created = formatting.short_date(row.created_at.astimezone(ZoneInfo(timezone)).date(), tr.locale)
    preview = " ".join(row.preview.split())
    if len(preview) > PREVIEW_LENGTH:
        preview = preview[: PREVIEW_LENGTH - 1] + "…"
    return tr.mrkdwn(
        "drafts.line",
        id=row.id,
        template=row.template,
        author=mention(row.author_id),
        date=created,
        status=tr.plain(f"drafts.status_{row.status.value}", count=row.scheduled),
        platforms=_platforms(tr, row.platforms),
        preview=preview,
    )


def _buttons(tr: Translator, draft_id: int) -> Actions:
    value = str(draft_id)
    return Actions(
        (
            Button(tr.plain("draft.button_schedule"), SCHEDULE_ACTION, value, ButtonStyle.PRIMARY),
            Button(tr.plain("draft.button_edit"), EDIT_ACTION, value),
            Button(tr.plain("drafts.button_delete"), DELETE_ACTION, value, ButtonStyle.DANGER),
        )
    )


def _paging(tr: Translator, prefix: str, drafts: DraftPage, *, more: bool) -> list[Block]:
    scope = drafts.scope.value
    buttons = []
    if drafts.page > 1:
        previous = f"{scope}:{drafts.page - 1}"
        buttons.append(Button(tr.plain("drafts.button_previous"), PAGE_ACTION, previous))
    if more:
        following = f"{scope}:{drafts.page + 1}"
        buttons.append(Button(tr.plain("drafts.button_next"), PAGE_ACTION, following))
    if not buttons:
        return []
    typed = DRAFTS.action(scope)
    word = typed.shown(tr.locale) if typed is not None else scope
    hint = tr.mrkdwn("drafts.page_hint", prefix=prefix, scope=word, page=drafts.page + 1)
    return [Actions(tuple(buttons)), *([Context(hint)] if more else [])]


@dataclass(frozen=True)
class DraftSummary:
    """What a deletion is about: the draft, and its posts still on the calendar."""

    id: int
    template: str
    platforms: tuple[str, ...]
    scheduled: Sequence[ScheduledLine]


def _scheduled_note(tr: Translator, prefix: str, draft: DraftSummary, timezone: str) -> str:
    lines = [
        tr.plain(
            "drafts.scheduled_item",
            id=item.id,
            platform=tr.plain(f"platform.{item.platform}") if item.platform else "",
            when=formatting.moment(item.due_at, timezone, tr.locale),
        )
        for item in draft.scheduled[:SCHEDULED_SHOWN]
    ]
    return tr.mrkdwn(
        "drafts.delete_keeps",
        count=len(draft.scheduled),
        items="; ".join(lines),
        more=len(draft.scheduled) - len(lines),
        prefix=prefix,
    )


def delete_question(tr: Translator, prefix: str, draft: DraftSummary, timezone: str) -> Reply:
    """Asked before a button deletes: the draft named, and what it leaves on the calendar."""
    params = _params(tr, draft)
    blocks: list[Block] = [Section(tr.mrkdwn("drafts.delete_question", **params))]
    if draft.scheduled:
        blocks.append(Context(_scheduled_note(tr, prefix, draft, timezone)))
    confirm = Button(
        tr.plain("drafts.button_delete_confirmed", id=draft.id),
        DELETE_CONFIRMED_ACTION,
        str(draft.id),
        ButtonStyle.DANGER,
    )
    blocks.append(Actions((confirm,)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("drafts.delete_question", **params))


def deleted(tr: Translator, prefix: str, draft: DraftSummary, timezone: str) -> Reply:
    params = _params(tr, draft)
    blocks: list[Block] = [Section(tr.mrkdwn("drafts.deleted", **params))]
    if draft.scheduled:
        blocks.append(Context(_scheduled_note(tr, prefix, draft, timezone)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("drafts.deleted", **params))


def _params(tr: Translator, draft: DraftSummary) -> dict[str, object]:
    return {
        "id": draft.id,
        "template": draft.template,
        "count": len(draft.platforms),
        "platforms": _platforms(tr, draft.platforms),
    }
