"""The two shapes every button and form takes, so feature listeners are just tables.

A click: acknowledge, identify the member, call the service, then open the form it returns as a
modal or answer privately below the clicked message. A form submission: field errors go back
next to the fields; otherwise the result is posted privately where the form was started.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from smmbot.services.context import ServiceContext
from smmbot.services.interactions import Button, Form, answer_click, submit_form
from smmbot.slack.actors import interaction_from_payload
from smmbot.slack.blocks import submitted_values
from smmbot.slack.profiles import slack_profile_lookup
from smmbot.slack.replies import deliver, post_privately


def _one_of(names: Iterable[str]) -> re.Pattern[str]:
    """One listener for many ids: Bolt tries every listener's matcher on every request, so
    fewer listeners keep the acknowledgement path short."""
    return re.compile("^(?:" + "|".join(re.escape(name) for name in names) + ")$")


def register_buttons(app: App, ctx: ServiceContext, buttons: Mapping[str, Button[Any]]) -> None:
    def on_click(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        reply = answer_click(
            ctx=ctx,
            interaction=interaction_from_payload(body, f"button {action['action_id']}"),
            lookup_profile=slack_profile_lookup(client),
            button=buttons[action["action_id"]],
            value=str(action.get("value", "")),
        )
        if body.get("response_url") or reply.form is not None:
            deliver(reply, respond=respond, client=client, trigger_id=body.get("trigger_id"))
        else:  # an App Home button has no response_url: answer the member privately instead
            channel = (body.get("channel") or {}).get("id")
            post_privately(reply, client=client, channel_id=channel, user_id=body["user"]["id"])

    app.action(_one_of(buttons))(on_click)


def register_forms(app: App, ctx: ServiceContext, forms: Mapping[str, Form]) -> None:
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        values = submitted_values(view)
        who = interaction_from_payload(body, f"form {view['callback_id']}")
        outcome = submit_form(
            ctx=ctx,
            interaction=who,
            lookup_profile=slack_profile_lookup(client),
            form=forms[view["callback_id"]],
            metadata=str(view.get("private_metadata") or ""),
            values=values,
            field_names=tuple(values),
        )
        if outcome.errors:
            ack(response_action="errors", errors=dict(outcome.errors))
            return
        ack()
        if outcome.reply is not None:
            post_privately(
                outcome.reply, client=client, channel_id=outcome.channel_id, user_id=who.user_id
            )

    app.view(_one_of(forms))(submit)
