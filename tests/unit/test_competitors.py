"""The competitor rules without a database: handles, and where a competitor stands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from smmbot.domain.competitors import DayReading, read_facebook, read_instagram, standing
from smmbot.rendering.competitors import competitor_list
from smmbot.rendering.i18n import Translator

TODAY = date(2026, 11, 24)


def test_handles_are_read_as_instagram_and_facebook_write_them() -> None:
    assert read_instagram("@Kopi_Kenangan.id") == "kopi_kenangan.id"
    for bad in ("@", "kopi..kenangan", ".kopi", "kopi.", "kopi kenangan", "a" * 31, "kopi!"):
        assert read_instagram(bad) is None, bad
    assert read_facebook("https://www.facebook.com/kopikenangan/") == "kopikenangan"
    assert read_facebook("facebook.com/a/b") is None


def test_a_competitor_without_readings_has_no_numbers() -> None:
    found = standing([], TODAY)
    assert not found.has_data and found.followers is None and found.growth is None


def test_growth_is_against_the_level_four_weeks_ago_or_the_first_since() -> None:
    levels = [
        DayReading(date(2026, 10, 20), "followers", Decimal(900)),
        DayReading(date(2026, 10, 27), "followers", Decimal(1000)),
        DayReading(date(2026, 11, 24), "followers", Decimal(1100)),
    ]
    found = standing(levels, TODAY)
    assert (found.followers, found.growth, found.growth_percent) == (
        Decimal(1100),
        Decimal(100),
        Decimal("10.0"),
    )
    one_day = standing(levels[-1:], TODAY)
    assert one_day.followers == 1100 and one_day.growth is None
    assert one_day.posts_per_week is None and one_day.engagement_per_post is None


def test_engagement_per_post_counts_only_days_with_posts() -> None:
    readings = [
        DayReading(date(2026, 11, 20), "posts", Decimal(2)),
        DayReading(date(2026, 11, 20), "engagements", Decimal(300)),
        DayReading(date(2026, 11, 21), "engagements", Decimal(999)),  # no posts logged that day
        DayReading(date(2026, 10, 1), "posts", Decimal(9)),  # before the four weeks
    ]
    found = standing(readings, TODAY)
    assert (found.posts_per_week, found.engagement_per_post) == (Decimal("0.5"), Decimal(150))


def test_a_handle_not_found_and_one_without_data_are_said_in_both_languages() -> None:
    rows = [("Pribadi", "someone", "not_found", standing([], TODAY))]
    rows.append(("Kopi <Senja>", "kopisenja", "found", standing([], TODAY)))
    for locale, not_found, no_data in (
        ("en", "not found", "no data yet"),
        ("id", "tidak ditemukan", "belum ada data"),
    ):
        reply = competitor_list(Translator(locale), "/smm ", rows)
        text = " ".join(str(getattr(b, "mrkdwn", "")) for b in reply.blocks)
        assert not_found in text and no_data in text
        assert "Kopi &lt;Senja&gt;" in text and "<Senja>" not in text
