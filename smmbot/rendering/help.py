"""Help, "coming soon" and error replies for the `/smm` command itself."""

from __future__ import annotations

from functools import cache

from smmbot.domain.commands import SUBCOMMANDS, Subcommand
from smmbot.rendering import limits
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn
from smmbot.rendering.reply import Block, Context, Divider, Header, Reply, Section


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def sentence_case(text: str) -> str:
    """Only the first letter goes up: `str.capitalize` would also lower "SMO", "UTM", "CSV"."""
    return text[:1].upper() + text[1:]


def _code_lines(prefix: str, text: str) -> Mrkdwn:
    """Usage lines as the user types them here: `/smm …` in Slack, bare in the console."""
    lines = (escape_mrkdwn(prefix + line) for line in _lines(text))
    return Mrkdwn("```" + "\n".join(lines) + "```")


def usage_section(tr: Translator, prefix: str, subcommand: Subcommand) -> Section:
    usage = _code_lines(prefix, tr.plain(f"usage.{subcommand.name}"))
    return Section(Mrkdwn(f"{tr.mrkdwn('help.topic_usage')}\n{usage}"))


def help_overview(tr: Translator, prefix: str, built: frozenset[str]) -> Reply:
    """The most asked-for reply; it only depends on its arguments, so it is built once each."""
    return _help_overview(tr.locale, prefix, built)


@cache
def _help_overview(locale: str, prefix: str, built: frozenset[str]) -> Reply:
    tr = Translator(locale)
    lines = [
        tr.mrkdwn(
            "help.line",
            usages=[prefix + line for line in _lines(tr.plain(f"synopsis.{sub.name}"))],
            summary=tr.plain(f"summary.{sub.name}"),
            built=sub.name in built,
        )
        for sub in SUBCOMMANDS
    ]
    aliases = ", ".join(alias for sub in SUBCOMMANDS for alias in sub.aliases)
    blocks: tuple[Block, ...] = (
        Header(tr.plain("help.title")),
        Section(tr.mrkdwn("help.intro")),
        Divider(),
        *(Section(text) for text in limits.chunk_lines(lines)),
        Context(tr.mrkdwn("help.footer", prefix=prefix, aliases=aliases)),
    )
    return Reply(blocks=blocks, fallback=tr.plain("help.fallback"))


def help_topic(tr: Translator, prefix: str, subcommand: Subcommand, *, built: bool) -> Reply:
    example = _code_lines(prefix, tr.plain(f"example.{subcommand.name}"))
    blocks: list[Block] = [
        Header(prefix + subcommand.name),
        Section(escape_mrkdwn(sentence_case(tr.plain(f"summary.{subcommand.name}")))),
        usage_section(tr, prefix, subcommand),
        Section(Mrkdwn(f"{tr.mrkdwn('help.topic_examples')}\n{example}")),
    ]
    notes = []
    if subcommand.aliases:
        notes.append(tr.mrkdwn("help.topic_aliases", aliases=", ".join(subcommand.aliases)))
    if not built:
        notes.append(tr.mrkdwn("help.topic_coming_soon"))
    blocks.extend(Context(note) for note in notes)
    return Reply(blocks=tuple(blocks), fallback=prefix + subcommand.name)


def not_built_yet(tr: Translator, prefix: str, subcommand: Subcommand) -> Reply:
    blocks: tuple[Block, ...] = (
        Section(tr.mrkdwn("not_built.body", prefix=prefix, name=subcommand.name)),
        usage_section(tr, prefix, subcommand),
    )
    return Reply(blocks=blocks, fallback=tr.plain("not_built.title"))


def problem(
    tr: Translator, prefix: str, message: Mrkdwn, *, usage_of: Subcommand | None = None
) -> Reply:
    """A bad-input reply: what is wrong, then the right usage (or where to find it)."""
    blocks: list[Block] = [Section(message)]
    if usage_of is not None:
        blocks.append(usage_section(tr, prefix, usage_of))
    blocks.append(Context(tr.mrkdwn("error.see_help", prefix=prefix)))
    return Reply(blocks=tuple(blocks), fallback=tr.plain("error.fallback"))


def internal_error(tr: Translator, reference: str) -> Reply:
    return Reply(
        blocks=(Section(tr.mrkdwn("error.internal", reference=reference)),),
        fallback=tr.plain("error.fallback"),
    )


def notice(tr: Translator, key: str) -> Reply:
    """A one-line answer from the `error` catalog (database unreachable, unreadable button)."""
    return Reply(blocks=(Section(tr.mrkdwn(f"error.{key}")),), fallback=tr.plain(f"error.{key}"))
