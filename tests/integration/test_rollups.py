"""The daily roll-up always equals a fresh GROUP BY over the readings, whatever wrote them.

The digest reads only the roll-up, so a roll-up that drifts from the readings would show wrong
numbers without any error; these tests compare the two after every kind of write, on SQLite and
PostgreSQL, and check that the migration fills the roll-up from readings stored before it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.orm import Session

from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.metrics_repository import MetricRepository
from smmbot.persistence.migrations import alembic_config
from smmbot.persistence.models import MetricDailyRollup, MetricReading, RollupDimension
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext

pytestmark = pytest.mark.usefixtures("workspaces")

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
Rollup = dict[tuple[str, str, str, date, str], tuple[Decimal, Decimal]]


def expected_rollup(readings: list[MetricReading]) -> Rollup:
    """The roll-up computed by hand in Python from the readings: per platform every reading
    adds up; per campaign, its readings without a platform (the account-wide figure) when it
    has any that day, else its per-platform readings, never both."""
    groups: dict[tuple[str, str, str, date, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for reading in readings:
        for dimension, key in (
            (RollupDimension.PLATFORM, reading.platform),
            (RollupDimension.CAMPAIGN, reading.campaign),
        ):
            groups[(reading.team_id, dimension.value, reading.metric, reading.day, key)].append(
                (reading.platform, Decimal(reading.value))
            )
    expected: Rollup = {}
    for group, found in groups.items():
        account_wide = [value for platform, value in found if platform == ""]
        if group[1] == RollupDimension.PLATFORM.value or not account_wide:
            values = [value for _, value in found]
        else:
            values = account_wide
        expected[group] = (sum(values, Decimal(0)), max(values))
    return expected


def stored_rollup(ctx: ServiceContext) -> Rollup:
    with ctx.db.transaction() as session:
        rows = session.scalars(select(MetricDailyRollup)).all()
        return {
            (row.team_id, row.dimension, row.metric, row.day, row.key): (
                Decimal(row.total),
                Decimal(row.peak),
            )
            for row in rows
        }


def all_readings(ctx: ServiceContext) -> list[MetricReading]:
    with ctx.db.transaction() as session:
        return list(session.scalars(select(MetricReading)))


upserts = st.tuples(
    st.sampled_from(["T1", "T2"]),
    st.sampled_from([date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 24)]),
    st.sampled_from(["reach", "followers", "revenue"]),
    st.integers(min_value=0, max_value=10_000).map(Decimal),
    st.sampled_from(["", "Ramadan", "Launch"]),
    st.sampled_from(["", "instagram", "tiktok"]),
    st.sampled_from(["manual", "csv", "api"]),
)
steps = st.lists(
    st.one_of(
        st.lists(upserts, min_size=1, max_size=6).map(lambda batch: ("upsert", batch)),
        st.sampled_from(["manual", "csv", "api"]).map(lambda source: ("delete", source)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_the_rollup_equals_the_readings_after_any_writes(
    ctx: ServiceContext, steps: list[tuple[str, object]]
) -> None:
    with ctx.db.transaction() as session:  # hypothesis reuses the database between examples
        session.execute(delete(MetricReading))
        session.execute(delete(MetricDailyRollup))
    for action, argument in steps:
        with ctx.db.transaction() as session:
            if action == "delete":
                for team_id in ("T1", "T2"):
                    MetricRepository(session, team_id).remove_source(str(argument))
                continue
            assert isinstance(argument, list)
            for team_id, day, metric, value, campaign, platform, source in argument:
                MetricRepository(session, team_id).upsert(
                    day=day, metric=metric, value=value, campaign=campaign,
                    platform=platform, source=source, recorded_by="U1", now=NOW,
                )  # fmt: skip
        assert stored_rollup(ctx) == expected_rollup(all_readings(ctx))


def test_a_rolled_back_write_leaves_the_rollup_as_it_was(ctx: ServiceContext) -> None:
    with ctx.db.transaction() as session:
        MetricRepository(session, "T1").upsert(
            day=date(2026, 11, 24), metric="reach", value=Decimal(10), source="manual",
            recorded_by="U1", now=NOW,
        )  # fmt: skip
    before = stored_rollup(ctx)

    def failing_import() -> None:
        with ctx.db.transaction() as session:
            MetricRepository(session, "T1").upsert(
                day=date(2026, 11, 24), metric="reach", value=Decimal(99), source="manual",
                recorded_by="U1", now=NOW,
            )  # fmt: skip
            session.flush()
            raise RuntimeError("the rest of the import failed")

    with pytest.raises(RuntimeError):
        failing_import()
    assert stored_rollup(ctx) == before
    assert before[("T1", "platform", "reach", date(2026, 11, 24), "")] == (Decimal(10),) * 2


def test_readings_added_directly_are_rolled_up(ctx: ServiceContext) -> None:
    with ctx.db.transaction() as session:
        session.add_all(
            MetricReading(
                team_id="T1", day=date(2026, 11, 24), metric="followers", value=Decimal(value),
                campaign="", platform="instagram", source=source, updated_at=NOW,
            )
            for value, source in ((1200, "manual"), (1250, "csv"))
        )  # fmt: skip
    rollup = stored_rollup(ctx)
    assert rollup[("T1", "platform", "followers", date(2026, 11, 24), "instagram")] == (
        Decimal(2450),
        Decimal(1250),
    )


def rollup_at_head(url: str) -> Rollup:
    """Upgrades the old database at `url` to head and reads the roll-up the migrations left."""
    command.upgrade(alembic_config(url), "head")
    database = Database(create_database_engine(url))
    try:
        return stored_rollup(ServiceContext(db=database, clock=lambda: NOW))
    finally:
        database.engine.dispose()


def add_old_workspace(session: Session, team_id: str) -> None:
    """A workspace row as the first migration's table takes it: the model has grown columns
    since (approval's, …) that a database at an old revision does not have."""
    session.execute(
        text(
            "INSERT INTO workspaces (team_id, timezone, currency, digest_enabled, digest_weekday,"
            " digest_time, created_at) VALUES (:team, 'Asia/Jakarta', 'IDR', false, 0,"
            " '09:00:00', :now)"
        ),
        {"team": team_id, "now": NOW.isoformat(sep=" ")},
    )


def test_the_migration_rolls_up_readings_stored_before_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0004")
    engine = create_engine(url)
    with Session(engine) as session, session.begin():  # a plain session: no roll-up hooks yet
        add_old_workspace(session, "T9")
        session.add_all(
            MetricReading(
                team_id="T9", day=date(2026, 11, 20), metric="reach", value=Decimal(value),
                campaign=campaign, platform="instagram", source="csv", updated_at=NOW,
            )
            for value, campaign in ((100, ""), (250, "Ramadan"))
        )  # fmt: skip
    engine.dispose()
    migrated = rollup_at_head(url)
    assert migrated == {
        ("T9", "platform", "reach", date(2026, 11, 20), "instagram"): (Decimal(350), Decimal(250)),
        ("T9", "campaign", "reach", date(2026, 11, 20), ""): (Decimal(100), Decimal(100)),
        ("T9", "campaign", "reach", date(2026, 11, 20), "Ramadan"): (Decimal(250), Decimal(250)),
    }


def test_a_campaigns_account_wide_reading_replaces_its_platforms(ctx: ServiceContext) -> None:
    with ctx.db.transaction() as session:
        for value, platform in ((700, "instagram"), (300, "tiktok"), (1200, "")):
            MetricRepository(session, "T1").upsert(
                day=date(2026, 11, 24), metric="reach", value=Decimal(value), campaign="Ramadan",
                platform=platform, source="manual", recorded_by="U1", now=NOW,
            )  # fmt: skip
    rollup = stored_rollup(ctx)
    assert (
        rollup[("T1", "campaign", "reach", date(2026, 11, 24), "Ramadan")] == (Decimal(1200),) * 2
    )
    assert rollup[("T1", "platform", "reach", date(2026, 11, 24), "tiktok")] == (Decimal(300),) * 2


def test_the_account_wide_migration_recomputes_campaign_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0007")
    engine = create_engine(url)
    with Session(engine) as session, session.begin():  # a plain session: no roll-up hooks
        add_old_workspace(session, "T9")
        session.add_all(
            MetricReading(
                team_id="T9", day=date(2026, 11, 20), metric="followers", value=Decimal(value),
                campaign="Launch", platform=platform, source="csv", updated_at=NOW,
            )
            for value, platform in ((1000, "instagram"), (1500, ""))
        )  # fmt: skip
        session.add(  # the roll-up as 0005 built it: both readings added up
            MetricDailyRollup(
                team_id="T9", dimension="campaign", metric="followers", day=date(2026, 11, 20),
                key="Launch", total=Decimal(2500), peak=Decimal(1500),
            )
        )  # fmt: skip
    engine.dispose()
    migrated = rollup_at_head(url)
    key = ("T9", "campaign", "followers", date(2026, 11, 20), "Launch")
    assert migrated == {key: (Decimal(1500), Decimal(1500))}


def test_every_workspace_is_rolled_up_on_its_own(ctx: ServiceContext) -> None:
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, "T3").get_or_create(now=NOW)
        for team_id in ("T1", "T3"):
            MetricRepository(session, team_id).upsert(
                day=date(2026, 11, 24), metric="orders", value=Decimal(5), source="manual",
                recorded_by="U1", now=NOW,
            )  # fmt: skip
        MetricRepository(session, "T1").remove_source("manual")
    assert set(stored_rollup(ctx)) == {
        ("T3", "platform", "orders", date(2026, 11, 24), ""),
        ("T3", "campaign", "orders", date(2026, 11, 24), ""),
    }
