"""The OAuth install's closing pages: the browser's language, and everything Slack sends escaped."""

from __future__ import annotations

import pytest

from smmbot.rendering.i18n import Translator
from smmbot.rendering.install_pages import failed_page, installed_page, page_locale


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", "id"),
        ("en-US,en;q=0.9,id;q=0.8", "en"),
        ("en;q=0.5, id;q=0.8", "id"),
        ("fr-FR,fr;q=0.9", "en"),
        ("id;q=0, en;q=0.1", "en"),
        ("id;q=banana", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_page_language_follows_accept_language(header: str | None, locale: str) -> None:
    assert page_locale(header) == locale


def test_the_installed_page_escapes_its_urls_and_sends_the_browser_on() -> None:
    page = installed_page(
        Translator("en"),
        open_url='slack://app?team=T1&id=A1"><script>',
        browser_url="https://app.slack.com/client/T1",
    )
    assert "smmbot is installed" in page
    assert "<script>" not in page and "&amp;id=A1&#34;&gt;&lt;script&gt;" in page
    assert 'http-equiv="refresh"' in page


def test_the_failure_page_names_the_reason_escaped_and_links_to_a_new_install() -> None:
    page = failed_page(
        Translator("id"), install_path="/slack/install", reason="<b>invalid_code</b>"
    )
    assert "smmbot gagal dipasang" in page and 'href="/slack/install"' in page
    assert "&lt;b&gt;invalid_code&lt;/b&gt;" in page and "<b>" not in page
    assert "http-equiv" not in page
