"""Help, "coming soon" and error replies for the `/smm` command itself."""

from __future__ import annotations

from functools import cache

from smmbot.domain.command_spec import CatalogError, CatalogProblem, Subcommand, forms_taking
from smmbot.domain.commands import SUBCOMMANDS
from smmbot.rendering import limits
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn, escape_mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Block, Context, Divider, Header, Reply, Section
from smmbot.rendering.usage import form_name, synopsis, usage_lines


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def sentence_case(text: str) -> str:
    """Only the first letter goes up: `str.capitalize` would also lower "SMO", "UTM", "CSV"."""
    return text[:1].upper() + text[1:]


def _code_lines(prefix: str, lines: list[str]) -> Mrkdwn:
    """Usage lines as the user types them here: `/smm …` in Slack, bare in the console."""
    return Mrkdwn("```" + "\n".join(escape_mrkdwn(prefix + line) for line in lines) + "```")


def usage_section(tr: Translator, prefix: str, subcommand: Subcommand) -> Section:
    usage = _code_lines(prefix, usage_lines(tr, subcommand))
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
            usages=[prefix + line for line in synopsis(tr, sub)],
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
    example = _code_lines(prefix, _lines(tr.plain(f"example.{subcommand.name}")))
    blocks: list[Block] = [
        Header(prefix + subcommand.shown(tr.locale)),
        Section(escape_mrkdwn(sentence_case(tr.plain(f"summary.{subcommand.name}")))),
        usage_section(tr, prefix, subcommand),
        Section(Mrkdwn(f"{tr.mrkdwn('help.topic_examples')}\n{example}")),
    ]
    notes = []
    if tr.has(f"note.{subcommand.name}"):
        notes.append(tr.mrkdwn(f"note.{subcommand.name}", prefix=prefix))
    others = [name for name in subcommand.all_names if name != subcommand.shown(tr.locale)]
    if subcommand.aliases:
        notes.append(tr.mrkdwn("help.topic_aliases", aliases=", ".join(others)))
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


def refusal_reply(tr: Translator, prefix: str, refusal: Refusal) -> Reply:
    """The reply to any `Refusal`: its message, then the usage it names (or brings)."""
    if not refusal.usage:
        return problem(tr, prefix, refusal.message, usage_of=refusal.usage_of)
    return Reply(
        blocks=(Section(refusal.message), *refusal.usage), fallback=tr.plain("error.fallback")
    )


def catalog_refusal(tr: Translator, subcommand: Subcommand, error: CatalogError) -> Refusal:
    """What the catalog refuses, named in the member's words (`anggaran=`, `kampanye baru`)."""
    command = form_name(tr, subcommand, error.action)
    if error.problem is CatalogProblem.WHICH_ACTION:
        actions = ", ".join(f"`{action.shown(tr.locale)}`" for action in subcommand.actions)
        word = error.unknown[0] if error.unknown else ""
        message = tr.mrkdwn("error.which_action", name=command, actions=Mrkdwn(actions), word=word)
    elif error.problem is CatalogProblem.NOT_ALLOWED:
        who = tr.plain(f"permission.{error.permission.value}")
        return Refusal(tr.mrkdwn("error.not_allowed", command=command, who=who))
    elif error.problem is CatalogProblem.DUPLICATE_OPTION:
        message = tr.mrkdwn("error.duplicate_option", key=error.unknown[0])
    else:
        known = [o.shown(tr.locale) for o in subcommand.options_of(error.action)]
        elsewhere = [
            form_name(tr, subcommand, form) for form in forms_taking(subcommand, error.unknown[0])
        ]
        message = tr.mrkdwn(
            "error.unknown_option",
            keys=error.unknown,
            command=command,
            known=known,
            suggestion=error.suggestion,
            elsewhere=elsewhere,
        )
    return Refusal(message, usage_of=subcommand)


def internal_error(tr: Translator, reference: str) -> Reply:
    return Reply(
        blocks=(Section(tr.mrkdwn("error.internal", reference=reference)),),
        fallback=tr.plain("error.fallback"),
    )


def notice(tr: Translator, key: str) -> Reply:
    """A one-line answer from the `error` catalog (database unreachable, unreadable button)."""
    return Reply(blocks=(Section(tr.mrkdwn(f"error.{key}")),), fallback=tr.plain(f"error.{key}"))
