from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.grammar import CommandSyntaxError, SyntaxProblem, parse_command


def test_words_and_options_are_separated() -> None:
    parsed = parse_command("draft blog-share title=Hello url=https://toko.id/a?b=c&d=e")
    assert parsed.words == ("draft", "blog-share")
    assert parsed.options == {"title": "Hello", "url": "https://toko.id/a?b=c&d=e"}
    assert parsed.name == "draft"
    assert parsed.arguments == ("blog-share",)


def test_straight_quotes_group_words() -> None:
    parsed = parse_command('schedule "tomorrow 9am" "New menu is here!"')
    assert parsed.words == ("schedule", "tomorrow 9am", "New menu is here!")


def test_curly_quotes_from_slack_clients_group_words() -> None:
    parsed = parse_command("draft promo product=\u201cKopi Susu\u201d offer=\u201c50% off\u201d")
    assert parsed.options == {"product": "Kopi Susu", "offer": "50% off"}


def test_low_opening_quote_is_accepted() -> None:
    assert parse_command("log \u201eone two\u201c").words == ("log", "one two")


def test_quoted_option_value_keeps_equals_and_spaces() -> None:
    parsed = parse_command('campaign new x note="a = b" target.reach=5000')
    assert parsed.options == {"note": "a = b", "target.reach": "5000"}


def test_option_keys_are_case_insensitive() -> None:
    assert parse_command("draft x Title=Hi").options == {"title": "Hi"}


def test_quoted_key_value_is_a_positional_word() -> None:
    parsed = parse_command('schedule now "discount=50%"')
    assert parsed.words == ("schedule", "now", "discount=50%")
    assert parsed.options == {}


def test_apostrophes_are_not_quotes() -> None:
    parsed = parse_command("schedule tomorrow It's Jum'at!")
    assert parsed.words == ("schedule", "tomorrow", "It's", "Jum'at!")


def test_backslash_escapes_a_quote_inside_quotes() -> None:
    assert parse_command('x "say \\"hi\\""').words == ("x", 'say "hi"')


def test_empty_text_has_no_name() -> None:
    parsed = parse_command("   ")
    assert parsed.words == ()
    assert parsed.name == ""


def test_empty_quoted_word_is_kept() -> None:
    assert parse_command('a "" b').words == ("a", "", "b")


def test_unclosed_quote_is_a_syntax_error() -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        parse_command('draft promo product="Kopi')
    assert caught.value.problem is SyntaxProblem.UNCLOSED_QUOTE


def test_duplicate_option_is_a_syntax_error() -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        parse_command("draft promo url=a URL=b")
    assert caught.value.problem is SyntaxProblem.DUPLICATE_OPTION
    assert caught.value.detail == "url"


def test_slack_escaped_mentions_stay_whole() -> None:
    parsed = parse_command("schedule now hi owner=<@U123|ayu> channel=<#C1|marketing>")
    assert parsed.options == {"owner": "<@U123|ayu>", "channel": "<#C1|marketing>"}


@given(st.text())
def test_any_input_parses_or_raises_only_its_own_error(text: str) -> None:
    try:
        parsed = parse_command(text)
    except CommandSyntaxError:
        return
    assert all(isinstance(word, str) for word in parsed.words)
    assert all(key == key.lower() for key in parsed.options)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters='"\\\u201c\u201d\u201e'))))
def test_quoted_words_round_trip(words: list[str]) -> None:
    text = " ".join(f'"{word}"' for word in words)
    assert parse_command(text).words == tuple(words)
