"""Reading `/smm schedule <when>` in English and Indonesian, in several zones, across DST."""

import contextlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.dates import DateProblem
from smmbot.domain.when import WhenError, WhenProblem, parse_when, split_when

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
"""Tuesday 24 November 2026: 09:00 WIB, 10:00 WITA, 11:00 WIT, 03:00 in Berlin, and Monday
21:00 in New York."""

JAKARTA, MAKASSAR, JAYAPURA = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
NEW_YORK, BERLIN = "America/New_York", "Europe/Berlin"


Moment = tuple[int, int, int, int, int]


def local(zone: str, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        ("tomorrow 9am", (2026, 11, 25, 9, 0)),
        ("next monday 10am", (2026, 11, 30, 10, 0)),
        ("in 2 hours", (2026, 11, 24, 11, 0)),
        ("in an hour", (2026, 11, 24, 10, 0)),
        ("friday 15:30", (2026, 11, 27, 15, 30)),
        ("Dec 3 14:00", (2026, 12, 3, 14, 0)),
        ("Dec 3rd, 2026 2pm", (2026, 12, 3, 14, 0)),
        ("3/12 10:00", (2026, 12, 3, 10, 0)),
        ("Jan 5", (2027, 1, 5, 9, 0)),
        ("24 nov 10:00", (2026, 11, 24, 10, 0)),
        ("2026-12-01 10:00", (2026, 12, 1, 10, 0)),
        ("2026-12-01", (2026, 12, 1, 9, 0)),
        ("10:00", (2026, 11, 24, 10, 0)),
        ("08:00", (2026, 11, 25, 8, 0)),
        ("09:00", (2026, 11, 25, 9, 0)),
        ("tomorrow", (2026, 11, 25, 9, 0)),
        ("tomorrow 14.30", (2026, 11, 25, 14, 30)),
        ("tomorrow at 9", (2026, 11, 25, 9, 0)),
        ("tomorrow 9 p.m.", (2026, 11, 25, 21, 0)),
        ("tomorrow morning", (2026, 11, 25, 9, 0)),
        ("tomorrow at 3 in the afternoon", (2026, 11, 25, 15, 0)),
        ("tonight", (2026, 11, 24, 19, 0)),
        ("tonight at 8", (2026, 11, 24, 20, 0)),
        ("12pm", (2026, 11, 24, 12, 0)),
        ("12am", (2026, 11, 25, 0, 0)),
        ("midnight", (2026, 11, 25, 0, 0)),
        ("tuesday 10am", (2026, 11, 24, 10, 0)),
        ("tuesday 8am", (2026, 12, 1, 8, 0)),
        ("this friday 10am", (2026, 11, 27, 10, 0)),
        ("next tuesday", (2026, 12, 1, 9, 0)),
        ("next week", (2026, 12, 1, 9, 0)),
        ("the day after tomorrow at noon", (2026, 11, 26, 12, 0)),
        ("in 2 days", (2026, 11, 26, 9, 0)),
        ("in 2 hours 30 minutes", (2026, 11, 24, 11, 30)),
        ("@ 9 pm", (2026, 11, 24, 21, 0)),
        # Bahasa Indonesia
        ("besok jam 9", (2026, 11, 25, 9, 0)),
        ("Besok Jam 9", (2026, 11, 25, 9, 0)),
        ("besok pukul 14.00", (2026, 11, 25, 14, 0)),
        ("besok pkl. 14.00", (2026, 11, 25, 14, 0)),
        ("lusa jam 10 pagi", (2026, 11, 26, 10, 0)),
        ("lusa pukul 14.00", (2026, 11, 26, 14, 0)),
        ("senin 10:00", (2026, 11, 30, 10, 0)),
        ("hari senin jam 10", (2026, 11, 30, 10, 0)),
        ("jumat jam 3 sore", (2026, 11, 27, 15, 0)),
        ("jum'at jam 10", (2026, 11, 27, 10, 0)),
        ("Jum\u2019at jam 10", (2026, 11, 27, 10, 0)),
        ("minggu 10:00", (2026, 11, 29, 10, 0)),
        ("ahad 10:00", (2026, 11, 29, 10, 0)),
        ("nanti malam jam 8", (2026, 11, 24, 20, 0)),
        ("malam ini jam 9", (2026, 11, 24, 21, 0)),
        ("nanti malam", (2026, 11, 24, 19, 0)),
        ("2 jam lagi", (2026, 11, 24, 11, 0)),
        ("30 menit lagi", (2026, 11, 24, 9, 30)),
        ("2 menit lagi", (2026, 11, 24, 9, 2)),
        ("dalam 1 jam 30 menit", (2026, 11, 24, 10, 30)),
        ("3 hari lagi jam 10", (2026, 11, 27, 10, 0)),
        ("2 minggu lagi", (2026, 12, 8, 9, 0)),
        ("hari ini jam 16.30", (2026, 11, 24, 16, 30)),
        ("jam 1 siang", (2026, 11, 24, 13, 0)),
        ("jam 11 siang", (2026, 11, 24, 11, 0)),
        ("besok sore", (2026, 11, 25, 15, 0)),
        ("besok siang", (2026, 11, 25, 12, 0)),
        ("besok jam 6 sore", (2026, 11, 25, 18, 0)),
        ("jam 12 malam", (2026, 11, 25, 0, 0)),
        ("tengah malam", (2026, 11, 25, 0, 0)),
        ("besok tengah hari", (2026, 11, 25, 12, 0)),
        ("besok jam 1 malam", (2026, 11, 26, 1, 0)),
        ("jam 2 dini hari", (2026, 11, 25, 2, 0)),
        ("besok jam 15 sore", (2026, 11, 25, 15, 0)),
        ("jam 3", (2026, 11, 25, 3, 0)),
        ("selasa depan", (2026, 12, 1, 9, 0)),
        ("minggu depan", (2026, 12, 1, 9, 0)),
        ("senin minggu depan jam 10", (2026, 11, 30, 10, 0)),
        ("rabu minggu depan", (2026, 12, 2, 9, 0)),
        ("3 desember 2026 jam 14.00", (2026, 12, 3, 14, 0)),
        ("tanggal 3 des pukul 8 malam", (2026, 12, 3, 20, 0)),
        ("1 agt 2027", (2027, 8, 1, 9, 0)),
        ("besok rabu", (2026, 11, 25, 9, 0)),
        ("besok jam 9 WITA", (2026, 11, 25, 8, 0)),
        ("besok jam 9 wit", (2026, 11, 25, 7, 0)),
    ],
)
def test_jakarta(text: str, expected: Moment) -> None:
    moment = parse_when(text, now=NOW, timezone=JAKARTA)
    assert moment == local(JAKARTA, *expected)
    assert moment.tzinfo == ZoneInfo(JAKARTA)


@pytest.mark.parametrize(
    ("zone", "text", "expected"),
    [
        (MAKASSAR, "besok jam 9", (2026, 11, 25, 9, 0)),
        (MAKASSAR, "10:00", (2026, 11, 25, 10, 0)),  # now exactly: not ahead, so tomorrow
        (MAKASSAR, "10:01", (2026, 11, 24, 10, 1)),
        (MAKASSAR, "hari ini jam 16.30", (2026, 11, 24, 16, 30)),
        (JAYAPURA, "nanti malam jam 8", (2026, 11, 24, 20, 0)),
        (JAYAPURA, "senin 10:00", (2026, 11, 30, 10, 0)),
        (JAYAPURA, "jam 9 WIB", (2026, 11, 25, 11, 0)),
        (JAYAPURA, "2 jam lagi", (2026, 11, 24, 13, 0)),
        (NEW_YORK, "tomorrow 9am", (2026, 11, 24, 9, 0)),
        (NEW_YORK, "22:00", (2026, 11, 23, 22, 0)),
        (NEW_YORK, "20:00", (2026, 11, 24, 20, 0)),
        (NEW_YORK, "monday 10am", (2026, 11, 30, 10, 0)),
        (NEW_YORK, "in 2 hours", (2026, 11, 23, 23, 0)),
        (NEW_YORK, "Dec 3 14:00", (2026, 12, 3, 14, 0)),
        (BERLIN, "besok jam 9", (2026, 11, 25, 9, 0)),
        (BERLIN, "today 8am", (2026, 11, 24, 8, 0)),
        (BERLIN, "friday 3pm", (2026, 11, 27, 15, 0)),
    ],
)
def test_other_zones(zone: str, text: str, expected: Moment) -> None:
    assert parse_when(text, now=NOW, timezone=zone) == local(zone, *expected)


@pytest.mark.parametrize(
    "text",
    ["today 8am", "hari ini jam 8", "2026-11-01 10:00", "30 nov 2025", "0 menit lagi", "today"],
)
def test_past_is_refused_with_the_moment(text: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, now=NOW, timezone=JAKARTA)
    assert caught.value.problem is WhenProblem.PAST
    assert caught.value.text == text
    assert caught.value.when is not None
    assert caught.value.when <= NOW


@pytest.mark.parametrize(
    "text",
    [
        "",
        "banana",
        "jam",
        "next",
        "3",
        "dec",
        "jam 25",
        "25:00",
        "9:60",
        "13pm",
        "2026-02-30",
        "tomorrow monday",  # tomorrow is a Wednesday
        "besok 3 dec",
        "in 2 hours tomorrow",
        "tomorrow 9am 10am",
        "senin selasa",
        "tomorrow at",
        "besok pada",
        "31/2",
        "x" * 200,
    ],
)
def test_unreadable(text: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, now=NOW, timezone=JAKARTA)
    assert caught.value.problem is WhenProblem.UNREADABLE
    assert caught.value.text == text
    assert isinstance(caught.value, ValueError)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("besok", now=datetime(2026, 11, 24, 9), timezone=JAKARTA)


@pytest.mark.parametrize(
    ("zone", "text", "expected_local", "expected_utc"),
    [
        # 02:30 does not exist on spring-forward nights: fold=0 reads it with the old offset.
        (NEW_YORK, "2026-03-08 02:30", (2026, 3, 8, 3, 30), (2026, 3, 8, 7, 30)),
        (BERLIN, "2026-03-29 02:30", (2026, 3, 29, 3, 30), (2026, 3, 29, 1, 30)),
        # 01:30 / 02:30 happen twice on fall-back nights: fold=0 is the first (summer time).
        (NEW_YORK, "2026-11-01 01:30", (2026, 11, 1, 1, 30), (2026, 11, 1, 5, 30)),
        (BERLIN, "2026-10-25 02:30", (2026, 10, 25, 2, 30), (2026, 10, 25, 0, 30)),
    ],
)
def test_dst_gaps_and_overlaps_are_deterministic(
    zone: str, text: str, expected_local: Moment, expected_utc: Moment
) -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    moment = parse_when(text, now=now, timezone=zone)
    assert moment.replace(tzinfo=None) == datetime(*expected_local)
    assert moment.astimezone(UTC) == datetime(*expected_utc, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day_before", "hours"),
    [
        (NEW_YORK, (2026, 3, 7), 23),
        (NEW_YORK, (2026, 10, 31), 25),
        (BERLIN, (2026, 3, 28), 23),
        (BERLIN, (2026, 10, 24), 25),
        (JAKARTA, (2026, 3, 7), 24),
    ],
)
def test_tomorrow_keeps_the_wall_clock_across_dst(
    zone: str, day_before: tuple[int, int, int], hours: int
) -> None:
    nine_today = local(zone, *day_before, 9, 0)
    now = (nine_today + timedelta(minutes=30)).astimezone(UTC)
    for text in ("tomorrow 09:00", "besok jam 9", "tomorrow"):
        moment = parse_when(text, now=now, timezone=zone)
        assert (moment.hour, moment.minute) == (9, 0)
        assert moment.astimezone(UTC) - nine_today.astimezone(UTC) == timedelta(hours=hours)


def test_hours_from_now_are_elapsed_time_across_dst() -> None:
    now = local(NEW_YORK, 2026, 3, 8, 1, 30).astimezone(UTC)
    moment = parse_when("in 2 hours", now=now, timezone=NEW_YORK)
    assert moment.astimezone(UTC) - now == timedelta(hours=2)
    assert (moment.hour, moment.minute) == (4, 30)


@pytest.mark.parametrize(
    ("words", "expected", "rest"),
    [
        ("tomorrow 9am New menu is here!", (2026, 11, 25, 9, 0), "New menu is here!"),
        ("besok jam 9 promo", (2026, 11, 25, 9, 0), "promo"),
        ("tomorrow 9am Monday Madness sale", (2026, 11, 25, 9, 0), "Monday Madness sale"),
        ("senin 10:00 10 menu baru", (2026, 11, 30, 10, 0), "10 menu baru"),
        ("tomorrow 10 new items", (2026, 11, 25, 9, 0), "10 new items"),
        ("Dec 3 14:00 New menu", (2026, 12, 3, 14, 0), "New menu"),
        ("2026-12-01 10:00 launch", (2026, 12, 1, 10, 0), "launch"),
        ("Monday 10 am sale", (2026, 11, 30, 10, 0), "sale"),
        ("jam 9 WIB Promo", (2026, 11, 25, 9, 0), "Promo"),
        ("jumat jam 3 sore Jumat Berkah", (2026, 11, 27, 15, 0), "Jumat Berkah"),
        ("in 2 hours Flash sale", (2026, 11, 24, 11, 0), "Flash sale"),
        ("2 jam lagi diskon", (2026, 11, 24, 11, 0), "diskon"),
        ("besok at the mall", (2026, 11, 25, 9, 0), "at the mall"),
        ("lusa", (2026, 11, 26, 9, 0), ""),
    ],
)
def test_split_when(words: str, expected: Moment, rest: str) -> None:
    moment, remaining = split_when(words.split(), now=NOW, timezone=JAKARTA)
    assert moment == local(JAKARTA, *expected)
    assert " ".join(remaining) == rest


def test_split_when_a_quoted_when_is_one_word() -> None:
    moment, remaining = split_when(["next friday 10:00", "Hi"], now=NOW, timezone=JAKARTA)
    assert moment == local(JAKARTA, 2026, 11, 27, 10, 0)
    assert remaining == ["Hi"]
    with pytest.raises(WhenError) as caught:
        split_when(["sometime soon", "Hi"], now=NOW, timezone=JAKARTA)
    assert caught.value.text == "sometime soon"


def test_split_when_stops_at_a_capitalised_day_after_a_day_word() -> None:
    thursday = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    _, remaining = split_when(["besok", "Jumat", "Berkah"], now=thursday, timezone=JAKARTA)
    assert remaining == ["Jumat", "Berkah"]
    moment, remaining = split_when(
        ["besok", "jumat", "jam", "10", "promo"], now=thursday, timezone=JAKARTA
    )
    assert (moment.day, moment.hour, remaining) == (27, 10, ["promo"])
    sunday = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    _, remaining = split_when(
        ["tomorrow", "9am", "Monday", "Madness"], now=sunday, timezone=JAKARTA
    )
    assert remaining == ["Monday", "Madness"]


def test_split_when_reads_at_most_five_words() -> None:
    moment, remaining = split_when(
        ["the", "day", "after", "tomorrow", "at", "10:00", "hi"], now=NOW, timezone=JAKARTA
    )
    assert moment == local(JAKARTA, 2026, 11, 26, 9, 0)
    assert remaining == ["at", "10:00", "hi"]


@pytest.mark.parametrize("words", [[], ["hello", "world"], ["3", "tips", "jualan"], ["jam", "X"]])
def test_split_when_unreadable(words: list[str]) -> None:
    with pytest.raises(WhenError) as caught:
        split_when(words, now=NOW, timezone=JAKARTA)
    assert caught.value.problem is WhenProblem.UNREADABLE


def test_split_when_past_beats_a_shorter_reading() -> None:
    with pytest.raises(WhenError) as caught:
        split_when(["today", "8am", "hello"], now=NOW, timezone=JAKARTA)
    assert caught.value.problem is WhenProblem.PAST
    assert caught.value.text == "today 8am"


_WORDS = st.sampled_from(
    [
        "tomorrow",
        "besok",
        "lusa",
        "today",
        "tonight",
        "nanti",
        "malam",
        "pagi",
        "siang",
        "sore",
        "jam",
        "pukul",
        "at",
        "in",
        "next",
        "depan",
        "this",
        "ini",
        "minggu",
        "senin",
        "Monday",
        "jumat",
        "hari",
        "lagi",
        "menit",
        "hours",
        "days",
        "a",
        "an",
        "9",
        "10",
        "24",
        "2026",
        "9am",
        "14.30",
        "10:00",
        "12pm",
        "2026-12-01",
        "9999-12-31",
        "3/12",
        "31/2",
        "3rd",
        "dec",
        "desember",
        "WIB",
        "noon",
        "midnight",
        "Madness",
        "x",
    ]
)
_ZONES = st.sampled_from([JAKARTA, MAKASSAR, JAYAPURA, NEW_YORK, BERLIN])


@given(st.text(max_size=40), _ZONES)
def test_parse_when_on_any_text_raises_only_when_error(text: str, zone: str) -> None:
    try:
        moment = parse_when(text, now=NOW, timezone=zone)
    except WhenError:
        return
    assert moment > NOW


@given(st.lists(_WORDS, max_size=7), _ZONES)
def test_split_when_on_date_like_words(words: list[str], zone: str) -> None:
    try:
        moment, remaining = split_when(words, now=NOW, timezone=zone)
    except WhenError:
        return
    assert moment > NOW
    assert moment.tzinfo == ZoneInfo(zone)
    assert 1 <= len(words) - len(remaining) <= 5
    assert words[len(words) - len(remaining) :] == remaining


@given(st.lists(st.text(max_size=12), max_size=6))
def test_split_when_on_any_words_raises_only_when_error(words: list[str]) -> None:
    with contextlib.suppress(WhenError):
        split_when(words, now=NOW, timezone=JAKARTA)


@pytest.mark.parametrize("text", ["9999-12-31 23:59", "2040-01-01 09:00", "31/12/9999"])
def test_a_moment_more_than_ten_years_ahead_is_unreadable(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_when(text, now=NOW, timezone="Asia/Jakarta")
    assert error.value.problem is WhenProblem.UNREADABLE


def test_nine_years_ahead_is_still_a_moment() -> None:
    assert parse_when("2035-11-24 09:00", now=NOW, timezone="Asia/Jakarta").year == 2035


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/12/2026 10:00", (2026, 12, 25, 10, 0)),
        ("25-12-2026 jam 10", (2026, 12, 25, 10, 0)),
        ("03/04/2027 09:00", (2027, 4, 3, 9, 0)),  # 3 April: day first
        ("25/12", (2026, 12, 25, 9, 0)),
        ("29/02 10:00", (2028, 2, 29, 10, 0)),  # the next 29 February
    ],
)
def test_numeric_dates_are_day_first(text: str, expected: Moment) -> None:
    assert parse_when(text, now=NOW, timezone=JAKARTA) == local(JAKARTA, *expected)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("12/25/2026 10:00", DateProblem.MONTH_FIRST),  # refused, never re-read as 25 December
        ("12/25 10:00", DateProblem.MONTH_FIRST),
        ("03/04/27 10:00", DateProblem.SHORT_YEAR),
        ("31/02/2027", DateProblem.NO_SUCH_DAY),
    ],
)
def test_refused_numeric_dates_say_why(text: str, problem: DateProblem) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, now=NOW, timezone=JAKARTA)
    assert caught.value.problem is WhenProblem.UNREADABLE
    assert caught.value.date_error is not None and caught.value.date_error.problem is problem


def test_split_when_reports_the_refused_date_not_a_shorter_reading() -> None:
    with pytest.raises(WhenError) as caught:
        split_when(["12/25/2026", "10:00", "Promo", "Natal"], now=NOW, timezone=JAKARTA)
    assert caught.value.date_error is not None
    assert caught.value.date_error.problem is DateProblem.MONTH_FIRST
    moment, rest = split_when(["05/12/2026", "Jumat", "Berkah"], now=NOW, timezone=JAKARTA)
    assert (moment, rest) == (local(JAKARTA, 2026, 12, 5, 9, 0), ["Jumat", "Berkah"])
