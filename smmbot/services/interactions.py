"""Buttons, forms and events, from identifying the member to the reply, whatever goes wrong.

The router builds the request once: the member, the translator for their language, and the
button's value or the form's metadata read and checked. A click or a submission is answered
like a command: an unreachable database gets "try again, nothing was saved" in the member's
language, a button value or form metadata that does not parse (an old or altered message) gets
a refusal before any service runs, a `Refusal` raised by the service becomes its reply, and
anything else a reply with a reference to the log, never an HTTP 500 or a silent spinner.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from smmbot.domain.payloads import TamperedPayloadError, read_form_metadata
from smmbot.persistence.database import DatabaseUnavailableError
from smmbot.rendering.help import refusal_reply
from smmbot.rendering.i18n import Translator
from smmbot.rendering.refusal import Refusal
from smmbot.rendering.reply import Reply
from smmbot.services.commands import database_unavailable, internal_error, tampered_payload
from smmbot.services.context import (
    ButtonRequest,
    FormOutcome,
    FormRequest,
    InteractionRequest,
    ServiceContext,
    Surface,
)
from smmbot.services.identity import ProfileLookup, identify_actor, locale_without_database

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True)
class Interaction:
    """Who clicked or submitted, and what: `what` names it in the log."""

    team_id: str
    user_id: str
    channel_id: str | None
    what: str


@dataclass(frozen=True)
class Button(Generic[V]):
    """A button's service and how its value is read (`button_record_id`, or `str` for a value
    any text may be); a value `read` refuses with `TamperedPayloadError` never reaches `answer`."""

    read: Callable[[str], V]
    answer: Callable[[ButtonRequest[V]], Reply]


@dataclass(frozen=True)
class Form:
    """A form's service and the record ids its metadata must carry (`optional_ids`: only
    checked when present)."""

    answer: Callable[[FormRequest], FormOutcome]
    ids: Collection[str] = ()
    optional_ids: Collection[str] = ()


def answer_click(
    *,
    ctx: ServiceContext,
    interaction: Interaction,
    lookup_profile: ProfileLookup,
    button: Button[V],
    value: str,
) -> Reply:
    def act(request: InteractionRequest) -> Reply:
        read = button.read(value)
        return button.answer(ButtonRequest(request.ctx, request.actor, request.tr, read))

    return answer_event(ctx=ctx, interaction=interaction, lookup_profile=lookup_profile, act=act)


def answer_event(
    *,
    ctx: ServiceContext,
    interaction: Interaction,
    lookup_profile: ProfileLookup,
    act: Callable[[InteractionRequest], Reply],
) -> Reply:
    """Anything a member does outside a command that is answered with a reply: a click, a
    shared file, opening the App Home tab."""
    return _guarded(ctx, interaction, lookup_profile, act, _reply_for, lambda reply: reply)


def submit_form(
    *,
    ctx: ServiceContext,
    interaction: Interaction,
    lookup_profile: ProfileLookup,
    form: Form,
    metadata: str,
    values: Mapping[str, str],
    field_names: Sequence[str],
) -> FormOutcome:
    """A database that cannot be reached keeps the form open with the message next to its
    first field, so the member can submit again without retyping; other failures close it and
    answer privately."""

    def act(request: InteractionRequest) -> FormOutcome:
        checked = read_form_metadata(metadata, ids=form.ids, optional_ids=form.optional_ids)
        return form.answer(FormRequest(request.ctx, request.actor, request.tr, checked, values))

    def outcome_for(failure: type[Exception], tr: Translator, what: str) -> FormOutcome:
        if failure is DatabaseUnavailableError and field_names:
            return FormOutcome(errors={field_names[0]: tr.plain("error.database_unavailable")})
        return FormOutcome(errors={}, reply=_reply_for(failure, tr, what), channel_id=None)

    return _guarded(
        ctx,
        interaction,
        lookup_profile,
        act,
        outcome_for,
        lambda reply: FormOutcome(errors={}, reply=reply),
    )


def _guarded(
    ctx: ServiceContext,
    interaction: Interaction,
    lookup_profile: ProfileLookup,
    act: Callable[[InteractionRequest], T],
    on_problem: Callable[[type[Exception], Translator, str], T],
    on_refusal: Callable[[Reply], T],
) -> T:
    tr: Translator | None = None
    try:
        actor = identify_actor(
            ctx=ctx,
            team_id=interaction.team_id,
            user_id=interaction.user_id,
            channel_id=interaction.channel_id,
            lookup_profile=lookup_profile,
        )
        tr = Translator(actor.locale)
        return act(InteractionRequest(ctx, actor, tr))
    except Refusal as refusal:
        assert tr is not None  # only services refuse, and they run once the member is known
        return on_refusal(refusal_reply(tr, Surface.SLACK.command_prefix, refusal))
    except DatabaseUnavailableError:
        if tr is None:
            tr = Translator(
                locale_without_database(
                    ctx, interaction.team_id, interaction.user_id, lookup_profile
                )
            )
        return on_problem(DatabaseUnavailableError, tr, interaction.what)
    except TamperedPayloadError:
        return on_problem(TamperedPayloadError, tr or Translator(""), interaction.what)
    except Exception:
        return on_problem(Exception, tr or Translator(""), interaction.what)


def _reply_for(failure: type[Exception], tr: Translator, what: str) -> Reply:
    if failure is DatabaseUnavailableError:
        return database_unavailable(tr, what)
    if failure is TamperedPayloadError:
        return tampered_payload(tr, what)
    return internal_error(tr, what)
