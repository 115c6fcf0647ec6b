"""Reads a member's time zone and locale from Slack (users.info with include_locale)."""

from __future__ import annotations

from slack_sdk import WebClient

from smmbot.services.identity import MemberProfile, ProfileLookup


def slack_profile_lookup(client: WebClient) -> ProfileLookup:
    def lookup(user_id: str) -> MemberProfile | None:
        response = client.users_info(user=user_id, include_locale=True)
        user = response.get("user") or {}
        return MemberProfile(timezone=user.get("tz"), locale=user.get("locale"))

    return lookup
