"""Reading a repeating ``<when>`` ("every monday 9am", "setiap senin jam 9") and listing its
moments in local wall-clock time.

The phrase starts with ``every``/``each`` or ``setiap``/``tiap``, then says which days:

* ``day``/``hari`` (daily), ``3 days``/``3 hari`` (every third day);
* ``weekday``/``weekdays``/``hari kerja``: Monday to Friday;
* weekday names, joined by ``and``/``dan`` or commas (``monday and thursday``,
  ``hari senin dan kamis``); ``minggu`` alone is the week unit, so Sunday is ``hari minggu``
  or ``ahad`` (``setiap minggu`` is "every week");
* ``week``/``minggu`` (weekly, on the first day's weekday), ``2 weeks on friday``,
  ``2 minggu hari jumat``, ``other friday`` (every second week);

and then the time of day exactly as a one-off ``<when>`` reads it (``9am``, ``08:00``,
``jam 7 malam``, ``pagi``; ``WIB``/``WITA``/``WIT`` pick the zone), 09:00 when none is given.
A time past midnight (``jam 1 malam``: 25:00) belongs to the next day.

Moments are computed by ``dateutil.rrule`` on naive local times and only then given their
zone, so a 09:00 series stays at 09:00 local across a DST change (its UTC moment moves).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from dateutil import rrule

from smmbot.domain import when_words as vocab
from smmbot.domain.when_reading import WhenError, clock, read_words
from smmbot.domain.when_resolve import at, minute_of_day

STARTS: Final = frozenset({"every", "each", "setiap", "tiap", "tiap-tiap"})
WORKDAYS: Final = (0, 1, 2, 3, 4)
MAX_EVERY: Final = 99
MAX_WORDS: Final = 9
_DAY_UNITS: Final = frozenset({"day", "days", "hari"})
_WEEK_UNITS: Final = frozenset({"week", "weeks", "minggu", "pekan"})
_JOINERS: Final = frozenset({"and", "dan", "on", "pada", "&"})
_WEEKDAYS_WORDS: Final = frozenset({"weekday", "weekdays"})
PATTERN_WORDS: Final = (
    STARTS | _DAY_UNITS | _WEEK_UNITS | _JOINERS | _WEEKDAYS_WORDS | {"other", "kerja"}
)


class Unit(StrEnum):
    DAY = "day"
    WEEK = "week"


class RecurrenceError(ValueError):
    """A phrase that starts like a repeat (``every``, ``setiap``) but does not read as one."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Recurrence:
    """Every ``every`` days or weeks, on ``weekdays`` (Monday 0; empty: any day for DAY, the
    first day's weekday for WEEK), at ``minutes`` after local midnight."""

    every: int
    unit: Unit
    weekdays: tuple[int, ...]
    minutes: int

    @property
    def workdays(self) -> bool:
        return self.unit is Unit.DAY and self.weekdays == WORKDAYS


@dataclass(frozen=True)
class RepeatPhrase:
    """What the member typed, read: the rule and the zone it named (None: theirs)."""

    rule: Recurrence
    text: str
    zone: str | None


def starts_repeat(words: Sequence[str]) -> bool:
    """Whether the ``<when>`` is a repeat: its first word is every/setiap/tiap."""
    first = words[0].split() if words else []
    return bool(first) and first[0].lower() in STARTS


def parse_recurrence(text: str) -> RepeatPhrase:
    """``text`` as a repeat, or ``RecurrenceError``."""
    sunday = re.search(r"\bMinggu\b", text) is not None  # capitalised: the day, not "week"
    tokens = vocab.tokens(text)
    if not tokens or tokens[0] not in STARTS or len(tokens) > MAX_WORDS + 2:
        raise RecurrenceError(text)
    every, unit, weekdays, rest = _read_days(tokens[1:], text, sunday=sunday)
    try:
        reading = read_words(rest, text)
    except WhenError:
        raise RecurrenceError(text) from None
    named = (reading.days, reading.dates, reading.day_months, reading.residue, reading.offset)
    if any(named) or reading.weekday is not None or reading.next or reading.this:
        raise RecurrenceError(text)
    if reading.next_week or reading.exact:
        raise RecurrenceError(text)
    minutes = minute_of_day(reading)
    if minutes >= 24 * 60:  # "jam 1 malam": the small hours after the named day
        minutes -= 24 * 60
        weekdays = tuple(sorted((day + 1) % 7 for day in weekdays))
    return RepeatPhrase(Recurrence(every, unit, weekdays, minutes), text, reading.zone)


def _read_days(
    tokens: list[str], text: str, *, sunday: bool
) -> tuple[int, Unit, tuple[int, ...], list[str]]:
    """(every, unit, weekdays, the words left for the time of day)."""
    every, unit, days, index = 1, None, set[int](), 0
    if tokens and vocab.COUNT.fullmatch(tokens[0]):
        every, index = int(tokens[0]), 1
        if not 1 <= every <= MAX_EVERY:
            raise RecurrenceError(text)
    elif tokens and tokens[0] == "other":
        every, index = 2, 1
    while index < len(tokens):
        word, after = tokens[index], tokens[index + 1] if index + 1 < len(tokens) else ""
        if (word in _DAY_UNITS and after == "kerja") or word in _WEEKDAYS_WORDS:
            days |= set(WORKDAYS)
            index += 1 if word in _WEEKDAYS_WORDS else 2
            continue
        if word == "minggu" and (days or sunday or (index and tokens[index - 1] == "hari")):
            days.add(6)
        elif word in vocab.WEEKDAYS and word != "minggu":
            days.add(vocab.WEEKDAYS[word])
        elif word in _DAY_UNITS and after in vocab.WEEKDAYS:
            pass  # "hari senin": the weekday follows
        elif word in _DAY_UNITS | _WEEK_UNITS and unit is None and not days:
            unit = Unit.DAY if word in _DAY_UNITS else Unit.WEEK
        elif word not in _JOINERS:
            break
        index += 1
    return (every, *_unit_of(unit, days, every, text), tokens[index:])


def _unit_of(
    unit: Unit | None, days: set[int], every: int, text: str
) -> tuple[Unit, tuple[int, ...]]:
    """Weekday names make it weekly (``every 2 weeks on friday``), Monday to Friday daily."""
    if days == set(WORKDAYS) and unit in (None, Unit.DAY) and every == 1:
        return Unit.DAY, WORKDAYS
    if days:
        if unit is Unit.DAY:
            raise RecurrenceError(text)  # "every 2 days on monday" says two things
        return Unit.WEEK, tuple(sorted(days))
    if unit is None:
        raise RecurrenceError(text)
    return unit, ()


def split_repeat(words: Sequence[str]) -> tuple[RepeatPhrase, list[str]]:
    """Split ``/smm schedule`` words into (the repeat, post words), as ``split_when`` does for
    one moment: a quoted first word is the whole phrase, else the longest readable prefix that
    stops at a capitalised word or bare number after the clock time ("Monday Madness")."""
    if len(words[0].split()) > 1:
        return parse_recurrence(words[0]), list(words[1:])
    limit = _prefix_limit(words)
    for size in range(limit, 1, -1):
        try:
            return parse_recurrence(" ".join(words[:size])), list(words[size:])
        except RecurrenceError:
            continue
    raise RecurrenceError(" ".join(words[: max(limit, 1)]))


def _prefix_limit(words: Sequence[str]) -> int:
    seen_clock, previous = False, ""
    for index, raw in enumerate(words[: MAX_WORDS + 1]):
        word = raw.lower().rstrip(".,")
        known = word in PATTERN_WORDS or word in vocab.VOCABULARY or vocab.NUMBER.fullmatch(word)
        if not (known or vocab.CLOCK.fullmatch(word)):
            return index
        capital = raw[:1].isupper() and word not in ("am", "pm", *vocab.ZONES)
        if seen_clock and (capital or vocab.NUMBER.fullmatch(word)):
            return index
        seen_clock |= word in ("am", "pm", "noon", "midnight") or (
            clock(word, bare=previous in vocab.CLOCK_MARKERS) is not None
        )
        previous = word
    return min(len(words), MAX_WORDS + 1)


def first_day(rule: Recurrence, *, now: datetime, zone: ZoneInfo) -> date:
    """The local date of the first moment after ``now``: the series starts there."""
    today = now.astimezone(zone).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if (not rule.weekdays or day.weekday() in rule.weekdays) and at(
            day, rule.minutes, zone
        ) > now:
            return day
    raise AssertionError("a weekday always comes within a week")


def moments(
    rule: Recurrence,
    *,
    start: date,
    zone: ZoneInfo,
    after: datetime,
    until: date | None = None,
    count: int | None = None,
) -> Iterator[datetime]:
    """The series' moments after ``after``, soonest first; the ``count`` is of the whole series
    from ``start``, so every reading of it agrees on which moment is the last."""
    frequency = rrule.DAILY if rule.unit is Unit.DAY else rrule.WEEKLY
    weekdays = rule.weekdays or ((start.weekday(),) if rule.unit is Unit.WEEK else None)
    dates = rrule.rrule(
        frequency,
        dtstart=datetime.combine(start, time()),
        interval=rule.every,
        byweekday=weekdays,
        until=datetime.combine(until, time()) if until else None,
        count=count,
    )
    earliest = (after.astimezone(zone) - timedelta(days=2)).replace(tzinfo=None)
    for local in dates.xafter(earliest, inc=True):
        moment = at(local.date(), rule.minutes, zone)
        if moment > after:
            yield moment


@dataclass(frozen=True)
class SeriesRef:
    """A series as an occurrence's line names it: its number, rule and zone."""

    id: int
    rule: Recurrence
    timezone: str


def weekdays_text(weekdays: Sequence[int]) -> str:
    """How a series stores its weekdays: "0,3" (Monday and Thursday)."""
    return ",".join(str(day) for day in weekdays)


def read_weekdays(text: str) -> tuple[int, ...]:
    return tuple(int(day) for day in text.split(",") if day)
