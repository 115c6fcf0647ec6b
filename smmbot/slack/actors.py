"""Who clicked or submitted: the same identity service as slash commands, from any payload."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from smmbot.services.context import Actor, ServiceContext
from smmbot.services.identity import identify_actor
from smmbot.slack.profiles import slack_profile_lookup


def actor_from_payload(ctx: ServiceContext, body: dict[str, Any], client: WebClient) -> Actor:
    user = body.get("user", {})
    team_id = (body.get("team") or {}).get("id") or user.get("team_id", "")
    channel_id = (body.get("channel") or {}).get("id")
    return identify_actor(
        ctx=ctx,
        team_id=team_id,
        user_id=user.get("id", ""),
        channel_id=channel_id,
        lookup_profile=slack_profile_lookup(client),
    )
