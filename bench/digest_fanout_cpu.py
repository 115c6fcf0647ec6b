"""One weekly digest's build-and-render CPU, the unit of the Monday-rush bench's bound: what the
digest sweep does for one workspace (its queries, the chart, the stored payload), measured in
the bench's own process, in transactions rolled back so nothing is enqueued.

Both sides of a build count: the app's (this process's CPU clock) and the database server's,
which runs the build's queries on the same cores the rush has. The server's is read from the
Linux scheduler's account of the connection's backend process (`/proc/<pid>/schedstat`, in
nanoseconds), so it is known only when PostgreSQL runs on this machine; elsewhere it is None and
the bound is the app's CPU alone.

The digests are built in a fresh process of their own (`digest_cpu_in_child`, which runs this
module), set up as a bot process is: what its imports built frozen out of the collector's way,
and none of the objects the bench's own process made loading a million and a half readings.
That removes a difference between the unit and the bots, not the machine's drift: the same 20
digests built this way still took 75 to 122 ms each over three minutes of an idle machine."""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from bench.digest_fanout_data import ZONE, team
from smmbot.domain.digest_weeks import last_week
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.i18n import Translator
from smmbot.rendering.reply import reply_to_data
from smmbot.services.digest import digest_reply
from tests.support.app_process import PROJECT_ROOT, AppProcess


@dataclass(frozen=True)
class DigestCpu:
    """Seconds each timed digest's build took, in the app and in the database server (None
    when the server's processes cannot be read from here).

    The unit is their mean: the bound is the CPU a thousand digests need, a sum, and a sum is
    the count times the mean. The builds' times lean right (the slowest tenth cost 20-45% more
    than the median one: a collection, the host taking the core away), so their median, which
    earlier runs used, fell 5-9% short of that sum, and the rush pays for the slow builds too.
    The median is kept for comparison with those runs."""

    app_samples: tuple[float, ...]
    database_samples: tuple[float, ...] | None

    @property
    def app(self) -> float:
        return statistics.fmean(self.app_samples)

    @property
    def database(self) -> float | None:
        return statistics.fmean(self.database_samples) if self.database_samples else None

    @property
    def total(self) -> float:
        return self.app + (self.database or 0.0)

    @property
    def median_total(self) -> float:
        database = statistics.median(self.database_samples) if self.database_samples else 0.0
        return statistics.median(self.app_samples) + database

    def __add__(self, other: DigestCpu) -> DigestCpu:
        """Both measurements' samples: the unit taken on both sides of the rush."""
        database = (
            self.database_samples + other.database_samples
            if self.database_samples is not None and other.database_samples is not None
            else None
        )
        return DigestCpu(self.app_samples + other.app_samples, database)


def _backend_seconds(pid: int) -> float | None:
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def digest_cpu(db: Database, samples: int) -> DigestCpu:
    """`samples` workspaces' digests, timed after one unmeasured (the first chart loads
    matplotlib and its fonts)."""
    today = datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date()
    app: list[float] = []
    database: list[float | None] = []
    for n in range(samples + 1):
        with Session(db.engine) as session:
            backend = int(
                session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            )
            server_before, started = _backend_seconds(backend), time.process_time()
            workspace = WorkspaceRepository(session, team(n)).get()
            assert workspace is not None
            tr = Translator(workspace.locale or "")
            reply = digest_reply(session, workspace, last_week(today), today, tr, "/smm ")
            json.dumps({"reply": reply_to_data(reply)})
            app.append(time.process_time() - started)
            server_after = _backend_seconds(backend)
            session.rollback()
        if server_before is None or server_after is None:
            database.append(None)
        else:
            database.append(server_after - server_before)
    measured = tuple(seconds for seconds in database[1:] if seconds is not None)
    return DigestCpu(tuple(app[1:]), measured if len(measured) == samples else None)


def digest_cpu_in_child(url: str, samples: int) -> DigestCpu:
    """`digest_cpu` in a fresh process (see the module docstring)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.digest_fanout_cpu", url, str(samples)],
        capture_output=True,
        check=True,
        cwd=PROJECT_ROOT,
        text=True,
    )
    measured = json.loads(done.stdout)
    database = measured["database_samples"]
    return DigestCpu(tuple(measured["app_samples"]), tuple(database) if database else None)


def builds_in_rush(replicas: Iterable[AppProcess]) -> tuple[float, int]:
    """CPU seconds the replicas' digest builds took in the rush, and how many there were, from
    their `smmbot_digest_build_cpu_seconds` histograms."""
    seconds, count = 0.0, 0
    for app in replicas:
        url = f"{app.base_url}/metrics"  # http://127.0.0.1
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            text = response.read().decode()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "smmbot_digest_build_cpu_seconds_sum":
                    seconds += sample.value
                elif sample.name == "smmbot_digest_build_cpu_seconds_count":
                    count += int(sample.value)
    return seconds, count


def main(argv: list[str]) -> int:
    """``python -m bench.digest_fanout_cpu URL SAMPLES``: one JSON line of samples."""
    url, samples = argv
    db = Database(create_database_engine(url))
    gc.freeze()  # as a bot process does once it has started (`bootstrap.start_collecting`)
    try:
        cpu = digest_cpu(db, int(samples))
    finally:
        db.engine.dispose()
    print(json.dumps({"app_samples": cpu.app_samples, "database_samples": cpu.database_samples}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
