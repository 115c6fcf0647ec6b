"""`/smm`: answer inside the acknowledgement when that is instant, else acknowledge at once and
answer through the response_url.

The listener keeps running after `ack()` (Bolt sends the HTTP response as soon as ack is
called), so Slack gets its acknowledgement within milliseconds however slow the Web API is.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from smmbot.rendering.mrkdwn import unescape_mrkdwn
from smmbot.services.commands import answer_slash_command, instant_answer
from smmbot.services.context import ServiceContext
from smmbot.slack.blocks import message_payload
from smmbot.slack.profiles import slack_group_lookup, slack_profile_lookup
from smmbot.slack.replies import deliver


def register(app: App, ctx: ServiceContext) -> None:
    @app.command("/smm")
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        who = {
            "team_id": command["team_id"],
            "user_id": command["user_id"],
            "channel_id": command.get("channel_id"),
            "text": unescape_mrkdwn(command.get("text", "")),
        }
        instant = instant_answer(ctx=ctx, **who)
        if instant is not None:
            ack(**message_payload(instant))
            return
        ack()
        reply = answer_slash_command(
            ctx=ctx,
            lookup_profile=slack_profile_lookup(client),
            lookup_group=slack_group_lookup(client),
            **who,
        )
        deliver(
            reply,
            respond=respond,
            client=client,
            trigger_id=command.get("trigger_id"),
            channel_id=command.get("channel_id"),
            user_id=command["user_id"],
        )
