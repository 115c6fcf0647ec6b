"""`/smm calendar`: what is coming, by local day, in pages that each fit one Slack message."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from zoneinfo import ZoneInfo

from smmbot.rendering import formatting, limits
from smmbot.rendering.calendar import ItemView, item_actions, notice, platform_name
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, mention
from smmbot.rendering.reply import Actions, Block, Button, Context, Header, Reply, Section

PAGE_ACTION = "calendar_page"
CALENDAR_FETCH_LIMIT = 1000
"""Posts read for one calendar span; a month of a busy team is a few dozen."""


def calendar_pages(items: Sequence[ItemView], timezone: str) -> list[list[ItemView]]:
    """The items split into pages that each fit in one message: the header, a line per day and
    two blocks per item (its text, its buttons), with room left for the page line and the
    next-page button. Deterministic, so page 2 is what follows page 1."""
    budget = limits.MESSAGE_BLOCKS - 3
    zone = ZoneInfo(timezone)
    pages: list[list[ItemView]] = []
    page: list[ItemView] = []
    used = 0
    for item in items:
        new_day = (
            not page
            or item.due_at.astimezone(zone).date() != page[-1].due_at.astimezone(zone).date()
        )
        cost = 3 if new_day else 2
        if used + cost > budget:
            pages.append(page)
            page, used, cost = [], 0, 3
        page.append(item)
        used += cost
    if page:
        pages.append(page)
    return pages


def calendar(
    tr: Translator,
    prefix: str,
    items: Sequence[ItemView],
    *,
    month: bool,
    timezone: str,
    page: int = 1,
) -> Reply:
    """One page of what is coming (`items` is the whole span); later pages are a button and a
    command away, and the page line says how many posts there are in all."""
    title = tr.plain("calendar.title_month" if month else "calendar.title_week")
    if not items:
        example = prefix + tr.plain("example.schedule")
        return Reply(
            blocks=(
                Header(title),
                Section(tr.mrkdwn("calendar.empty", month=month, prefix=prefix, example=example)),
            ),
            fallback=title,
        )
    pages = calendar_pages(items, timezone)
    if page > len(pages):
        return notice(tr, "calendar.no_page", page=page, pages=len(pages))
    blocks: list[Block] = [Header(title)]
    zone = ZoneInfo(timezone)
    shown = pages[page - 1]
    for local_day, day_items in groupby(
        shown, key=lambda item: item.due_at.astimezone(zone).date()
    ):
        blocks.append(Section(tr.mrkdwn("calendar.day", day=formatting.day(local_day, tr.locale))))
        for item in day_items:
            blocks += [Section(_item_line(tr, item, timezone)), item_actions(tr, item.id)]
    if len(pages) > 1:
        blocks += _page_footer(tr, prefix, pages, page=page, month=month)
    return Reply(blocks=tuple(blocks), fallback=title)


def _item_line(tr: Translator, item: ItemView, timezone: str) -> Mrkdwn:
    return tr.mrkdwn(
        "calendar.item",
        time=formatting.clock_time(item.due_at, timezone, tr.locale),
        platform=platform_name(tr, item.platform) or "—",
        campaign=item.campaign or "",
        owner=mention(item.owner_id),
        text=_start_of(item.text),
    )


def _page_footer(
    tr: Translator, prefix: str, pages: Sequence[Sequence[ItemView]], *, page: int, month: bool
) -> list[Block]:
    first = sum(len(earlier) for earlier in pages[: page - 1]) + 1
    span = "month" if month else "week"
    footer: list[Block] = [
        Context(
            tr.mrkdwn(
                "calendar.page",
                first=first,
                last=first + len(pages[page - 1]) - 1,
                total=sum(len(each) for each in pages),
                page=page,
                pages=len(pages),
                next=f"{prefix}calendar {span} page={page + 1}" if page < len(pages) else "",
            )
        )
    ]
    if page < len(pages):
        button = Button(tr.plain("calendar.button_next_page"), PAGE_ACTION, f"{span}:{page + 1}")
        footer.append(Actions((button,)))
    return footer


def _start_of(text: str, limit: int = 90) -> str:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line if len(first_line) <= limit else first_line[: limit - 1] + "…"
