"""Who clicked or submitted: the same identity service as slash commands, from any payload."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from smmbot.services.context import Actor, ServiceContext
from smmbot.services.identity import identify_actor
from smmbot.services.interactions import Interaction
from smmbot.slack.profiles import slack_profile_lookup


def interaction_from_payload(body: dict[str, Any], what: str) -> Interaction:
    user = body.get("user") or {}
    team_id = (body.get("team") or {}).get("id") or user.get("team_id", "")
    channel_id = (body.get("channel") or {}).get("id")
    return Interaction(
        team_id=str(team_id), user_id=str(user.get("id", "")), channel_id=channel_id, what=what
    )


def actor_from_payload(ctx: ServiceContext, body: dict[str, Any], client: WebClient) -> Actor:
    who = interaction_from_payload(body, "event")
    return identify_actor(
        ctx=ctx,
        team_id=who.team_id,
        user_id=who.user_id,
        channel_id=who.channel_id,
        lookup_profile=slack_profile_lookup(client),
    )
