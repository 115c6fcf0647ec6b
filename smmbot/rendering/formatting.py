"""Numbers, money, dates and times in the reader's language, through Babel.

Indonesian readers expect `Rp5.000.000` and `Rabu 25 November 2026, 09:00 WIB`; English ones
`Rp5,000,000` and `Wed 25 Nov 2026, 09:00`. All user-facing formatting goes through here.

Money is shown as the currency is written where it is used: when the reader's locale knows
only the ISO code (English Babel writes `IDR600,002`, `MYR`, `THB`), the symbol comes from the
currency's own country (`Rp`, `RM`, `฿`; CLDR's likely locale for the code's territory), except
a bare `$`, which names a dozen currencies, so `SGD` stays a code. Amounts have the currency's
cash digits (CLDR: rupiah, yen and dong have none, so `Rp2,146`), and a whole amount shows no
cents in any currency (`US$5,000`, but `US$12.50`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_datetime
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    get_currency_symbol,
)

_BABEL_LOCALES = {"en": "en_GB", "id": "id_ID"}


def babel_locale(locale: str) -> str:
    return _BABEL_LOCALES.get(locale, "en_GB")


def money(amount: Decimal, currency: str, locale: str) -> str:
    digits = _cash_digits(currency)
    rounded = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    whole = rounded == rounded.to_integral_value()
    pattern = "¤#,##0" if whole or not digits else "¤#,##0." + "0" * digits
    shown = format_currency(
        rounded, currency, format=pattern, locale=babel_locale(locale), currency_digits=False
    )
    return _written_symbol(shown, currency, locale)


@cache
def _cash_digits(currency: str) -> int:
    """Digits after the decimal mark as the currency is paid (CLDR cash digits: IDR 0)."""
    fractions = get_global("currency_fractions")
    return int(fractions.get(currency, fractions["DEFAULT"])[2])


@cache
def _home_symbol(currency: str, locale: str) -> tuple[str, str]:
    """(symbol in the reader's locale, symbol to show instead); equal when nothing changes."""
    shown = get_currency_symbol(currency, babel_locale(locale))
    if shown != currency:
        return shown, shown
    try:
        home = Locale.parse(f"und_{currency[:2]}")
    except (UnknownLocaleError, ValueError):
        return shown, shown
    symbol = get_currency_symbol(currency, home)
    return shown, shown if symbol in (currency, "$") else symbol


def _written_symbol(text: str, currency: str, locale: str) -> str:
    shown, wanted = _home_symbol(currency, locale)
    return text.replace(shown, wanted, 1)


def number(value: Decimal | int | float, locale: str) -> str:
    return format_decimal(value, format="#,##0.##", locale=babel_locale(locale))


_INDONESIAN_ZONES = frozenset({"Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"})


def zone_label(value: datetime, timezone: str, locale: str) -> str:
    """WIB/WITA/WIT for Indonesian zones in either language (that is what people say), else
    the zone's usual abbreviation (CET, EST)."""
    label_locale = "id_ID" if timezone in _INDONESIAN_ZONES else babel_locale(locale)
    return format_datetime(value, "zzz", tzinfo=ZoneInfo(timezone), locale=label_locale)


def moment(value: datetime, timezone: str, locale: str) -> str:
    """The exact local date and time with the zone's name."""
    local = format_datetime(
        value, "EEEE d MMMM yyyy, HH:mm", tzinfo=ZoneInfo(timezone), locale=babel_locale(locale)
    )
    return f"{local} {zone_label(value, timezone, locale)}"


def clock_time(value: datetime, timezone: str, locale: str) -> str:
    return format_datetime(value, "HH:mm", tzinfo=ZoneInfo(timezone), locale=babel_locale(locale))


def day(value: date, locale: str) -> str:
    return format_date(value, "EEEE d MMMM", locale=babel_locale(locale))


def long_date(value: date, locale: str) -> str:
    """`25 December 2026` / `25 Desember 2026`: a date spelled out so it cannot be misread."""
    return format_date(value, "d MMMM yyyy", locale=babel_locale(locale))


def short_date(value: date, locale: str) -> str:
    return format_date(value, "d MMM yyyy", locale=babel_locale(locale))


def short_day(value: date, locale: str) -> str:
    return format_date(value, "d MMM", locale=babel_locale(locale))


def compact_money(amount: Decimal, currency: str, locale: str) -> str:
    """`Rp5 jt` / `Rp5M`: axis labels have no room for every digit."""
    shown = format_compact_currency(
        amount, currency, locale=babel_locale(locale), fraction_digits=1
    )
    return _written_symbol(shown, currency, locale)
