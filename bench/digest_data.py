"""The digest benchmark's workspace: a throw-away schema, two years of generated readings loaded
with COPY, the campaigns running on the benchmark's "today", and the roll-up built over them."""

from __future__ import annotations

import contextlib
import itertools
import math
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from smmbot.domain.metrics import METRICS, MetricKind
from smmbot.persistence.database import Database
from smmbot.persistence.models import Campaign
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.persistence.rollups import recompute
from tests.support.postgres import postgres_schema_url

TEAM = "T0BENCH"
DAYS = 730  # two years of readings
# A Thursday, 12:00 in Jakarta (the default zone): four days of this week so far.
NOW = datetime(2025, 6, 12, 5, 0, tzinfo=UTC)
PLATFORMS = ("instagram", "tiktok", "facebook", "x", "linkedin", "threads")
ACTIVE_CAMPAIGNS = 3
COLUMNS = "team_id, day, metric, value, campaign, platform, source, recorded_by, updated_at"


def progress(message: str) -> None:
    print(f"[digest-bench] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def throwaway_schema(base_url: str) -> Iterator[str]:
    """A fresh `bench_…` schema, reached through ``search_path``; dropped on the way out,
    whatever happens (the tests' own helper does both), and the drop reported."""
    with contextlib.ExitStack() as stack:
        stack.callback(progress, "dropped the benchmark schema")  # unwinds after the drop
        yield stack.enter_context(postgres_schema_url(base_url, prefix="bench"))


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string, for a bare psycopg connection."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def campaign_names(readings: int) -> list[str]:
    combos = math.ceil(readings / (DAYS * len(METRICS)))
    count = math.ceil(combos / len(PLATFORMS))
    return [""] + [f"Campaign {n:02d}" for n in range(1, count)]


def active_campaigns(readings: int, today: date) -> list[tuple[str, date]]:
    """The campaigns running today (name, start): three weeks in, with readings behind them."""
    return [
        (name, today - timedelta(days=20))
        for name in campaign_names(readings)[1 : 1 + ACTIVE_CAMPAIGNS]
    ]


def rows(readings: int, first_day: date) -> Iterator[tuple[Any, ...]]:
    """``readings`` unique readings: combo by combo (campaign x platform), day by day, metric by
    metric, so only the last combo is cut short. Followers climb; counters vary day to day.
    Every third day the last platform's readings come without a platform (account-wide), so
    the digest's account-wide rule is exercised both ways: days with an account-wide figure,
    and days where the platforms add up."""
    rng = random.Random(42)
    combos = itertools.product(campaign_names(readings), PLATFORMS)
    stamp = NOW.isoformat()
    made = 0
    for campaign, platform in combos:
        followers = rng.randint(1_000, 50_000)
        for offset in range(DAYS):
            day = (first_day + timedelta(days=offset)).isoformat()
            followers += rng.randint(-5, 40)
            account_wide = platform == PLATFORMS[-1] and offset % 3 == 0
            shown_platform = "" if account_wide else platform
            for name, metric in METRICS.items():
                if made == readings:
                    return
                if metric.kind is MetricKind.GAUGE:
                    value: int | str = followers
                elif name in {"ad_spend", "revenue"}:
                    value = f"{rng.randint(0, 5_000_000) / 100:.2f}"
                else:
                    value = rng.randint(0, 2_000)
                yield (TEAM, day, name, value, campaign, shown_platform, "import", None, stamp)
                made += 1


def load(db: Database, url: str, readings: int, today: date) -> tuple[float, float]:
    """Workspace, campaigns and readings; returns the seconds the readings took (COPY) and the
    seconds their daily roll-up took to build (what the app keeps current on every write; COPY
    bypasses the app, so it is built here the way the migration builds it), then ANALYZEs."""
    first_day = today - timedelta(days=DAYS - 1)
    with db.transaction() as session:
        WorkspaceRepository(session, TEAM).get_or_create(now=NOW)
        for name, start in active_campaigns(readings, today):
            session.add(
                Campaign(
                    team_id=TEAM,
                    name=name,
                    name_key=name.casefold(),
                    objective="smm",
                    start_date=start,
                    end_date=today + timedelta(days=10),
                    budget=Decimal("250000000"),
                    currency="IDR",
                    platforms=list(PLATFORMS[:3]),
                    targets={"leads": "500000", "orders": "80000", "followers": "5000000"},
                    created_by="U0BENCH",
                    created_at=NOW,
                )
            )
    started = time.monotonic()
    with psycopg.connect(libpq_url(url)) as connection:
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY metric_readings ({COLUMNS}) FROM STDIN") as copy,
        ):
            for row in rows(readings, first_day):
                copy.write_row(row)
        connection.commit()
        copied = time.monotonic() - started
        with db.transaction() as session:
            recompute(session, TEAM, days=None, metrics=None)
        rolled_up = time.monotonic() - started - copied
        connection.autocommit = True
        connection.execute("ANALYZE")
        (count,) = connection.execute("SELECT count(*) FROM metric_readings").fetchone() or (0,)
    if count != readings:
        raise RuntimeError(f"loaded {count} readings, expected {readings}")
    return copied, rolled_up
