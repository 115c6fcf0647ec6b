"""Which week a digest shows: the running one, the last finished one, or the one holding a date.

Weeks run Monday 00:00 to Sunday 24:00 in the workspace's zone, so "today" is always the
workspace's local date and a week's bounds are local midnights (a week across a DST change is
167 or 169 hours long). A date may be written `YYYY-MM-DD` or in Indonesian order, `DD/MM/YYYY`
or `DD-MM-YYYY`; any day of a week picks that week. A week that has not started yet has no
numbers, so asking for one is refused rather than answered with an empty digest.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from smmbot.domain.dates import DateError, read_date

EARLIEST_YEAR = 2000


def week_of(day: date) -> tuple[date, date]:
    """The Monday and Sunday of the week that contains `day` (weeks start on Monday)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_bounds(monday: date, timezone: str) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the workspace zone, as UTC datetimes.

    Local midnights, not `start + 7 days`, so a week spanning a DST change is 167 or 169 hours.
    """
    zone = ZoneInfo(timezone)
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def last_week(today: date) -> date:
    """The Monday of the last finished week: `digest last` and the weekly digest."""
    return week_of(today)[0] - timedelta(days=7)


class WeekProblem(StrEnum):
    BAD_DATE = "bad_date"
    FUTURE = "future_week"


class WeekError(ValueError):
    def __init__(self, problem: WeekProblem, text: str) -> None:
        super().__init__(f"{problem.value}: {text!r}")
        self.problem = problem
        self.text = text


def week_containing(text: str, today: date) -> date:
    """`digest week=<date>`: the Monday of the week holding that date. Refused when it is not
    a date (or is before 2000: no social numbers, and no room for the weeks compared before
    it) or when that week has not begun; a date later this week is this week so far."""
    try:
        day = read_date(text)
    except DateError:
        raise WeekError(WeekProblem.BAD_DATE, text) from None
    if day.year < EARLIEST_YEAR:
        raise WeekError(WeekProblem.BAD_DATE, text)
    monday = day - timedelta(days=day.weekday())  # not week_of: 9999-12-31's Sunday overflows
    if monday > week_of(today)[0]:
        raise WeekError(WeekProblem.FUTURE, text)
    return monday
