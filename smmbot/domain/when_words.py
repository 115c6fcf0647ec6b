"""The words of a ``<when>`` phrase in English and Indonesian, and the shapes of its numbers.

Kept apart from the reading so the vocabulary can be checked and extended in one place; the
rules that use it are in ``domain.when``.
"""

from __future__ import annotations

import re
from typing import Final

from smmbot.domain.dates import NUMERIC_DATE
from smmbot.domain.timezones import INDONESIAN_ZONES


def _names(*groups: str) -> dict[str, int]:
    """Map every spelling in each space-separated group to the group's index (Monday is 0)."""
    return {name: number for number, names in enumerate(groups) for name in names.split()}


WEEKDAYS: Final = _names(
    "monday mon senin", "tuesday tue tues selasa", "wednesday wed rabu",
    "thursday thu thur thurs kamis", "friday fri jumat", "saturday sat sabtu",
    "sunday sun minggu ahad",
)  # fmt: skip
MONTH_NAMES: Final = (
    "january jan januari", "february feb februari pebruari", "march mar maret", "april apr",
    "may mei", "june jun juni", "july jul juli", "august aug agustus agu agt ags",
    "september sep sept", "october oct oktober okt", "november nov nopember",
    "december dec desember des",
)  # fmt: skip
MONTHS: Final = _names(*MONTH_NAMES)
DAY_WORDS: Final = {"today": 0, "tonight": 0, "nanti": 0, "tomorrow": 1, "besok": 1, "lusa": 2}
PERIODS: Final = {"morning": "pagi", "afternoon": "sore", "evening": "malam", "night": "malam"}
PERIOD_DEFAULTS: Final = {"pagi": 9, "siang": 12, "sore": 15, "malam": 19}
UNITS: Final = _names(
    "minute minutes min mins menit", "hour hours hr hrs jam", "day days hari", "week weeks minggu"
)
UNIT_MINUTES: Final = (1, 60, 1440, 10080)
ZONES: Final = INDONESIAN_ZONES
CLOCK_MARKERS: Final = frozenset({"jam", "pukul", "pkl", "at"})
FILLERS: Final = frozenset(
    {"on", "at", "in", "dalam", "hari", "pada", "tanggal", "tgl", "the", "of", "dini"}
    | {"from", "now", "lagi", "later"}
)
CONNECTIVES: Final = frozenset({"on", "at", "in", "dalam", "pada", "tanggal", "tgl", "the", "of"})
"""Fillers that need a word after them: "tomorrow at" is unfinished, and in "besok at the
mall" they belong to the post text."""
RELATIVE: Final = frozenset({"next", "depan", "this", "ini"})
PHRASES: Final = (
    (re.compile(r"\bday after tomorrow\b"), "lusa"),
    (re.compile(r"\b(noon|tengah hari)\b"), "12:00"),
    (re.compile(r"\b(midnight|tengah malam)\b"), "24:00"),
    (re.compile(r"\ban? (?=(minute|hour|day|week)s?\b)"), "1 "),
    (re.compile(r"\b([ap])\.m\.?"), r"\1m"),
    (re.compile(r"(?<=[0-9]) (?=[ap]m\b)"), ""),
    (re.compile(r"jum['\u2019]at"), "jumat"),
    (re.compile(r"@"), " at "),
)
CLOCK: Final = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?([ap]m)?")
NUMBER: Final = re.compile(r"[0-9]{1,4}")
COUNT: Final = re.compile(r"[0-9]{1,3}")  # "2026 jam 14.00" is a year, not 2026 hours
ORDINAL: Final = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)")
FULL_DATE: Final = re.compile(r"[0-9]{1,4}([/-])[0-9]{1,2}\1[0-9]{1,4}")
VOCABULARY: Final = frozenset(
    {*WEEKDAYS, *MONTHS, *DAY_WORDS, *PERIODS, *PERIOD_DEFAULTS, *UNITS, *ZONES}
    | CLOCK_MARKERS
    | FILLERS
    | RELATIVE
    | {"noon", "midnight", "am", "pm", "a.m", "p.m", "a", "an"}
    | {"after", "tengah", "@", "jum'at", "jum\u2019at"}
)


def is_calendar_number(word: str) -> bool:
    """A day, year or numeric date: ``3``, ``3rd``, ``2026``, ``3/12``, ``25/12/2026``."""
    return any(pattern.fullmatch(word) for pattern in (NUMBER, ORDINAL, NUMERIC_DATE))


def tokens(text: str) -> list[str]:
    """The phrase's words, lower-cased, with multi-word phrases ("day after tomorrow",
    "tengah malam", "9 pm") rewritten to the single words the reader knows."""
    lowered = " ".join(text.lower().split())
    for pattern, replacement in PHRASES:
        lowered = pattern.sub(replacement, lowered)
    return [word for word in (raw.rstrip(".") for raw in re.split(r"[\s,]+", lowered)) if word]
