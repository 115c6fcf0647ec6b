"""X's weighted length: the cases people hit when writing Indonesian promos, and a fuzz."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.x_count import x_weighted_length
from smmbot.domain.x_urls import find_urls

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("hello", 5, id="latin"),
        pytest.param("a" * 280, 280, id="exactly-280"),
        pytest.param("Harga Rp50.000, gratis ongkir!", 30, id="indonesian"),
        pytest.param("日本語", 6, id="cjk"),
        pytest.param("café", 4, id="accent-composed"),
        pytest.param("cafe\u0301", 4, id="accent-decomposed"),
        pytest.param("\u201cKopi\u201d \u2013 enak", 13, id="light-general-punctuation"),
        pytest.param("", 0, id="empty"),
        pytest.param(" \n\t ", 0, id="blank"),
    ],
)
def test_characters_weigh_one_or_two(text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("\U0001f600", 2, id="grinning"),
        pytest.param(FAMILY, 2, id="zwj-family"),
        pytest.param("\U0001f44d\U0001f3fd", 2, id="skin-tone"),
        pytest.param("\U0001f1ee\U0001f1e9", 2, id="flag-indonesia"),
        pytest.param("#\ufe0f\u20e3", 2, id="keycap"),
        pytest.param("1\u20e3", 2, id="keycap-without-vs16"),
        pytest.param("\u2764\ufe0f", 2, id="heart-vs16"),
        pytest.param("\u00a9", 1, id="copyright-as-text"),
        pytest.param("\u00a9\ufe0f", 2, id="copyright-as-emoji"),
        pytest.param("\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 2),
        pytest.param("\U0001f9d1\u200d\U0001f9d1\u200d\U0001f9d2", 2, id="newer-than-unicode-12"),
        pytest.param("H\U0001f431\u263a" + FAMILY, 7, id="mixed"),
        pytest.param(FAMILY * 140, 280, id="140-families-fit"),
    ],
)
def test_each_emoji_sequence_weighs_two(text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("https://example.com/a-very-long-path/that/goes/on/and/on?x=1", 23),
        pytest.param("Baca: https://a.co", 6 + 23, id="short-url-still-23"),
        pytest.param("Promo 50%! cek toko.com", 15 + 23, id="schemeless-gtld"),
        pytest.param("toko.id", 23, id="schemeless-cctld"),
        pytest.param("www.toko.co.id/promo?ref=ig", 23, id="schemeless-second-level"),
        pytest.param("(https://toko.id/kopi)", 2 + 23, id="in-parentheses"),
        pytest.param("https://toko.id dan https://toko.id/b", 23 + 5 + 23, id="two-urls"),
        pytest.param("Cek https://toko.id/kopi.", 4 + 23 + 1, id="final-period-is-text"),
        pytest.param("email: halo@toko.com", 20, id="email-is-not-a-url"),
        pytest.param("toko.photography", 16, id="tld-outside-the-subset"),
        pytest.param("a" * 64 + ".com", 68, id="label-over-63-is-not-a-url"),
    ],
)
def test_every_url_weighs_23(text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected


def test_find_urls_returns_spans_in_order() -> None:
    text = "Baca https://toko.id/a lalu toko.com."
    assert [text[start:end] for start, end in find_urls(text)] == [
        "https://toko.id/a",
        "toko.com",
    ]


def test_long_dotted_runs_stay_fast() -> None:
    # twitter-text's unbounded repeats are quadratic on these; ours must finish quickly.
    assert x_weighted_length("a." * 3000) == 6000
    assert x_weighted_length("https://" + "a-" * 3000 + ".com") == 8 + 6000 + 4


@given(st.text())
def test_never_raises_and_is_not_negative(text: str) -> None:
    assert x_weighted_length(text) >= 0


@given(st.text())
def test_canonically_equivalent_texts_weigh_the_same(text: str) -> None:
    assert x_weighted_length(unicodedata.normalize("NFD", text)) == x_weighted_length(text)
