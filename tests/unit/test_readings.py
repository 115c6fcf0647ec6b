"""Reading checks shared by `/smm log`, the metrics API and CSV import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.readings import (
    ReadingError,
    ReadingProblem,
    read_day,
    read_metric,
    read_platform,
    read_value,
)

FOLLOWERS = read_metric("followers")
REVENUE = read_metric("Revenue ")
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1200", 1200), ("1.200", 1200), ("1,200", 1200), ("5jt", 5_000_000), ("500rb", 500_000)],
)
def test_counts_in_local_forms(text: str, expected: int) -> None:
    assert read_value(FOLLOWERS, text, currency="IDR") == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["Rp5.000.000", "Rp 5.000.000,-", "5jt", "5000000", "IDR 5,000,000"]
)
def test_money_in_local_forms(text: str) -> None:
    assert read_value(REVENUE, text, currency="IDR") == Decimal(5_000_000)


@pytest.mark.parametrize(
    ("metric_value", "problem"),
    [
        ((FOLLOWERS, "12%"), ReadingProblem.PERCENT),
        ((REVENUE, "10 %"), ReadingProblem.PERCENT),
        ((FOLLOWERS, "-3"), ReadingProblem.NEGATIVE),
        ((FOLLOWERS, -3), ReadingProblem.NEGATIVE),
        ((FOLLOWERS, "lots"), ReadingProblem.NOT_A_NUMBER),
        ((FOLLOWERS, True), ReadingProblem.NOT_A_NUMBER),
        ((FOLLOWERS, float("nan")), ReadingProblem.NOT_A_NUMBER),
        ((FOLLOWERS, "1,5"), ReadingProblem.NOT_WHOLE),
        ((FOLLOWERS, 2.5), ReadingProblem.NOT_WHOLE),
        ((FOLLOWERS, ""), ReadingProblem.EMPTY),
        ((FOLLOWERS, "Rp5"), ReadingProblem.NOT_A_NUMBER),
        ((REVENUE, "$5"), ReadingProblem.WRONG_CURRENCY),
        ((FOLLOWERS, 10**17), ReadingProblem.TOO_LARGE),
    ],
)
def test_bad_values(metric_value: tuple[object, object], problem: ReadingProblem) -> None:
    metric, value = metric_value
    with pytest.raises(ReadingError) as raised:
        read_value(metric, value, currency="IDR")  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.problem) == ("value", problem)


def test_money_keeps_cents_and_json_floats_stay_exact() -> None:
    assert read_value(REVENUE, 12.1, currency="USD") == Decimal("12.1")
    assert read_value(REVENUE, "$12.50", currency="USD") == Decimal("12.5")


def test_unknown_metric() -> None:
    with pytest.raises(ReadingError) as raised:
        read_metric("folowers")
    assert raised.value.problem is ReadingProblem.UNKNOWN_METRIC


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-11-25", ReadingProblem.FUTURE_DATE),
        ("11/24/2026", ReadingProblem.BAD_DATE),  # month first
        ("24/11/26", ReadingProblem.BAD_DATE),
        ("20261124", ReadingProblem.BAD_DATE),
        ("2026-02-30", ReadingProblem.BAD_DATE),
    ],
)
def test_bad_days(text: str, problem: ReadingProblem) -> None:
    with pytest.raises(ReadingError) as raised:
        read_day(text, today=TODAY)
    assert raised.value.problem is problem


def test_day_today_and_past() -> None:
    assert read_day(" 2026-11-24 ", today=TODAY) == TODAY
    assert read_day("2025-01-01", today=TODAY) == date(2025, 1, 1)


def test_platform_first_named_and_aliases() -> None:
    assert read_platform("IG, x") == "instagram"
    assert read_platform("  ") == ""
    with pytest.raises(ReadingError):
        read_platform("myspace")


@given(st.text(max_size=30))
def test_no_text_crashes_value_reading(text: str) -> None:
    try:
        value = read_value(REVENUE, text, currency="IDR")
    except ReadingError:
        return
    assert value >= 0
