"""The `/smm` argument grammar: shell-like words, double quotes, `key=value` options.

Only double quotes group words (straight `"` and the curly `“ ”` / `„` that Slack clients and
phones substitute). Single quotes and apostrophes stay literal because post text is full of them
("it's", "Jum'at") and treating them as quotes would reject ordinary sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

_OPENING_QUOTES = {'"', "\u201c", "\u201e", "\u201d"}
_CLOSING_QUOTES = {'"', "\u201d", "\u201c"}
_OPTION_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")


class SyntaxProblem(StrEnum):
    UNCLOSED_QUOTE = "unclosed_quote"
    DUPLICATE_OPTION = "duplicate_option"


class CommandSyntaxError(ValueError):
    """Raised for any input the grammar cannot read; carries a code and data, never prose,
    so the reply can be written in the user's language."""

    def __init__(self, problem: SyntaxProblem, *, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}")
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class ParsedCommand:
    words: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.words[0].lower() if self.words else ""

    @property
    def arguments(self) -> tuple[str, ...]:
        return self.words[1:]


@dataclass
class _Token:
    text: str = ""
    quoted_prefix: int | None = None  # length of `text` before the first quote opened

    def add(self, char: str) -> None:
        self.text += char


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    current: _Token | None = None
    in_quotes = False
    escape = False
    for char in text:
        if escape:
            assert current is not None
            current.add(char)
            escape = False
        elif in_quotes:
            assert current is not None
            if char == "\\":
                escape = True
            elif char in _CLOSING_QUOTES:
                in_quotes = False
            else:
                current.add(char)
        elif char.isspace():
            if current is not None:
                tokens.append(current)
                current = None
        else:
            if current is None:
                current = _Token()
            if char in _OPENING_QUOTES:
                in_quotes = True
                if current.quoted_prefix is None:
                    current.quoted_prefix = len(current.text)
            else:
                current.add(char)
    if in_quotes or escape:
        raise CommandSyntaxError(SyntaxProblem.UNCLOSED_QUOTE, detail=text.strip())
    if current is not None:
        tokens.append(current)
    return tokens


def _as_option(token: _Token) -> tuple[str, str] | None:
    """A word is an option when `key=` is written outside any quotes: `"a=b"` stays positional."""
    key, sep, value = token.text.partition("=")
    if not sep or not _OPTION_KEY.fullmatch(key):
        return None
    if token.quoted_prefix is not None and token.quoted_prefix <= len(key):
        return None
    return key.lower(), value


def parse_command(text: str) -> ParsedCommand:
    words: list[str] = []
    options: dict[str, str] = {}
    for token in _tokenize(text):
        option = _as_option(token)
        if option is None:
            words.append(token.text)
            continue
        key, value = option
        if key in options:
            raise CommandSyntaxError(SyntaxProblem.DUPLICATE_OPTION, detail=key)
        options[key] = value
    return ParsedCommand(words=tuple(words), options=options)
