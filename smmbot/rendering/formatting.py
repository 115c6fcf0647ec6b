"""Numbers, money, dates and times in the reader's language, through Babel.

Indonesian readers expect `Rp5.000.000` and `Rabu 25 November 2026, 09:00 WIB`; English ones
`IDR 5,000,000` and `Wed 25 Nov 2026, 09:00`. All user-facing formatting goes through here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_currency, format_currency, format_decimal

_BABEL_LOCALES = {"en": "en_GB", "id": "id_ID"}


def babel_locale(locale: str) -> str:
    return _BABEL_LOCALES.get(locale, "en_GB")


def money(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(
        amount, currency, format="¤#,##0.##", locale=babel_locale(locale), currency_digits=False
    )


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
    """`Rp5 jt` / `IDR5M`: axis labels have no room for every digit."""
    return format_compact_currency(amount, currency, locale=babel_locale(locale), fraction_digits=1)
