"""Zone names as people type them become one IANA key, or nothing (never a later crash)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.timezones import FALLBACK_ZONE, canonical_zone, zone_or_fallback
from smmbot.persistence.models import SlackUser, Workspace


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("WIB", "Asia/Jakarta"),
        ("wita", "Asia/Makassar"),
        ("WIT", "Asia/Jayapura"),
        ("Jakarta", "Asia/Jakarta"),
        (" makassar ", "Asia/Makassar"),
        ("Jayapura", "Asia/Jayapura"),
        ("asia/jakarta", "Asia/Jakarta"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("UTC", "UTC"),
    ],
)
def test_names_people_type_become_iana_keys(name: str, zone: str) -> None:
    assert canonical_zone(name) == zone


@pytest.mark.parametrize("name", ["", "Mars/Base", "Eastern", "../../etc/passwd", "WITA2", None])
def test_what_names_no_zone_or_several_is_none(name: str | None) -> None:
    assert canonical_zone(name) is None


def test_the_first_loadable_name_wins_then_the_default() -> None:
    assert zone_or_fallback("Mars/Base", "WITA") == "Asia/Makassar"
    assert zone_or_fallback(None, "nowhere") == FALLBACK_ZONE


@given(st.text(max_size=80))
def test_whatever_is_returned_loads(name: str) -> None:
    zone = canonical_zone(name)
    if zone is not None:
        ZoneInfo(zone)


def test_stored_rows_keep_the_iana_key() -> None:
    assert Workspace(team_id="T1", timezone="WITA").timezone == "Asia/Makassar"
    assert SlackUser(team_id="T1", user_id="U1", timezone="Mars/Base").timezone is None
    with pytest.raises(ValueError, match="unknown time zone"):
        Workspace(team_id="T1", timezone="Mars/Base")
