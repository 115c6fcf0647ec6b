"""The click queue: never blocks a redirect, batches writes, retries, and flushes on close."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import pytest

from smmbot.persistence.database import Database, create_database_engine
from smmbot.services.context import ServiceContext
from smmbot.services.link_clicks import Click, ClickRecorder


def click(number: int) -> Click:
    return Click(
        code=f"code{number}",
        team_id="T1",
        campaign="ramadan",
        source="x",
        clicked_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


class Saver:
    """A stand-in for the database write that can be held up or made to fail."""

    def __init__(self, *, failures: int = 0) -> None:
        self.batches: list[list[Click]] = []
        self.failures = failures
        self.attempts = 0
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def __call__(self, _ctx: ServiceContext, clicks: Sequence[Click]) -> None:
        self.attempts += 1
        self.entered.set()
        self.release.wait()
        if self.failures:
            self.failures -= 1
            raise OSError("database went away")
        self.batches.append(list(clicks))

    @property
    def saved(self) -> list[Click]:
        return [item for batch in self.batches for item in batch]


@pytest.fixture
def ctx() -> Iterator[ServiceContext]:
    database = Database(create_database_engine("sqlite://"))  # never used: the saver is fake
    yield ServiceContext(db=database)
    database.engine.dispose()


def test_close_writes_everything_queued_in_order(ctx: ServiceContext) -> None:
    saver = Saver()
    recorder = ClickRecorder(ctx, save=saver)
    clicks = [click(number) for number in range(1200)]
    for item in clicks:
        recorder.record(item)
    recorder.close()
    assert saver.saved == clicks
    assert all(len(batch) <= 500 for batch in saver.batches)
    assert recorder.dropped == 0


def test_a_full_queue_drops_clicks_instead_of_blocking(ctx: ServiceContext) -> None:
    saver = Saver()
    saver.release.clear()
    recorder = ClickRecorder(ctx, save=saver, capacity=2)
    recorder.record(click(0))
    assert saver.entered.wait(5)  # the writer holds click 0 and is stuck in the database
    started = time.monotonic()
    for number in range(1, 10):
        recorder.record(click(number))
    assert time.monotonic() - started < 0.1
    assert recorder.dropped == 7
    saver.release.set()
    recorder.close()
    assert [item.code for item in saver.saved] == ["code0", "code1", "code2"]


def test_a_failed_write_is_retried(ctx: ServiceContext) -> None:
    saver = Saver(failures=2)
    recorder = ClickRecorder(ctx, save=saver, retry_delays=(0, 0))
    recorder.record(click(1))
    recorder.close()
    assert saver.attempts == 3
    assert saver.saved == [click(1)]


def test_a_batch_that_keeps_failing_is_dropped_and_the_writer_goes_on(
    ctx: ServiceContext, caplog: pytest.LogCaptureFixture
) -> None:
    saver = Saver(failures=3)
    saver.release.clear()
    recorder = ClickRecorder(ctx, save=saver, retry_delays=(0, 0))
    recorder.record(click(1))
    assert saver.entered.wait(5)  # click 1 is the batch in hand; click 2 comes in the next one
    recorder.record(click(2))
    saver.release.set()
    recorder.close()
    assert saver.saved == [click(2)]
    assert "could not record 1 link click(s)" in caplog.text


def test_close_gives_up_on_a_stuck_writer_in_time(
    ctx: ServiceContext, caplog: pytest.LogCaptureFixture
) -> None:
    saver = Saver()
    saver.release.clear()
    recorder = ClickRecorder(ctx, save=saver)
    recorder.record(click(1))
    assert saver.entered.wait(5)
    started = time.monotonic()
    recorder.close(timeout=0.2)
    assert time.monotonic() - started < 1
    assert "did not finish" in caplog.text
    saver.release.set()
