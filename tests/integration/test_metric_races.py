"""Several writers of one metric and day at the same moment (teammates, two replicas): every
one is answered, one reading remains, the replies' "replaced" values chain without a gap, and
the roll-up equals the readings. A read-then-write upsert lost these races to the unique key."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.models import MetricReading
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext
from tests.integration.test_robustness import ask
from tests.integration.test_rollups import NOW, all_readings, expected_rollup, stored_rollup
from tests.support.replies import reply_text

WRITERS = 12
SAVED = re.compile(r"Tercatat \*reach\* \(SMO\): \*(\d+)\*")
REPLACED = re.compile(r"Angka sebelumnya, (\d+), sudah diganti")


def test_members_logging_one_metric_at_once_are_all_answered(ctx: ServiceContext) -> None:
    start = threading.Barrier(WRITERS)

    def log(index: int) -> str:
        start.wait()
        return reply_text(ask(ctx, f"log reach {index + 1}", user_id=f"U{index}"))

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        answers = list(pool.map(log, range(WRITERS)))
    saved = [match.group(1) for answer in answers if (match := SAVED.search(answer))]
    assert len(saved) == WRITERS, answers
    replaced = [match.group(1) for answer in answers if (match := REPLACED.search(answer))]
    with ctx.db.transaction() as session:
        readings = session.query(MetricReading).filter_by(team_id="T1", metric="reach").all()
    assert len(readings) == 1
    last = str(int(readings[0].value))
    # The first writer replaced nothing, every other replaced exactly one earlier value, and the
    # value that remains is the one no writer replaced.
    assert len(replaced) == WRITERS - 1
    assert sorted([*replaced, last], key=int) == [str(n) for n in range(1, WRITERS + 1)]
    assert stored_rollup(ctx) == expected_rollup(all_readings(ctx))


def test_first_counts_of_a_day_at_once_add_up(ctx: ServiceContext) -> None:
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, "T1").get_or_create(now=NOW)
    start = threading.Barrier(WRITERS)

    def count(index: int) -> None:
        start.wait()
        with ctx.db.transaction() as session:
            MetricRepository(session, "T1").increment(
                day=date(2026, 11, 24), metric="shares", by=index + 1,
                platform="x", source="sharebar", now=NOW,
            )  # fmt: skip

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(count, range(WRITERS)))
    readings = all_readings(ctx)
    assert [reading.value for reading in readings] == [Decimal(WRITERS * (WRITERS + 1) // 2)]
    assert stored_rollup(ctx) == expected_rollup(readings)
