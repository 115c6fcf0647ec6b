"""Turning a classified ``<when>`` reading into one moment, relative to ``now`` and a zone.

The rules (default 09:00, the next matching weekday, day-part words, DST gaps and overlaps)
are listed in ``domain.when``; calendar dates with month names ("3 Desember") are the only
part handed to dateparser, which reads those well.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from smmbot.domain import when_words as words
from smmbot.domain.dates import DayMonth
from smmbot.domain.when_reading import Reading, WhenError, WhenProblem

DEFAULT_TIME: Final = time(9, 0)
"""The time of day for a phrase that names only a day: the start of a small team's workday."""

_LEAP_CYCLE: Final = 9  # years to look ahead for a 29/02 (at most 8 apart, around 2100)


def resolve(reading: Reading, now: datetime, zone: ZoneInfo, text: str) -> datetime:
    """The moment ``reading`` names, in ``zone``; UNREADABLE when its words disagree."""
    unreadable = WhenError(WhenProblem.UNREADABLE, text)
    if reading.exact:
        others = (reading.days, reading.dates, reading.day_months, reading.residue)
        if any(others) or reading.clock or reading.period or reading.weekday is not None:
            raise unreadable
        if reading.next or reading.this:
            raise unreadable
        return (now + timedelta(minutes=reading.offset)).astimezone(zone)
    today = now.astimezone(zone).date()
    minutes = minute_of_day(reading)
    days, weekday = _named_days(reading, today, zone, text)
    if len(days) > 1 or (days and weekday is not None and next(iter(days)).weekday() != weekday):
        raise unreadable
    if days:
        return at(days.pop(), minutes, zone)
    if weekday is None and reading.clock is None and reading.period is None:
        raise unreadable
    start = today + timedelta(days=1 if reading.next else 0)
    wanted = start.weekday() if weekday is None else weekday
    day = start + timedelta(days=(wanted - start.weekday()) % 7)
    if at(day, minutes, zone) <= now:
        day += timedelta(days=1 if weekday is None else 7)
    return at(day, minutes, zone)


def minute_of_day(reading: Reading) -> int:
    """Minutes after local midnight (may pass 24:00) from the clock and day-part words."""
    if reading.clock is None:
        default = words.PERIOD_DEFAULTS[reading.period] if reading.period else DEFAULT_TIME.hour
        return 60 * default
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


def at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Local wall time on ``day`` as an aware datetime, DST gaps and overlaps made definite."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _named_days(
    reading: Reading, today: date, zone: ZoneInfo, text: str
) -> tuple[set[date], int | None]:
    """Every date the words name, and the weekday still to be matched (None once used up)."""
    days = {today + timedelta(days=offset) for offset in reading.days} | set(reading.dates)
    days |= {_next_occurrence(day_month, today, text) for day_month in reading.day_months}
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
        raise WhenError(WhenProblem.UNREADABLE, text)
    return days, weekday


def _next_occurrence(day_month: DayMonth, today: date, text: str) -> date:
    """A date without a year is its next occurrence on or after today."""
    for year in range(today.year, today.year + _LEAP_CYCLE):
        day = day_month.in_year(year)
        if day is not None and day >= today:
            return day
    raise WhenError(WhenProblem.UNREADABLE, text)


def _calendar_date(residue: list[str], today: date, zone: ZoneInfo, text: str) -> date:
    """Ask dateparser for the calendar date in ``residue`` (a month name, day first, year
    optional)."""
    if not any(word in words.MONTHS for word in residue):
        raise WhenError(WhenProblem.UNREADABLE, text)
    english = " ".join(
        words.MONTH_NAMES[words.MONTHS[word]].split()[0] if word in words.MONTHS else word
        for word in residue
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
