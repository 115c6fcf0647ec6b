"""Finding an outbox message in its channel: did an attempt whose outcome was lost post it?

Every post of the outbox carries its row's id in its message metadata (`domain.outbox`), so
conversations.history with `include_all_metadata` over the moments since the earlier claim
began tells: the message there with our `outbox_id` is it. What it costs, only for rows in doubt
(after a crash, never in normal delivery): one call per such row, a page per `PAGE` messages
posted in the channel since, with the `channels:history`, `groups:history`, `im:history` and
`mpim:history` scopes. conversations.history is Tier 3 (about 50 calls a minute per workspace)
for internal and Marketplace apps; commercially distributed apps outside the Marketplace get
1 call a minute and pages of at most 15 messages, so there the lookups of a crash spread over
minutes (the rows wait, Slack's Retry-After, instead of risking a repeat).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from smmbot.domain.outbox import carries_outbox_id
from smmbot.slack.outbox_http import KeepAliveWebApi

PAGE: Final = 100  # messages a page (Slack's default; 15 is the most for non-Marketplace apps)
CLOCK_SKEW: Final = timedelta(seconds=60)
"""Slack's ts comes from Slack's clock, the claim's time from ours: look a minute further back."""


def find_in_history(
    api: KeepAliveWebApi, *, token: str, channel: str, outbox_id: int, since: datetime
) -> str | None:
    """The ts of the channel's message carrying `outbox_id`, posted since `since`, else None.
    Raises what `KeepAliveWebApi.call` raises (SlackApiError, OSError)."""
    body: dict[str, Any] = {
        "channel": channel,
        "oldest": f"{(since - CLOCK_SKEW).timestamp():.6f}",
        "include_all_metadata": True,
        "limit": PAGE,
    }
    while True:
        response = api.call("conversations.history", token=token, body=body)
        for message in response.get("messages") or ():
            if isinstance(message, dict) and carries_outbox_id(message, outbox_id):
                return str(message.get("ts"))
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not response.get("has_more") or not cursor:
            return None
        body = body | {"cursor": cursor}
