"""`/smm competitor` replies and the digest's "Competitors" part.

Names and handles are what members typed: every one goes into a catalog message as a value,
which the translator escapes for Slack, in the blocks and in the text fallback alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from smmbot.domain.competitors import Standing
from smmbot.rendering import formatting, limits
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.reply import Block, Context, Divider, Header, Reply, Section

NOT_FOUND = "not_found"
ListRow = tuple[str, str, str, Standing]
"""(name, Instagram handle, status, standing)."""


def _number(tr: Translator, value: Decimal | None) -> str:
    return formatting.number(value, tr.locale) if value is not None else "—"


def _signed(tr: Translator, value: Decimal | None) -> str:
    if value is None:
        return "—"
    sign = "+" if value >= 0 else "-"
    return sign + formatting.number(abs(value), tr.locale)


def standing_fields(tr: Translator, found: Standing) -> dict[str, str]:
    percent = found.growth_percent
    return {
        "followers": _number(tr, found.followers),
        "growth": _signed(tr, found.growth) if found.growth is not None else "",
        "percent": _signed(tr, percent) + "%" if percent is not None else "",
        "posts": _number(tr, found.posts_per_week),
        "per_post": _number(tr, found.engagement_per_post),
    }


def _line(tr: Translator, row: ListRow) -> Mrkdwn:
    name, handle, status, found = row
    if status == NOT_FOUND:
        return tr.mrkdwn("competitors.line_not_found", name=name, handle=handle)
    if not found.has_data:
        return tr.mrkdwn("competitors.line_no_data", name=name, handle=handle)
    return tr.mrkdwn("competitors.line", name=name, handle=handle, **standing_fields(tr, found))


def competitor_list(tr: Translator, prefix: str, rows: Sequence[ListRow]) -> Reply:
    blocks: list[Block] = [Header(tr.plain("competitors.title"))]
    if not rows:
        blocks.append(Section(tr.mrkdwn("competitors.empty", prefix=prefix)))
        return Reply(blocks=tuple(blocks), fallback=tr.plain("competitors.fallback"))
    lines = [_line(tr, row) for row in rows]
    blocks += [Section(text) for text in limits.chunk_lines(lines)]
    if any(row[2] != NOT_FOUND and not row[3].has_data for row in rows):
        blocks.append(Context(tr.mrkdwn("competitors.how_to_get_data", prefix=prefix)))
    blocks.append(Context(tr.mrkdwn("competitors.list_hint")))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("competitors.fallback"))


def _single(tr: Translator, message: Mrkdwn) -> Reply:
    return Reply(blocks=(Section(message),), fallback=tr.plain("competitors.fallback"))


def added(tr: Translator, prefix: str, name: str, handle: str) -> Reply:
    return _single(tr, tr.mrkdwn("competitors.added", name=name, handle=handle, prefix=prefix))


def removed(tr: Translator, name: str) -> Reply:
    return _single(tr, tr.mrkdwn("competitors.removed", name=name))


def logged(tr: Translator, name: str, metric: str, value: Decimal, day: date) -> Reply:
    message = tr.mrkdwn(
        "competitors.logged",
        name=name,
        metric=metric,
        value=formatting.number(value, tr.locale),
        day=formatting.short_date(day, tr.locale),
    )
    return _single(tr, message)


DigestRow = tuple[str, Standing, Standing]
"""(name, the week's standing (followers, growth), the four weeks' (posts, per post))."""


def digest_part(
    tr: Translator, ours: tuple[Decimal | None, Decimal | None], rows: Sequence[DigestRow]
) -> list[Block]:
    """The digest's "Competitors" part: our followers and the week's growth first, then theirs
    with their posting pace and engagement per post; nothing when no competitor has numbers."""
    shown = [row for row in rows if row[1].has_data or row[2].has_data]
    if not shown:
        return []
    followers, growth = ours
    lines = [
        tr.mrkdwn("competitors.digest_title"),
        tr.mrkdwn(
            "competitors.digest_ours", followers=_number(tr, followers), growth=_signed(tr, growth)
        ),
    ]
    for name, week, month in shown:
        lines.append(
            tr.mrkdwn(
                "competitors.digest_line",
                name=name,
                followers=_number(tr, week.followers),
                growth=_signed(tr, week.growth),
                posts=_number(tr, month.posts_per_week),
                per_post=_number(tr, month.engagement_per_post),
            )
        )
    return [Divider(), *(Section(text) for text in limits.chunk_lines(lines))]
