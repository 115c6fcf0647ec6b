"""`/smm`: answer inside the acknowledgement when that is instant, else acknowledge at once and
answer through the response_url.

The instant answer (help, input that cannot run, for a member whose profile is cached) is given
by a global middleware, after Bolt's signature check and authorisation, on the request's own
thread: a listener runs on Bolt's executor while the request thread polls for its `ack()` every
10 ms, so answering there made every help wait for a thread hop and at least one poll.
The listener does the rest: it keeps running after `ack()` (Bolt sends the HTTP response as
soon as ack is called), so Slack gets its acknowledgement within milliseconds however slow the
Web API is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse, Respond
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from smmbot.rendering.mrkdwn import unescape_mrkdwn
from smmbot.services.commands import answer_slash_command, instant_answer
from smmbot.services.context import ServiceContext
from smmbot.slack.blocks import message_payload
from smmbot.slack.profiles import slack_group_lookup, slack_profile_lookup
from smmbot.slack.replies import deliver

COMMAND = "/smm"


class _InstantAnswer(Middleware):
    """Answers `/smm` in the acknowledgement when `instant_answer` has a reply, built by Bolt's
    own `Ack` so the body is what `ack(...)` in a listener would have sent."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if body.get("command") != COMMAND or "team_id" not in body or "user_id" not in body:
            return next()
        instant = instant_answer(ctx=self._ctx, **_who(body))
        if instant is None:
            return next()
        return Ack()(**message_payload(instant))  # type: ignore[no-untyped-call]


def register(app: App, ctx: ServiceContext) -> None:
    app.use(_InstantAnswer(ctx))

    @app.command(COMMAND)
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        reply = answer_slash_command(
            ctx=ctx,
            lookup_profile=slack_profile_lookup(client),
            lookup_group=slack_group_lookup(client),
            **_who(command),
        )
        deliver(
            reply,
            respond=respond,
            client=client,
            trigger_id=command.get("trigger_id"),
            channel_id=command.get("channel_id"),
            user_id=command["user_id"],
        )


def _who(command: dict[str, Any]) -> dict[str, Any]:
    return {
        "team_id": command["team_id"],
        "user_id": command["user_id"],
        "channel_id": command.get("channel_id"),
        "text": unescape_mrkdwn(command.get("text", "")),
    }
