"""Which week `digest now|last|week=<date>` shows, in the workspace's calendar."""

from datetime import date

import pytest

from smmbot.domain.dates import DateError, read_date
from smmbot.domain.digest_weeks import (
    WeekError,
    WeekProblem,
    last_week,
    week_containing,
)

TUESDAY = date(2026, 11, 24)


def test_last_week_is_the_last_finished_one() -> None:
    assert last_week(TUESDAY) == date(2026, 11, 16)
    assert last_week(date(2026, 11, 23)) == date(2026, 11, 16)  # on Monday, too
    assert last_week(date(2026, 11, 29)) == date(2026, 11, 16)  # and on Sunday


@pytest.mark.parametrize(
    "text", ["2026-11-16", "2026-11-22", "18/11/2026", "22-11-2026", " 2026-11-19 ", "16/11/2026"]
)
def test_any_day_picks_its_week(text: str) -> None:
    assert week_containing(text, TUESDAY) == date(2026, 11, 16)


def test_a_later_day_of_this_week_is_this_week() -> None:
    assert week_containing("2026-11-29", TUESDAY) == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-11-30", WeekProblem.FUTURE),
        ("9999-12-31", WeekProblem.FUTURE),
        ("2026-02-30", WeekProblem.BAD_DATE),
        ("31/13/2026", WeekProblem.BAD_DATE),
        ("last week", WeekProblem.BAD_DATE),
        ("", WeekProblem.BAD_DATE),
        ("20261116", WeekProblem.BAD_DATE),
        ("0001-01-01", WeekProblem.BAD_DATE),  # no room for the weeks compared before it
        ("1999-12-31", WeekProblem.BAD_DATE),
    ],
)
def test_refused_weeks(text: str, problem: WeekProblem) -> None:
    with pytest.raises(WeekError) as refused:
        week_containing(text, TUESDAY)
    assert (refused.value.problem, refused.value.text) == (problem, text)


def test_dates_in_both_orders() -> None:
    assert read_date("2026-11-05") == read_date("05/11/2026") == read_date("5-11-2026")
    assert read_date("05/11/2026") == date(2026, 11, 5)  # day first, as Indonesians write it
    with pytest.raises(DateError):
        read_date("11/31/2026")
