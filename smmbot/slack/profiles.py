"""Reads a member's time zone, locale and role from Slack (users.info with include_locale)."""

from __future__ import annotations

from slack_sdk import WebClient

from smmbot.services.identity import MemberProfile, ProfileLookup

ADMIN_ROLES = ("is_admin", "is_owner", "is_primary_owner")


def slack_profile_lookup(client: WebClient) -> ProfileLookup:
    def lookup(user_id: str) -> MemberProfile | None:
        response = client.users_info(user=user_id, include_locale=True)
        user = response.get("user") or {}
        return MemberProfile(
            timezone=user.get("tz"),
            locale=user.get("locale"),
            is_admin=any(user.get(role) for role in ADMIN_ROLES),
        )

    return lookup
