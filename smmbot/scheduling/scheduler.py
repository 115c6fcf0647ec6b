"""APScheduler set-up: one interval job that sweeps the database for due work.

Due work lives in database rows, not in APScheduler's memory, so a restart or a second process
loses nothing; APScheduler only decides *when* to look. Features add their sweeps in bootstrap.
The first sweep runs at start, so work that fell due while the bot was down goes out at once;
the later ones on the clock's multiples of the interval (`AlignedInterval`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger

from smmbot.persistence.database import DatabaseUnavailableError

log = logging.getLogger(__name__)

Sweep = Callable[[], object]


class AlignedInterval(BaseTrigger):  # type: ignore[misc]  # APScheduler 3 ships no types
    """Every `seconds`, on the multiples of it since the epoch, so on the minute when it divides
    one: work falls due on whole minutes (a 09:00 digest, a post's reminder), and a sweep every
    30 s counted from the start swept it up to 30 s late, half of that on average; a Monday
    rush's two bot processes started it a random part of a second apart."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime:
        if previous_fire_time is None:
            tick = math.ceil(now.timestamp() / self.seconds)
        else:  # a fire time is a tick rounded to the microsecond: a millisecond's slack finds it
            tick = math.floor((previous_fire_time.timestamp() + 1e-3) / self.seconds) + 1
        return datetime.fromtimestamp(tick * self.seconds, UTC)

    def __str__(self) -> str:
        return f"every {self.seconds:g} s on the clock"


def _run_sweeps(sweeps: Sequence[Sweep]) -> None:
    for sweep in sweeps:
        name = getattr(sweep, "__name__", sweep)
        try:
            sweep()
        except DatabaseUnavailableError as error:
            # Not a bug: due rows stay pending in the database and go out on a later sweep.
            log.warning("sweep %s skipped, the database is unreachable (%s)", name, error)
        except Exception:
            log.exception("sweep %s failed; it runs again next interval", name)


def start_scheduler(
    *,
    interval_seconds: float,
    sweeps: Sequence[Sweep],
    slow_sweeps: Sequence[Sweep] = (),
    build_sweeps: Sequence[Sweep] = (),
) -> BackgroundScheduler:
    """`slow_sweeps` (connector syncs, which wait on providers for minutes during a backfill)
    run in their own job, so they never hold up reminders and digests; `build_sweeps` (the
    weekly digests, CPU-bound for minutes when a thousand workspaces fall due in one minute)
    run in another, so the outbox keeps delivering what they have built, and reminders."""
    scheduler = BackgroundScheduler(timezone="UTC")
    groups = (("sweep", sweeps), ("slow-sweep", slow_sweeps), ("build-sweep", build_sweeps))
    for job_id, group in groups:
        if group:
            scheduler.add_job(
                _run_sweeps,
                AlignedInterval(interval_seconds),
                args=[tuple(group)],
                id=job_id,
                next_run_time=datetime.now(UTC),
                max_instances=1,
                coalesce=True,
            )
    scheduler.start()
    return scheduler
