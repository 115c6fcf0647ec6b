"""Time zone names as people type them: IANA names, WIB/WITA/WIT, or a city alone.

Indonesians name their zones WIB, WITA and WIT (Asia/Jakarta, Asia/Makassar, Asia/Jayapura), and
"Jakarta" is what anyone would type for Asia/Jakarta. Every place a zone is read (configuration,
Slack profiles, workspace rows, `<when>` phrases) turns the name into one IANA key here, so a
zone name that zoneinfo cannot load never travels further than the place it was read.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final
from zoneinfo import available_timezones

INDONESIAN_ZONES: Final = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
FALLBACK_ZONE: Final = "Asia/Jakarta"


@lru_cache(maxsize=1)
def _keys_by_lower_name() -> dict[str, str]:
    return {key.lower(): key for key in available_timezones()}


@lru_cache(maxsize=1)
def _keys_by_city() -> dict[str, tuple[str, ...]]:
    """The last part of every key ("jakarta" for Asia/Jakarta), with every key that ends so."""
    cities: dict[str, list[str]] = {}
    for key in available_timezones():
        if "/" in key:
            cities.setdefault(key.rsplit("/", 1)[1].lower(), []).append(key)
    return {city: tuple(sorted(keys)) for city, keys in cities.items()}


@lru_cache(maxsize=256)
def canonical_zone(name: str | None) -> str | None:
    """The IANA key `name` stands for, or None when it names no zone or more than one.

    Accepted: an IANA key in any letter case (`asia/jakarta`), WIB/WITA/WIT, and a city
    (`Jakarta`, `new york`) when exactly one key ends with it.
    """
    text = (name or "").strip()
    if not text or len(text) > 64:
        return None
    lowered = text.lower()
    if lowered in INDONESIAN_ZONES:
        return INDONESIAN_ZONES[lowered]
    exact = _keys_by_lower_name().get(lowered)
    if exact is not None:
        return exact
    candidates = _keys_by_city().get(lowered.replace(" ", "_"), ())
    return candidates[0] if len(candidates) == 1 else None


def zone_or_fallback(*names: str | None) -> str:
    """The first of `names` that is a zone; the default zone when none is (a stale or odd value
    in a stored profile must not stop a member's commands)."""
    for name in names:
        zone = canonical_zone(name)
        if zone is not None:
            return zone
    return FALLBACK_ZONE
