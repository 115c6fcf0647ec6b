"""Money as the currency is written, for English and Indonesian readers."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.money import parse_money
from smmbot.rendering import formatting
from smmbot.rendering.dates import when_example


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "shown"),
    [
        ("600002", "IDR", "en", "Rp600,002"),  # never IDR600,002
        ("5000000", "IDR", "en", "Rp5,000,000"),
        ("2146.46", "IDR", "en", "Rp2,146"),  # rupiah has no cents
        ("2146.5", "IDR", "en", "Rp2,147"),
        ("2146.46", "IDR", "id", "Rp2.146"),
        ("5000000", "IDR", "id", "Rp5.000.000"),
        ("5000", "USD", "en", "US$5,000"),
        ("12.5", "USD", "en", "US$12.50"),
        ("12.5", "USD", "id", "US$12,50"),
        ("1500", "MYR", "en", "RM1,500"),
        ("1500", "SGD", "en", "SGD1,500"),  # a bare $ would not say which dollar
        ("1500", "EUR", "en", "€1,500"),
    ],
)
def test_money(amount: str, currency: str, locale: str, shown: str) -> None:
    assert formatting.money(Decimal(amount), currency, locale) == shown


@pytest.mark.parametrize(
    ("amount", "locale", "shown"),
    [("5000000", "en", "Rp5M"), ("2500000", "en", "Rp2.5M"), ("2500000", "id", "Rp2,5\u00a0jt")],
)
def test_compact_money(amount: str, locale: str, shown: str) -> None:
    assert formatting.compact_money(Decimal(amount), "IDR", locale) == shown


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["en", "id"]))
def test_shown_rupiah_reads_back(amount: int, locale: str) -> None:
    shown = formatting.money(Decimal(amount), "IDR", locale)
    assert parse_money(shown, currency="IDR") == amount


def test_schedule_example_is_tomorrow_morning_where_the_member_is() -> None:
    after_midnight_in_jayapura = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)  # 3 Dec 00:30 WIT
    assert when_example(after_midnight_in_jayapura, "Asia/Jayapura", "id") == "04/12/2026 09:00"
    assert when_example(after_midnight_in_jayapura, "Asia/Jakarta", "id") == "03/12/2026 09:00"
    assert when_example(after_midnight_in_jayapura, "Asia/Jakarta", "en") == "2026-12-03 09:00"
