"""The ack bench's baseline: a bare Bolt app, in a child process, served exactly like smmbot.

Its ``/smm`` listener only calls ``ack()``, with the same WebClient set-up, signing secret,
listener thread pool size and server function as the app. The child is
``python -m bench.ack_baseline PORT API_URL THREADS``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from bench.ack_mock import wait_or_kill
from tests.support.app_process import BOT_TOKEN, PROJECT_ROOT, SIGNING_SECRET, free_port

STARTUP_TIMEOUT = 60.0


def serve_baseline(port: int, api_url: str, threads: int) -> int:
    """A bare Bolt App whose `/smm` listener only acks, served exactly like smmbot."""
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    from smmbot.web.server import serve_http

    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    _exit_when_parent_goes()
    client = WebClient(token=BOT_TOKEN, base_url=api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bolt")
    app = App(
        client=client,
        signing_secret=SIGNING_SECRET,
        listener_executor=executor,
        process_before_response=False,
    )

    @app.command("/smm")
    def acknowledge(ack: Ack) -> None:
        ack()

    try:
        serve_http(SlackRequestHandler(app), host="127.0.0.1", port=port, threads=threads)
    finally:
        executor.shutdown(wait=True)
    return 0


def _exit_when_parent_goes() -> None:
    """Our stdin is a pipe from the bench: EOF means it is gone, so shut down gracefully."""

    def watch() -> None:
        sys.stdin.read()
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class BaselineProcess:
    def __init__(self, *, api_url: str, threads: int, log_path: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_url = api_url
        self.threads = threads
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> BaselineProcess:
        self._log = self.log_path.open("wb")
        command = [sys.executable, "-m", "bench.ack_baseline", str(self.port), self.api_url]
        command.append(str(self.threads))
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the baseline exited early:\n{self._logs()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"the baseline did not start listening:\n{self._logs()}")

    def _logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        wait_or_kill(self.process, 30.0)
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        if self._log is not None:
            self._log.close()


if __name__ == "__main__":
    raise SystemExit(serve_baseline(int(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
