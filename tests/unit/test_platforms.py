"""Platform parsing, limits and per-platform measuring."""

import dataclasses

import pytest

from smmbot.domain.platforms import (
    CHARACTER_LIMITS,
    LengthCheck,
    Platform,
    UnknownPlatformError,
    find_hashtags,
    measure,
    parse_platforms,
)


def test_platform_ids_are_the_lowercase_values() -> None:
    assert [p.value for p in Platform] == [
        "x",
        "instagram",
        "facebook",
        "linkedin",
        "threads",
        "tiktok",
    ]
    assert Platform("instagram") is Platform.INSTAGRAM
    assert isinstance(Platform.X, str)
    assert str(Platform.X) == "x"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x,instagram", [Platform.X, Platform.INSTAGRAM]),
        ("X, Instagram ,TIKTOK", [Platform.X, Platform.INSTAGRAM, Platform.TIKTOK]),
        (
            "twitter,ig,fb,li",
            [Platform.X, Platform.INSTAGRAM, Platform.FACEBOOK, Platform.LINKEDIN],
        ),
        ("ig,instagram,x,IG,twitter", [Platform.INSTAGRAM, Platform.X]),
        ("threads tiktok", [Platform.THREADS, Platform.TIKTOK]),
        ("linkedin,,  ,", [Platform.LINKEDIN]),
        ("", []),
    ],
)
def test_parse_platforms(text: str, expected: list[Platform]) -> None:
    assert parse_platforms(text) == expected


def test_parse_platforms_reports_every_unknown_name_and_the_known_ids() -> None:
    with pytest.raises(UnknownPlatformError) as caught:
        parse_platforms("x, myspace, Orkut,myspace")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.unknown == ("myspace", "Orkut")
    assert error.known == ("x", "instagram", "facebook", "linkedin", "threads", "tiktok")
    assert "myspace, Orkut" in str(error)
    assert "x, instagram, facebook" in str(error)


def test_limits() -> None:
    assert dict(CHARACTER_LIMITS) == {
        Platform.X: 280,
        Platform.INSTAGRAM: 2200,
        Platform.FACEBOOK: 63206,
        Platform.LINKEDIN: 3000,
        Platform.THREADS: 500,
        Platform.TIKTOK: 2200,
    }


def test_measure_x_uses_the_weighted_count() -> None:
    check = measure("日本語 https://toko.id/" + "a" * 300, Platform.X)
    assert check == LengthCheck(
        platform=Platform.X,
        length=6 + 1 + 23,
        limit=280,
        over_by=0,
        hashtags=0,
        hashtag_cap=None,
    )
    assert check.ok


def test_measure_reports_how_far_over() -> None:
    check = measure("a" * 505, Platform.THREADS)
    assert (check.length, check.limit, check.over_by, check.ok) == (505, 500, 5, False)
    assert measure("a" * 500, Platform.THREADS).ok


@pytest.mark.parametrize("platform", [p for p in Platform if p is not Platform.X])
def test_other_platforms_count_code_points_after_nfc(platform: Platform) -> None:
    composed = measure("Kopi café 日本 \U0001f600", platform)
    decomposed = measure("Kopi cafe\u0301 日本 \U0001f600", platform)
    assert composed.length == decomposed.length == 14
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    assert measure(family, platform).length == 7


def test_instagram_caps_hashtags() -> None:
    caption = "Kopi susu! #kopi #kopisusu #jakarta #promo #diskon"
    assert measure(caption, Platform.INSTAGRAM).ok
    over = measure(caption + " #lebaran", Platform.INSTAGRAM)
    assert (over.hashtags, over.hashtag_cap, over.over_by, over.ok) == (6, 5, 0, False)
    assert measure(caption + " #lebaran", Platform.INSTAGRAM, instagram_hashtag_cap=30).ok


def test_only_instagram_has_a_hashtag_cap() -> None:
    check = measure("#a #b #c #d #e #f #g", Platform.TIKTOK)
    assert (check.hashtags, check.hashtag_cap, check.ok) == (7, None, True)


def test_negative_hashtag_cap_is_rejected() -> None:
    with pytest.raises(ValueError, match="hashtag_cap"):
        measure("x", Platform.INSTAGRAM, instagram_hashtag_cap=-1)


def test_length_check_is_frozen() -> None:
    check = measure("hi", Platform.X)
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.length = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Promo #PromoLebaran #kopi_susu2025!", ["PromoLebaran", "kopi_susu2025"]),
        ("#日本語 #café #cafe\u0301", ["日本語", "café", "café"]),
        ("#1 #2025 #a1", ["a1"]),
        ("a#b &#39; x#y", []),
        ("#\ufe0f\u20e3 nomor", []),
        ("#a#b", []),
        ("#tag://x \uff03lebar", ["lebar"]),
        ("https://toko.id/#promo #asli", ["asli"]),
        ("toko.id/#kopi", []),
        ("(#dalam) #akhir.", ["dalam", "akhir"]),
    ],
)
def test_find_hashtags(text: str, expected: list[str]) -> None:
    assert find_hashtags(text) == expected
