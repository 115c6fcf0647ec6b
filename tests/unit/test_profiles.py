"""users.info → MemberProfile: zone, locale and whether the member administers the workspace."""

from __future__ import annotations

from typing import Any

import pytest

from smmbot.slack.profiles import slack_profile_lookup


class FakeClient:
    def __init__(self, user: dict[str, Any]) -> None:
        self.user = user
        self.asked: list[dict[str, Any]] = []

    def users_info(self, **arguments: Any) -> dict[str, Any]:
        self.asked.append(arguments)
        return {"ok": True, "user": self.user}


@pytest.mark.parametrize(
    ("role", "is_admin"),
    [({}, False), ({"is_admin": True}, True), ({"is_owner": True}, True),
     ({"is_primary_owner": True}, True), ({"is_admin": False, "is_restricted": True}, False)],
)  # fmt: skip
def test_admins_and_owners_count_as_admins(role: dict[str, bool], is_admin: bool) -> None:
    client = FakeClient({"tz": "Asia/Makassar", "locale": "id-ID", **role})
    profile = slack_profile_lookup(client)("U1")  # type: ignore[arg-type]
    assert profile is not None
    assert (profile.timezone, profile.locale, profile.is_admin) == (
        "Asia/Makassar",
        "id-ID",
        is_admin,
    )
    assert client.asked == [{"user": "U1", "include_locale": True}]
