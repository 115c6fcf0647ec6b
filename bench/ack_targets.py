"""The ack bench's three children (Slack API mock, baseline, smmbot) and the wait for the app's
lazy answers, which keeps its leftover background work out of the next phase."""

from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.ack_baseline import BaselineProcess
from bench.ack_load import Failures
from bench.ack_mock import MockProcess
from bench.ack_report import APP, BASELINE
from tests.support.app_process import AppProcess

DRAIN_TIMEOUT = 30.0  # seconds to wait for the app's lazy answers after an app phase


def progress(message: str) -> None:
    print(f"[ack-bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Targets:
    """The three children, started in order; ``stop`` (via the exit stack) ends them."""

    mock: MockProcess
    urls: dict[str, str]
    pids: dict[str, int | None]
    mock_pid: int | None


def start_targets(stack: contextlib.ExitStack, threads: int, workdir: Path) -> Targets:
    progress("starting the Slack API mock")
    mock = MockProcess(workdir / "mock.log")
    stack.callback(mock.stop)
    mock.start()
    progress("starting the baseline (bare Bolt app) and smmbot")
    baseline = BaselineProcess(
        api_url=mock.base_url, threads=threads, log_path=workdir / "baseline.log"
    )
    stack.callback(baseline.stop)
    app = AppProcess(
        api_url=mock.base_url,
        database_url=f"sqlite:///{workdir / 'bench.db'}",
        log_path=workdir / "app.log",
        SMMBOT_HTTP_THREADS=str(threads),
    )
    stack.callback(lambda: app.stop() if app.process is not None else None)
    baseline.start()
    app.start()
    return Targets(
        mock=mock,
        urls={BASELINE: baseline.base_url, APP: app.base_url},
        pids={
            BASELINE: baseline.process.pid if baseline.process else None,
            APP: app.process.pid if app.process else None,
        },
        mock_pid=mock.process.pid if mock.process else None,
    )


def wait_for_answers(mock: MockProcess, expected: int, failures: Failures, budget: float) -> None:
    """Wait until the app answered via response_url every request it did not answer inside its
    acknowledgement (its background work is done).

    At most DRAIN_TIMEOUT seconds, and not much past the run's time ``budget`` either.
    """
    now = time.monotonic()
    deadline = min(now + DRAIN_TIMEOUT, max(budget, now + 5.0))
    received = mock.responses_received()
    while received < expected and time.monotonic() < deadline:
        time.sleep(0.1)
        received = mock.responses_received()
    if received < expected:
        failures.add(f"app: only {received} of {expected} commands answered via response_url")
