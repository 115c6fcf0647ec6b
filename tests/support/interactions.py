"""Button and form services called the way the interaction router calls them, without Slack:
the form's metadata is read with the ids its listener declares, so a test sees what a member
would."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from smmbot.domain.payloads import read_form_metadata
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import Reply
from smmbot.services.context import (
    Actor,
    ButtonRequest,
    FormOutcome,
    FormRequest,
    InteractionRequest,
    ServiceContext,
)
from smmbot.services.interactions import Form
from smmbot.slack.listeners import approval, calendar, campaigns, drafts, templates

V = TypeVar("V")

DECLARED_FORMS = {
    form.answer: form
    for form in {
        **drafts.FORMS,
        **calendar.FORMS,
        **campaigns.FORMS,
        **templates.FORMS,
        **approval.FORMS,
    }.values()
}


def member(ctx: ServiceContext, actor: Actor) -> InteractionRequest:
    return InteractionRequest(ctx, actor, Translator(actor.locale))


def click(
    ctx: ServiceContext, actor: Actor, service: Callable[[ButtonRequest[V]], Reply], value: V
) -> Reply:
    return service(ButtonRequest(ctx, actor, Translator(actor.locale), value))


def form_request(
    ctx: ServiceContext,
    actor: Actor,
    private_metadata: str,
    values: Mapping[str, str],
    form: Form | None = None,
) -> FormRequest:
    ids, optional_ids = (form.ids, form.optional_ids) if form else ((), ())
    metadata = read_form_metadata(private_metadata, ids=ids, optional_ids=optional_ids)
    return FormRequest(ctx, actor, Translator(actor.locale), metadata, values)


def submit(
    ctx: ServiceContext,
    actor: Actor,
    service: Callable[[FormRequest], FormOutcome],
    private_metadata: str,
    values: Mapping[str, str],
) -> FormOutcome:
    """`service` as the form its listener declares it in (the same ids checked)."""
    form = DECLARED_FORMS[service]
    return service(form_request(ctx, actor, private_metadata, values, form))
