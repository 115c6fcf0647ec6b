"""Reading repeating `<when>` phrases in English and Indonesian, and their moments in local
wall-clock time across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from smmbot.domain.recurring import (
    WORKDAYS,
    Recurrence,
    RecurrenceError,
    Unit,
    first_day,
    moments,
    parse_recurrence,
    split_repeat,
    starts_repeat,
)

WEEK, DAY = Unit.WEEK, Unit.DAY


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("every monday 9am", Recurrence(1, WEEK, (0,), 540)),
        ("every day 7pm", Recurrence(1, DAY, (), 1140)),
        ("every weekday 8:00", Recurrence(1, DAY, WORKDAYS, 480)),
        ("every 2 weeks on friday 10:00", Recurrence(2, WEEK, (4,), 600)),
        ("every other friday", Recurrence(2, WEEK, (4,), 540)),
        ("every monday, thursday at 9:30", Recurrence(1, WEEK, (0, 3), 570)),
        ("every 3 days", Recurrence(3, DAY, (), 540)),
        ("every week", Recurrence(1, WEEK, (), 540)),
        ("each day noon", Recurrence(1, DAY, (), 720)),
        ("setiap senin jam 9", Recurrence(1, WEEK, (0,), 540)),
        ("tiap hari jam 7 malam", Recurrence(1, DAY, (), 1140)),
        ("setiap hari kerja jam 8", Recurrence(1, DAY, WORKDAYS, 480)),
        ("setiap senin dan kamis pukul 10.30", Recurrence(1, WEEK, (0, 3), 630)),
        ("setiap 2 minggu hari jumat jam 10", Recurrence(2, WEEK, (4,), 600)),
        ("setiap hari minggu pagi", Recurrence(1, WEEK, (6,), 540)),
        ("setiap Minggu jam 9", Recurrence(1, WEEK, (6,), 540)),
        ("setiap minggu jam 9", Recurrence(1, WEEK, (), 540)),
        ("tiap jumat jam 3 sore", Recurrence(1, WEEK, (4,), 900)),
        ("tiap hari jam 1 malam", Recurrence(1, DAY, (), 60)),
        ("setiap senin jam 1 malam", Recurrence(1, WEEK, (1,), 60)),
    ],
)
def test_phrases_in_english_and_indonesian(text: str, rule: Recurrence) -> None:
    assert parse_recurrence(text).rule == rule


def test_a_zone_word_names_the_series_zone() -> None:
    assert parse_recurrence("setiap senin jam 9 WITA").zone == "Asia/Makassar"


@pytest.mark.parametrize(
    "text",
    [
        "every",
        "every blah",
        "every 2 days on monday",
        "every tomorrow 9am",
        "setiap jam 9",
        "every monday next week",
        "every monday 2026-12-01",
        "every 0 days",
        "every 100 weeks",
        "every monday 25:00",
        "tomorrow 9am",
    ],
)
def test_unreadable_repeats_are_refused(text: str) -> None:
    with pytest.raises(RecurrenceError):
        parse_recurrence(text)


def test_split_stops_where_the_post_text_starts() -> None:
    phrase, rest = split_repeat(["every", "monday", "9am", "Monday", "Madness"])
    assert phrase.rule == Recurrence(1, WEEK, (0,), 540) and rest == ["Monday", "Madness"]
    phrase, rest = split_repeat(["setiap", "senin", "jam", "9", "Promo", "kopi"])
    assert phrase.text == "setiap senin jam 9" and rest == ["Promo", "kopi"]
    phrase, rest = split_repeat(["every day 7pm", "Hello"])
    assert phrase.rule.unit is DAY and rest == ["Hello"]
    assert starts_repeat(["Setiap hari"]) and not starts_repeat(["tomorrow"])
    with pytest.raises(RecurrenceError):
        split_repeat(["every", "blah", "text"])


NEW_YORK = ZoneInfo("America/New_York")


def test_wall_clock_time_is_kept_across_the_spring_change() -> None:
    rule = parse_recurrence("every monday 9am").rule
    now = datetime(2027, 3, 2, 12, tzinfo=UTC)  # Tuesday; DST starts Sunday 14 March
    start = first_day(rule, now=now, zone=NEW_YORK)
    assert start == date(2027, 3, 8)
    found = list(islice(moments(rule, start=start, zone=NEW_YORK, after=now), 3))
    assert [moment.astimezone(UTC).hour for moment in found] == [14, 13, 13]
    assert {moment.astimezone(NEW_YORK).hour for moment in found} == {9}


def test_count_and_until_end_the_series() -> None:
    rule = parse_recurrence("every day 10:00").rule
    zone = ZoneInfo("Asia/Jakarta")
    now = datetime(2026, 11, 24, 2, tzinfo=UTC)
    start = first_day(rule, now=now, zone=zone)
    assert start == date(2026, 11, 24)  # 10:00 WIB is still ahead at 09:00 WIB
    counted = list(moments(rule, start=start, zone=zone, after=now, count=3))
    assert len(counted) == 3
    later = counted[0]
    assert len(list(moments(rule, start=start, zone=zone, after=later, count=3))) == 2
    until = list(moments(rule, start=start, zone=zone, after=now, until=date(2026, 11, 30)))
    assert [moment.astimezone(zone).day for moment in until] == [24, 25, 26, 27, 28, 29, 30]


def test_every_other_week_skips_a_week() -> None:
    rule = parse_recurrence("every 2 weeks on friday 10:00").rule
    zone = ZoneInfo("Europe/Berlin")
    now = datetime(2027, 3, 15, 12, tzinfo=UTC)
    start = first_day(rule, now=now, zone=zone)
    found = [
        m.astimezone(zone) for m in islice(moments(rule, start=start, zone=zone, after=now), 3)
    ]
    assert [moment.date() for moment in found] == [
        date(2027, 3, 19),
        date(2027, 4, 2),
        date(2027, 4, 16),
    ]
    assert {moment.hour for moment in found} == {10}  # Berlin changes on 28 March
