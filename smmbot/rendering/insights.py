"""Replies of `/smm insights`, of a post's logged result, and the words both share with the
digest's "What worked" (time blocks, rates, platform names)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_day_names
from babel.numbers import format_decimal

from smmbot.domain.insights import (
    BLOCK_HOURS,
    MIN_POSTS,
    Cell,
    CellKind,
    PlatformInsights,
    PublishedPost,
)
from smmbot.rendering import formatting
from smmbot.rendering.calendar import platform_name
from smmbot.rendering.i18n import Translator
from smmbot.rendering.limits import chunk_lines
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.reply import Block, Context, Header, Reply, Section

SHOWN_CELLS = 5
POST_PREVIEW = 60
EN_DASH, TIMES = "\u2013", "\u00d7"


def percent(rate: Decimal, locale: str) -> str:
    shown = format_decimal(rate * 100, format="#,##0.0", locale=formatting.babel_locale(locale))
    return f"{shown}%"


def ratio(value: Decimal, locale: str) -> str:
    return format_decimal(value, format="#,##0.0", locale=formatting.babel_locale(locale)) + TIMES


def block_label(cell: Cell, zone: str, now: datetime, locale: str, *, long: bool = False) -> str:
    """`Thu 18:00-21:00 WIB` (with an en dash); `long` spells the weekday out (`Thursday`)."""
    weekday, hour = cell.block
    names = get_day_names("wide" if long else "abbreviated", locale=formatting.babel_locale(locale))
    end = hour + BLOCK_HOURS
    zone_name = formatting.zone_label(now, zone, locale)
    return f"{names[weekday]} {hour:02d}:00{EN_DASH}{end:02d}:00 {zone_name}"


def _content_label(tr: Translator, cell: Cell) -> str:
    if cell.kind in (CellKind.TEMPLATE, CellKind.PILLAR):
        return tr.plain(f"insights.kind_{cell.kind.value}", name=cell.key)
    return tr.plain(f"insights.{cell.kind.value}_{cell.key}")


def _cell_line(tr: Translator, label: str, cell: Cell) -> Mrkdwn:
    if cell.median is None:
        return tr.mrkdwn("insights.cell_thin", label=label, posts=cell.posts, needed=MIN_POSTS)
    return tr.mrkdwn(
        "insights.cell", label=label, rate=percent(cell.median, tr.locale), posts=cell.posts
    )


def suggestion(tr: Translator, found: PlatformInsights, zone: str, now: datetime) -> Mrkdwn:
    best = found.best_time
    times = found.ratio(best) if best is not None else None
    if best is None or times is None:
        return Mrkdwn("")
    return tr.mrkdwn(
        "insights.suggestion",
        platform=platform_name(tr, found.platform),
        block=block_label(best, zone, now, tr.locale, long=True),
        ratio=ratio(times, tr.locale),
        posts=best.posts,
    )


def _platform_blocks(
    tr: Translator, found: PlatformInsights, zone: str, now: datetime
) -> list[Block]:
    lines = [
        tr.mrkdwn(
            "insights.platform",
            platform=platform_name(tr, found.platform),
            posts=found.posts,
            rate=percent(found.median, tr.locale),
        )
    ]
    if line := suggestion(tr, found, zone, now):
        lines.append(line)
    lines.append(tr.mrkdwn("insights.times"))
    lines += [
        _cell_line(tr, block_label(c, zone, now, tr.locale), c) for c in found.times[:SHOWN_CELLS]
    ]
    lines.append(tr.mrkdwn("insights.content"))
    for kind in CellKind:
        cells = [c for c in found.content if c.kind is kind][:SHOWN_CELLS]
        lines += [_cell_line(tr, _content_label(tr, c), c) for c in cells]
    return [Section(text) for text in chunk_lines(lines)]


def insights_reply(
    tr: Translator,
    found: Sequence[PlatformInsights],
    *,
    zone: str,
    now: datetime,
    weeks: int,
    platform: str,
    prefix: str,
) -> Reply:
    if not found:
        text = tr.mrkdwn(
            "insights.no_data", weeks=weeks, platform=platform_name(tr, platform), prefix=prefix
        )
        return Reply(blocks=(Section(text),), fallback=tr.plain("insights.fallback"))
    blocks: list[Block] = [Header(tr.plain("insights.title", weeks=weeks))]
    for insight in found:
        blocks += _platform_blocks(tr, insight, zone, now)
    blocks.append(Context(tr.mrkdwn("insights.footnote", prefix=prefix)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("insights.fallback"))


def post_logged(
    tr: Translator,
    *,
    metric: str,
    value: str,
    item_id: int,
    platform: str,
    previous: str,
    rate: Decimal | None,
) -> Reply:
    lines = [
        tr.mrkdwn(
            "post_results.saved",
            metric=metric,
            value=value,
            id=item_id,
            platform=platform_name(tr, platform),
        )
    ]
    if previous:
        lines.append(tr.mrkdwn("metrics.replaced", previous=previous))
    if rate is not None:
        lines.append(tr.mrkdwn("post_results.rate", rate=percent(rate, tr.locale)))
    return Reply(
        blocks=(Section(Mrkdwn("\n".join(lines))),),
        fallback=tr.plain("metrics.saved_fallback", metric=metric, value=value),
    )


def what_worked(
    tr: Translator, top: Sequence[tuple[PublishedPost, Decimal]], zone: str
) -> tuple[Section, ...]:
    """The digest's "What worked" under SMO: the week's top posts by engagement rate, or
    nothing at all when no post of the week has results."""
    if not top:
        return ()
    lines = [tr.mrkdwn("what_worked.title")]
    for post, rate in top:
        when = format_datetime(
            post.published_at, "EEE d MMM HH:mm", tzinfo=ZoneInfo(zone),
            locale=formatting.babel_locale(tr.locale),
        )  # fmt: skip
        text = post.text if len(post.text) <= POST_PREVIEW else post.text[:POST_PREVIEW] + "…"
        lines.append(
            tr.mrkdwn(
                "what_worked.post",
                rate=percent(rate, tr.locale),
                platform=platform_name(tr, post.platform),
                when=f"{when} {formatting.zone_label(post.published_at, zone, tr.locale)}",
                template=post.template,
                id=post.item_id,
                text=" ".join(text.split()),
            )
        )
    return tuple(Section(text) for text in chunk_lines(lines))
