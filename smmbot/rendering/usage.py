"""Usage lines written from the catalog, in the member's language.

Help, refusals and "coming soon" all show these, so a declared action or option is in help the
moment dispatch accepts it, with the Indonesian word to an Indonesian member (`kampanye baru`,
`anggaran=`). Placeholders (`<name>`, `YYYY-MM-DD`) come from the `placeholder` messages.
"""

from __future__ import annotations

from smmbot.domain.command_spec import Action, Option, Subcommand
from smmbot.rendering.i18n import Translator


def form_name(tr: Translator, subcommand: Subcommand, action: Action | None) -> str:
    """`kampanye baru`, `digest`: how the member types the start of one form."""
    name = subcommand.shown(tr.locale)
    return f"{name} {action.shown(tr.locale)}" if action is not None else name


def _placeholder(tr: Translator, name: str) -> str:
    """`<name>`; an optional one in brackets instead (`[command]`, not `[<command>]`)."""
    text = tr.plain(f"placeholder.{name.removesuffix('?')}")
    if not name.endswith("?"):
        return text
    return f"[{text.removeprefix('<').removesuffix('>')}]"


def _option(tr: Translator, option: Option) -> str:
    value = _placeholder(tr, option.value)
    key = option.shown(tr.locale)
    text = f"{key}{value}" if option.prefix else f"{key}={value}"
    return text if option.required else f"[{text}]"


def _line(
    tr: Translator,
    name: str,
    arguments: tuple[str, ...],
    options: tuple[Option, ...],
    free_options: bool,
) -> str:
    words = [name, *(_placeholder(tr, argument) for argument in arguments)]
    if free_options:
        words.append(tr.plain("placeholder.free_options"))
    ordered = sorted(options, key=lambda option: not option.required)
    words.extend(_option(tr, option) for option in ordered)
    return " ".join(words)


def usage_lines(tr: Translator, subcommand: Subcommand) -> list[str]:
    """One line per form: the bare one first (when it exists), then each action."""
    lines = []
    if subcommand.bare:
        lines.append(
            _line(
                tr,
                subcommand.shown(tr.locale),
                subcommand.arguments,
                subcommand.options,
                subcommand.free_options,
            )
        )
    lines.extend(
        _line(
            tr,
            form_name(tr, subcommand, action),
            action.arguments,
            action.options,
            action.free_options,
        )
        for action in subcommand.actions
    )
    return lines


def synopsis(tr: Translator, subcommand: Subcommand) -> list[str]:
    """The overview's short form: the bare form's positional words, then the actions."""
    name = subcommand.shown(tr.locale)
    lines = []
    if subcommand.bare:
        lines.append(" ".join([name, *(_placeholder(tr, a) for a in subcommand.arguments)]))
    if subcommand.actions:
        actions = "|".join(action.shown(tr.locale) for action in subcommand.actions)
        lines.append(f"{name} {actions}")
    return lines
