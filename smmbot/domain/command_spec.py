"""What a `/smm` subcommand declares about itself, and reading a typed command against it.

A declaration names the subcommand's actions and options in English with their Indonesian
aliases, says whether other `key=` words are welcome (a template's variables), and who may run
it. Dispatch reads typed words against it once, before any service runs, so a service only ever
sees canonical English action words and option keys it declared; help is written from it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from enum import StrEnum

from smmbot.domain.grammar import ParsedCommand

INDONESIAN = "id"


class Permission(StrEnum):
    """Who may run an action; workspace admins and owners may always."""

    EVERYONE = "everyone"
    APPROVERS = "approvers"
    ADMINS = "admins"


class Role(StrEnum):
    ADMIN = "admin"
    APPROVER = "approver"


_ALLOWED_ROLES: Mapping[Permission, frozenset[Role]] = {
    Permission.APPROVERS: frozenset({Role.APPROVER, Role.ADMIN}),
    Permission.ADMINS: frozenset({Role.ADMIN}),
}


def may_run(permission: Permission, roles: frozenset[Role]) -> bool:
    return permission is Permission.EVERYONE or bool(roles & _ALLOWED_ROLES[permission])


def _shown(name: str, aliases: tuple[str, ...], locale: str) -> str:
    """The first alias is the Indonesian word; help and refusals show it to Indonesian members."""
    return aliases[0] if aliases and locale.startswith(INDONESIAN) else name


@dataclass(frozen=True)
class Option:
    """`key=`; `value` names the placeholder help shows after `=` (`date` → `YYYY-MM-DD`).
    A `prefix` option stands for a family of keys (`target.` takes `target.reach=…`)."""

    key: str
    aliases: tuple[str, ...] = ()
    value: str = "any"
    required: bool = False
    prefix: bool = False

    @property
    def all_keys(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)

    def shown(self, locale: str) -> str:
        return _shown(self.key, self.aliases, locale)

    def canonical(self, typed: str) -> str | None:
        """The English key for a typed one, or None when the typed key is not this option."""
        if not self.prefix:
            return self.key if typed in self.all_keys else None
        for key in self.all_keys:
            if typed.startswith(key) and len(typed) > len(key):
                return self.key + typed[len(key) :]
        return None


@dataclass(frozen=True)
class Action:
    """The word after the subcommand (`campaign new`); `arguments` are the placeholders of its
    positional words for help (`name` → `<name>`, a trailing `?` marks an optional one).
    `permission` None: the subcommand's."""

    name: str
    aliases: tuple[str, ...] = ()
    arguments: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    free_options: bool = False
    permission: Permission | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def shown(self, locale: str) -> str:
        return _shown(self.name, self.aliases, locale)


@dataclass(frozen=True)
class Subcommand:
    """`max_words`: how many positional words may follow the name (None: free text, such as a
    post's text or a campaign's name). More than that means an unquoted value lost its quotes,
    which must be said rather than half of it silently dropped.

    `bare` says whether it runs without an action word; that form takes `arguments` and
    `options`, each action its own. `free_options`: any other `key=` is passed on (the service
    checks it, as `draft` checks a template's variables)."""

    name: str
    aliases: tuple[str, ...] = ()
    max_words: int | None = None
    arguments: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    actions: tuple[Action, ...] = ()
    bare: bool = True
    free_options: bool = False
    permission: Permission = Permission.EVERYONE

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def shown(self, locale: str) -> str:
        return _shown(self.name, self.aliases, locale)

    def action(self, typed: str) -> Action | None:
        typed = typed.casefold()
        return next((a for a in self.actions if typed in a.all_names), None)

    def options_of(self, action: Action | None) -> tuple[Option, ...]:
        return action.options if action is not None else self.options

    def option_keys(self, action: Action | None = None) -> frozenset[str]:
        """The English keys this form declares, prefix families excluded."""
        return frozenset(o.key for o in self.options_of(action) if not o.prefix)


class CatalogProblem(StrEnum):
    WHICH_ACTION = "which_action"
    NOT_ALLOWED = "not_allowed"
    UNKNOWN_OPTION = "unknown_option"
    DUPLICATE_OPTION = "duplicate_option"


class CatalogError(ValueError):
    """A typed command its declaration refuses; codes and typed words, never prose.
    `unknown`: the option keys (or the action word) as typed; `permission`: who may run it."""

    def __init__(
        self,
        problem: CatalogProblem,
        *,
        action: Action | None = None,
        unknown: tuple[str, ...] = (),
        permission: Permission = Permission.EVERYONE,
        suggestion: str = "",
    ) -> None:
        super().__init__(f"{problem.value}: {', '.join(unknown)}")
        self.problem = problem
        self.action = action
        self.unknown = unknown
        self.permission = permission
        self.suggestion = suggestion


@dataclass(frozen=True)
class ReadCommand:
    """A typed command in canonical words, with the action it names (None: the bare form)."""

    command: ParsedCommand
    action: Action | None


def read_command(
    subcommand: Subcommand, command: ParsedCommand, roles: frozenset[Role]
) -> ReadCommand:
    """The command with its action word and option keys made canonical, or a `CatalogError`:
    an action is missing, the member may not run it, or an option is not declared."""
    arguments = command.arguments
    action = subcommand.action(arguments[0]) if arguments else None
    if action is None and not subcommand.bare:
        raise CatalogError(CatalogProblem.WHICH_ACTION, unknown=arguments[:1])
    if action is None and arguments and _no_word_fits(subcommand, arguments[0]):
        raise CatalogError(CatalogProblem.WHICH_ACTION, unknown=arguments[:1])
    permission = (action.permission if action else None) or subcommand.permission
    if not may_run(permission, roles):
        raise CatalogError(CatalogProblem.NOT_ALLOWED, action=action, permission=permission)
    options = _canonical_options(subcommand, action, command.options)
    if action is not None:
        arguments = (action.name, *arguments[1:])
    return ReadCommand(ParsedCommand((command.words[0], *arguments), options), action)


def _no_word_fits(subcommand: Subcommand, word: str) -> bool:
    """A word after a subcommand whose bare form takes none, that is no action either; a bare
    option's key is let through (`digest week`: the week form, missing its `=`)."""
    if subcommand.arguments or not subcommand.actions:
        return False
    return not any(option.canonical(word.casefold()) for option in subcommand.options)


def _canonical_options(
    subcommand: Subcommand, action: Action | None, typed: Mapping[str, str]
) -> dict[str, str]:
    declared = subcommand.options_of(action)
    free = action.free_options if action is not None else subcommand.free_options
    options: dict[str, str] = {}
    unknown: list[str] = []
    for key, value in typed.items():
        canonical = next((c for o in declared if (c := o.canonical(key)) is not None), None)
        if canonical is None and not free:
            unknown.append(key)
            continue
        canonical = canonical or key
        if canonical in options:
            raise CatalogError(CatalogProblem.DUPLICATE_OPTION, action=action, unknown=(key,))
        options[canonical] = value
    if unknown:
        names = [name for option in declared for name in option.all_keys]
        close = get_close_matches(unknown[0], names, n=1, cutoff=0.6)
        raise CatalogError(
            CatalogProblem.UNKNOWN_OPTION,
            action=action,
            unknown=tuple(unknown),
            suggestion=close[0] if close else "",
        )
    return options


def forms_taking(subcommand: Subcommand, key: str) -> tuple[Action | None, ...]:
    """The forms (None: the bare one) that declare a typed key: "`week=` goes with `digest`"."""
    forms: list[Action | None] = [None] if subcommand.bare else []
    forms.extend(subcommand.actions)
    return tuple(
        form
        for form in forms
        if any(o.canonical(key) is not None for o in subcommand.options_of(form))
    )
