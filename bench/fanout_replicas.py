"""The fan-out bench with bot replicas (``--replicas N --kills K``): N engine processes
(`bench.fanout_replica`) share one PostgreSQL database, and one of them is killed with SIGKILL
K times, each time at once started again, at moments spread evenly over the rate limit's bound
(the k-th kill at k/(K+1) of it). What is measured stays the mock's: messages accepted, 429s,
duplicates (a text accepted twice), and the conversations.history lookups the survivors made.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

from tests.support.app_process import PROJECT_ROOT


class Replica:
    """One engine process; `kill` is kill -9: no finally block runs, no claim is released."""

    def __init__(self, database_url: str, api_url: str, interval: float, log: IO[bytes]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.fanout_replica", database_url, api_url, str(interval)],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            log.flush()
            with open(log.name, "rb") as written:
                tail = written.read()[-2000:].decode(errors="replace")
            raise RuntimeError(f"a replica did not start; its log ends:\n{tail}")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(OSError):
            assert self.process.stdin is not None
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


@contextlib.contextmanager
def replicas(
    count: int, database_url: str, api_url: str, interval: float, log: IO[bytes]
) -> Iterator[list[Replica]]:
    started: list[Replica] = []
    try:
        started.extend(Replica(database_url, api_url, interval, log) for _ in range(count))
        yield started
    finally:
        for replica in started:
            replica.stop()


def kill_moments(due: float, bound: float, kills: int) -> list[float]:
    """Monotonic moments of the kills: evenly inside the bound, so each lands mid-burst."""
    return [due + bound * k / (kills + 1) for k in range(1, kills + 1)]


def deliver_with_kills(
    running: list[Replica],
    restart: Callable[[], Replica],
    *,
    kills: list[float],
    done: Callable[[], dict[str, Any]],
    deadline: float,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    """Waits for `done` to say everything was accepted, killing replica 0 at each of `kills`
    and starting a fresh one in its place; returns the last stats."""
    pending = sorted(kills)
    stats = done()
    while time.monotonic() < deadline and not stats["complete"]:
        if pending and time.monotonic() >= pending[0]:
            pending.pop(0)
            running[0].kill()
            progress("killed a replica with SIGKILL; starting another")
            running[0] = restart()
        time.sleep(0.25 if pending else 1.0)
        stats = done()
    return stats
