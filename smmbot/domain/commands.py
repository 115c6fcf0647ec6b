"""The catalog of `/smm` subcommands and their Indonesian aliases.

Help and dispatch both read this one table, so a subcommand cannot be listed in help but unknown
to the dispatcher (or the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches


@dataclass(frozen=True)
class Subcommand:
    """`max_words`: how many positional words may follow the name (None: free text, such as a
    post's text or a campaign's name). More than that means an unquoted value lost its quotes,
    which must be said rather than half of it silently dropped."""

    name: str
    aliases: tuple[str, ...] = ()
    max_words: int | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", ("bantuan",), max_words=1),
    Subcommand("templates", ("templat",), max_words=0),
    Subcommand("draft", ("draf",), max_words=2),
    Subcommand("drafts", ("daftar-draf",), max_words=1),
    Subcommand("template", max_words=2),
    Subcommand("link", ("tautan",), max_words=1),
    Subcommand("campaign", ("kampanye",)),
    Subcommand("schedule", ("jadwal",)),
    Subcommand("calendar", ("kalender",)),
    Subcommand("log", ("catat",)),
    Subcommand("import", ("impor",)),
    Subcommand("digest", ("ringkasan",), max_words=1),
    Subcommand("settings", ("pengaturan",), max_words=2),
    Subcommand("bio", max_words=3),
    Subcommand("sharebar", ("bilah-bagikan",), max_words=0),
    Subcommand("connect", ("hubungkan",), max_words=1),
    Subcommand("disconnect", max_words=1),
    Subcommand("sources", ("sumber",), max_words=2),
)

_BY_NAME: dict[str, Subcommand] = {
    name: subcommand for subcommand in SUBCOMMANDS for name in subcommand.all_names
}


def stray_words(subcommand: Subcommand, arguments: tuple[str, ...]) -> tuple[str, ...]:
    """The positional words beyond what the subcommand takes."""
    if subcommand.max_words is None:
        return ()
    return arguments[subcommand.max_words :]


def find_subcommand(name: str) -> Subcommand | None:
    return _BY_NAME.get(name.strip().lower())


def subcommand(name: str) -> Subcommand:
    """A subcommand the code names itself (a service's own): a typo fails at import time."""
    found = find_subcommand(name)
    if found is None:
        raise KeyError(name)
    return found


def closest_subcommand(name: str) -> Subcommand | None:
    """Suggest the subcommand the user probably meant, for "did you mean" in the reply."""
    match = get_close_matches(name.lower(), list(_BY_NAME), n=1, cutoff=0.6)
    return _BY_NAME[match[0]] if match else None
