"""When lead reminders come before a post is due: `24h,1h`, `2d 30m`, `24 jam, 1 jam`, `off`."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime, timedelta

_PART = re.compile(r"(\d{1,4})\s*(m|min|mins|minutes?|menit|h|hr|hrs|hours?|j|jam|d|days?|hari)")
_MINUTES = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "menit": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "j": 60,
    "jam": 60,
    "d": 1440,
    "day": 1440,
    "days": 1440,
    "hari": 1440,
}
MAX_LEAD_MINUTES = 14 * 1440
OFF_WORDS = frozenset({"off", "none", "mati", "tidak"})


class LeadTimesError(ValueError):
    """The text is not a list of durations of at most two weeks."""


def parse_lead_times(text: str) -> list[int]:
    """Minutes before the due time, largest first, without duplicates; `off` means none."""
    cleaned = text.strip().lower()
    if cleaned in OFF_WORDS:
        return []
    parts = [part for part in re.split(r"[,\s]+(?=\d)", cleaned) if part.strip()]
    minutes: set[int] = set()
    for part in parts:
        match = _PART.fullmatch(part.strip())
        if match is None:
            raise LeadTimesError(text)
        value = int(match.group(1)) * _MINUTES[match.group(2)]
        if not 0 < value <= MAX_LEAD_MINUTES:
            raise LeadTimesError(text)
        minutes.add(value)
    if not minutes:
        raise LeadTimesError(text)
    return sorted(minutes, reverse=True)


def leads_ahead(
    lead_minutes: Collection[int], *, due_at: datetime, now: datetime
) -> tuple[list[int], bool]:
    """The lead times (minutes, largest first) whose reminder is still in the future, and
    whether any were dropped for falling at or before ``now``: scheduling a post for in two
    hours sends its 1 h reminder but not its 24 h one, and the reply says so."""
    ahead = [m for m in sorted(lead_minutes, reverse=True) if due_at - timedelta(minutes=m) > now]
    return ahead, len(ahead) < len(lead_minutes)
