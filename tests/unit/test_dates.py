"""Typed dates: ISO always, otherwise day first with a full year, nothing re-read month first."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.dates import DateError, DateProblem, DayMonth, read_date, read_day_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-25", date(2026, 12, 25)),
        ("25/12/2026", date(2026, 12, 25)),
        ("25-12-2026", date(2026, 12, 25)),
        ("03/04/2027", date(2027, 4, 3)),  # 3 April, never 4 March
        ("3/4/2027", date(2027, 4, 3)),
        (" 1/1/2027 ", date(2027, 1, 1)),
        ("29/02/2028", date(2028, 2, 29)),
    ],
)
def test_reads(text: str, expected: date) -> None:
    assert read_date(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("03/04/27", DateProblem.SHORT_YEAR),
        ("3-4-27", DateProblem.SHORT_YEAR),
        ("12/25/2027", DateProblem.MONTH_FIRST),
        ("31/02/2027", DateProblem.NO_SUCH_DAY),
        ("29/02/2027", DateProblem.NO_SUCH_DAY),
        ("2026-02-30", DateProblem.NO_SUCH_DAY),
        ("32/01/2027", DateProblem.NO_SUCH_DAY),
        ("25/12-2026", DateProblem.UNREADABLE),  # separators must agree
        ("2026-1-5", DateProblem.UNREADABLE),
        ("20261225", DateProblem.UNREADABLE),
        ("25.12.2026", DateProblem.UNREADABLE),
        ("besok", DateProblem.UNREADABLE),
        ("", DateProblem.UNREADABLE),
    ],
)
def test_refuses(text: str, problem: DateProblem) -> None:
    with pytest.raises(DateError) as refused:
        read_date(text)
    assert (refused.value.problem, refused.value.text) == (problem, text)


def test_month_first_offers_the_day_first_date_but_does_not_return_it() -> None:
    with pytest.raises(DateError) as refused:
        read_date("12/25/2027")
    assert refused.value.swapped == date(2027, 12, 25)


def test_day_month_without_a_year() -> None:
    assert read_day_month("25/12") == DayMonth(25, 12)
    assert read_day_month("29-02") == DayMonth(29, 2)
    assert DayMonth(29, 2).in_year(2027) is None
    assert DayMonth(29, 2).in_year(2028) == date(2028, 2, 29)
    for text, problem in (("12/25", DateProblem.MONTH_FIRST), ("31/04", DateProblem.NO_SUCH_DAY)):
        with pytest.raises(DateError) as refused:
            read_day_month(text)
        assert refused.value.problem is problem
        assert refused.value.swapped is None


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_date_reads_back_in_each_spelling(day: date) -> None:
    for text in (day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day}-{day.month}-{day.year}"):
        assert read_date(text) == day


@given(st.text(max_size=20))
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        day: date | DateError = read_date(text)
    except DateError as error:
        day = error
    assert isinstance(day, date) or day.text == text
