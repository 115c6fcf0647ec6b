"""Message catalogs (English and Bahasa Indonesia) and the translator that renders them.

One mechanism for every user-visible string: per-locale TOML catalogs under
`prompts/messages/<locale>/` (one file per feature, merged) whose values are Jinja2 templates.
`mrkdwn` renders escape every inserted value for Slack, so a catalog author cannot forget to
escape user input; `plain` renders are for plain-text fields.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError

from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn

if TYPE_CHECKING:
    from jinja2 import Environment, Template

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
MESSAGES_DIR = PROMPTS_DIR / "messages"
SUPPORTED_LOCALES = ("en", "id")
DEFAULT_LOCALE = "en"


def choose_locale(*preferences: str | None) -> str:
    """The first preference we have a catalog for: Slack sends `id-ID`, Babel knows `id_ID`."""
    for preference in preferences:
        language = _supported_language(preference) if preference else None
        if language is not None:
            return language
    return DEFAULT_LOCALE


@lru_cache(maxsize=1024)
def _supported_language(preference: str) -> str | None:
    """Babel reads its locale data from disk to parse a tag, and every reply's translator asks:
    the few tags Slack sends are parsed once each."""
    try:
        language = Locale.parse(preference.replace("-", "_")).language
    except (UnknownLocaleError, ValueError):
        return None
    return language if language in SUPPORTED_LOCALES else None


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def load_catalog(locale: str) -> dict[str, str]:
    catalog: dict[str, str] = {}
    for path in sorted((MESSAGES_DIR / locale).glob("*.toml")):
        with path.open("rb") as handle:
            entries = _flatten(tomllib.load(handle))
        clashes = catalog.keys() & entries.keys()
        if clashes:
            raise ValueError(f"{path} repeats catalog keys {sorted(clashes)}")
        catalog |= entries
    return catalog


def _finalize_mrkdwn(value: object) -> str:
    return escape_mrkdwn(value if isinstance(value, str) else str(value))


@cache
def _environment(markup: bool) -> Environment:
    """Jinja2 loads with the first message rendered rather than at start: 14 ms and 2 MB of
    an idle bot's memory (issue 16). Output is Slack mrkdwn (escaped by `finalize`) or plain
    text, not HTML, so nothing is autoescaped."""
    from jinja2 import Environment, StrictUndefined

    if markup:
        return Environment(  # noqa: S701
            undefined=StrictUndefined, finalize=_finalize_mrkdwn, keep_trailing_newline=False
        )
    return Environment(undefined=StrictUndefined, keep_trailing_newline=False)  # noqa: S701


@cache
def _compiled(locale: str, key: str, markup: bool) -> Template:
    return _environment(markup).from_string(load_catalog(locale)[key])


@cache
def _pages() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(PROMPTS_DIR / "pages"),
        autoescape=select_autoescape(["html.j2"], default=True),
        auto_reload=False,
    )


def page_template(name: str) -> Template:
    """An HTML page of `prompts/pages/` (install, connect and bio pages), autoescaped and
    compiled once: pages are the browser's side of the same catalogs."""
    return _pages().get_template(name)


@cache
def _constant(locale: str, key: str) -> str:
    """A plain message without parameters renders the same every time (the error fallback is
    compared against each command's reply), so it is rendered once."""
    return _compiled(locale, key, False).render().strip()


class Translator:
    def __init__(self, locale: str) -> None:
        self.locale = choose_locale(locale)

    def mrkdwn(self, key: str, /, **params: object) -> Mrkdwn:
        return Mrkdwn(_compiled(self.locale, key, True).render(**params).strip())

    def plain(self, key: str, /, **params: object) -> str:
        if not params:
            return _constant(self.locale, key)
        return _compiled(self.locale, key, False).render(**params).strip()

    def has(self, key: str) -> bool:
        return key in load_catalog(self.locale)
