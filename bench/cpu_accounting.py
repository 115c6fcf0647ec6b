"""Where a bench's CPU went, read from Linux's /proc: the machine's busy and idle seconds, and
PostgreSQL's server processes, so a run that misses its CPU bound says whether the cores were
idle (waiting) or busy with something other than the bot (the database, the mock)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from bench.ack_load import cpu_seconds


@dataclass(frozen=True)
class MachineCpu:
    """Seconds of CPU summed over every core since boot: busy, idle, and stolen (a virtual
    machine's cores taken by its host: neither the bench's work nor idle)."""

    busy: float
    idle: float
    stolen: float


def machine_cpu() -> MachineCpu:
    """The first line of /proc/stat (user nice system idle iowait irq softirq steal); NaN
    elsewhere. Guest time is already inside user time."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return MachineCpu(math.nan, math.nan, math.nan)
    user, nice, system, idle, iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    tick = os.sysconf("SC_CLK_TCK")
    return MachineCpu(
        busy=(user + nice + system + irq + softirq) / tick,
        idle=(idle + iowait) / tick,
        stolen=steal / tick,
    )


def postgres_cpu() -> float:
    """CPU seconds of the PostgreSQL processes alive now (the server and its backends): read
    before and after a run while its connections stay open, the difference is the database's
    share of the run."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            is_postgres = stat.read_text().strip().startswith("postgres")
        except OSError:
            continue
        if is_postgres:
            spent = cpu_seconds(int(stat.parent.name))
            total += 0.0 if math.isnan(spent) else spent
    return total


class CpuShares:
    """CPU seconds spent from construction to `since()`, by whom: the bot processes, PostgreSQL,
    the mock, anything else (the bench itself, the kernel), the cores' idle time and the time
    the host stole."""

    def __init__(self, bot_pids: list[int | None], mock_pid: int | None) -> None:
        self._bot_pids, self._mock_pid = bot_pids, mock_pid
        self._start = self._reading()

    def _reading(self) -> dict[str, float]:
        machine = machine_cpu()
        return {
            "bots": sum(cpu_seconds(pid) for pid in self._bot_pids),
            "postgres": postgres_cpu(),
            "mock": cpu_seconds(self._mock_pid),
            "busy": machine.busy,
            "idle": machine.idle,
            "stolen": machine.stolen,
        }

    def since(self) -> dict[str, float]:
        now = self._reading()
        spent = {key: now[key] - self._start[key] for key in now}
        spent["other"] = spent["busy"] - spent["bots"] - spent["postgres"] - spent["mock"]
        return {key: round(value, 1) for key, value in spent.items()}
