from __future__ import annotations

import re

import pytest

from smmbot.domain.commands import SUBCOMMANDS
from smmbot.rendering.i18n import SUPPORTED_LOCALES, Translator, choose_locale, load_catalog
from smmbot.rendering.mrkdwn import escape_mrkdwn, unescape_mrkdwn

PLAIN_SECTIONS = ("placeholder.", "example.", "summary.")
HELP_SECTIONS = ("example.", "summary.")


def test_catalogs_have_the_same_keys() -> None:
    english = set(load_catalog("en"))
    for locale in SUPPORTED_LOCALES:
        assert set(load_catalog(locale)) == english, locale


def test_every_subcommand_has_help_text_in_every_language() -> None:
    for locale in SUPPORTED_LOCALES:
        catalog = load_catalog(locale)
        for sub in SUBCOMMANDS:
            for section in HELP_SECTIONS:
                assert catalog[f"{section}{sub.name}"].strip(), (locale, section, sub.name)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_mrkdwn_templates_have_no_raw_angle_brackets(locale: str) -> None:
    """Slack reads `<...>` as a link or mention; literal ones must come in as escaped values."""
    for key, source in load_catalog(locale).items():
        if key.startswith(PLAIN_SECTIONS):
            continue
        literal = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.DOTALL)
        assert "<" not in literal and ">" not in literal, (locale, key)


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [
        (("id-ID",), "id"),
        (("id_ID",), "id"),
        (("en-US",), "en"),
        (("ja-JP", "id"), "id"),
        ((None, "id-ID"), "id"),
        ((None, None), "en"),
        (("not a locale",), "en"),
        (("fr-FR",), "en"),
    ],
)
def test_locale_choice_falls_back_from_user_to_workspace_to_english(
    preferences: tuple[str | None, ...], expected: str
) -> None:
    assert choose_locale(*preferences) == expected


def test_mrkdwn_values_are_escaped_but_markup_is_kept() -> None:
    text = Translator("en").mrkdwn(
        "error.unknown_command", name="<!channel> & co", suggestion="", prefix="/smm "
    )
    assert "<!channel>" not in text
    assert "&lt;!channel&gt; &amp; co" in text
    assert text.startswith("I don't know the command `")


def test_plain_values_are_not_escaped() -> None:
    assert Translator("en").plain("placeholder.template") == "<template>"


def test_indonesian_translator() -> None:
    assert Translator("id-ID").plain("console.goodbye") == "Sampai jumpa!"


def test_escape_round_trip() -> None:
    raw = "a < b & c > d <@U1> <!here>"
    escaped = escape_mrkdwn(raw)
    assert "<" not in escaped and ">" not in escaped
    assert unescape_mrkdwn(escaped) == raw
    assert escape_mrkdwn(escaped) == escaped  # already-escaped mrkdwn is not escaped twice
