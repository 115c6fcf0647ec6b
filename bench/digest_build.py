"""How long `/smm digest` takes to build on two years of readings, against the bare SQL aggregate.

Scenario: one workspace with 1,000,000 metric readings (``--readings``) over two years: all 13
metrics, every day, for a spread of platforms and campaigns (one row per day, metric, campaign
and platform, as imports write them), plus a few campaigns running today with targets and a
budget, so the digest has target progress and budget use to compute. The rows are loaded with
COPY, then ANALYZEd.

Two things are timed in the same run, interleaved (A, B, B, A, ...) so machine noise hits both:

- digest: ``build_digest`` as ``/smm digest now`` calls it (its own transaction, the workspace
  lookup, week totals, execution counts, upcoming posts, campaigns, campaign totals); the chart
  is not part of it;
- bound: the irreducible work, one raw ``SELECT metric, sum(value) ... GROUP BY metric`` over
  this week so far and one over the same days of last week, through a bare psycopg connection.

Figures: the median of each (``--runs``, after ``--warmup`` unmeasured runs), ratio =
digest / bound (goal <= 1.2) and the digest's median (goal < 100 ms). When a goal is missed
the bench also counts and times the statements ``build_digest`` issues and profiles it with
cProfile, and says where the time goes.

Needs PostgreSQL: ``--database-url`` or SMMBOT_TEST_POSTGRES_URL; everything happens in a
throw-away schema, dropped at the end (also on error or Ctrl-C). Run from the project root::

    .venv/bin/python -m bench.digest_build [--database-url URL] [--readings 1000000] [--json]

Exit status 0 when the measurement completed (whether or not the goals were met), 1 on errors.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import itertools
import json
import math
import os
import pstats
import random
import signal
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TextIO
from urllib.parse import quote
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from smmbot.domain.digest import week_of
from smmbot.domain.metrics import METRICS, MetricKind
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from smmbot.persistence.models import Campaign
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext
from smmbot.services.digest import build_digest

POSTGRES_ENV = "SMMBOT_TEST_POSTGRES_URL"
GOAL_RATIO = 1.2
GOAL_DIGEST_MS = 100.0
TEAM = "T0BENCH"
DAYS = 730  # two years of readings
# A Thursday, 12:00 in Jakarta (the default zone): four days of this week so far.
NOW = datetime(2025, 6, 12, 5, 0, tzinfo=UTC)
PLATFORMS = ("instagram", "tiktok", "facebook", "x", "linkedin", "threads")
ACTIVE_CAMPAIGNS = 3
RAW_WEEK_SQL = (
    "SELECT metric, sum(value) FROM metric_readings"
    " WHERE team_id = %s AND day BETWEEN %s AND %s GROUP BY metric"
)
COLUMNS = "team_id, day, metric, value, campaign, platform, source, recorded_by, updated_at"


def progress(message: str) -> None:
    print(f"[digest-bench] {message}", file=sys.stderr, flush=True)


# -- the throw-away schema and the data --------------------------------------------------------


@contextlib.contextmanager
def throwaway_schema(base_url: str) -> Iterator[str]:
    """A fresh schema, reached through ``search_path``; dropped on the way out, whatever happens."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base_url else "?"
        try:
            yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            progress(f"dropped schema {schema}")
    finally:
        admin.dispose()


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string, for a bare psycopg connection."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def campaign_names(readings: int) -> list[str]:
    combos = math.ceil(readings / (DAYS * len(METRICS)))
    count = math.ceil(combos / len(PLATFORMS))
    return [""] + [f"Campaign {n:02d}" for n in range(1, count)]


def rows(readings: int, first_day: date) -> Iterator[tuple[Any, ...]]:
    """``readings`` unique readings: combo by combo (campaign x platform), day by day, metric by
    metric, so only the last combo is cut short. Followers climb; counters vary day to day."""
    rng = random.Random(42)
    combos = itertools.product(campaign_names(readings), PLATFORMS)
    stamp = NOW.isoformat()
    made = 0
    for campaign, platform in combos:
        followers = rng.randint(1_000, 50_000)
        for offset in range(DAYS):
            day = (first_day + timedelta(days=offset)).isoformat()
            followers += rng.randint(-5, 40)
            for name, metric in METRICS.items():
                if made == readings:
                    return
                if metric.kind is MetricKind.GAUGE:
                    value: int | str = followers
                elif name in {"ad_spend", "revenue"}:
                    value = f"{rng.randint(0, 5_000_000) / 100:.2f}"
                else:
                    value = rng.randint(0, 2_000)
                yield (TEAM, day, name, value, campaign, platform, "import", None, stamp)
                made += 1


def load(db: Database, url: str, readings: int, today: date) -> float:
    """Workspace, campaigns and readings; returns the seconds the readings took (COPY+ANALYZE)."""
    first_day = today - timedelta(days=DAYS - 1)
    with db.transaction() as session:
        WorkspaceRepository(session, TEAM).get_or_create(now=NOW)
        for name in campaign_names(readings)[1 : 1 + ACTIVE_CAMPAIGNS]:
            session.add(
                Campaign(
                    team_id=TEAM,
                    name=name,
                    name_key=name.casefold(),
                    objective="smm",
                    start_date=today - timedelta(days=20),
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
        connection.autocommit = True
        connection.execute("ANALYZE")
        (count,) = connection.execute("SELECT count(*) FROM metric_readings").fetchone() or (0,)
    if count != readings:
        raise RuntimeError(f"loaded {count} readings, expected {readings}")
    return time.monotonic() - started


# -- the measurement ---------------------------------------------------------------------------


def week_windows(today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    monday = week_of(today)[0]
    last = min(monday + timedelta(days=6), today)
    return (monday, last), (monday - timedelta(days=7), last - timedelta(days=7))


def raw_aggregate(connection: psycopg.Connection[Any], today: date) -> int:
    """The bound: this week's and last week's sums per metric, nothing else."""
    got = 0
    for first, last in week_windows(today):
        got += len(connection.execute(RAW_WEEK_SQL, (TEAM, first, last)).fetchall())
    return got


def timed_ms(action: Any) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure_pair(
    ctx: ServiceContext, raw: psycopg.Connection[Any], today: date, runs: int, warmup: int
) -> tuple[list[float], list[float]]:
    def digest() -> None:
        build_digest(ctx=ctx, team_id=TEAM, now=NOW)

    def bound() -> None:
        if raw_aggregate(raw, today) == 0:
            raise RuntimeError("the raw aggregate found no readings")

    for _ in range(warmup):
        digest()
        bound()
    digest_ms: list[float] = []
    bound_ms: list[float] = []
    for n in range(runs):  # ABBA: neither side always goes first
        if n % 2 == 0:
            digest_ms.append(timed_ms(digest))
            bound_ms.append(timed_ms(bound))
        else:
            bound_ms.append(timed_ms(bound))
            digest_ms.append(timed_ms(digest))
    return digest_ms, bound_ms


@contextlib.contextmanager
def statement_log(engine: Engine) -> Iterator[dict[str, list[float]]]:
    """Each statement the engine runs (by its first 110 characters) -> its durations in ms."""
    log: dict[str, list[float]] = defaultdict(list)

    def before(conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: Any) -> None:
        context._bench_started = time.perf_counter()

    def after(conn: Any, _cursor: Any, sql: str, _params: Any, context: Any, _many: Any) -> None:
        key = " ".join(sql.split())[:110]
        log[key].append((time.perf_counter() - context._bench_started) * 1000)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def diagnose(ctx: ServiceContext, runs: int) -> dict[str, Any]:
    """Statements per digest with their median time, and cProfile's top functions."""
    with statement_log(ctx.db.engine) as log:
        for _ in range(runs):
            build_digest(ctx=ctx, team_id=TEAM, now=NOW)
    statements: list[dict[str, Any]] = [
        {
            "sql": sql,
            "per_digest": len(times) / runs,
            "median_ms": round(statistics.median(times), 2),
        }
        for sql, times in log.items()
    ]
    statements.sort(key=lambda s: -s["per_digest"] * s["median_ms"])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        build_digest(ctx=ctx, team_id=TEAM, now=NOW)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
    return {
        "queries_per_digest": round(sum(s["per_digest"] for s in statements), 2),
        "statements": statements,
        "profile": out.getvalue(),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    today = NOW.astimezone(ZoneInfo("Asia/Jakarta")).date()
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(throwaway_schema(args.database_url))
        upgrade_to_head(url)
        db = Database(create_database_engine(url))
        stack.callback(db.engine.dispose)
        with db.transaction() as session:
            zone = WorkspaceRepository(session, TEAM).get_or_create(now=NOW).timezone
        today = NOW.astimezone(ZoneInfo(zone)).date()
        progress(f"loading {args.readings:,} readings over {DAYS} days (COPY)")
        load_seconds = load(db, url, args.readings, today)
        progress(f"loaded and analyzed in {load_seconds:.1f}s; timing {args.runs} runs each")
        ctx = ServiceContext(db=db, clock=lambda: NOW)
        raw = stack.enter_context(psycopg.connect(libpq_url(url), autocommit=True))
        digest_ms, bound_ms = measure_pair(ctx, raw, today, args.runs, args.warmup)
        digest = build_digest(ctx=ctx, team_id=TEAM, now=NOW)
        digest_median, bound_median = statistics.median(digest_ms), statistics.median(bound_ms)
        ratio = digest_median / bound_median
        goal_met = ratio <= GOAL_RATIO and digest_median < GOAL_DIGEST_MS
        result: dict[str, Any] = {
            "config": {
                "readings": args.readings,
                "days": DAYS,
                "metrics": len(METRICS),
                "active_campaigns": ACTIVE_CAMPAIGNS,
                "runs": args.runs,
                "warmup": args.warmup,
                "postgres": raw.info.server_version,
            },
            "load_s": round(load_seconds, 1),
            "digest_ms": {"median": round(digest_median, 2), "min": round(min(digest_ms), 2)},
            "bound_ms": {"median": round(bound_median, 2), "min": round(min(bound_ms), 2)},
            "ratio": round(ratio, 2),
            "digest_targets": len(digest.targets),
            "goal_met": goal_met,
        }
        if not goal_met or args.profile:
            progress("counting statements and profiling build_digest")
            result["diagnosis"] = diagnose(ctx, runs=max(3, min(args.runs, 10)))
    return result


def render(result: dict[str, Any]) -> str:
    c = result["config"]
    lines = [
        f"{c['readings']:,} readings ({c['metrics']} metrics, {c['days']} days), "
        f"{c['active_campaigns']} active campaigns, PostgreSQL {c['postgres']}, "
        f"loaded in {result['load_s']}s; median of {c['runs']} runs after {c['warmup']} warm-up",
        f"digest  (build_digest)        median {result['digest_ms']['median']:8.2f} ms "
        f"(min {result['digest_ms']['min']:.2f}) goal < {GOAL_DIGEST_MS:.0f} ms",
        f"bound   (2 raw GROUP BY sums) median {result['bound_ms']['median']:8.2f} ms "
        f"(min {result['bound_ms']['min']:.2f})",
        f"ratio digest/bound {result['ratio']:.2f}x (goal <= {GOAL_RATIO}x)",
        f"goals {'met' if result['goal_met'] else 'MISSED'}",
    ]
    diagnosis = result.get("diagnosis")
    if diagnosis:
        lines.append(f"\nstatements per digest: {diagnosis['queries_per_digest']}")
        for s in diagnosis["statements"]:
            lines.append(f"  {s['per_digest']:4.1f} x {s['median_ms']:8.2f} ms  {s['sql']}")
        lines.append("\ncProfile of build_digest (cumulative):")
        lines.append(diagnosis["profile"].strip())
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get(POSTGRES_ENV) or None)
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="diagnose even when goals are met")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not args.database_url or make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error(f"needs a PostgreSQL --database-url (or {POSTGRES_ENV})")
    if args.readings < DAYS * len(METRICS) or args.runs < 1 or args.warmup < 0:
        parser.error(f"need --readings >= {DAYS * len(METRICS)}, --runs >= 1, --warmup >= 0")
    return args


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # a killed bench still drops its schema
    try:
        result = measure(args)
    except KeyboardInterrupt:
        progress("interrupted; the schema was dropped")
        return 130
    except Exception as error:  # a measurement that failed is an error, not a figure
        progress(f"failed: {error!r}")
        return 1
    out.write((json.dumps(result, indent=2) if args.json else render(result)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
