"""Reading amounts, counts and percentages the way small-business teams type them in Slack.

Indonesian users write ``Rp5.000.000``, ``Rp. 50.000,-``, ``5jt``, ``1,5 juta`` or ``500rb``;
English users write ``$1,234.56`` or ``5k``. One set of rules reads all of them, and anything
that could honestly mean two different amounts is refused (``NOT_A_NUMBER``) rather than
guessed, because a wrong budget is worse than a second try.

Separator rules (``.`` and ``,`` are treated alike):

* with both present, the last one is the decimal mark and the other groups thousands
  (``1.234,56`` and ``1,234.56`` are both 1234.56);
* one kind used several times groups thousands (``5.000.000``);
* one separator used once is a thousands separator when exactly 3 digits follow
  (``5.000`` = 5000, ``1,200`` = 1200) and a decimal mark when 1-2 digits follow
  (``1,5`` = 1.5, ``12.50`` = 12.5); any other count of digits is refused;
* thousands groups must be well formed: a first group of 1-3 digits not starting with 0, then
  groups of exactly 3 (so ``0.500`` and ``1.50.000`` are refused, not guessed);
* ``,-`` / ``.-`` after the digits means "no cents" (``Rp 50.000,-``).

Multipliers: ``k``/``rb``/``ribu``/``thousand`` (10³), ``jt``/``juta``/``million`` (10⁶),
``miliar``/``milyar``/``billion`` (10⁹), ``triliun``/``trillion`` (10¹²). A bare ``m``/``M``
is refused: English speakers mean million, Indonesians often mean *miliar* (a thousand times
more). Every amount, count and percentage here is non-negative: a minus sign is ``NEGATIVE``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class MoneyProblem(StrEnum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    WRONG_CURRENCY = "wrong_currency"


class MoneyError(ValueError):
    """Raised by every parser in this module; a code plus the typed text, never prose, so the
    reply can be written in the user's language and quote what they typed."""

    def __init__(self, problem: MoneyProblem, text: str) -> None:
        super().__init__(f"{problem.value}: {text!r}")
        self.problem = problem
        self.text = text


_MULTIPLIERS: Final = MappingProxyType(
    {
        "k": 3,
        "rb": 3,
        "ribu": 3,
        "thousand": 3,
        "jt": 6,
        "juta": 6,
        "million": 6,
        "miliar": 9,
        "milyar": 9,
        "billion": 9,
        "triliun": 12,
        "trillion": 12,
    }
)

_DOLLARS: Final = frozenset({"USD", "SGD", "AUD", "CAD", "NZD", "HKD"})
_MARKERS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "rp": frozenset({"IDR"}),
        "rupiah": frozenset({"IDR"}),
        "$": _DOLLARS,
        "us$": frozenset({"USD"}),
        "s$": frozenset({"SGD"}),
        "a$": frozenset({"AUD"}),
        "rm": frozenset({"MYR"}),
        "€": frozenset({"EUR"}),
        "£": frozenset({"GBP"}),
        "¥": frozenset({"JPY", "CNY"}),
        "₱": frozenset({"PHP"}),
        "฿": frozenset({"THB"}),
        "₫": frozenset({"VND"}),
        "₹": frozenset({"INR"}),
        **{
            code.lower(): frozenset({code})
            for code in (
                "IDR",
                "MYR",
                "EUR",
                "GBP",
                "JPY",
                "CNY",
                "PHP",
                "THB",
                "VND",
                "INR",
                *_DOLLARS,
            )
        },
    }
)
"""Currency symbols and codes we recognise, lower-cased; ``$`` fits any dollar currency."""

_MAX_DIGITS: Final = 24  # keeps every result exact within Decimal's default 28-digit precision
_SPLIT = re.compile(r"(?P<head>[^0-9]*)(?P<number>[0-9][0-9.,]*)(?P<tail>.*)", re.DOTALL)
_NO_CENTS = re.compile(r"(?<=[0-9])[.,]-(?![0-9])")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-"})


def parse_money(text: str, *, currency: str = "IDR") -> Decimal:
    """Read an amount of ``currency`` (an ISO code) such as ``Rp5.000.000``, ``5jt`` or ``$12.50``.

    A currency symbol or code may come before or after the number; it must be one that fits
    the workspace currency, so ``$5`` in a rupiah workspace is ``WRONG_CURRENCY`` instead of
    being silently read as 5 rupiah.
    """
    head, value, tail = _read(text)
    multiplier, tail = _take_multiplier(tail)
    for marker in (head, tail):
        if marker:
            _check_currency(marker, currency.upper(), text)
    return _scaled(value, multiplier)


def parse_number(text: str) -> Decimal:
    """Read a count such as ``12.500``, ``1,5jt`` or ``500rb`` (no currency, no ``%``)."""
    head, value, tail = _read(text)
    multiplier, tail = _take_multiplier(tail)
    if head or tail:
        raise MoneyError(MoneyProblem.NOT_A_NUMBER, text)
    return _scaled(value, multiplier)


def parse_percent(text: str) -> Decimal:
    """Read a percentage as a fraction: ``12%`` → 0.12, ``12,5 %`` → 0.125.

    The ``%`` sign is optional because the field asking for it already says "percent", so a
    bare ``12`` is 12 % (0.12), never 1200 %.
    """
    head, value, tail = _read(text)
    if head or tail not in ("", "%"):
        raise MoneyError(MoneyProblem.NOT_A_NUMBER, text)
    return value.scaleb(-2)


def _read(text: str) -> tuple[str, Decimal, str]:
    """Split ``text`` into (marker before, number, rest after), all lower-case and stripped."""
    cleaned = _NO_CENTS.sub("", " ".join(text.split()).translate(_MINUS_SIGNS).lower())
    if not cleaned:
        raise MoneyError(MoneyProblem.EMPTY, text)
    match = _SPLIT.fullmatch(cleaned)
    value = _read_digits(match["number"]) if match else None
    if match is None or value is None:
        raise MoneyError(MoneyProblem.NOT_A_NUMBER, text)
    head, tail = match["head"].strip(), match["tail"].strip()
    negative = False
    if head[:1] in ("-", "+"):
        negative, head = head[0] == "-", head[1:].strip()
    if head[-1:] in ("-", "+"):
        negative, head = negative or head[-1] == "-", head[:-1].strip()
    if head.startswith(("-", "+")) or tail.startswith(("-", "+")):
        raise MoneyError(MoneyProblem.NOT_A_NUMBER, text)
    if negative:
        raise MoneyError(MoneyProblem.NEGATIVE, text)
    return head, value, tail


def _read_digits(token: str) -> Decimal | None:
    """Apply the separator rules from the module docstring; None when they are not met."""
    if sum(char.isdigit() for char in token) > _MAX_DIGITS:
        return None
    marks = {char for char in token if char in ".,"}
    if not marks:
        return Decimal(token)
    last = max(token.rfind("."), token.rfind(","))
    integer, fraction = token[:last], token[last + 1 :]
    if len(marks) == 2:
        thousands = "," if token[last] == "." else "."
        if token[last] in integer or not fraction.isdigit():
            return None
        return _grouped(integer, thousands, fraction)
    (mark,) = marks
    if integer.count(mark) or len(fraction) == 3:
        return _grouped(token, mark, "")
    if len(fraction) in (1, 2) and integer.isdigit():
        return Decimal(f"{integer}.{fraction}")
    return None


def _grouped(integer: str, separator: str, fraction: str) -> Decimal | None:
    groups = integer.split(separator)
    first, rest = groups[0], groups[1:]
    well_formed = (first.isdigit() and len(first) <= 3 and not first.startswith("0")) and all(
        len(group) == 3 and group.isdigit() for group in rest
    )
    if not well_formed:
        return None
    return Decimal(f"{''.join(groups)}.{fraction}" if fraction else "".join(groups))


def _take_multiplier(tail: str) -> tuple[int, str]:
    """Split a leading multiplier word (``jt``, ``ribu``…) off ``tail``: (power of ten, rest)."""
    word = re.match(r"[^\W\d_]+", tail)
    if word and word[0] in _MULTIPLIERS:
        return _MULTIPLIERS[word[0]], tail[word.end() :].strip()
    return 0, tail


def _check_currency(marker: str, currency: str, text: str) -> None:
    key = marker[:-1] if len(marker) > 1 and marker.endswith(".") else marker  # "Rp."
    if currency in _MARKERS.get(key, frozenset()) or key == currency.lower():
        return
    problem = MoneyProblem.WRONG_CURRENCY if key in _MARKERS else MoneyProblem.NOT_A_NUMBER
    raise MoneyError(problem, text)


def _scaled(value: Decimal, power: int) -> Decimal:
    """``value`` times 10**power, written without an exponent (``1.5jt`` → ``1500000``)."""
    if not power:
        return value
    scaled = value.scaleb(power)
    return Decimal(int(scaled)) if scaled == scaled.to_integral_value() else scaled
