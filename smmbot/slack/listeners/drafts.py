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
from smmbot.services import custom_templates, drafts
from smmbot.services.context import Actor, ServiceContext
from smmbot.services.drafts import FormOutcome
from smmbot.slack.actors import actor_from_payload
from smmbot.slack.blocks import message_payload, submitted_values
from smmbot.slack.replies import deliver, post_privately


class FormSubmitter(Protocol):
    def __call__(
        self, *, ctx: ServiceContext, actor: Actor, private_metadata: str, values: Mapping[str, str]
    ) -> FormOutcome: ...


FormListener = Callable[[Ack, dict[str, Any], dict[str, Any], WebClient], None]


def _clicked_value(body: dict[str, Any]) -> str:
    return str(body["actions"][0].get("value", ""))


def register(app: App, ctx: ServiceContext) -> None:
    @app.action(USE_TEMPLATE_ACTION)
    def use_template(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        actor = actor_from_payload(ctx, body, client)
        reply = drafts.open_template_form(ctx=ctx, actor=actor, template_name=_clicked_value(body))
        deliver(reply, respond=respond, client=client, trigger_id=body.get("trigger_id"))

    @app.action(EDIT_ACTION)
    def edit(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        actor = actor_from_payload(ctx, body, client)
        reply = drafts.edit_draft_form(ctx=ctx, actor=actor, draft_id=int(_clicked_value(body)))
        deliver(reply, respond=respond, client=client, trigger_id=body.get("trigger_id"))

    @app.action(SHARE_KIT_ACTION)
    def share_kit(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        actor = actor_from_payload(ctx, body, client)
        reply = drafts.share_kit_for_draft(ctx=ctx, actor=actor, draft_id=int(_clicked_value(body)))
        respond(**message_payload(reply), replace_original=False)

    @app.action(SCHEDULE_ACTION)
    def schedule(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        actor = actor_from_payload(ctx, body, client)
        reply = drafts.schedule_draft(ctx=ctx, actor=actor, draft_id=int(_clicked_value(body)))
        respond(**message_payload(reply), replace_original=False)

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
