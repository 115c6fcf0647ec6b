"""Checking one metric reading as typed in Slack, posted to the API or read from a CSV row.

All three ways in share these rules so a value the bot refuses in Slack is refused by the API
too. Problems are codes, never prose: Slack replies word them in the member's language and the
API returns the code itself, which scripts can match on.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from smmbot.domain.dates import DateError, read_date
from smmbot.domain.metrics import Metric, Unit, find_metric
from smmbot.domain.money import MoneyError, MoneyProblem, parse_money, parse_number
from smmbot.domain.platforms import UnknownPlatformError, parse_platforms

# The column is Numeric(20, 4): 16 digits before the decimal mark.
MAX_VALUE: Final = Decimal(10) ** 16


class ReadingProblem(StrEnum):
    MISSING_FIELD = "missing_field"
    UNKNOWN_METRIC = "unknown_metric"
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    WRONG_CURRENCY = "wrong_currency"
    PERCENT = "percent_not_allowed"
    NOT_WHOLE = "not_a_whole_number"
    TOO_LARGE = "too_large"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    UNKNOWN_PLATFORM = "unknown_platform"
    UNKNOWN_CAMPAIGN = "unknown_campaign"
    # Batches only (API and CSV): the shape of the body or row, not one value.
    NOT_A_LIST = "not_a_list"
    NOT_AN_OBJECT = "not_an_object"
    TOO_MANY_ROWS = "too_many_rows"


class ReadingError(ValueError):
    """One thing wrong with a reading: which field, the code, and the text that was given."""

    def __init__(self, field: str, problem: ReadingProblem, text: str = "") -> None:
        super().__init__(f"{field}: {problem.value}: {text!r}")
        self.field = field
        self.problem = problem
        self.text = text


def read_metric(name: str) -> Metric:
    metric = find_metric(name)
    if metric is None:
        raise ReadingError("metric", ReadingProblem.UNKNOWN_METRIC, name)
    return metric


def read_value(metric: Metric, value: str | int | float | Decimal, *, currency: str) -> Decimal:
    """A reading's value: an amount of ``currency`` for money metrics, else a whole count.

    No catalog metric is a rate, so ``12%`` is refused instead of being read as 12 or 0.12.
    """
    if isinstance(value, bool):  # JSON true/false are ints to Python, never a reading
        raise ReadingError("value", ReadingProblem.NOT_A_NUMBER, str(value))
    if isinstance(value, int | float | Decimal):
        number = _from_number(value)
    else:
        if "%" in value:
            raise ReadingError("value", ReadingProblem.PERCENT, value)
        try:
            if metric.unit is Unit.MONEY:
                number = parse_money(value, currency=currency)
            else:
                number = parse_number(value)
        except MoneyError as error:
            raise ReadingError("value", _PROBLEMS[error.problem], value) from error
    if metric.unit is not Unit.MONEY and number != number.to_integral_value():
        raise ReadingError("value", ReadingProblem.NOT_WHOLE, str(value))
    if number >= MAX_VALUE:
        raise ReadingError("value", ReadingProblem.TOO_LARGE, str(value))
    return number


def read_day(text: str, *, today: date) -> date:
    """A date (``2026-11-24``, ``24/11/2026``: see ``domain.dates``) not after ``today``
    (readings are what happened)."""
    try:
        day = read_date(text)
    except DateError as error:
        raise ReadingError("date", ReadingProblem.BAD_DATE, text) from error
    if day > today:
        raise ReadingError("date", ReadingProblem.FUTURE_DATE, text)
    return day


def read_platform(text: str) -> str:
    """The platform id (first one named); an empty text means "no platform"."""
    if not text.strip():
        return ""
    try:
        platforms = parse_platforms(text)
    except UnknownPlatformError as error:
        raise ReadingError("platform", ReadingProblem.UNKNOWN_PLATFORM, text) from error
    return platforms[0].value if platforms else ""


def _from_number(value: int | float | Decimal) -> Decimal:
    """A JSON number; floats go through ``str`` so 0.1 stays 0.1, not its binary neighbour."""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ReadingError("value", ReadingProblem.NOT_A_NUMBER, str(value))
    if number < 0:
        raise ReadingError("value", ReadingProblem.NEGATIVE, str(value))
    return number


_PROBLEMS: Final = {
    MoneyProblem.EMPTY: ReadingProblem.EMPTY,
    MoneyProblem.NOT_A_NUMBER: ReadingProblem.NOT_A_NUMBER,
    MoneyProblem.NEGATIVE: ReadingProblem.NEGATIVE,
    MoneyProblem.WRONG_CURRENCY: ReadingProblem.WRONG_CURRENCY,
}
