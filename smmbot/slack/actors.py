"""Who clicked, submitted or sent an event, read from any payload; services identify them."""

from __future__ import annotations

from typing import Any

from smmbot.services.interactions import Interaction


def interaction_from_payload(body: dict[str, Any], what: str) -> Interaction:
    user = body.get("user") or {}
    team_id = (body.get("team") or {}).get("id") or user.get("team_id", "")
    channel_id = (body.get("channel") or {}).get("id")
    return Interaction(
        team_id=str(team_id), user_id=str(user.get("id", "")), channel_id=channel_id, what=what
    )
