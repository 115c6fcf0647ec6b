"""Reading a calendar date as people type it and as spreadsheets export it.

One rule for every date field (``log … date=``, ``campaign new start= end=``, ``digest week=``,
CSV and API rows, and the numeric dates of ``<when>``), so a date accepted in one place is
accepted everywhere:

* ``YYYY-MM-DD`` always (``2026-12-25``; two-digit month and day, as ISO 8601 writes them);
* ``DD/MM/YYYY`` and ``DD-MM-YYYY`` otherwise: day first, the order Indonesian Sheets and Excel
  export and the way our users write dates (``25/12/2026``, ``5-1-2027``);
* the year in full: ``03/04/27`` is refused (``SHORT_YEAR``) rather than guessed as 2027;
* a value impossible day first is refused, never re-read month first: ``12/25/2027`` has no
  month 25 (``MONTH_FIRST``: the reply can say so and show the day-first spelling), and
  ``31/02/2027`` is no day at all (``NO_SUCH_DAY``).

So ``03/04/2027`` is always 3 April. Reading a US-style export correctly would need the file's
locale, which a typed value does not carry; refusing is cheaper than a wrong month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

_ISO: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DAY_FIRST: Final = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{1,4})")
_DAY_MONTH: Final = re.compile(r"([0-9]{1,2})[/-]([0-9]{1,2})")
NUMERIC_DATE: Final = re.compile(r"[0-9]{1,4}[/-][0-9]{1,2}(?:[/-][0-9]{1,4})?")
"""Anything shaped like a numeric date, well formed or not: such a word is read (or refused)
by ``read_date`` / ``read_day_month``, never by a looser parser."""


class DateProblem(StrEnum):
    UNREADABLE = "unreadable"
    SHORT_YEAR = "short_year"
    MONTH_FIRST = "month_first"
    NO_SUCH_DAY = "no_such_day"


class DateError(ValueError):
    """Why ``text`` is not a date; for ``MONTH_FIRST`` also the day-first date it resembles,
    so the reply can show it as a suggestion (never saved without the member retyping it)."""

    def __init__(self, problem: DateProblem, text: str, *, swapped: date | None = None) -> None:
        super().__init__(f"{problem.value}: {text!r}")
        self.problem = problem
        self.text = text
        self.swapped = swapped


@dataclass(frozen=True, slots=True)
class DayMonth:
    """A day of the year without its year (``25/12``): which year is the caller's choice."""

    day: int
    month: int

    def in_year(self, year: int) -> date | None:
        """The date in ``year``, or None when it does not exist then (29/02 in 2027)."""
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def read_date(text: str) -> date:
    """``text`` as a date by the module's rules, or ``DateError`` saying why not."""
    stripped = text.strip()
    if match := _ISO.fullmatch(stripped):
        return _checked(stripped, int(match[3]), int(match[2]), int(match[1]))
    match = _DAY_FIRST.fullmatch(stripped)
    if match is None:
        raise DateError(DateProblem.UNREADABLE, text)
    if len(match[4]) != 4:
        raise DateError(DateProblem.SHORT_YEAR, text)
    return _checked(text, int(match[1]), int(match[3]), int(match[4]))


def read_day_month(text: str) -> DayMonth:
    """``25/12`` or ``25-12`` (no year) day first, refused by the same rules as ``read_date``."""
    match = _DAY_MONTH.fullmatch(text.strip())
    if match is None:
        raise DateError(DateProblem.UNREADABLE, text)
    day, month = int(match[1]), int(match[2])
    try:
        _checked(text, day, month, 2000)  # a leap year: 29/02 is a day of the year
    except DateError as error:
        raise DateError(error.problem, text) from None  # no year to show a suggestion in
    return DayMonth(day, month)


def _checked(text: str, day: int, month: int, year: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if 1 <= day <= 12 < month:
        try:
            swapped = date(year, day, month)
        except ValueError:
            swapped = None
        if swapped is not None:
            raise DateError(DateProblem.MONTH_FIRST, text, swapped=swapped)
    raise DateError(DateProblem.NO_SUCH_DAY, text)
