"""Replies about repeating posts: the series summary on creation, the rule as a reader says it
("every Monday, 09:00 WIB", "setiap Senin, 09:00 WIB"), the line an occurrence carries in the
calendar, and the **Cancel series** button."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from babel.dates import format_date

from smmbot.domain.recurring import Recurrence, SeriesRef, Unit
from smmbot.rendering import formatting
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn, mention
from smmbot.rendering.reply import Actions, Block, Button, ButtonStyle, Context, Reply, Section

CANCEL_SERIES_ACTION = "series_cancel"
_A_MONDAY = date(2024, 1, 1)


@dataclass(frozen=True)
class SeriesView:
    """A series as its summary shows it."""

    ref: SeriesRef
    campaign: str | None
    until: date | None
    count: int | None


class _Scheduled(Protocol):
    """What the summary needs of what was scheduled (``services.calendar.ScheduleInput``)."""

    @property
    def channel_id(self) -> str: ...

    @property
    def owner_id(self) -> str: ...


def weekday_names(tr: Translator, weekdays: Sequence[int]) -> str:
    """`Monday and Thursday` / `Senin dan Kamis`, in the reader's language."""
    locale = formatting.babel_locale(tr.locale)
    names = [
        format_date(_A_MONDAY + timedelta(days=day), "EEEE", locale=locale) for day in weekdays
    ]
    if len(names) < 2:
        return "".join(names)
    return tr.plain("recurring.and", first=", ".join(names[:-1]), last=names[-1])


def describe(tr: Translator, rule: Recurrence, timezone: str, moment: datetime) -> str:
    """The rule in words with its local time and zone (``moment``: any of its moments, for
    the zone's name then: EST or EDT)."""
    time = (
        f"{formatting.clock_time(moment, timezone, tr.locale)} "
        f"{formatting.zone_label(moment, timezone, tr.locale)}"
    )
    if rule.workdays:
        return tr.plain("recurring.every_workday", time=time)
    if rule.unit is Unit.DAY:
        return tr.plain("recurring.every_day", every=rule.every, time=time)
    days = weekday_names(tr, rule.weekdays)
    return tr.plain("recurring.every_week", every=rule.every, days=days, time=time)


def series_line(tr: Translator, ref: SeriesRef, moment: datetime) -> Mrkdwn:
    """Under an occurrence in the calendar: which series it belongs to."""
    return tr.mrkdwn("recurring.line", rule=describe(tr, ref.rule, ref.timezone, moment), id=ref.id)


def cancel_series_button(tr: Translator, series_id: int) -> Button:
    return Button(
        tr.plain("recurring.button_cancel_series"),
        CANCEL_SERIES_ACTION,
        str(series_id),
        ButtonStyle.DANGER,
    )


def series_created(
    tr: Translator,
    prefix: str,
    view: SeriesView,
    scheduled: _Scheduled,
    upcoming: Sequence[datetime],
    warnings: Sequence[Mrkdwn],
) -> Reply:
    """The summary: the rule, how it ends, the next moments, who is reminded where, and what
    ``schedule`` warns about (a text over its network's limit)."""
    ref = view.ref
    rule = describe(tr, ref.rule, ref.timezone, upcoming[0])
    end = tr.mrkdwn(
        "recurring.end",
        count=view.count or 0,
        until=formatting.long_date(view.until, tr.locale) if view.until else "",
    )
    shown = "\n".join(
        f"• {formatting.moment(moment, ref.timezone, tr.locale)}" for moment in upcoming
    )
    lines = [
        tr.mrkdwn("recurring.created", id=ref.id, rule=rule, campaign=view.campaign or "", end=end),
        tr.mrkdwn("recurring.next", moments=escape_mrkdwn(shown)),
        tr.mrkdwn(
            "recurring.reminders",
            owner=mention(scheduled.owner_id),
            channel=Mrkdwn(f"<#{escape_mrkdwn(scheduled.channel_id)}>"),
            id=ref.id,
            prefix=prefix,
        ),
    ]
    blocks: list[Block] = [
        Section(Mrkdwn("\n\n".join(lines))),
        *(Context(warning) for warning in warnings),
        Context(tr.mrkdwn("recurring.window")),
        Actions((cancel_series_button(tr, ref.id),)),
    ]
    return Reply(
        blocks=tuple(blocks), fallback=tr.plain("recurring.fallback", id=ref.id, rule=rule)
    )


def notice(tr: Translator, key: str, **params: object) -> Reply:
    return Reply(blocks=(Section(tr.mrkdwn(key, **params)),), fallback=tr.plain(key, **params))
