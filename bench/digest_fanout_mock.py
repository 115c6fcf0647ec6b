"""The Monday-rush bench's Slack Web API mock, in a child process of its own so its threads do
not compete with the bot processes for CPU accounting (``python -m bench.digest_fanout_mock``).

Slack's documented limits, per workspace (token): chat.postMessage about 1 message a second per
channel; files.getUploadURLExternal and files.completeUploadExternal are Tier 4 (100+ calls a
minute). The stats say, per channel, how many digests were accepted and how many charts were
shared with content, so the bench can check that each went out exactly once."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

POST = "chat.postMessage"
COMPLETE = "files.completeUploadExternal"
TIER_4 = 100  # calls a minute, per workspace


def stats(slack: Any) -> dict[str, Any]:
    posts = [call for call in slack.calls(POST) if call.status == 200]
    completes = [call for call in slack.calls(COMPLETE) if call.status == 200]
    uploads = slack.uploads()
    charts: Counter[str] = Counter()
    done_at: dict[str, float] = {}
    for call in completes:
        channel = call.channel or ""
        for item in call.json_field("files"):
            upload = uploads.get(str(item.get("id", "")))
            charts[channel] += upload is not None and bool(upload.content)
        done_at[channel] = max(done_at.get(channel, 0.0), call.at)
    everything = slack.calls()
    return {
        "messages": Counter(call.channel or "" for call in posts),
        "charts": charts,
        "done_at": done_at,
        "first_at": min((call.at for call in posts), default=None),
        "last_at": max((call.at for call in [*posts, *completes]), default=None),
        "rate_limited": sum(1 for call in everything if call.status == 429),
        "other_errors": sum(1 for call in everything if call.status not in (200, 429)),
    }


def serve_mock() -> int:
    """Answers ``stats`` lines on stdin with one JSON line; stops on EOF."""
    from tests.support.slack_mock import SlackApiMock

    with SlackApiMock() as slack:
        slack.limit_rate(POST, per_channel_per_second=1.0)
        for method in ("files.getUploadURLExternal", COMPLETE):
            slack.limit_per_workspace(method, TIER_4)
        print(json.dumps({"base_url": slack.base_url}), flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                print(json.dumps(stats(slack)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(serve_mock())
