"""How long `/smm digest` takes to build on two years of readings, against the bare SQL aggregate.

Scenario: one workspace with 1,000,000 metric readings (``--readings``) over two years: all 13
metrics, every day, for a spread of platforms and campaigns (one row per day, metric, campaign
and platform, as imports write them), plus a few campaigns running today with targets and a
budget, so the digest has target progress and budget use to compute. The rows are loaded with
COPY, then ANALYZEd.

Three things are timed in the same run, their order rotating through every permutation so
machine noise hits all of them:

- digest: ``build_digest`` as ``/smm digest now`` calls it (its own transaction, the workspace
  lookup, the active campaigns, the week's aggregates, execution counts, upcoming posts); the
  chart is not part of it;
- bound: the irreducible work, one hand-written SQL statement through a bare psycopg
  connection that computes every reading aggregate the digest shows: counters this week so far
  and over the same days of last week, the followers level now and on the same weekday of
  last week, and the active campaigns' counters since their start, all under the account-wide
  rule (a reading without a platform replaces the platforms' of its metric and day; every
  third day of the generated data has one). After timing, the bench checks that the digest
  shows exactly the numbers this statement returns;
- week sums, for reference only: one raw ``SELECT metric, sum(value) ... GROUP BY metric`` over
  this week so far and one over the same days of last week (the bound of earlier runs, which
  left out the followers levels and the campaign totals the digest also has to compute).

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
import itertools
import json
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy.engine import make_url

from bench.digest_bound import (
    bound_parameters,
    check_same_numbers,
    raw_bound,
    raw_week_sums,
)
from bench.digest_data import (
    ACTIVE_CAMPAIGNS,
    DAYS,
    NOW,
    TEAM,
    active_campaigns,
    libpq_url,
    load,
    progress,
    throwaway_schema,
)
from bench.digest_diagnosis import diagnose
from smmbot.domain.metrics import METRICS
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext
from smmbot.services.digest import build_digest

POSTGRES_ENV = "SMMBOT_TEST_POSTGRES_URL"
GOAL_RATIO = 1.2
GOAL_DIGEST_MS = 100.0


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure_all(
    actions: dict[str, Callable[[], object]], runs: int, warmup: int
) -> dict[str, list[float]]:
    """Each action `runs` times, the order rotating through every permutation so that no
    action always runs first (or right after another) and noise spreads over all of them."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    orders = list(itertools.permutations(actions))
    for n in range(runs):
        for name in orders[n % len(orders)]:
            times[name].append(timed_ms(actions[name]))
    return times


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(throwaway_schema(args.database_url))
        ctx, today, loaded = loaded_workspace(stack, url, args.readings)
        progress(
            f"copied in {loaded[0]:.1f}s, rolled up in {loaded[1]:.1f}s;"
            f" timing {args.runs} runs each"
        )
        # Never prepared, so PostgreSQL plans each run for its values (a generic plan made the
        # raw statement ten times slower on some runs, which would flatter the ratio).
        raw = stack.enter_context(
            psycopg.connect(libpq_url(url), autocommit=True, prepare_threshold=None)
        )
        parameters = bound_parameters(today, active_campaigns(args.readings, today))
        times = measure_all(
            {
                "digest": lambda: build_digest(ctx=ctx, team_id=TEAM, now=NOW),
                "bound": lambda: raw_bound(raw, parameters),
                "week_sums": lambda: raw_week_sums(raw, today),
            },
            args.runs,
            args.warmup,
        )
        digest = build_digest(ctx=ctx, team_id=TEAM, now=NOW)
        check_same_numbers(digest, raw_bound(raw, parameters))
        result = summary(args, times, loaded, raw.info.server_version, len(digest.targets))
        if not result["goal_met"] or args.profile:
            progress("counting statements and profiling build_digest")
            result["diagnosis"] = diagnose(ctx, runs=max(3, min(args.runs, 10)))
    return result


def loaded_workspace(
    stack: contextlib.ExitStack, url: str, readings: int
) -> tuple[ServiceContext, date, tuple[float, float]]:
    """The schema at head with the readings loaded: the context, the workspace's today, and the
    seconds the COPY and the roll-up build took. The engine is disposed when ``stack`` closes."""
    upgrade_to_head(url)
    db = Database(create_database_engine(url))
    stack.callback(db.engine.dispose)
    with db.transaction() as session:
        zone = WorkspaceRepository(session, TEAM).get_or_create(now=NOW).timezone
    today = NOW.astimezone(ZoneInfo(zone)).date()
    progress(f"loading {readings:,} readings over {DAYS} days (COPY)")
    loaded = load(db, url, readings, today)
    return ServiceContext(db=db, clock=lambda: NOW), today, loaded


def summary(
    args: argparse.Namespace,
    times: dict[str, list[float]],
    loaded: tuple[float, float],
    postgres: int,
    digest_targets: int,
) -> dict[str, Any]:
    """The figures: medians and minimums, the ratio to the bound and whether the goals are met."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["digest"] / medians["bound"]
    return {
        "config": {
            "readings": args.readings,
            "days": DAYS,
            "metrics": len(METRICS),
            "active_campaigns": ACTIVE_CAMPAIGNS,
            "runs": args.runs,
            "warmup": args.warmup,
            "postgres": postgres,
        },
        "load_s": round(loaded[0], 1),
        "rollup_build_s": round(loaded[1], 1),
        **{
            f"{name}_ms": {"median": round(medians[name], 2), "min": round(min(values), 2)}
            for name, values in times.items()
        },
        "ratio": round(ratio, 2),
        "ratio_to_week_sums": round(medians["digest"] / medians["week_sums"], 2),
        "digest_targets": digest_targets,
        "goal_met": ratio <= GOAL_RATIO and medians["digest"] < GOAL_DIGEST_MS,
    }


def render(result: dict[str, Any]) -> str:
    c = result["config"]
    lines = [
        f"{c['readings']:,} readings ({c['metrics']} metrics, {c['days']} days), "
        f"{c['active_campaigns']} active campaigns, PostgreSQL {c['postgres']}, "
        f"copied in {result['load_s']}s, roll-up built in {result['rollup_build_s']}s; "
        f"median of {c['runs']} runs after {c['warmup']} warm-up",
        f"digest  (build_digest)        median {result['digest_ms']['median']:8.2f} ms "
        f"(min {result['digest_ms']['min']:.2f}) goal < {GOAL_DIGEST_MS:.0f} ms",
        f"bound   (1 raw statement)     median {result['bound_ms']['median']:8.2f} ms "
        f"(min {result['bound_ms']['min']:.2f})",
        f"ratio digest/bound {result['ratio']:.2f}x (goal <= {GOAL_RATIO}x)",
        f"for reference, 2 raw week sums median {result['week_sums_ms']['median']:.2f} ms "
        f"(digest / them {result['ratio_to_week_sums']:.2f}x)",
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
