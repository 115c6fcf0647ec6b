"""`/smm history <id>`: one post's life, oldest first, one line per entry, in the member's zone
and language; a long life comes in pages that each fit one Slack message.

An entry's wording is `audit.action.<key>` in the catalogs, filled from its detail: times (ISO
UTC in the log) are shown in the reader's zone, and members' own words (a reviewer's comment, a
rejection's reason) are cut to a few hundred characters and escaped like every value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from smmbot.domain.audit import SYSTEM_ACTOR
from smmbot.rendering import formatting
from smmbot.rendering.i18n import Translator
from smmbot.rendering.limits import HEADER_TEXT, chunk_lines
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, mention
from smmbot.rendering.reply import Block, Context, Header, Reply, Section

PAGE_SIZE: Final = 40
"""Entries per message: 40 lines of a few hundred characters fit in a handful of sections."""
WORDS_SHOWN: Final = 300
"""Characters of a member's own words (a comment, a reason) shown in a line."""
_MOMENTS: Final = ("due_at", "to", "until")
_WORDS: Final = ("url", "kind", "comment", "reason")


@dataclass(frozen=True)
class EntryView:
    occurred_at: datetime
    actor_id: str
    action: str
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class HistoryPage:
    """`first` counts from 1; `entries` are this page's only."""

    item_id: int
    status: str
    due_at: datetime
    entries: Sequence[EntryView]
    first: int
    total: int
    page: int
    pages: int


def short_moment(value: datetime, timezone: str, locale: str) -> str:
    """`Wed 2 Dec 2026, 09:00 WIB`: a history line's time, shorter than a reply's."""
    local = format_datetime(
        value,
        "EEE d MMM yyyy, HH:mm",
        tzinfo=ZoneInfo(timezone),
        locale=formatting.babel_locale(locale),
    )
    return f"{local} {formatting.zone_label(value, timezone, locale)}"


def history(tr: Translator, prefix: str, page: HistoryPage, timezone: str) -> Reply:
    title = tr.plain("history.title", id=page.item_id)
    status = tr.plain(f"calendar.status_{page.status}")
    due = short_moment(page.due_at, timezone, tr.locale)
    blocks: list[Block] = [
        Header(title[:HEADER_TEXT]),
        Context(tr.mrkdwn("history.status", status=status, due=due)),
    ]
    if not page.entries:
        blocks.append(Section(tr.mrkdwn("history.empty", id=page.item_id)))
    lines = [_line(tr, entry, timezone) for entry in page.entries]
    blocks.extend(Section(chunk) for chunk in chunk_lines(lines))
    if page.pages > 1:
        blocks.append(Context(_page_note(tr, prefix, page)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("history.fallback", id=page.item_id))


def _page_note(tr: Translator, prefix: str, page: HistoryPage) -> Mrkdwn:
    last = page.first + len(page.entries) - 1
    if page.page < page.pages:
        return tr.mrkdwn(
            "history.more",
            first=page.first,
            last=last,
            total=page.total,
            prefix=prefix,
            id=page.item_id,
            next=page.page + 1,
        )
    return tr.mrkdwn("history.page_of", first=page.first, last=last, total=page.total)


def _line(tr: Translator, entry: EntryView, timezone: str) -> str:
    when = short_moment(entry.occurred_at, timezone, tr.locale)
    what = action_words(tr, entry.action, entry.detail, timezone)
    return tr.mrkdwn("history.entry", when=when, who=actor_words(tr, entry.actor_id), what=what)


def actor_words(tr: Translator, actor_id: str) -> Mrkdwn:
    """A member as a mention; the bot itself or a connector (`google`, `meta`) by name."""
    if actor_id == SYSTEM_ACTOR:
        return escape_mrkdwn(tr.plain("history.system"))
    if actor_id.isupper():
        return mention(actor_id)
    return escape_mrkdwn(actor_id.capitalize())


def action_words(tr: Translator, action: str, detail: Mapping[str, Any], timezone: str) -> Mrkdwn:
    """The entry's wording; a key this version does not know yet is shown as it is stored."""
    key = f"audit.action.{action}"
    if not tr.has(key):
        return escape_mrkdwn(action)
    params: dict[str, str] = dict.fromkeys((*_MOMENTS, *_WORDS), "")
    for name in _MOMENTS:
        value = detail.get(name)
        if isinstance(value, str) and value:
            params[name] = short_moment(datetime.fromisoformat(value), timezone, tr.locale)
    for name in _WORDS:
        value = detail.get(name)
        if isinstance(value, str):
            params[name] = value[:WORDS_SHOWN]
    params["due"] = params.pop("due_at")
    return tr.mrkdwn(key, **params)
