"""UTM tagging: what survives, what is added, and that tagging is safe to repeat."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.utm import slugify_campaign, tag_url, tag_urls_in_text, web_address

UTM = "utm_source=slack&utm_medium=social&utm_campaign=lebaran"


def tag(url: str, content: str | None = None) -> str:
    return tag_url(url, source="slack", medium="social", campaign="lebaran", content=content)


def tag_text(text: str) -> str:
    return tag_urls_in_text(text, source="slack", medium="social", campaign="lebaran")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://toko.id/kopi", f"https://toko.id/kopi?{UTM}", id="plain"),
        pytest.param("https://toko.id", f"https://toko.id?{UTM}", id="no-path"),
        pytest.param(
            "https://toko.id/?b=2&a=1&a=3",
            f"https://toko.id/?b=2&a=1&a=3&{UTM}",
            id="query-order-and-repeats-kept",
        ),
        pytest.param("https://toko.id/?", f"https://toko.id/?{UTM}", id="empty-query"),
        pytest.param("https://toko.id/?a=1&", f"https://toko.id/?a=1&{UTM}", id="trailing-amp"),
        pytest.param(
            "https://toko.id/menu?a=1#kopi",
            f"https://toko.id/menu?a=1&{UTM}#kopi",
            id="fragment-stays-last",
        ),
        pytest.param(
            "https://toko.id/#/keranjang?x=1",
            f"https://toko.id/?{UTM}#/keranjang?x=1",
            id="query-in-fragment-is-fragment",
        ),
        pytest.param(
            "https://toko.id/?utm_source=ig&x=1",
            "https://toko.id/?utm_source=ig&x=1&utm_medium=social&utm_campaign=lebaran",
            id="author-utm-wins",
        ),
        pytest.param(
            "https://toko.id/kopi-susu/ñ",
            f"https://toko.id/kopi-susu/ñ?{UTM}",
            id="non-ascii-path-survives",
        ),
        pytest.param(
            "https://kopi.xn--p1ai/%D1%84?q=%E2%82%AC",
            f"https://kopi.xn--p1ai/%D1%84?q=%E2%82%AC&{UTM}",
            id="escapes-not-double-encoded",
        ),
        pytest.param("https://bücher.de/straße", f"https://bücher.de/straße?{UTM}", id="idn-host"),
        pytest.param(
            "https://toko.id/a b{c}|d",
            f"https://toko.id/a%20b%7Bc%7D%7Cd?{UTM}",
            id="illegal-characters-encoded",
        ),
        pytest.param("HTTP://TOKO.ID/A", f"HTTP://TOKO.ID/A?{UTM}", id="case-kept"),
    ],
)
def test_tag_url(url: str, expected: str) -> None:
    assert tag(url) == expected


def test_tag_url_is_a_no_op_when_every_utm_is_set() -> None:
    url = "https://toko.id/?utm_campaign=x&utm_medium=y&utm_source=z#top"
    assert tag(url) == url


def test_values_are_percent_encoded() -> None:
    url = tag_url(
        "https://toko.id/",
        source="ig story",
        medium="social&paid",
        campaign="Promo 50%/Lebaran?",
        content="v1.",
    )
    assert url == (
        "https://toko.id/?utm_source=ig%20story&utm_medium=social%26paid"
        "&utm_campaign=Promo%2050%25%2FLebaran%3F&utm_content=v1%2E"
    )


def test_content_is_optional_and_also_yields_to_the_author() -> None:
    assert tag("https://toko.id/", content="hero") == f"https://toko.id/?{UTM}&utm_content=hero"
    assert tag("https://toko.id/?utm_content=a", content="b") == (
        f"https://toko.id/?utm_content=a&{UTM}"
    )


@pytest.mark.parametrize("url", ["ftp://toko.id/", "mailto:a@toko.id", "toko.id", "https://"])
def test_tag_url_rejects_non_http_urls(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        tag(url)


def test_tag_url_rejects_blank_values() -> None:
    with pytest.raises(ValueError, match="utm_medium"):
        tag_url("https://toko.id", source="s", medium=" ", campaign="c")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Cek https://toko.id/kopi. Murah!",
            f"Cek https://toko.id/kopi?{UTM}. Murah!",
            id="period",
        ),
        pytest.param(
            "Ada https://toko.id/a, https://toko.id/b! dan https://toko.id/c?",
            f"Ada https://toko.id/a?{UTM}, https://toko.id/b?{UTM}! dan https://toko.id/c?{UTM}?",
            id="comma-bang-question",
        ),
        pytest.param(
            "(lihat https://id.wikipedia.org/wiki/Kopi_(minuman)).",
            f"(lihat https://id.wikipedia.org/wiki/Kopi_(minuman)?{UTM}).",
            id="balanced-parens-kept",
        ),
        pytest.param(
            "(https://toko.id/promo)",
            f"(https://toko.id/promo?{UTM})",
            id="wrapping-parens-dropped",
        ),
        pytest.param(
            "Beli di https://toko.id/kopi。",
            f"Beli di https://toko.id/kopi?{UTM}。",
            id="cjk-full-stop",
        ),
        pytest.param(
            'Klik "https://toko.id/a?x=1#b"',
            f'Klik "https://toko.id/a?x=1&{UTM}#b"',
            id="quoted",
        ),
        pytest.param(
            "Slack <https://toko.id/a|toko kami> & <https://toko.id/b>",
            f"Slack <https://toko.id/a?{UTM}|toko kami> & <https://toko.id/b?{UTM}>",
            id="slack-links",
        ),
        pytest.param(
            "<https://toko.id/?a=1&amp;b=2|https://toko.id/label>",
            "<https://toko.id/?a=1&amp;b=2&amp;utm_source=slack&amp;utm_medium=social"
            "&amp;utm_campaign=lebaran|https://toko.id/label>",
            id="slack-escaped-ampersands-stay-escaped",
        ),
        pytest.param(
            "Tanpa tautan. toko.id juga tidak (tanpa skema).",
            "Tanpa tautan. toko.id juga tidak (tanpa skema).",
            id="no-http-url",
        ),
        pytest.param("https:// dan http://...", "https:// dan http://...", id="no-host"),
    ],
)
def test_tag_urls_in_text(text: str, expected: str) -> None:
    assert tag_text(text) == expected


URLISH = st.lists(
    st.sampled_from(
        [
            "https://",
            "http://",
            "toko.id",
            "/kopi",
            "?",
            "&",
            "=",
            "#",
            "(",
            ")",
            ".",
            ",",
            "!",
            " ",
            "<",
            ">",
            "|",
            "&amp;",
            "utm_source=x",
            "%",
            "ñ",
            "。",
        ]
    )
    | st.text(max_size=3),
    max_size=20,
).map("".join)


@given(st.one_of(st.text(), URLISH))
def test_tagging_never_raises_and_is_idempotent(text: str) -> None:
    once = tag_text(text)
    assert tag_text(once) == once


@given(st.text().filter(lambda text: "http" not in text.casefold()))
def test_text_without_urls_is_untouched(text: str) -> None:
    assert tag_text(text) == text


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Promo Lebaran 2025", "promo-lebaran-2025"),
        ("  Diskon 50%!! — Ramadan  ", "diskon-50-ramadan"),
        ("Kopi Ñusantara Café", "kopi-nusantara-cafe"),
        ("Straße Ærø", "strasse-aero"),
        ("--Hari_Raya--", "hari-raya"),
        ("", "smmbot"),
        ("!!!", "smmbot"),
        ("日本", "smmbot"),
    ],
)
def test_slugify_campaign(name: str, slug: str) -> None:
    assert slugify_campaign(name) == slug


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("https://toko.id/menu", "https://toko.id/menu"),
        ("http://toko.id", "http://toko.id"),
        ("kopinusantara.id/menu", "https://kopinusantara.id/menu"),
        ("www.toko.co.id:8080/a?b=1#c", "https://www.toko.co.id:8080/a?b=1#c"),
        ("toko", None),
        ("our shop", None),
        ("ftp://toko.id", None),
        ("javascript:alert(1)", None),
        ("https:///menu", None),
        ("<https://toko.id/a?b=1&amp;c=2>", "https://toko.id/a?b=1&c=2"),
        ("<https://toko.id/menu|our menu>", "https://toko.id/menu"),
        ("<http://kopinusantara.id/menu|kopinusantara.id/menu>", "https://kopinusantara.id/menu"),
        ("<mailto:a@toko.id|a@toko.id>", None),
    ],
)
def test_web_address_adds_https_only_to_a_clear_domain(typed: str, expected: str | None) -> None:
    assert web_address(typed) == expected
