"""Reads a member's time zone, locale and role from Slack (users.info with include_locale), and
a user group's members (usergroups.users.list) for the approvers setting."""

from __future__ import annotations

from slack_sdk import WebClient

from smmbot.services.context import GroupLookup
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


def slack_group_lookup(client: WebClient) -> GroupLookup:
    def lookup(group_id: str) -> list[str]:
        response = client.usergroups_users_list(usergroup=group_id)
        return [str(user) for user in response.get("users") or ()]

    return lookup
