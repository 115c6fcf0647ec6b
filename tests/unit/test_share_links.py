"""Share links: exact shapes, and that no URL or text can break out of its parameter."""

from urllib.parse import parse_qs, unquote, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.share_links import share_links


def params(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query, keep_blank_values=True)


def test_share_links_shapes() -> None:
    links = share_links("https://toko.id/kopi?a=1&b=2#menu", "Diskon 50% & ongkir?")
    url = "https%3A%2F%2Ftoko.id%2Fkopi%3Fa%3D1%26b%3D2%23menu"
    text = "Diskon%2050%25%20%26%20ongkir%3F"
    assert list(links) == ["facebook", "x", "linkedin", "whatsapp", "telegram"]
    assert links == {
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={url}",
        "x": f"https://x.com/intent/post?text={text}&url={url}",
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={url}",
        "whatsapp": f"https://wa.me/?text={text}%20{url}",
        "telegram": f"https://t.me/share/url?url={url}&text={text}",
    }


def test_empty_text_is_left_out() -> None:
    links = share_links("https://toko.id/")
    url = "https%3A%2F%2Ftoko.id%2F"
    assert links["x"] == f"https://x.com/intent/post?url={url}"
    assert links["whatsapp"] == f"https://wa.me/?text={url}"
    assert links["telegram"] == f"https://t.me/share/url?url={url}"


def test_non_ascii_is_utf8_percent_encoded() -> None:
    links = share_links("https://toko.id/ñ", "Kopi enak ☕")
    assert links["telegram"] == (
        "https://t.me/share/url?url=https%3A%2F%2Ftoko.id%2F%C3%B1&text=Kopi%20enak%20%E2%98%95"
    )


@given(url=st.text(), text=st.text())
def test_values_round_trip(url: str, text: str) -> None:
    links = share_links(url, text)
    assert params(links["facebook"]) == {"u": [url]}
    assert params(links["linkedin"]) == {"url": [url]}
    expected = {"url": [url], "text": [text]} if text else {"url": [url]}
    assert params(links["x"]) == expected
    assert params(links["telegram"]) == expected
    assert params(links["whatsapp"]) == {"text": [f"{text} {url}" if text else url]}
    whatsapp_value = urlsplit(links["whatsapp"]).query.removeprefix("text=")
    assert unquote(whatsapp_value) == (f"{text} {url}" if text else url)


@given(url=st.text(), text=st.text())
def test_nothing_escapes_its_parameter(url: str, text: str) -> None:
    two_parameters = {"x", "telegram"} if text else set()
    for name, link in share_links(url, text).items():
        parts = urlsplit(link)
        assert parts.fragment == ""
        assert " " not in link
        assert parts.query.count("&") == (1 if name in two_parameters else 0)
