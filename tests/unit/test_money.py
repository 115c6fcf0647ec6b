"""Amounts, counts and percentages typed the Indonesian and the English way."""

import contextlib
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.money import (
    MoneyError,
    MoneyProblem,
    parse_money,
    parse_number,
    parse_percent,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5000000", "5000000"),
        ("5.000.000", "5000000"),
        ("5,000,000", "5000000"),
        ("Rp5.000.000", "5000000"),
        ("Rp 5.000.000", "5000000"),
        ("rp5000000", "5000000"),
        ("Rp. 50.000", "50000"),
        ("Rp 50.000,-", "50000"),
        ("IDR 5000000", "5000000"),
        ("5.000.000 IDR", "5000000"),
        ("5000000 rupiah", "5000000"),
        ("5jt", "5000000"),
        ("5 jt", "5000000"),
        ("5JT", "5000000"),
        ("5juta", "5000000"),
        ("5 juta rupiah", "5000000"),
        ("Rp 5jt", "5000000"),
        ("1,5jt", "1500000"),
        ("1.5jt", "1500000"),
        ("1,25 juta", "1250000"),
        ("500rb", "500000"),
        ("500 ribu", "500000"),
        ("500k", "500000"),
        ("500K", "500000"),
        ("2.5k", "2500"),
        ("5miliar", "5000000000"),
        ("5 milyar", "5000000000"),
        ("2,5 miliar", "2500000000"),
        ("1 triliun", "1000000000000"),
        ("3 million", "3000000"),
        ("Rp5.000.000,50", "5000000.50"),
        ("Rp1.234,5", "1234.5"),
        ("5.000", "5000"),
        ("1,200", "1200"),
        ("1,5", "1.5"),
        ("12.50", "12.50"),
        ("0", "0"),
        ("0,5", "0.5"),
        ("+5000", "5000"),
        ("Rp\u00a05.000.000,00", "5000000"),
        ("  5000  ", "5000"),
    ],
)
def test_parse_money_idr(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("$1,234.56", "USD", "1234.56"),
        ("US$ 1.234,56", "USD", "1234.56"),
        ("1234.56 USD", "USD", "1234.56"),
        ("usd 5k", "USD", "5000"),
        ("$20", "SGD", "20"),
        ("S$20", "SGD", "20"),
        ("RM 15,90", "MYR", "15.90"),
        ("€9,99", "eur", "9.99"),
        ("10 chf", "CHF", "10"),
    ],
)
def test_parse_money_other_currencies(text: str, currency: str, expected: str) -> None:
    assert parse_money(text, currency=currency) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "currency", "problem"),
    [
        ("", "IDR", MoneyProblem.EMPTY),
        ("   ", "IDR", MoneyProblem.EMPTY),
        ("abc", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("lima juta", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("5M", "IDR", MoneyProblem.NOT_A_NUMBER),  # million or miliar? refuse
        ("5m", "USD", MoneyProblem.NOT_A_NUMBER),
        ("5 mn", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("0.500", "IDR", MoneyProblem.NOT_A_NUMBER),  # 0.5 or 500? refuse
        ("1.2345", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("1.50.000", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("5.", "IDR", MoneyProblem.NOT_A_NUMBER),
        (".5", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("1.234.56", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("1,234.567.8", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("5 000", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("5-3", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("5jt jt", "IDR", MoneyProblem.NOT_A_NUMBER),
        ("-5", "IDR", MoneyProblem.NEGATIVE),
        ("\u22125", "IDR", MoneyProblem.NEGATIVE),
        ("-Rp5.000", "IDR", MoneyProblem.NEGATIVE),
        ("Rp -5.000", "IDR", MoneyProblem.NEGATIVE),
        ("-5jt", "IDR", MoneyProblem.NEGATIVE),
        ("$5", "IDR", MoneyProblem.WRONG_CURRENCY),
        ("5 USD", "IDR", MoneyProblem.WRONG_CURRENCY),
        ("Rp5.000", "USD", MoneyProblem.WRONG_CURRENCY),
        ("S$5", "USD", MoneyProblem.WRONG_CURRENCY),
    ],
)
def test_parse_money_refuses(text: str, currency: str, problem: MoneyProblem) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(text, currency=currency)
    assert caught.value.problem is problem
    assert caught.value.text == text
    assert isinstance(caught.value, ValueError)


def test_results_have_no_exponent() -> None:
    assert str(parse_money("1,5jt")) == "1500000"
    assert str(parse_number("2 miliar")) == "2000000000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200", "1200"),
        ("1.200", "1200"),
        ("1,200", "1200"),
        ("12.500", "12500"),
        ("1,5jt", "1500000"),
        ("500rb", "500000"),
        ("2k", "2000"),
        ("3 ribu", "3000"),
        ("4,5", "4.5"),
    ],
)
def test_parse_number(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", MoneyProblem.EMPTY),
        ("Rp5000", MoneyProblem.NOT_A_NUMBER),
        ("12%", MoneyProblem.NOT_A_NUMBER),
        ("5 orang", MoneyProblem.NOT_A_NUMBER),
        ("-3", MoneyProblem.NEGATIVE),
    ],
)
def test_parse_number_refuses(text: str, problem: MoneyProblem) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_number(text)
    assert caught.value.problem is problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12%", "0.12"),
        ("12,5%", "0.125"),
        ("12.5 %", "0.125"),
        ("12", "0.12"),
        ("100%", "1"),
        ("0,5%", "0.005"),
    ],
)
def test_parse_percent(text: str, expected: str) -> None:
    assert parse_percent(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("%", MoneyProblem.NOT_A_NUMBER),
        ("%12", MoneyProblem.NOT_A_NUMBER),
        ("5k%", MoneyProblem.NOT_A_NUMBER),
        ("12%%", MoneyProblem.NOT_A_NUMBER),
        ("-2%", MoneyProblem.NEGATIVE),
        ("", MoneyProblem.EMPTY),
    ],
)
def test_parse_percent_refuses(text: str, problem: MoneyProblem) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_percent(text)
    assert caught.value.problem is problem


@given(st.text())
def test_arbitrary_text_only_raises_money_error(text: str) -> None:
    for parse in (parse_money, parse_number, parse_percent):
        with contextlib.suppress(MoneyError):
            parse(text)


_MONEYISH = st.text(alphabet="0123456789.,-+ RpIDRjtkrbmiluarUS$%\u00a0", max_size=20)


@given(_MONEYISH, st.sampled_from(["IDR", "USD"]))
def test_money_like_text_only_raises_money_error(text: str, currency: str) -> None:
    try:
        value = parse_money(text, currency=currency)
    except MoneyError:
        return
    assert value >= 0


@pytest.fixture(scope="module")
def babel_locales_loaded() -> None:
    """Babel reads a locale's data from disk on its first use (~0.3 s on a busy machine): done
    here once, so Hypothesis's per-example deadline times the round trip, not the file read."""
    for locale in ("id_ID", "en_US"):
        format_currency(Decimal(1), "IDR", locale=locale)


@pytest.mark.usefixtures("babel_locales_loaded")
@given(
    st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2, allow_nan=False),
    st.sampled_from(["IDR", "USD"]),
)
def test_babel_round_trip(value: Decimal, currency: str) -> None:
    for locale in ("id_ID", "en_US"):
        typed = format_currency(value, currency, locale=locale)
        assert parse_money(typed, currency=currency) == value
