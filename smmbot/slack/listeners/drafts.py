"""Draft buttons and the two forms (modals): drafting from a template, adding a template."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from smmbot.rendering.custom_templates import TEMPLATE_FORM_CALLBACK
from smmbot.rendering.drafts import (
    DRAFT_FORM_CALLBACK,
    EDIT_ACTION,
    SCHEDULE_ACTION,
    SHARE_KIT_ACTION,
    USE_TEMPLATE_ACTION,
)
from smmbot.rendering.reply import Reply
from smmbot.services import custom_templates, drafts
from smmbot.services.context import Actor, ServiceContext
from smmbot.services.drafts import FormOutcome
from smmbot.slack.actors import actor_from_payload
from smmbot.slack.blocks import submitted_values
from smmbot.slack.replies import deliver, post_privately


class FormSubmitter(Protocol):
    def __call__(
        self, *, ctx: ServiceContext, actor: Actor, private_metadata: str, values: Mapping[str, str]
    ) -> FormOutcome: ...


FormListener = Callable[[Ack, dict[str, Any], dict[str, Any], WebClient], None]
ClickListener = Callable[[Ack, dict[str, Any], Respond, WebClient], None]


def _clicked_value(body: dict[str, Any]) -> str:
    return str(body["actions"][0].get("value", ""))


ButtonService = Callable[[ServiceContext, Actor, str], Reply]

BUTTONS: dict[str, ButtonService] = {
    USE_TEMPLATE_ACTION: lambda ctx, actor, value: drafts.open_template_form(
        ctx=ctx, actor=actor, template_name=value
    ),
    EDIT_ACTION: lambda ctx, actor, value: drafts.edit_draft_form(
        ctx=ctx, actor=actor, draft_id=int(value)
    ),
    SCHEDULE_ACTION: lambda ctx, actor, value: drafts.schedule_draft(
        ctx=ctx, actor=actor, draft_id=int(value)
    ),
    SHARE_KIT_ACTION: lambda ctx, actor, value: drafts.share_kit_for_draft(
        ctx=ctx, actor=actor, draft_id=int(value)
    ),
}
"""Every button answers the same way: a form opens as a modal, anything else is a new private
message below the one that was clicked (the draft stays visible)."""


def register(app: App, ctx: ServiceContext) -> None:
    def click_handler(service: ButtonService) -> ClickListener:
        def on_click(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
            ack()
            actor = actor_from_payload(ctx, body, client)
            reply = service(ctx, actor, _clicked_value(body))
            deliver(reply, respond=respond, client=client, trigger_id=body.get("trigger_id"))

        return on_click

    for action_id, service in BUTTONS.items():
        app.action(action_id)(click_handler(service))

    def form_handler(submit_form: FormSubmitter) -> FormListener:
        def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
            actor = actor_from_payload(ctx, body, client)
            outcome = submit_form(
                ctx=ctx,
                actor=actor,
                private_metadata=view.get("private_metadata", ""),
                values=submitted_values(view),
            )
            if outcome.errors:
                ack(response_action="errors", errors=dict(outcome.errors))
                return
            ack()
            if outcome.reply is not None:
                post_privately(
                    outcome.reply,
                    client=client,
                    channel_id=outcome.channel_id,
                    user_id=actor.user_id,
                )

        return submit

    app.view(DRAFT_FORM_CALLBACK)(form_handler(drafts.submit_draft_form))
    app.view(TEMPLATE_FORM_CALLBACK)(form_handler(custom_templates.submit_template_form))
