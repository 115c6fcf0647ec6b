"""Buttons and forms, from identifying the member to the reply, whatever goes wrong.

A click or a submission is answered like a command: an unreachable database gets "try again,
nothing was saved" in the member's language, a button value or form metadata that does not
parse (an old or altered message) gets a refusal, and anything else a reply with a reference
to the log, never an HTTP 500 or a silent spinner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from smmbot.domain.payloads import TamperedPayloadError
from smmbot.persistence.database import DatabaseUnavailableError
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.commands import database_unavailable, internal_error, tampered_payload
from smmbot.services.context import Actor, FormOutcome, ServiceContext
from smmbot.services.identity import ProfileLookup, identify_actor, locale_without_database

T = TypeVar("T")


@dataclass(frozen=True)
class Interaction:
    """Who clicked or submitted, and what: `what` names it in the log."""

    team_id: str
    user_id: str
    channel_id: str | None
    what: str


def answer_click(
    *,
    ctx: ServiceContext,
    interaction: Interaction,
    lookup_profile: ProfileLookup,
    act: Callable[[Actor], Reply],
) -> Reply:
    return _guarded(ctx, interaction, lookup_profile, act, _reply_for)


def submit_form(
    *,
    ctx: ServiceContext,
    interaction: Interaction,
    lookup_profile: ProfileLookup,
    field_names: Sequence[str],
    act: Callable[[Actor], FormOutcome],
) -> FormOutcome:
    """A database that cannot be reached keeps the form open with the message next to its
    first field, so the member can submit again without retyping; other failures close it and
    answer privately."""

    def outcome_for(problem: type[Exception], tr: Translator) -> FormOutcome:
        reply = _reply_for(problem, tr, interaction.what)
        if problem is DatabaseUnavailableError and field_names:
            return FormOutcome(errors={field_names[0]: tr.plain("error.database_unavailable")})
        return FormOutcome(errors={}, reply=reply, channel_id=None)

    return _guarded(
        ctx,
        interaction,
        lookup_profile,
        act,
        lambda problem, tr, _what: outcome_for(problem, tr),
    )


def _guarded(
    ctx: ServiceContext,
    interaction: Interaction,
    lookup_profile: ProfileLookup,
    act: Callable[[Actor], T],
    on_problem: Callable[[type[Exception], Translator, str], T],
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
        return act(actor)
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


def _reply_for(problem: type[Exception], tr: Translator, what: str) -> Reply:
    if problem is DatabaseUnavailableError:
        return database_unavailable(tr, what)
    if problem is TamperedPayloadError:
        return tampered_payload(tr, what)
    return internal_error(tr, what)
