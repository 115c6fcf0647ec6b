"""`bench/cpu_accounting.py`: a bench's CPU split by whom. A bot's helper started before the
measured window and reaped within it counts only what it spent inside the window, though Linux
then adds its whole life to its parent's figure."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bench.cpu_accounting import CpuShares, processes_cpu

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads Linux's /proc")

BURN_THEN_WAIT = (
    "import sys, time\n"
    "end = time.process_time() + 0.6\n"
    "while time.process_time() < end: pass\n"
    "print('burnt', flush=True)\n"
    "sys.stdin.read()\n"
)


def test_a_child_started_before_the_window_counts_only_its_share_in_it() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", BURN_THEN_WAIT], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline() == b"burnt\n"
    while processes_cpu()[child.pid][1] < 0.5:  # the tick accounting catches up
        time.sleep(0.01)
    shares = CpuShares([os.getpid()], mock_pid=None)
    child.stdin.close()
    child.wait()  # reaped: its 0.6 s now sit in this process's children's time
    assert shares.since()["bots"] < 0.3
