"""The `/smm` use case: parse what was typed, run the subcommand, answer in the user's language.

Slack and the console both call `run_command`, so the two surfaces cannot drift apart. Any
unexpected failure becomes a polite reply with a reference to the log, never a stack trace.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from smmbot.domain.command_spec import CatalogError, CatalogProblem, Subcommand, read_command
from smmbot.domain.commands import closest_subcommand, find_subcommand, stray_words
from smmbot.domain.grammar import CommandSyntaxError, ParsedCommand, SyntaxProblem, parse_command
from smmbot.domain.payloads import TamperedPayloadError
from smmbot.persistence.database import DatabaseUnavailableError
from smmbot.rendering import help as help_replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.approval import handle_review
from smmbot.services.bio import handle_bio
from smmbot.services.calendar_listing import handle_calendar
from smmbot.services.campaigns import handle_campaign
from smmbot.services.competitors import handle_competitor
from smmbot.services.context import (
    Actor,
    CommandRequest,
    GroupLookup,
    ServiceContext,
    Surface,
)
from smmbot.services.digest import handle_digest
from smmbot.services.drafts import handle_draft, handle_templates
from smmbot.services.drafts_listing import handle_drafts
from smmbot.services.history import handle_history
from smmbot.services.identity import (
    ProfileLookup,
    cached_actor,
    identify_actor,
    locale_without_database,
)
from smmbot.services.insights import handle_insights
from smmbot.services.links import handle_link
from smmbot.services.metrics import handle_log
from smmbot.services.metrics_import import handle_import
from smmbot.services.operations import record_command
from smmbot.services.post_results import handle_post_log
from smmbot.services.recurring import handle_schedule
from smmbot.services.settings import handle_settings
from smmbot.services.sharebar import handle_sharebar
from smmbot.services.sources import handle_connect, handle_disconnect, handle_sources
from smmbot.services.templates import handle_template

log = logging.getLogger(__name__)


Handler = Callable[[CommandRequest], Reply]


def _help(request: CommandRequest) -> Reply:
    tr, prefix = request.tr, request.prefix
    if not request.command.arguments:
        return help_replies.help_overview(tr, prefix, frozenset(HANDLERS))
    topic_name = request.command.arguments[0]
    topic = find_subcommand(topic_name)
    if topic is None:
        return help_replies.problem(
            tr, prefix, tr.mrkdwn("error.unknown_topic", name=topic_name, prefix=prefix)
        )
    return help_replies.help_topic(tr, prefix, topic, built=topic.name in HANDLERS)


def _log(request: CommandRequest) -> Reply:
    """`log … post=<id>` is a post's own result; any other `log` a workspace reading."""
    if "post" in request.command.options and request.command.arguments:
        return handle_post_log(request)
    return handle_log(request)


HANDLERS: dict[str, Handler] = {
    "help": _help,
    "templates": handle_templates,
    "draft": handle_draft,
    "drafts": handle_drafts,
    "link": handle_link,
    "template": handle_template,
    "campaign": handle_campaign,
    "schedule": handle_schedule,
    "calendar": handle_calendar,
    "digest": handle_digest,
    "log": _log,
    "import": handle_import,
    "settings": handle_settings,
    "bio": handle_bio,
    "competitor": handle_competitor,
    "sharebar": handle_sharebar,
    "connect": handle_connect,
    "disconnect": handle_disconnect,
    "sources": handle_sources,
    "insights": handle_insights,
    "history": handle_history,
    "review": handle_review,
}


INSTANT_SUBCOMMANDS = frozenset({"help"})


def instant_answer(
    *, ctx: ServiceContext, team_id: str, user_id: str, channel_id: str | None, text: str
) -> Reply | None:
    """A reply that can go back inside Slack's acknowledgement: help and input that cannot be
    run at all, for a member whose profile is cached. It needs no Slack call and little work,
    so the answer appears at once instead of after a second round trip through response_url."""
    try:
        command = parse_command(text)
    except CommandSyntaxError:
        command = None
    if command is not None and command.words:
        subcommand = find_subcommand(command.name)
        if subcommand is not None and subcommand.name not in INSTANT_SUBCOMMANDS:
            return None
    try:
        actor = cached_actor(ctx=ctx, team_id=team_id, user_id=user_id, channel_id=channel_id)
    except DatabaseUnavailableError:
        return None  # acknowledge first; the full path answers in the member's language
    if actor is None:
        return None
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def answer_slash_command(
    *,
    ctx: ServiceContext,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    text: str,
    lookup_profile: ProfileLookup,
    lookup_group: GroupLookup | None = None,
) -> Reply:
    """A `/smm` typed in Slack, from identifying the member to the reply."""
    try:
        actor = identify_actor(
            ctx=ctx,
            team_id=team_id,
            user_id=user_id,
            channel_id=channel_id,
            lookup_profile=lookup_profile,
        )
    except DatabaseUnavailableError:
        locale = locale_without_database(ctx, team_id, user_id, lookup_profile)
        return database_unavailable(Translator(locale), f"identify {team_id}/{user_id}")
    except Exception:
        return internal_error(Translator(""), f"identify {team_id}/{user_id}")
    return run_command(
        ctx=ctx, actor=actor, text=text, surface=Surface.SLACK, lookup_group=lookup_group
    )


def run_command(
    *,
    ctx: ServiceContext,
    actor: Actor,
    text: str,
    surface: Surface,
    lookup_group: GroupLookup | None = None,
) -> Reply:
    """Every command's reply, counted by subcommand and outcome (a refusal's reply is the one
    whose notification text is the error fallback: every bad-input reply is built that way)."""
    tr = Translator(actor.locale)
    what = f"command {text!r} from {actor.team_id}/{actor.user_id}"
    label = ["unreadable"]  # the catalog's name once parsed: a closed set for the metric
    try:
        reply = _dispatch(
            ctx=ctx,
            actor=actor,
            text=text,
            tr=tr,
            prefix=surface.command_prefix,
            label=label,
            lookup_group=lookup_group,
        )
    except DatabaseUnavailableError:
        record_command(label[0], "error")
        return database_unavailable(tr, what)
    except TamperedPayloadError:
        record_command(label[0], "refused")
        return tampered_payload(tr, what)
    except Exception:
        record_command(label[0], "error")
        return internal_error(tr, what)
    refused = reply.fallback == tr.plain("error.fallback")
    record_command(label[0], "refused" if refused else "answered")
    return reply


def database_unavailable(tr: Translator, what: str) -> Reply:
    """Not a bug to chase: logged without a traceback, answered with "try again"."""
    log.warning("%s: the database could not be reached", what)
    return help_replies.notice(tr, "database_unavailable")


def tampered_payload(tr: Translator, what: str) -> Reply:
    """A button value or form metadata no message of ours carries: refused, nothing changed."""
    log.warning("%s: refused a button value or form metadata that does not parse", what)
    return help_replies.notice(tr, "tampered")


def internal_error(tr: Translator, what: str) -> Reply:
    """Logs the traceback under a short reference the user can quote to their admin."""
    reference = uuid.uuid4().hex[:8]
    log.exception("%s failed [%s]", what, reference)
    return help_replies.internal_error(tr, reference)


def _dispatch(
    *,
    ctx: ServiceContext,
    actor: Actor,
    text: str,
    tr: Translator,
    prefix: str,
    label: list[str],
    lookup_group: GroupLookup | None,
) -> Reply:
    try:
        command = parse_command(text)
    except CommandSyntaxError as error:
        return help_replies.problem(tr, prefix, _syntax_message(tr, error))
    if not command.words:
        label[0] = "help"
        return help_replies.help_overview(tr, prefix, frozenset(HANDLERS))
    subcommand = find_subcommand(command.name)
    label[0] = subcommand.name if subcommand is not None else "unknown"
    if subcommand is None:
        suggestion = closest_subcommand(command.name)
        message = tr.mrkdwn(
            "error.unknown_command",
            name=command.words[0],
            suggestion=suggestion.name if suggestion else "",
            prefix=prefix,
        )
        return help_replies.problem(tr, prefix, message)
    handler = HANDLERS.get(subcommand.name)
    if handler is None:
        return help_replies.not_built_yet(tr, prefix, subcommand)
    stray = stray_words(subcommand, command.arguments)
    if stray:
        message = tr.mrkdwn("error.stray_words", words=" ".join(stray))
        return help_replies.problem(tr, prefix, message, usage_of=subcommand)
    try:
        return handler(_request(ctx, actor, command, subcommand, tr, prefix, lookup_group))
    except Refusal as refusal:
        return help_replies.refusal_reply(tr, prefix, refusal)


def _request(
    ctx: ServiceContext,
    actor: Actor,
    command: ParsedCommand,
    subcommand: Subcommand,
    tr: Translator,
    prefix: str,
    lookup_group: GroupLookup | None,
) -> CommandRequest:
    """The request in the catalog's canonical words, or the catalog's one refusal of it."""
    try:
        read = read_command(subcommand, command, actor.roles)
    except CatalogError as error:
        if error.problem is CatalogProblem.NOT_ALLOWED:
            log.info(
                "%s refused to %s/%s: needs %s",
                command.name,
                actor.team_id,
                actor.user_id,
                error.permission.value,
            )
        raise help_replies.catalog_refusal(tr, subcommand, error) from error
    return CommandRequest(ctx, actor, read.command, subcommand, tr, prefix, lookup_group)


def _syntax_message(tr: Translator, error: CommandSyntaxError) -> Mrkdwn:
    if error.problem is SyntaxProblem.UNCLOSED_QUOTE:
        return tr.mrkdwn("error.unclosed_quote", text=error.detail)
    return tr.mrkdwn("error.duplicate_option", key=error.detail)
