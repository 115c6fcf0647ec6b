"""The catalog of `/smm` subcommands and their Indonesian aliases.

Help and dispatch both read this one table, so a subcommand cannot be listed in help but unknown
to the dispatcher (or the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches


@dataclass(frozen=True)
class Subcommand:
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", ("bantuan",)),
    Subcommand("templates", ("templat",)),
    Subcommand("draft", ("draf",)),
    Subcommand("template"),
    Subcommand("link", ("tautan",)),
    Subcommand("campaign", ("kampanye",)),
    Subcommand("schedule", ("jadwal",)),
    Subcommand("calendar", ("kalender",)),
    Subcommand("log", ("catat",)),
    Subcommand("import", ("impor",)),
    Subcommand("digest", ("ringkasan",)),
    Subcommand("settings", ("pengaturan",)),
)

_BY_NAME: dict[str, Subcommand] = {
    name: subcommand for subcommand in SUBCOMMANDS for name in subcommand.all_names
}


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
