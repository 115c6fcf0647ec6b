"""Classifying the words of a ``<when>`` phrase, before it is resolved against ``now``.

Every word must be understood: one outside the vocabulary makes the phrase UNREADABLE, which
is how ``split_when`` finds where the ``<when>`` ends and the post text begins. Numeric dates
are read here by ``domain.dates`` (day first, full year, nothing re-read month first); when
it refuses one, the error carries its reason so the reply can name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from smmbot.domain import when_words as words
from smmbot.domain.dates import NUMERIC_DATE, DateError, DayMonth, read_date, read_day_month


class WhenProblem(StrEnum):
    UNREADABLE = "unreadable"
    PAST = "past"


class WhenError(ValueError):
    """A code plus the text that failed, so the reply can quote it in the user's language;
    for PAST also the moment it was read as, so the reply can show why it is past; for a
    numeric date that ``domain.dates`` refused, its reason (``date_error``)."""

    def __init__(
        self,
        problem: WhenProblem,
        text: str,
        *,
        when: datetime | None = None,
        date_error: DateError | None = None,
    ) -> None:
        super().__init__(f"{problem.value}: {text!r}")
        self.problem = problem
        self.text = text
        self.when = when
        self.date_error = date_error


Clock = tuple[int, int, str | None]


@dataclass
class Reading:
    """What the words of one phrase said, before it is resolved against ``now``."""

    days: set[int] = field(default_factory=set)
    dates: list[date] = field(default_factory=list)
    day_months: list[DayMonth] = field(default_factory=list)
    residue: list[str] = field(default_factory=list)
    weekday: int | None = None
    next: bool = False
    this: bool = False
    next_week: bool = False
    clock: Clock | None = None
    period: str | None = None
    offset: int = 0
    exact: bool = False
    zone: str | None = None


def clock(word: str, *, bare: bool) -> Clock | None:
    """(hour, minute, am/pm) when ``word`` is a clock time; a bare hour only if ``bare``
    (after jam/pukul/at), because elsewhere a bare number is a day of the month."""
    match = words.CLOCK.fullmatch(word)
    if not match or not (bare or match[2] or match[3]):
        return None
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    valid = 1 <= hour <= 12 if meridiem else hour < 24 or (hour == 24 and minute == 0)
    return (hour, minute, meridiem) if valid and minute < 60 else None


def read_words(tokens: list[str], text: str) -> Reading:
    """Classify every word; any word outside the vocabulary makes the phrase UNREADABLE."""
    if tokens and tokens[-1] in words.CONNECTIVES:
        raise WhenError(WhenProblem.UNREADABLE, text)
    reading, index = Reading(), 0
    while index < len(tokens):
        word, after = tokens[index], tokens[index + 1] if index + 1 < len(tokens) else ""
        taken = _take_time(reading, word, after, text)
        if taken is None:
            taken = _take_day(reading, word, after, text)
        index += 1 + taken
    return reading


def _take_time(reading: Reading, word: str, after: str, text: str) -> int | None:
    """Read an offset (``2 jam``) or a clock time; the count of extra words it used, or None
    when ``word`` is neither."""

    def set_clock(value: Clock | None) -> None:
        if value is None or reading.clock is not None:
            raise WhenError(WhenProblem.UNREADABLE, text)
        reading.clock = value

    if words.COUNT.fullmatch(word) and after in words.UNITS:
        reading.offset += int(word) * words.UNIT_MINUTES[words.UNITS[after]]
        reading.exact |= words.UNITS[after] < 2
        return 1
    if word in words.CLOCK_MARKERS and words.CLOCK.fullmatch(after):
        set_clock(clock(after, bare=True))
        return 1
    if (value := clock(word, bare=False)) is not None:
        set_clock(value)
        return 0
    return None


def _take_day(reading: Reading, word: str, after: str, text: str) -> int:
    """Read a day word, weekday, date, zone or filler; the count of extra words it used."""
    if (word == "minggu" and after == "depan") or (word == "next" and after == "week"):
        reading.next_week = True
        return 1
    if NUMERIC_DATE.fullmatch(word):
        _take_numeric_date(reading, word, text)
    elif word in words.WEEKDAYS and reading.weekday is None:
        reading.weekday = words.WEEKDAYS[word]
    elif word in words.DAY_WORDS:
        reading.days.add(words.DAY_WORDS[word])
        reading.period = "malam" if word == "tonight" else reading.period
    elif word in words.PERIODS or word in words.PERIOD_DEFAULTS:
        reading.period = words.PERIODS.get(word, word)
    elif word in words.RELATIVE:
        reading.next |= word in ("next", "depan")
        reading.this |= word in ("this", "ini")
    elif word in words.ZONES:
        reading.zone = words.ZONES[word]
    elif word in words.MONTHS or words.is_calendar_number(word):
        reading.residue.append(word)
    elif word not in words.FILLERS:
        raise WhenError(WhenProblem.UNREADABLE, text)
    return 0


def _take_numeric_date(reading: Reading, word: str, text: str) -> None:
    try:
        if word.count("/") + word.count("-") == 2:
            reading.dates.append(read_date(word))
        else:
            reading.day_months.append(read_day_month(word))
    except DateError as error:
        raise WhenError(WhenProblem.UNREADABLE, text, date_error=error) from None
