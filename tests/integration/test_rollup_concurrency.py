"""The roll-up under concurrent writers on PostgreSQL: every transaction commits, and the roll-up
still equals the readings."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest

from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext
from tests.integration.test_rollups import NOW, all_readings, expected_rollup, stored_rollup
from tests.support.databases import copied_postgres, opened_database


@pytest.mark.postgres
def test_concurrent_writers_of_one_day_and_metric_all_commit(postgres_template: str) -> None:
    """Without the workspace lock, two writers could both delete the day's roll-up row and
    then collide inserting it again (a third of these transactions failed that way); with a
    plain FOR UPDATE they deadlocked on the readings' foreign key instead."""
    with copied_postgres(postgres_template) as url, opened_database(url) as database:
        with database.transaction() as session:
            WorkspaceRepository(session, "T1").get_or_create(now=NOW)
        failures: list[BaseException] = []

        def write(source: str) -> None:
            for value in range(40):
                try:
                    with database.transaction() as session:
                        MetricRepository(session, "T1").upsert(
                            day=date(2026, 11, 24), metric="reach", value=Decimal(value),
                            source=source, recorded_by=None, now=NOW,
                        )  # fmt: skip
                except Exception as error:  # collected, asserted below
                    failures.append(error)

        writers = [threading.Thread(target=write, args=(s,)) for s in ("manual", "csv", "api")]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        assert failures == []
        ctx = ServiceContext(db=database, clock=lambda: NOW)
        assert stored_rollup(ctx) == expected_rollup(all_readings(ctx))
