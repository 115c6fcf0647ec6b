from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.reminder_lead_times import LeadTimesError, leads_ahead, parse_lead_times


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


DUE = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours_before_due", "ahead", "skipped"),
    [
        (48, [1440, 60], False),
        (2, [60], True),  # the 24 h reminder would already be in the past
        (1, [], True),  # a reminder exactly at "now" is not ahead
        (0.5, [], True),
    ],
)
def test_only_the_reminders_still_ahead_are_sent_largest_first(
    hours_before_due: float, ahead: list[int], skipped: bool
) -> None:
    now = DUE - timedelta(hours=hours_before_due)
    assert leads_ahead([60, 1440], due_at=DUE, now=now) == (ahead, skipped)


def test_no_lead_times_skip_nothing() -> None:
    assert leads_ahead([], due_at=DUE, now=DUE) == ([], False)
