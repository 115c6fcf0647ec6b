"""Reading the ``<when>`` of ``/smm schedule <when> <post text…>`` in English and Indonesian.

dateparser alone misreads Indonesian ("besok jam 9" comes back as 10:00, "lusa pukul 14.00" as
nothing) and silently drops a time after a day word ("tomorrow 14.30" is 09:00), so a small
grammar here (words in ``when_words``, classified in ``when_reading``, resolved in
``when_resolve``) reads time of day, day words, weekdays and relative offsets, and dateparser reads
what it is good at: calendar dates ("Dec 3", "3 Desember 2026", "3/12"). The rules:

* clock times: ``14:00``, ``14.30``, ``9am``, ``9 pm``, ``jam 9``, ``pukul 14.00``, ``at 9``,
  ``noon``/``tengah hari``, ``midnight``/``tengah malam`` (end of that day). A bare hour is the
  24-hour clock (``jam 3`` is 03:00) unless a day-part word says otherwise, as Indonesians use
  them: ``pagi`` 0-11 (unchanged), ``siang`` 11-15 (``jam 1 siang`` 13:00), ``sore`` 15-18
  (``jam 3 sore`` 15:00), ``malam`` 18-06 (``jam 8 malam`` 20:00, ``jam 12 malam`` 24:00,
  ``jam 1 malam`` 01:00 the next day); morning/afternoon/evening/tonight map onto them. A
  day-part alone means 09:00, 12:00, 15:00 or 19:00.
* no clock time at all: 09:00 local (``tomorrow``, ``2026-12-01``, ``senin``).
* only a clock time: today if still ahead, else tomorrow. A weekday: its next date whose time
  is still ahead (today included); with next/depan, today excluded; ``senin minggu depan`` /
  ``next week`` use next Monday-to-Sunday week.
* ``in 2 hours`` / ``2 jam lagi`` / ``30 menit lagi`` are elapsed time from ``now``; offsets in
  whole days or weeks (``3 hari lagi``) move the calendar date and keep the 09:00 default.
* calendar dates are day-first (``3/12`` is 3 December, ``25/12/2026``, ``25-12-2026``,
  ``2026-12-25``); numeric ones are read by ``domain.dates``, so ``12/25/2026`` and a
  two-digit year are UNREADABLE (with the date reader's reason), never re-read month first;
  a date without a year is its next occurrence on or after today. ``WIB``/``WITA``/``WIT``
  read the phrase in that zone.
* a moment more than ten years ahead is UNREADABLE (a typo, and beyond what can be planned).
* words that name different days ("tomorrow monday" when tomorrow is Tuesday) are UNREADABLE.
* local times that do not exist or occur twice at a DST change use zoneinfo's ``fold=0``, then
  a round trip through UTC: 02:30 on a spring-forward night becomes 03:30, and 01:30 on a
  fall-back night is the first (summer-time) 01:30.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from smmbot.domain import when_words as vocab
from smmbot.domain.when_reading import WhenError, WhenProblem, clock, read_words
from smmbot.domain.when_resolve import DEFAULT_TIME, resolve

__all__ = ["DEFAULT_TIME", "MAX_AHEAD", "WhenError", "WhenProblem", "parse_when", "split_when"]

MAX_AHEAD: Final = timedelta(days=3653)
"""Ten years: a post planned further ahead is a typo, and a moment near the end of the calendar
(year 9999) would overflow the reminder and missed-post times counted from it."""

MAX_WHEN_WORDS: Final = 5
_MAX_LENGTH: Final = 120


def parse_when(text: str, *, now: datetime, timezone: str) -> datetime:
    """Read ``text`` as a moment after ``now`` (aware); return it in ``timezone`` (IANA name)."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if len(text) > _MAX_LENGTH:
        raise WhenError(WhenProblem.UNREADABLE, text)
    reading = read_words(vocab.tokens(text), text)
    zone = ZoneInfo(reading.zone or timezone)
    try:
        moment = resolve(reading, now, zone, text).astimezone(ZoneInfo(timezone))
    except OverflowError:
        raise WhenError(WhenProblem.UNREADABLE, text) from None
    if moment - now > MAX_AHEAD:
        raise WhenError(WhenProblem.UNREADABLE, text)
    if moment <= now:
        raise WhenError(WhenProblem.PAST, text, when=moment)
    return moment


def split_when(words: Sequence[str], *, now: datetime, timezone: str) -> tuple[datetime, list[str]]:
    """Split ``/smm schedule`` words into (moment, post words).

    A quoted first word ("tomorrow 9am") is the whole ``<when>``. Otherwise the ``<when>`` is
    the longest prefix of at most five date/time words that parses, ending early at a
    capitalised word or bare number after a clock time (AM/PM and WIB/WITA/WIT excepted) and
    at a capitalised day word or weekday after a day word, because post text often starts
    "Monday Madness", "Jumat Berkah" or "10 new flavours". The longest readable prefix
    decides: if it is in the past that is the error, not a shorter reading. When no prefix
    reads, a refused numeric date (``12/25/2026``) is the error, since it says why.
    """
    if words and len(words[0].split()) > 1:
        return parse_when(words[0], now=now, timezone=timezone), list(words[1:])
    limit = _prefix_limit(words)
    bad_date: WhenError | None = None
    for size in range(limit, 0, -1):
        try:
            moment = parse_when(" ".join(words[:size]), now=now, timezone=timezone)
        except WhenError as error:
            if error.problem is WhenProblem.PAST:
                raise
            bad_date = bad_date or (error if error.date_error else None)
            continue
        return moment, list(words[size:])
    raise bad_date or WhenError(WhenProblem.UNREADABLE, " ".join(words[: max(limit, 1)]))


def _prefix_limit(phrase: Sequence[str]) -> int:
    """How many leading words may belong to the ``<when>`` (see ``split_when``)."""
    seen_clock = seen_day = False
    previous = ""
    for index, raw in enumerate(phrase[:MAX_WHEN_WORDS]):
        word = raw.lower().rstrip(".,")
        known = word in vocab.VOCABULARY or vocab.is_calendar_number(word)
        if not (known or vocab.CLOCK.fullmatch(word)):
            return index
        capital = raw[:1].isupper() and word not in ("am", "pm", *vocab.ZONES)
        day_name = word in vocab.WEEKDAYS or word in vocab.DAY_WORDS
        number = vocab.NUMBER.fullmatch(word)
        if (seen_clock and (capital or number)) or (seen_day and capital and day_name):
            return index
        seen_clock |= word in ("am", "pm", "noon", "midnight") or (
            clock(word, bare=previous in vocab.CLOCK_MARKERS) is not None
        )
        seen_day |= day_name or bool(vocab.FULL_DATE.fullmatch(word))
        previous = word
    return min(len(phrase), MAX_WHEN_WORDS)
