"""Where a bench's CPU went, read from Linux's /proc: the machine's busy and idle seconds, and
PostgreSQL's server processes, so a run that misses its CPU bound says whether the cores were
idle (waiting) or busy with something other than the bot (the database, the mock)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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


def processes_cpu() -> dict[int, tuple[str, float, int]]:
    """Every process alive now: its command name, CPU seconds so far, its own (all its
    threads) and its reaped children's, so a PostgreSQL backend that exits during a run still
    counts, in the server's figure, and its parent's pid."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()  # after "pid (comm)": state is fields[0]
        own_and_reaped = sum(int(field) for field in fields[11:15])  # utime stime cutime cstime
        found[int(stat.parent.name)] = (name, own_and_reaped / tick, int(fields[1]))
    return found


class CpuShares:
    """CPU seconds spent from construction to `since()`, by whom: the bot processes (and the
    processes they started: a rush's digest helpers, reaped or not, even those started ahead
    of the rush), PostgreSQL
    (the server and its backends, alive at both readings while the run's connections stay
    open), the mock, anything else (the bench itself, the kernel's threads: its biggest three
    named), the cores' idle time and the time the host stole."""

    def __init__(self, bot_pids: list[int | None], mock_pid: int | None) -> None:
        self._bot_pids = {pid for pid in bot_pids if pid is not None}
        self._mock_pid = mock_pid
        self._machine, self._processes = machine_cpu(), processes_cpu()

    def since(self) -> dict[str, Any]:
        machine, processes = machine_cpu(), processes_cpu()
        by_name: dict[str, float] = {}
        spent = {"bots": 0.0, "postgres": 0.0, "mock": 0.0}
        for pid, (name, seconds, parent) in processes.items():
            delta = seconds - self._processes.get(pid, (name, 0.0, parent))[1]
            if pid in self._bot_pids or parent in self._bot_pids:  # a bot's digest helpers too
                spent["bots"] += delta
            elif pid == self._mock_pid:
                spent["mock"] += delta
            elif name.startswith("postgres"):
                spent["postgres"] += delta
            else:
                by_name[name] = by_name.get(name, 0.0) + delta
        for pid, (_, seconds, parent) in self._processes.items():
            if parent in self._bot_pids and pid not in processes:  # reaped: in its parent's
                spent["bots"] -= seconds  # figure now, whole; what it spent before is not ours
        busy = machine.busy - self._machine.busy
        shares: dict[str, Any] = {key: round(value, 1) for key, value in spent.items()}
        shares["other"] = round(busy - sum(spent.values()), 1)
        shares["idle"] = round(machine.idle - self._machine.idle, 1)
        shares["stolen"] = round(machine.stolen - self._machine.stolen, 1)
        shares["other_top"] = {
            name: round(value, 1)
            for name, value in sorted(by_name.items(), key=lambda item: -item[1])[:3]
        }
        return shares
