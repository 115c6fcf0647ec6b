"""`/smm calendar`: what is coming, by local day, in pages that each fit one Slack message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from smmbot.domain.approval import WAITING
from smmbot.rendering import formatting, limits
from smmbot.rendering.calendar import (
    ItemView,
    item_actions,
    notice,
    platform_name,
    publish_button,
)
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, mention
from smmbot.rendering.recurring import series_line
from smmbot.rendering.reply import Actions, Block, Button, Context, Header, Reply, Section

PAGE_ACTION = "calendar_page"
CALENDAR_FETCH_LIMIT = 1000
"""Posts read for one calendar span; a month of a busy team is a few dozen."""
OVERDUE_SHOWN = 10
"""Overdue posts listed at the top of page 1; more than that is said in a line."""


@dataclass(frozen=True)
class Overdue:
    """Posts past their moment, not published and not yet missed, with their snooze times."""

    items: Sequence[ItemView] = ()
    more: int = 0
    snoozed_until: Mapping[int, datetime] = field(default_factory=dict)

    @property
    def blocks(self) -> int:
        """What they take of page 1: a heading, two blocks each, the "more" line."""
        return (1 + 2 * len(self.items) + (1 if self.more else 0)) if self.items else 0


@dataclass(frozen=True)
class Filters:
    """The listing's `campaign=`, `platform=` and `owner=` (a user id), as the member typed
    them, so the next page and its command keep them."""

    campaign: str | None = None
    platform: str | None = None
    owner: str | None = None

    def options(self) -> dict[str, str]:
        typed = {"campaign": self.campaign, "platform": self.platform, "owner": self.owner}
        return {key: value for key, value in typed.items() if value}

    def as_command(self) -> str:
        """The options as a member types them (quoted when they hold a space)."""
        shown = {**self.options(), **({"owner": f"<@{self.owner}>"} if self.owner else {})}
        return "".join(
            f' {key}="{value}"' if " " in value else f" {key}={value}"
            for key, value in shown.items()
        )

    def as_query(self) -> str:
        return urlencode(self.options())


def calendar_pages(
    items: Sequence[ItemView], timezone: str, *, first_page_used: int = 0, reserved: int = 3
) -> list[list[ItemView]]:
    """The items split into pages that each fit in one message: the header, a line per day and
    two blocks per item (its text, its buttons), with room left for the page line and the
    next-page button (`reserved` blocks on every page); page 1 also holds the overdue section
    (`first_page_used` blocks). Deterministic, so page 2 is what follows page 1."""
    budget = limits.MESSAGE_BLOCKS - reserved
    zone = ZoneInfo(timezone)
    pages: list[list[ItemView]] = []
    page: list[ItemView] = []
    used = first_page_used
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


@dataclass(frozen=True)
class Listing:
    """Which calendar the member asked for."""

    month: bool
    timezone: str
    page: int = 1
    filters: Filters = field(default_factory=Filters)

    @property
    def span(self) -> str:
        return "month" if self.month else "week"


def calendar(
    tr: Translator,
    prefix: str,
    items: Sequence[ItemView],
    listing: Listing,
    overdue: Overdue | None = None,
) -> Reply:
    """One page of what is coming (`items` is the whole span), after what is overdue; later
    pages are a button and a command away, and the page line says how many posts there are."""
    overdue = overdue or Overdue()
    title = tr.plain("calendar.title_month" if listing.month else "calendar.title_week")
    heading: list[Block] = [Header(title), *_filter_line(tr, listing.filters)]
    if not items and not overdue.items:
        example = prefix + tr.plain("example.schedule")
        empty = tr.mrkdwn("calendar.empty", month=listing.month, prefix=prefix, example=example)
        return Reply(blocks=(*heading, Section(empty)), fallback=title)
    pages = calendar_pages(
        items, listing.timezone, first_page_used=overdue.blocks, reserved=len(heading) + 2
    )
    if listing.page > max(len(pages), 1):
        return notice(tr, "calendar.no_page", page=listing.page, pages=len(pages))
    blocks = heading + (_overdue_blocks(tr, overdue, listing.timezone) if listing.page == 1 else [])
    zone = ZoneInfo(listing.timezone)
    shown = pages[listing.page - 1] if pages else []
    for local_day, day_items in groupby(
        shown, key=lambda item: item.due_at.astimezone(zone).date()
    ):
        blocks.append(Section(tr.mrkdwn("calendar.day", day=formatting.day(local_day, tr.locale))))
        for item in day_items:
            blocks += [Section(_item_line(tr, item, listing.timezone)), _under_line(tr, item)]
    if len(pages) > 1:
        blocks += _page_footer(tr, prefix, pages, listing)
    return Reply(blocks=tuple(blocks), fallback=title)


def _filter_line(tr: Translator, filters: Filters) -> list[Block]:
    if not filters.options():
        return []
    parts = [
        *(
            [tr.mrkdwn("calendar.filter_campaign", name=filters.campaign)]
            if filters.campaign
            else []
        ),
        *([escape_mrkdwn(platform_name(tr, filters.platform))] if filters.platform else []),
        *(
            [tr.mrkdwn("calendar.filter_owner", owner=mention(filters.owner))]
            if filters.owner
            else []
        ),
    ]
    line = tr.mrkdwn("calendar.filtered", filters=Mrkdwn(" · ".join(parts)))
    return [Context(line)]


def _overdue_blocks(tr: Translator, overdue: Overdue, timezone: str) -> list[Block]:
    """Each overdue post with Mark published next to Reschedule and Cancel, since it is most
    likely live already or needs a new moment."""
    if not overdue.items:
        return []
    blocks: list[Block] = [Section(tr.mrkdwn("calendar.overdue", count=len(overdue.items)))]
    for item in overdue.items:
        local = item.due_at.astimezone(ZoneInfo(timezone)).date()
        when = f"{formatting.short_day(local, tr.locale)} {_clock(tr, item.due_at, timezone)}"
        line = _item_line(tr, item, timezone, when=when)
        until = overdue.snoozed_until.get(item.id)
        if until is not None:
            snoozed = tr.mrkdwn("calendar.snoozed_line", when=_clock(tr, until, timezone))
            line = Mrkdwn(f"{line}\n{snoozed}")
        buttons = _actions(tr, item).buttons
        blocks += [Section(line), Actions((publish_button(tr, item.id), *buttons))]
    if overdue.more:
        blocks.append(Context(tr.mrkdwn("calendar.overdue_more", count=overdue.more)))
    return blocks


def _clock(tr: Translator, moment: datetime, timezone: str) -> str:
    return formatting.clock_time(moment, timezone, tr.locale)


def _under_line(tr: Translator, item: ItemView) -> Actions | Context:
    """A scheduled post's buttons; a post held for review says so instead, since it cannot be
    rescheduled, cancelled or published before an approver decides."""
    if item.status in WAITING:
        return Context(tr.mrkdwn(f"calendar.held_{item.status}"))
    return _actions(tr, item)


def _actions(tr: Translator, item: ItemView) -> Actions:
    return item_actions(tr, item.id, item.series.id if item.series else None)


def _item_line(tr: Translator, item: ItemView, timezone: str, *, when: str = "") -> Mrkdwn:
    line = tr.mrkdwn(
        "calendar.item",
        time=when or formatting.clock_time(item.due_at, timezone, tr.locale),
        platform=platform_name(tr, item.platform) or "—",
        campaign=item.campaign or "",
        owner=mention(item.owner_id),
        text=_start_of(item.text),
    )
    if item.series is None:
        return line
    return Mrkdwn(f"{line}\n{series_line(tr, item.series, item.due_at)}")


def _page_footer(
    tr: Translator, prefix: str, pages: Sequence[Sequence[ItemView]], listing: Listing
) -> list[Block]:
    page = listing.page
    first = sum(len(earlier) for earlier in pages[: page - 1]) + 1
    command = f"{prefix}calendar {listing.span} page={page + 1}{listing.filters.as_command()}"
    footer: list[Block] = [
        Context(
            tr.mrkdwn(
                "calendar.page",
                first=first,
                last=first + len(pages[page - 1]) - 1,
                total=sum(len(each) for each in pages),
                page=page,
                pages=len(pages),
                next=command if page < len(pages) else "",
            )
        )
    ]
    if page < len(pages):
        query = listing.filters.as_query()
        value = f"{listing.span}:{page + 1}" + (f"?{query}" if query else "")
        footer.append(Actions((Button(tr.plain("calendar.button_next_page"), PAGE_ACTION, value),)))
    return footer


def _start_of(text: str, limit: int = 90) -> str:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line if len(first_line) <= limit else first_line[: limit - 1] + "…"
