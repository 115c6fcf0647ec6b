"""`/smm`: acknowledge at once, then answer through the response_url.

The work (profile lookup, database, rendering) runs in a lazy listener so Slack gets its
acknowledgement within milliseconds however slow the Web API or the database is that moment.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from smmbot.rendering.mrkdwn import unescape_mrkdwn
from smmbot.services.commands import answer_slash_command
from smmbot.services.context import ServiceContext
from smmbot.slack.profiles import slack_profile_lookup
from smmbot.slack.replies import deliver


def register(app: App, ctx: ServiceContext) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    def answer(command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        reply = answer_slash_command(
            ctx=ctx,
            team_id=command["team_id"],
            user_id=command["user_id"],
            channel_id=command.get("channel_id"),
            text=unescape_mrkdwn(command.get("text", "")),
            lookup_profile=slack_profile_lookup(client),
        )
        deliver(reply, respond=respond, client=client, trigger_id=command.get("trigger_id"))

    app.command("/smm")(ack=acknowledge, lazy=[answer])
