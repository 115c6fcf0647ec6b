"""The fan-out bench's Slack API mock at 1 message/s/channel, in a child process of its own so
its threads do not compete with the engine for the GIL (``python -m bench.fanout_mock``)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections import Counter
from typing import IO, Any

from tests.support.app_process import PROJECT_ROOT

RATE = 1.0  # messages per second per channel, as Slack allows
POST = "chat.postMessage"


def serve_mock(argv: list[str]) -> int:
    """SlackApiMock at 1 message/s/channel; answers ``stats`` lines on stdin; stops on EOF.
    ``argv``: optionally the fraction of chat.postMessage calls answered 503 (Slack unwell)."""
    from tests.support.slack_mock import SlackApiMock

    with SlackApiMock() as slack:
        slack.limit_rate(POST, per_channel_per_second=RATE)
        if argv:
            slack.fail_randomly(POST, 503, float(argv[0]), seed=16)
        print(json.dumps({"base_url": slack.base_url}), flush=True)
        for line in sys.stdin:
            if line.strip() != "stats":
                continue
            calls = slack.calls(POST)
            accepted = [call for call in calls if call.status == 200]
            first: dict[str, float] = {}
            for call in accepted:
                first.setdefault(call.channel or "", call.at)
            texts = Counter(str(call.body.get("text")) for call in accepted)
            stats = {
                "accepted": len(accepted),
                "rate_limited": sum(1 for call in calls if call.status == 429),
                "other_errors": sum(1 for call in calls if call.status not in (200, 429)),
                "history_calls": len(slack.calls("conversations.history")),
                "duplicates": sum(times - 1 for times in texts.values()),
                "per_channel": Counter(call.channel or "" for call in accepted),
                "first_at": first,
                "last_at": max((call.at for call in accepted), default=None),
            }
            print(json.dumps(stats), flush=True)
    return 0


class MockProcess:
    """A bench's mock in a child process (`module` serves it: one JSON line with its base URL,
    then a JSON line of stats for each ``stats`` line it reads)."""

    def __init__(
        self, log: IO[bytes], module: str = "bench.fanout_mock", args: tuple[str, ...] = ()
    ) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,  # Ctrl-C reaches only the bench, which stops us in order
        )
        self.base_url: str = json.loads(self._readline())["base_url"]

    def stats(self) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        stats: dict[str, Any] = json.loads(self._readline())
        return stats

    def _readline(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the Slack API mock died; see its log")
        return line

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()  # EOF: the child stops its server and exits
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


if __name__ == "__main__":
    raise SystemExit(serve_mock(sys.argv[1:]))
