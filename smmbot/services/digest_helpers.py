"""Helper processes for a Monday rush: more digest builders than a bot process's one.

Why: a bot process builds one digest at a time (`queue_weekly_digests`; a second builder thread
only fought the first for the GIL). With as many bot processes as cores, each core then waits
whenever its builder waits on the database: the server's process runs on the other core, and
the scheduler leaves this one idle rather than move a task that ran there a moment ago. In the
Monday-rush bench (`bench/digest_fanout.py`, two bot processes on two cores) the cores were
idle 6-8% of the rush; with three builders for two cores, 1%.

So when a sweep finds at least `threshold` digests due, the bot process starts `count` helper
processes that run the same sweep beside its own: they split the digests with it through the
claim every builder takes (`persistence.digest_queue`), each digest built once by whoever
claims it, and they exit when nothing is left to claim. PostgreSQL only: SQLite has one writer,
so a helper would only wait for it. A helper starts as a fresh interpreter (`fresh_python`, as
the template sandbox's worker does). It reads the database URL and the sweep's moment on its
standard input and answers one JSON line: how many digests it queued and each build's CPU,
which the bot process adds to its metrics. A helper that
fails is logged; the digests it did not build are left unclaimed for the next sweep. One that
outlives its bot process (kill -9) finishes what it claimed, each digest in its own
transaction, and exits.

A rush that can be seen coming gets its helpers before it: each sweep looks `ahead` (the
scheduler's interval and `HELPER_LEAD_SECONDS`) for digests about to fall due, and when at
least `threshold` will have by one moment, it starts the helpers for that moment. Each waits
(an interpreter that has imported nothing of the app) until `HELPER_LEAD_SECONDS` before it,
then imports the app and draws a throwaway chart (matplotlib and its fonts, about a second of
CPU), and sweeps once the moment has come; the bot process's sweep at that moment takes them
over rather than starting more. Started at the due minute, the helpers spent that second in
the rush, with the cores already full: in the rush bench two helpers' starts were 2.2 of the
rush's 85-100 core-seconds.

A helper runs at the lowest priority (`HELPER_NICENESS`): it is there for the time a core would
idle while the bot process's own builder waits on the database, and a bot process's requests (a
member's slash command in the middle of a Monday rush) come before it. It costs the rush no
time: in the rush bench (1,000 digests, two bot processes with a helper each) the reniced
helpers built 12% of the digests, each for 17-24% more CPU than a bot's (every wake-up of the
bots' threads and the database's takes the core from them), and at the bots' priority half of
them, for as much as a bot's; the rush took 42.9-45.1 s either way (two runs each).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

from smmbot.fresh_python import start_fresh_python

log = logging.getLogger(__name__)

HELPER_NICENESS: Final = 19
"""The helpers' nice value: the lowest priority, so they get what the bot's own work leaves."""

HELPER_THRESHOLD: Final = 64
"""Due digests before helpers are worth their start: a helper spends about a second of CPU on
its imports and its first chart, about as much as a dozen digests."""

HELPER_LEAD_SECONDS: Final = 5.0
"""How long before a rush's moment its helpers import the app and draw their first chart: a
second of CPU at the lowest priority, with time to spare on a busy machine."""


class DigestHelpers:
    """`count` helper processes on the database at `database_url`, for sweeps that find at
    least `threshold` digests due, or coming within `ahead` seconds. Holds the helpers started
    ahead until the sweep at their moment takes them over, so one sweep at a time uses it (the
    scheduler's digest job)."""

    def __init__(
        self,
        database_url: str,
        count: int,
        *,
        threshold: int = HELPER_THRESHOLD,
        ahead: float = HELPER_LEAD_SECONDS,
    ) -> None:
        self.database_url = database_url
        self.count = count
        self.threshold = threshold
        self.ahead = ahead
        self._waiting: list[tuple[datetime, subprocess.Popen[bytes]]] = []

    def helping(
        self, due: int, coming: Sequence[datetime], now: datetime
    ) -> list[subprocess.Popen[bytes]]:
        """The helpers sweeping beside a sweep at `now` that found `due` digests due: those
        started ahead for a moment that has come, else new ones when `due` is a rush. Starts
        the helpers of a rush among the `coming` moments (sorted) if none wait for one yet."""
        started = [helper for moment, helper in self._waiting if moment <= now]
        self._waiting = [(moment, helper) for moment, helper in self._waiting if moment > now]
        if not started:
            started = self.start(due, now)
        if len(coming) >= self.threshold and not self._waiting:
            moment = coming[self.threshold - 1]  # the rush has come once this many are due
            self._waiting = [(moment, helper) for helper in self.start(len(coming), moment)]
        return started

    @property
    def waiting(self) -> int:
        """How many helpers started ahead wait for their moment."""
        return len(self._waiting)

    def start(self, due: int, now: datetime) -> list[subprocess.Popen[bytes]]:
        """Helpers for a sweep that finds `due` digests due at `now`, which they sweep at too
        (the same digests, the same weeks), once the wall clock has reached it."""
        if due < self.threshold:
            return []
        task = json.dumps({"database_url": self.database_url, "now": now.isoformat()})
        helpers = []
        for _ in range(self.count):
            helper = start_fresh_python("smmbot.services.digest_helpers", "helper_main")
            assert helper.stdin is not None
            helper.stdin.write(task.encode() + b"\n")
            helper.stdin.close()
            helpers.append(helper)
        return helpers


def finished(helper: subprocess.Popen[bytes]) -> tuple[int, list[float]]:
    """Waits for a helper: the digests it queued and the CPU seconds of each build; (0, [])
    when it failed."""
    assert helper.stdout is not None
    out = helper.stdout.read()
    helper.wait()
    try:
        if helper.returncode != 0:
            raise ValueError(f"exit status {helper.returncode}")
        answer = json.loads(out)
        return int(answer["queued"]), [float(seconds) for seconds in answer["builds"]]
    except (ValueError, KeyError, TypeError) as error:
        log.warning("a digest helper process failed (%s); what it left is built later", error)
        return 0, []


def helper_main() -> int:
    """A helper's life: its task, a wait until shortly before the sweep's moment, the app's
    imports and a first chart, the sweep at that moment on its own connection to the database,
    then its answer."""
    os.nice(HELPER_NICENESS)  # before its imports, a second of CPU
    task = json.loads(sys.stdin.readline())
    now = datetime.fromisoformat(task["now"])
    _sleep_until(now - timedelta(seconds=HELPER_LEAD_SECONDS))
    from smmbot.persistence.database import Database, create_database_engine
    from smmbot.rendering.chart import warm_up
    from smmbot.services.context import ServiceContext
    from smmbot.services.digest_sweep import queue_weekly_digests

    warm_up()
    _sleep_until(now)
    db = Database(create_database_engine(task["database_url"]))
    builds: list[float] = []
    try:
        ctx = ServiceContext(db=db, clock=lambda: now)
        queued = queue_weekly_digests(ctx=ctx, on_built=builds.append)
    finally:
        db.engine.dispose()
    print(json.dumps({"queued": queued, "builds": builds}))
    return 0


def _sleep_until(moment: datetime) -> None:
    """By the wall clock: a moment already past (a test's fake clock) returns at once."""
    delay = (moment - datetime.now(UTC)).total_seconds()
    if delay > 0:
        time.sleep(delay)
