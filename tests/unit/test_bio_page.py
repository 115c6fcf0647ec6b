"""The bio page's HTML escapes what members typed, links only through /r/, and sends strict
headers; bio rules accept only http(s) links and move positions as asked."""

from __future__ import annotations

import pytest

from smmbot.domain.bio import is_web_url, moved
from smmbot.domain.drafts import point_to_bio
from smmbot.rendering.bio import PublicPage, not_found_html, page_html
from smmbot.rendering.i18n import Translator
from smmbot.web.bio import security_headers


def test_titles_and_avatar_are_escaped() -> None:
    page = PublicPage(
        title='Toko "Kopi" <script>alert(1)</script>',
        avatar_url='https://a.b/x.png" onerror="alert(1)',
        links=(("<img src=x onerror=alert(1)>", "/r/abc2345"),),
    )
    html = page_html(Translator("en"), page, nonce="n0nce")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'src="https://a.b/x.png&#34; onerror=&#34;alert(1)"' in html
    assert 'href="/r/abc2345"' in html
    assert '<style nonce="n0nce">' in html


def test_pages_speak_the_visitors_language() -> None:
    empty = PublicPage(title="", avatar_url="", links=())
    assert "Tautan kami" in page_html(Translator("id"), empty, nonce="n")
    assert "Page not found" in not_found_html(Translator("en"), nonce="n")


def test_headers_forbid_scripts_framing_and_sniffing() -> None:
    headers = dict(security_headers("abc"))
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'nonce-abc'" in policy
    assert "frame-ancestors 'none'" in policy and "script-src" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_only_http_links_are_accepted() -> None:
    assert is_web_url("https://toko.id/menu?a=1")
    assert is_web_url("http://toko.id")
    for bad in (
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://toko.id",
        "https://",
        "toko.id",
        "https://toko.id/a b",
        "https://to\x00ko.id",
    ):
        assert not is_web_url(bad), bad


def test_move_puts_an_item_at_its_new_position() -> None:
    assert moved(["a", "b", "c", "d"], 4, 1) == ["d", "a", "b", "c"]
    assert moved(["a", "b", "c", "d"], 1, 3) == ["b", "c", "a", "d"]


@pytest.mark.parametrize(
    "caption",
    [
        "New post 📝\n\nRead it via the link in bio 🔗\nhttps://toko.id/blog",
        "Artikel baru 📝\n\nBaca lengkapnya lewat link di bio ya 🔗\nhttps://toko.id/blog",
        "Promo! Cek tautan di bio kami https://toko.id/promo",
        "All the LINKS IN OUR BIO: https://toko.id",
    ],
)
def test_a_caption_that_already_points_to_the_bio_gets_no_second_line(caption: str) -> None:
    finished = point_to_bio(caption, "🔗 Link in bio")
    assert "https://" not in finished and "🔗 Link in bio" not in finished


def test_a_caption_with_a_link_and_no_word_of_the_bio_gets_the_line() -> None:
    caption = "Promo Ramadan 🌙\nhttps://toko.id/promo\nbiodata kopi"
    finished = point_to_bio(caption, "🔗 Link di bio")
    assert finished == "Promo Ramadan 🌙\n\nbiodata kopi\n\n🔗 Link di bio"
    assert point_to_bio("No link here, bio", "🔗 Link in bio") == "No link here, bio"
