"""A bot process's delivery engine on its own, driven over a pipe, for kill -9 tests.

`OutboxWorker` is a real operating-system process running one sweep — the real `deliver_due`
with the real `SlackMessageSender` — for every `sweep()`, answering with the sweep's report. It
waits on its pipe between sweeps, so a test can kill it at a known point (between two sweeps),
or, by not waiting for the answer, in the middle of one.

The processes are forked by multiprocessing's forkserver, which imports the engine's modules
once: a worker starts in milliseconds instead of the second that importing SQLAlchemy, the
services and the Slack SDK takes a fresh interpreter. Each is still a process of its own, with
its own engine and connections, that SIGKILL ends with no `finally` block run.

`sweep(ahead)` sweeps with the process's clock that far ahead of the wall clock (and keeps it
there): a restart "three seconds later", or after a dead process's leases ran out, is a restart
now, so the tests wait for no timer.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from smmbot.persistence.database import Database, create_database_engine
from smmbot.scheduling.jobs import new_worker_id
from smmbot.services.context import ServiceContext
from smmbot.services.outbox import DeliveryOptions, deliver_due
from smmbot.slack.notifier import build_message_sender
from tests.support.app_process import BOT_TOKEN

SPACING = 0.1  # seconds between two posts to one channel: fast, yet paced

_PROCESSES = multiprocessing.get_context("forkserver")
_PROCESSES.set_forkserver_preload([__name__])


def options(lease: float) -> DeliveryOptions:
    return DeliveryOptions(
        spacing=SPACING,
        poll_interval=0.05,
        lease=timedelta(seconds=lease),
        renew_every=lease / 4,
        send_margin=lease / 2,
    )


def serve(requests: Connection, database_url: str, api_url: str, lease: float, log: str) -> None:
    """The worker process: one sweep per request until the test closes its end of the pipe."""
    logging.basicConfig(level=logging.INFO, filename=log, force=True)
    ahead = timedelta(0)
    ctx = ServiceContext(
        db=Database(create_database_engine(database_url)),
        clock=lambda: datetime.now(UTC) + ahead,
    )
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=api_url)
    worker_id = new_worker_id()
    while True:
        try:
            seconds = requests.recv()
        except EOFError:
            return
        ahead = timedelta(seconds=seconds)
        report = deliver_due(ctx=ctx, sender=sender, worker_id=worker_id, options=options(lease))
        requests.send(dataclasses.asdict(report))


class OutboxWorker:
    """One engine process; `sweep()` runs one sweep in it and returns the report."""

    def __init__(self, database_url: str, api_url: str, log: Path, lease: float) -> None:
        self._requests, child_end = _PROCESSES.Pipe()
        self.process = _PROCESSES.Process(
            target=serve, args=(child_end, database_url, api_url, lease, str(log)), daemon=True
        )
        self.process.start()
        child_end.close()

    def start_sweep(self, ahead: float = 0.0) -> None:
        """Starts a sweep with the process's clock `ahead` seconds past the wall clock."""
        self._requests.send(ahead)

    def report(self, timeout: float = 30.0) -> dict[str, Any]:
        assert self._requests.poll(timeout), "the engine process did not finish its sweep"
        try:
            report: dict[str, Any] = self._requests.recv()
        except EOFError:
            exit_code = self.process.exitcode
            raise AssertionError(f"the engine process died (exit {exit_code})") from None
        return report

    def sweep(self, ahead: float = 0.0) -> dict[str, Any]:
        self.start_sweep(ahead)
        return self.report()

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no finally block, no lease released
        self.process.join(timeout=10)

    def close(self) -> None:
        """Lets the process finish its work and exit; kills it if it does not within 10 s."""
        self._requests.close()
        self.process.join(timeout=10)
        if self.process.exitcode is None:
            self.kill()
