from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.reminder_lead_times import LeadTimesError, parse_lead_times


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("24h,1h", [1440, 60]),
        ("2d 30m", [2880, 30]),
        ("24 jam, 1 jam", [1440, 60]),
        ("1h, 1h", [60]),
        ("30menit", [30]),
        ("off", []),
        ("MATI", []),
    ],
)
def test_durations_in_both_languages(text: str, minutes: list[int]) -> None:
    assert parse_lead_times(text) == minutes


@pytest.mark.parametrize("text", ["", "x", "0h", "15d", "1h, soon"])
def test_nonsense_and_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(LeadTimesError):
        parse_lead_times(text)


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_its_own_error(text: str) -> None:
    with contextlib.suppress(LeadTimesError):
        assert all(0 < minutes <= 14 * 1440 for minutes in parse_lead_times(text))
