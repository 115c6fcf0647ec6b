"""The `/smm` use case: parse what was typed, run the subcommand, answer in the user's language.

Slack and the console both call `run_command`, so the two surfaces cannot drift apart. Any
unexpected failure becomes a polite reply with a reference to the log, never a stack trace.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from smmbot.domain.commands import closest_subcommand, find_subcommand
from smmbot.domain.grammar import CommandSyntaxError, SyntaxProblem, parse_command
from smmbot.rendering import help as help_replies
from smmbot.rendering.i18n import Translator
from smmbot.rendering.mrkdwn import Mrkdwn
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.calendar import handle_schedule
from smmbot.services.calendar_listing import handle_calendar
from smmbot.services.campaigns import handle_campaign
from smmbot.services.context import Actor, CommandRequest, ServiceContext, Surface
from smmbot.services.digest import handle_digest
from smmbot.services.drafts import handle_draft, handle_templates
from smmbot.services.identity import ProfileLookup, cached_actor, identify_actor
from smmbot.services.links import handle_link
from smmbot.services.metrics import handle_log
from smmbot.services.metrics_import import handle_import
from smmbot.services.settings import handle_settings
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


HANDLERS: dict[str, Handler] = {
    "help": _help,
    "templates": handle_templates,
    "draft": handle_draft,
    "link": handle_link,
    "template": handle_template,
    "campaign": handle_campaign,
    "schedule": handle_schedule,
    "calendar": handle_calendar,
    "digest": handle_digest,
    "log": handle_log,
    "import": handle_import,
    "settings": handle_settings,
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
    actor = cached_actor(ctx=ctx, team_id=team_id, user_id=user_id, channel_id=channel_id)
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
    except Exception:
        return internal_error(Translator(""), f"identify {team_id}/{user_id}")
    return run_command(ctx=ctx, actor=actor, text=text, surface=Surface.SLACK)


def run_command(*, ctx: ServiceContext, actor: Actor, text: str, surface: Surface) -> Reply:
    tr = Translator(actor.locale)
    try:
        return _dispatch(ctx=ctx, actor=actor, text=text, tr=tr, prefix=surface.command_prefix)
    except Exception:
        return internal_error(tr, f"command {text!r} from {actor.team_id}/{actor.user_id}")


def internal_error(tr: Translator, what: str) -> Reply:
    """Logs the traceback under a short reference the user can quote to their admin."""
    reference = uuid.uuid4().hex[:8]
    log.exception("%s failed [%s]", what, reference)
    return help_replies.internal_error(tr, reference)


def _dispatch(
    *, ctx: ServiceContext, actor: Actor, text: str, tr: Translator, prefix: str
) -> Reply:
    try:
        command = parse_command(text)
    except CommandSyntaxError as error:
        return help_replies.problem(tr, prefix, _syntax_message(tr, error))
    if not command.words:
        return help_replies.help_overview(tr, prefix, frozenset(HANDLERS))
    subcommand = find_subcommand(command.name)
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
    request = CommandRequest(ctx, actor, command, subcommand, tr, prefix)
    try:
        return handler(request)
    except Refusal as refusal:
        return help_replies.problem(tr, prefix, refusal.message, usage_of=refusal.usage_of)


def _syntax_message(tr: Translator, error: CommandSyntaxError) -> Mrkdwn:
    if error.problem is SyntaxProblem.UNCLOSED_QUOTE:
        return tr.mrkdwn("error.unclosed_quote", text=error.detail)
    return tr.mrkdwn("error.duplicate_option", key=error.detail)
