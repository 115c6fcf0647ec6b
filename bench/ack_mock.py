"""The ack bench's Slack API mock, in a child process of its own.

In the bench's process its threads would compete with the timing clients for the GIL only while
the app runs (the baseline never calls Slack), which would bias the ratio. Its response_urls
follow ``SlackApiMock.response_url``'s form. ``python -m bench.ack_mock`` is the child.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Any

from tests.support.app_process import PROJECT_ROOT


def serve_mock() -> int:
    """Run SlackApiMock; print its URLs, answer ``stats`` lines on stdin; stop on EOF."""
    from tests.support.slack_mock import SlackApiMock

    with SlackApiMock() as slack:
        print(json.dumps({"root_url": slack.root_url, "base_url": slack.base_url}), flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                calls = slack.calls()
                counts = Counter(call.method for call in calls)
                errors = sum(1 for call in calls if call.status != 200)
                print(json.dumps({"methods": counts, "non_200": errors}), flush=True)
    return 0


class MockProcess:
    """The parent's handle on the mock child (a line protocol over stdin/stdout)."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process: subprocess.Popen[str] | None = None
        self._log: IO[bytes] | None = None
        self.root_url = ""
        self.base_url = ""
        self._responses = itertools.count(1)

    def start(self) -> MockProcess:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.ack_mock"],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            start_new_session=True,  # Ctrl-C reaches only the bench, which stops us in order
        )
        first = self._readline()
        if not first:
            raise RuntimeError(f"the Slack API mock did not start:\n{self._logs()}")
        urls = json.loads(first)
        self.root_url, self.base_url = urls["root_url"], urls["base_url"]
        return self

    def response_url(self) -> str:
        """A fresh, unique response_url, in SlackApiMock.response_url's form."""
        return f"{self.root_url}/response/ack-{next(self._responses)}"

    def stats(self) -> dict[str, Any]:
        assert self.process is not None
        assert self.process.stdin is not None
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        line = self._readline()
        if not line:
            raise RuntimeError(f"the Slack API mock died:\n{self._logs()}")
        stats: dict[str, Any] = json.loads(line)
        return stats

    def responses_received(self) -> int:
        methods: dict[str, int] = self.stats()["methods"]
        return methods.get("response_url", 0)

    def _readline(self) -> str:
        assert self.process is not None
        assert self.process.stdout is not None
        return self.process.stdout.readline()

    def _logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()  # EOF: the child stops its server and exits
        wait_or_kill(self.process, 10.0)
        if self._log is not None:
            self._log.close()


def wait_or_kill(process: subprocess.Popen[Any], timeout: float) -> None:
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


if __name__ == "__main__":
    raise SystemExit(serve_mock())
