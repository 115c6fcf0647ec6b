"""The bot's Indonesian reads as one native voice: it speaks as *kami* (never *aku* or *saya*),
addresses a member as *kamu* (visitors of the public bio page as *Anda*), and has no doubled
words or word-for-word calques of the English catalog."""

from __future__ import annotations

import re

import pytest

from smmbot.rendering.i18n import Translator, load_catalog

CALQUES = ("tidak terlihat seperti", "kit bagikan", "bilah bagikan", "perlu tahu apa yang")
FIRST_PERSON_VERB = r"ku(?:beri|pakai|pisahkan|kirim|catat|ingatkan|simpan|buat|baca|impor)\w*"
"""`kupisahkan`, `kuberi`: the bot saying "I" in a verb."""
VISITOR_KEYS = ("bio.page_",)
"""Shown to anyone opening the public link-in-bio page, whom the workspace addresses formally."""


def _entries() -> list[tuple[str, str]]:
    return sorted(load_catalog("id").items())


@pytest.mark.parametrize(("key", "text"), _entries(), ids=[key for key, _ in _entries()])
def test_one_voice(key: str, text: str) -> None:
    words = set(re.findall(r"\w+", text.lower()))
    assert not {"aku", "saya", "ku", "sisiku"} & words, key
    assert not any(re.fullmatch(FIRST_PERSON_VERB, word) for word in words), key
    if not key.startswith(VISITOR_KEYS):
        assert "Anda" not in text, key
    assert not any(calque in text.lower() for calque in CALQUES), key
    doubled = re.search(r"\b(\w{3,})\s+\1\b", text, re.IGNORECASE)
    assert doubled is None or doubled.group(1).lower() in {"lagi"}, (key, doubled)
    assert "lewat dilewati" not in text


def test_the_share_kit_button_and_its_reply_say_the_same() -> None:
    for locale in ("en", "id"):
        tr = Translator(locale)
        assert tr.plain("draft.button_share_kit") == tr.plain("link.title")
