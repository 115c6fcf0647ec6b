"""How sweeps run: one that cannot reach the database is skipped with a warning, not logged
as a crash (its rows stay pending and the next sweep delivers them); they tick on the clock."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from smmbot.persistence.database import DatabaseUnavailableError
from smmbot.scheduling.scheduler import AlignedInterval, _run_sweeps, start_scheduler


def test_an_unreachable_database_skips_the_sweep_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    def outbox() -> None:
        raise DatabaseUnavailableError("connection refused")

    def digest() -> None:
        ran.append("digest")

    with caplog.at_level(logging.WARNING):
        _run_sweeps((outbox, digest))
    assert ran == ["digest"]
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    assert caplog.records[0].exc_info is None
    assert "unreachable" in caplog.records[0].getMessage()


def test_sweeps_tick_on_the_clock_so_work_due_on_the_minute_is_swept_at_it() -> None:
    every_30s = AlignedInterval(30)
    started = datetime(2026, 12, 7, 1, 59, 47, 250000, tzinfo=UTC)
    first = every_30s.get_next_fire_time(None, started)
    assert first == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    assert every_30s.get_next_fire_time(first, first) == datetime(2026, 12, 7, 2, 0, 30, tzinfo=UTC)
    late_run = datetime(2026, 12, 7, 2, 0, 12, tzinfo=UTC)  # a run that fired late stays aligned
    assert every_30s.get_next_fire_time(late_run, late_run) == first + timedelta(seconds=30)
    every_second = AlignedInterval(1)
    assert every_second.get_next_fire_time(None, started) == started.replace(
        second=48, microsecond=0
    )


def test_a_fraction_of_a_second_ticks_forward_on_its_multiples() -> None:
    every_tenth = AlignedInterval(0.1)
    fired = [every_tenth.get_next_fire_time(None, datetime(2026, 12, 7, 2, 0, tzinfo=UTC))]
    for _ in range(50):
        fired.append(every_tenth.get_next_fire_time(fired[-1], fired[-1]))
    steps = {round((later - earlier).total_seconds(), 6) for earlier, later in pairwise(fired)}
    assert steps == {0.1}
    assert fired[-1] == datetime(2026, 12, 7, 2, 0, 5, tzinfo=UTC)


def test_the_first_sweep_runs_at_start_and_the_next_on_the_clock() -> None:
    ran = threading.Event()
    scheduler = start_scheduler(interval_seconds=30, sweeps=(ran.set,))
    try:
        assert ran.wait(5)
        [job] = scheduler.get_jobs()
        assert job.next_run_time.timestamp() % 30 == 0
    finally:
        scheduler.shutdown(wait=False)
