"""Reading the ``<when>`` of ``/smm schedule <when> <post text…>`` in English and Indonesian.

dateparser alone misreads Indonesian ("besok jam 9" comes back as 10:00, "lusa pukul 14.00" as
nothing) and silently drops a time after a day word ("tomorrow 14.30" is 09:00), so a small
grammar here reads time of day, day words, weekdays and relative offsets, and dateparser reads
what it is good at: calendar dates ("Dec 3", "3 Desember 2026", "3/12"). The rules:

* clock times: ``14:00``, ``14.30``, ``9am``, ``9 pm``, ``jam 9``, ``pukul 14.00``, ``at 9``,
  ``noon``/``tengah hari``, ``midnight``/``tengah malam`` (end of that day). A bare hour is the
  24-hour clock (``jam 3`` is 03:00) unless a day-part word says otherwise, as Indonesians use
  them: ``pagi`` 0-11 (unchanged), ``siang`` 11-15 (``jam 1 siang`` 13:00), ``sore`` 15-18
  (``jam 3 sore`` 15:00), ``malam`` 18-06 (``jam 8 malam`` 20:00, ``jam 12 malam`` 24:00,
  ``jam 1 malam`` 01:00 the next day); morning/afternoon/evening/tonight map onto them. A
  day-part alone means 09:00, 12:00, 15:00 or 19:00.
* no clock time at all: 09:00 local (``tomorrow``, ``2026-12-01``, ``senin``).
* only a clock time: today if still ahead, else tomorrow. A weekday: its next date whose time
  is still ahead (today included); with next/depan, today excluded; ``senin minggu depan`` /
  ``next week`` use next Monday-to-Sunday week.
* ``in 2 hours`` / ``2 jam lagi`` / ``30 menit lagi`` are elapsed time from ``now``; offsets in
  whole days or weeks (``3 hari lagi``) move the calendar date and keep the 09:00 default.
* calendar dates are day-first (``3/12`` is 3 December); a date without a year is its next
  occurrence on or after today. ``WIB``/``WITA``/``WIT`` read the phrase in that zone.
* a moment more than ten years ahead is UNREADABLE (a typo, and beyond what can be planned).
* words that name different days ("tomorrow monday" when tomorrow is Tuesday) are UNREADABLE.
* local times that do not exist or occur twice at a DST change use zoneinfo's ``fold=0``, then
  a round trip through UTC: 02:30 on a spring-forward night becomes 03:30, and 01:30 on a
  fall-back night is the first (summer-time) 01:30.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from smmbot.domain.timezones import INDONESIAN_ZONES


class WhenProblem(StrEnum):
    UNREADABLE = "unreadable"
    PAST = "past"


class WhenError(ValueError):
    """A code plus the text that failed, so the reply can quote it in the user's language;
    for PAST also the moment it was read as, so the reply can show why it is past."""

    def __init__(self, problem: WhenProblem, text: str, *, when: datetime | None = None) -> None:
        super().__init__(f"{problem.value}: {text!r}")
        self.problem = problem
        self.text = text
        self.when = when


DEFAULT_TIME: Final = time(9, 0)
"""The time of day for a phrase that names only a day: the start of a small team's workday."""

MAX_AHEAD: Final = timedelta(days=3653)
"""Ten years: a post planned further ahead is a typo, and a moment near the end of the calendar
(year 9999) would overflow the reminder and missed-post times counted from it."""

MAX_WHEN_WORDS: Final = 5
_MAX_LENGTH: Final = 120


def _names(*groups: str) -> dict[str, int]:
    """Map every spelling in each space-separated group to the group's index (Monday is 0)."""
    return {name: number for number, names in enumerate(groups) for name in names.split()}


_WEEKDAYS: Final = _names(
    "monday mon senin", "tuesday tue tues selasa", "wednesday wed rabu",
    "thursday thu thur thurs kamis", "friday fri jumat", "saturday sat sabtu",
    "sunday sun minggu ahad",
)  # fmt: skip
_MONTH_NAMES: Final = (
    "january jan januari", "february feb februari pebruari", "march mar maret", "april apr",
    "may mei", "june jun juni", "july jul juli", "august aug agustus agu agt ags",
    "september sep sept", "october oct oktober okt", "november nov nopember",
    "december dec desember des",
)  # fmt: skip
_MONTHS: Final = _names(*_MONTH_NAMES)
_DAY_WORDS: Final = {"today": 0, "tonight": 0, "nanti": 0, "tomorrow": 1, "besok": 1, "lusa": 2}
_PERIODS: Final = {"morning": "pagi", "afternoon": "sore", "evening": "malam", "night": "malam"}
_PERIOD_DEFAULTS: Final = {"pagi": 9, "siang": 12, "sore": 15, "malam": 19}
_UNITS: Final = _names(
    "minute minutes min mins menit", "hour hours hr hrs jam", "day days hari", "week weeks minggu"
)
_UNIT_MINUTES: Final = (1, 60, 1440, 10080)
_ZONES: Final = INDONESIAN_ZONES
_CLOCK_MARKERS: Final = frozenset({"jam", "pukul", "pkl", "at"})
_FILLERS: Final = frozenset(
    {"on", "at", "in", "dalam", "hari", "pada", "tanggal", "tgl", "the", "of", "dini"}
    | {"from", "now", "lagi", "later"}
)
_CONNECTIVES: Final = frozenset({"on", "at", "in", "dalam", "pada", "tanggal", "tgl", "the", "of"})
"""Fillers that need a word after them: "tomorrow at" is unfinished, and in "besok at the
mall" they belong to the post text."""
_PHRASES: Final = (
    (re.compile(r"\bday after tomorrow\b"), "lusa"),
    (re.compile(r"\b(noon|tengah hari)\b"), "12:00"),
    (re.compile(r"\b(midnight|tengah malam)\b"), "24:00"),
    (re.compile(r"\ban? (?=(minute|hour|day|week)s?\b)"), "1 "),
    (re.compile(r"\b([ap])\.m\.?"), r"\1m"),
    (re.compile(r"(?<=[0-9]) (?=[ap]m\b)"), ""),
    (re.compile(r"jum['\u2019]at"), "jumat"),
    (re.compile(r"@"), " at "),
)
_CLOCK: Final = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?([ap]m)?")
_NUMBER: Final = re.compile(r"[0-9]{1,4}")
_COUNT: Final = re.compile(r"[0-9]{1,3}")  # "2026 jam 14.00" is a year, not 2026 hours
_ORDINAL: Final = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)")
_ISO_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NUMERIC_DATE: Final = re.compile(r"[0-9]{1,4}[/-][0-9]{1,2}(?:[/-][0-9]{2,4})?")
_VOCABULARY: Final = frozenset(
    {*_WEEKDAYS, *_MONTHS, *_DAY_WORDS, *_PERIODS, *_PERIOD_DEFAULTS, *_UNITS, *_ZONES}
    | _CLOCK_MARKERS
    | _FILLERS
    | {"next", "depan", "this", "ini", "noon", "midnight", "am", "pm", "a.m", "p.m", "a", "an"}
    | {"after", "tengah", "@", "jum'at", "jum\u2019at"}
)


@dataclass
class _Reading:
    """What the words of one phrase said, before it is resolved against ``now``."""

    days: set[int] = field(default_factory=set)
    dates: list[date] = field(default_factory=list)
    residue: list[str] = field(default_factory=list)
    weekday: int | None = None
    next: bool = False
    this: bool = False
    next_week: bool = False
    clock: tuple[int, int, str | None] | None = None
    period: str | None = None
    offset: int = 0
    exact: bool = False
    zone: str | None = None


def parse_when(text: str, *, now: datetime, timezone: str) -> datetime:
    """Read ``text`` as a moment after ``now`` (aware); return it in ``timezone`` (IANA name)."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if len(text) > _MAX_LENGTH:
        raise WhenError(WhenProblem.UNREADABLE, text)
    reading = _read(_tokens(text), text)
    zone = ZoneInfo(reading.zone or timezone)
    try:
        moment = _resolve(reading, now, zone, text).astimezone(ZoneInfo(timezone))
    except OverflowError:
        raise WhenError(WhenProblem.UNREADABLE, text) from None
    if moment - now > MAX_AHEAD:
        raise WhenError(WhenProblem.UNREADABLE, text)
    if moment <= now:
        raise WhenError(WhenProblem.PAST, text, when=moment)
    return moment


def split_when(words: Sequence[str], *, now: datetime, timezone: str) -> tuple[datetime, list[str]]:
    """Split ``/smm schedule`` words into (moment, post words).

    A quoted first word ("tomorrow 9am") is the whole ``<when>``. Otherwise the ``<when>`` is
    the longest prefix of at most five date/time words that parses, ending early at a
    capitalised word or bare number after a clock time (AM/PM and WIB/WITA/WIT excepted) and
    at a capitalised day word or weekday after a day word, because post text often starts
    "Monday Madness", "Jumat Berkah" or "10 new flavours". The longest readable prefix
    decides: if it is in the past that is the error, not a shorter reading.
    """
    if words and len(words[0].split()) > 1:
        return parse_when(words[0], now=now, timezone=timezone), list(words[1:])
    limit = _prefix_limit(words)
    for size in range(limit, 0, -1):
        try:
            moment = parse_when(" ".join(words[:size]), now=now, timezone=timezone)
        except WhenError as error:
            if error.problem is WhenProblem.PAST:
                raise
            continue
        return moment, list(words[size:])
    raise WhenError(WhenProblem.UNREADABLE, " ".join(words[: max(limit, 1)]))


def _tokens(text: str) -> list[str]:
    lowered = " ".join(text.lower().split())
    for pattern, replacement in _PHRASES:
        lowered = pattern.sub(replacement, lowered)
    return [word for word in (raw.rstrip(".") for raw in re.split(r"[\s,]+", lowered)) if word]


def _clock(word: str, *, bare: bool) -> tuple[int, int, str | None] | None:
    """(hour, minute, am/pm) when ``word`` is a clock time; a bare hour only if ``bare``
    (after jam/pukul/at), because elsewhere a bare number is a day of the month."""
    match = _CLOCK.fullmatch(word)
    if not match or not (bare or match[2] or match[3]):
        return None
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    valid = 1 <= hour <= 12 if meridiem else hour < 24 or (hour == 24 and minute == 0)
    return (hour, minute, meridiem) if valid and minute < 60 else None


def _read(tokens: list[str], text: str) -> _Reading:
    """Classify every word; any word outside the vocabulary makes the phrase UNREADABLE."""
    reading, index = _Reading(), 0

    def unreadable() -> WhenError:
        return WhenError(WhenProblem.UNREADABLE, text)

    def set_clock(value: tuple[int, int, str | None] | None) -> None:
        if value is None or reading.clock is not None:
            raise unreadable()
        reading.clock = value

    if tokens and tokens[-1] in _CONNECTIVES:
        raise unreadable()
    while index < len(tokens):
        word, following = tokens[index], tokens[index + 1 : index + 2]
        after = following[0] if following else ""
        index += 1
        if _COUNT.fullmatch(word) and after in _UNITS:
            reading.offset += int(word) * _UNIT_MINUTES[_UNITS[after]]
            reading.exact |= _UNITS[after] < 2
            index += 1
        elif word in _CLOCK_MARKERS and _CLOCK.fullmatch(after):
            set_clock(_clock(after, bare=True))
            index += 1
        elif (clock := _clock(word, bare=False)) is not None:
            set_clock(clock)
        elif match := _ISO_DATE.fullmatch(word):
            try:
                reading.dates.append(date(int(match[1]), int(match[2]), int(match[3])))
            except ValueError:
                raise unreadable() from None
        elif (word == "minggu" and after == "depan") or (word == "next" and after == "week"):
            reading.next_week = True
            index += 1
        elif word in _WEEKDAYS and reading.weekday is None:
            reading.weekday = _WEEKDAYS[word]
        elif word in _DAY_WORDS:
            reading.days.add(_DAY_WORDS[word])
            if word == "tonight":
                reading.period = "malam"
        elif word in _PERIODS or word in _PERIOD_DEFAULTS:
            reading.period = _PERIODS.get(word, word)
        elif word in ("next", "depan", "this", "ini"):
            reading.next |= word in ("next", "depan")
            reading.this |= word in ("this", "ini")
        elif word in _ZONES:
            reading.zone = _ZONES[word]
        elif word in _MONTHS or _is_calendar_number(word):
            reading.residue.append(word)
        elif word not in _FILLERS:
            raise unreadable()
    return reading


def _minute_of_day(reading: _Reading) -> int:
    """Minutes after local midnight (may pass 24:00) from the clock and day-part words."""
    if reading.clock is None:
        return 60 * (_PERIOD_DEFAULTS[reading.period] if reading.period else DEFAULT_TIME.hour)
    hour, minute, meridiem = reading.clock
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif (reading.period == "siang" and 1 <= hour < 5) or (
        reading.period == "sore" and 1 <= hour < 12
    ):
        hour += 12
    elif reading.period == "malam" and 1 <= hour <= 12:
        hour += 24 if hour < 6 else 12
    return 60 * hour + minute


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Local wall time on ``day`` as an aware datetime, DST gaps and overlaps made definite."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _resolve(reading: _Reading, now: datetime, zone: ZoneInfo, text: str) -> datetime:
    unreadable = WhenError(WhenProblem.UNREADABLE, text)
    if reading.exact:
        others = (reading.days, reading.dates, reading.residue, reading.clock, reading.period)
        if any(others) or reading.weekday is not None or reading.next or reading.this:
            raise unreadable
        return (now + timedelta(minutes=reading.offset)).astimezone(zone)
    today = now.astimezone(zone).date()
    minutes = _minute_of_day(reading)
    days = {today + timedelta(days=offset) for offset in reading.days} | set(reading.dates)
    if reading.offset:
        days.add(today + timedelta(minutes=reading.offset))
    if reading.residue:
        days.add(_calendar_date(reading.residue, today, zone, text))
    weekday = reading.weekday
    if reading.next_week:
        monday = today + timedelta(days=7 - today.weekday())
        days.add(monday + timedelta(days=today.weekday() if weekday is None else weekday))
        weekday = None
    elif reading.this and weekday is None:
        days.add(today)
    elif reading.next and weekday is None:
        raise unreadable
    if len(days) > 1 or (days and weekday is not None and next(iter(days)).weekday() != weekday):
        raise unreadable
    if days:
        return _at(days.pop(), minutes, zone)
    if weekday is None and reading.clock is None and reading.period is None:
        raise unreadable
    start = today + timedelta(days=1 if reading.next else 0)
    wanted = start.weekday() if weekday is None else weekday
    day = start + timedelta(days=(wanted - start.weekday()) % 7)
    if _at(day, minutes, zone) <= now:
        day += timedelta(days=1 if weekday is None else 7)
    return _at(day, minutes, zone)


def _calendar_date(residue: list[str], today: date, zone: ZoneInfo, text: str) -> date:
    """Ask dateparser for the calendar date in ``residue`` (day first, year optional)."""
    if not any(word in _MONTHS or _NUMERIC_DATE.fullmatch(word) for word in residue):
        raise WhenError(WhenProblem.UNREADABLE, text)
    english = " ".join(
        _MONTH_NAMES[_MONTHS[word]].split()[0] if word in _MONTHS else word for word in residue
    )
    settings: dict[str, Any] = {
        "TIMEZONE": zone.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        # The last second of yesterday, so a date without a year may still mean today.
        "RELATIVE_BASE": datetime.combine(today, time()) - timedelta(seconds=1),
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
    }
    import dateparser  # its import and language data load on the first calendar date only

    parsed = dateparser.parse(english, languages=["en"], settings=settings)
    if not isinstance(parsed, datetime):
        raise WhenError(WhenProblem.UNREADABLE, text)
    return parsed.date()


def _prefix_limit(words: Sequence[str]) -> int:
    """How many leading words may belong to the ``<when>`` (see ``split_when``)."""
    clock = day = False
    previous = ""
    for index, raw in enumerate(words[:MAX_WHEN_WORDS]):
        word = raw.lower().rstrip(".,")
        if not (word in _VOCABULARY or _is_calendar_number(word) or _CLOCK.fullmatch(word)):
            return index
        capital = raw[:1].isupper() and word not in ("am", "pm", *_ZONES)
        day_name = word in _WEEKDAYS or word in _DAY_WORDS
        if (clock and (capital or _NUMBER.fullmatch(word))) or (day and capital and day_name):
            return index
        clock |= word in ("am", "pm", "noon", "midnight") or (
            _clock(word, bare=previous in _CLOCK_MARKERS) is not None
        )
        day |= day_name or bool(_ISO_DATE.fullmatch(word))
        previous = word
    return min(len(words), MAX_WHEN_WORDS)


def _is_calendar_number(word: str) -> bool:
    """A day, year or numeric date that dateparser may read: ``3``, ``3rd``, ``2026``, ``3/12``."""
    return any(pattern.fullmatch(word) for pattern in (_NUMBER, _ORDINAL, _NUMERIC_DATE))
