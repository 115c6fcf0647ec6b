"""Help text as a member reads it: summaries keep their acronyms, code spans stay on one line."""

from __future__ import annotations

import re

import pytest

from smmbot.domain.commands import SUBCOMMANDS
from smmbot.rendering.help import help_overview, help_topic
from smmbot.rendering.i18n import Translator
from tests.support.replies import reply_text

_CODE_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")


@pytest.mark.parametrize("locale", ["en", "id"])
def test_no_code_span_in_the_overview_holds_a_newline(locale: str) -> None:
    reply = help_overview(Translator(locale), "/smm ", frozenset(s.name for s in SUBCOMMANDS))
    text = reply_text(reply)
    spans = _CODE_SPAN.findall(text)
    assert spans, "the overview lists commands in code spans"
    assert all("\n" not in span for span in spans), [s for s in spans if "\n" in s]


def test_each_usage_of_a_command_is_its_own_code_span() -> None:
    reply = help_overview(Translator("en"), "/smm ", frozenset(s.name for s in SUBCOMMANDS))
    assert "`/smm calendar` · `/smm calendar week|month|reminders`" in reply_text(reply)


@pytest.mark.parametrize(
    ("locale", "name", "expected"),
    [
        ("en", "templates", "List post templates, grouped SMO and SMM"),
        ("en", "link", "Make a UTM-tagged link"),
        ("en", "import", "Import metrics from a CSV file"),
        ("id", "templates", "Daftar templat postingan, dikelompokkan SMO dan SMM"),
        ("id", "import", "Impor metrik dari berkas CSV"),
    ],
)
def test_topic_summary_keeps_acronyms(locale: str, name: str, expected: str) -> None:
    subcommand = next(s for s in SUBCOMMANDS if s.name == name)
    reply = help_topic(Translator(locale), "/smm ", subcommand, built=True)
    assert expected in reply_text(reply)
