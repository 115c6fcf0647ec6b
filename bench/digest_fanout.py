"""The Monday rush: a thousand workspaces' weekly digests due in the same minute, delivered by two
bot processes on one PostgreSQL database, against the CPU the digests need.

Scenario: ``--workspaces`` workspaces (1,000), each with eight weeks of readings (every metric,
every day, two platforms), two running campaigns, three posts on its calendar, its own digest
channel and its own OAuth installation (bot token), all with the weekly digest due at the same
minute. ``--replicas`` (2) real ``python app.py`` processes in OAuth mode on one PostgreSQL
schema deliver them as in production: the scheduler's digest job builds each digest (queries,
chart) and enqueues it, the outbox sends the message and uploads the chart. "Slack" is a mock
in a child process enforcing Slack's per-workspace limits (chat.postMessage 1 a second per
channel; files.getUploadURLExternal and files.completeUploadExternal Tier 4, 100 a minute).

Figures:
- delivered exactly once: per channel, one accepted message and one chart shared with content,
  read from the mock's own records (duplicates and missing ones counted);
- total: from the due minute to the last accepted call;
- CPU bound: workspaces x one digest's build-and-render CPU / cores, the digest's CPU measured in
  this run (median of ``--samples`` workspaces' digests, after a warm-up, timed once before the
  rush and once after it, since this machine's speed drifts by 15% and more between minutes
  and a couple of seconds on one side stood for a minute's rush): the app's, in this process,
  plus the database server's for the build's queries, which run on the same cores
  (`digest_fanout_cpu`); ratio = total / bound, goal <= 1.2, and for comparison with runs before
  the server's share was counted, the ratio against the app's CPU alone;
- lateness of each digest (its chart shared, minus the due minute): p50, p99, max;
- the bot processes' CPU per digest (everything: building, storing, sending), load averages.

Needs PostgreSQL: ``--database-url``, SMMBOT_BENCH_POSTGRES_URL or SMMBOT_TEST_POSTGRES_URL; a
throw-away schema, dropped at the end. Run from the project root::

    .venv/bin/python -m bench.digest_fanout [--workspaces 1000] [--replicas 2] [--json]

Exit status 0 when every digest was delivered exactly once within ``--max-seconds``, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import update

from bench.ack_report import percentile
from bench.cpu_accounting import CpuShares
from bench.digest_fanout_cpu import DigestCpu, digest_cpu
from bench.digest_fanout_data import CLIENT_ID, ZONE, channel, load
from bench.fanout_mock import MockProcess
from bench.fanout_run import run_measurement
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from smmbot.persistence.models import Workspace
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.postgres import postgres_schema_url

GOAL_RATIO = 1.2
LEAD_SECONDS = 15.0  # at least this long between the processes being healthy and the due minute


def progress(message: str) -> None:
    print(f"[digest-fanout] {message}", file=sys.stderr, flush=True)


def start_replicas(
    args: argparse.Namespace, url: str, api_url: str, workdir: Path, stack: contextlib.ExitStack
) -> list[AppProcess]:
    replicas = []
    for n in range(args.replicas):
        app = AppProcess(
            api_url=api_url,
            database_url=url,
            log_path=workdir / f"app{n}.log",
            unset=("SLACK_BOT_TOKEN",),
            SLACK_CLIENT_ID=CLIENT_ID,
            SLACK_CLIENT_SECRET="bench-secret",  # noqa: S106
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SMMBOT_SCHEDULER_INTERVAL=str(args.interval),
        )
        stack.enter_context(app)
        replicas.append(app)
    return replicas


def set_due_minute(db: Database) -> datetime:
    """Every digest due at the first whole minute at least LEAD_SECONDS from now."""
    due = (datetime.now(UTC) + timedelta(seconds=LEAD_SECONDS + 60)).replace(
        second=0, microsecond=0
    )
    local = due.astimezone(ZoneInfo(ZONE))
    with db.transaction() as session:
        session.execute(
            update(Workspace).values(
                digest_enabled=True,
                digest_weekday=local.weekday(),
                digest_time=clock_time(local.hour, local.minute),
            )
        )
    return due


def wait_for_delivery(mock: MockProcess, count: int, deadline: float) -> dict[str, Any]:
    stats = mock.stats()
    while time.monotonic() < deadline:
        done = sum(1 for channel_id in stats["done_at"] if stats["charts"].get(channel_id))
        progress(f"{len(stats['messages'])} messages, {done} charts, {stats['rate_limited']} 429s")
        if len(stats["messages"]) >= count and done >= count:
            break
        time.sleep(2.0 if done < 0.98 * count else 0.25)  # the CPU shares end near the last
        stats = mock.stats()
    return dict(stats)


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        mock = MockProcess(
            stack.enter_context((workdir / "mock.log").open("wb")),
            module="bench.digest_fanout_mock",
        )
        stack.callback(mock.stop)
        url = stack.enter_context(postgres_schema_url(args.database_url, prefix="bench"))
        upgrade_to_head(url)
        db = Database(create_database_engine(url))
        stack.callback(db.engine.dispose)
        progress(f"loading {args.workspaces} workspaces")
        loaded = load(db, url, args.workspaces)
        progress(f"loaded: {loaded}; measuring one digest's CPU")
        before = digest_cpu(db, args.samples)
        replicas = start_replicas(args, url, mock.base_url, workdir, stack)
        due_wall = set_due_minute(db)
        due = time.monotonic() + (due_wall - datetime.now(UTC)).total_seconds()
        wait = due - time.monotonic()
        progress(f"{args.replicas} replicas up; due at {due_wall:%H:%M} UTC, in {wait:.0f}s")
        time.sleep(max(0.0, wait))
        spent = CpuShares(
            [app.process.pid if app.process else None for app in replicas], mock.process.pid
        )
        load_before = os.getloadavg()
        wait_for_delivery(mock, args.workspaces, due + args.max_seconds)
        shares = spent.since()
        time.sleep(2.0)  # anything sent twice shows up in these two seconds too
        stats = mock.stats()
        for app in replicas:
            app.stop()
        progress("measuring one digest's CPU again")
        after = digest_cpu(db, args.samples)
        figures = {
            "due": due,
            "digest_cpu": (before, after),
            "cpu": shares,
            "loaded": loaded,
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }
    return report(args, stats, figures)


def report(
    args: argparse.Namespace, stats: dict[str, Any], figures: dict[str, Any]
) -> dict[str, Any]:
    count, due = args.workspaces, figures["due"]
    channels = [channel(n) for n in range(count)]
    messages = [stats["messages"].get(c, 0) for c in channels]
    charts = [stats["charts"].get(c, 0) for c in channels]
    once = sum(1 for m, c in zip(messages, charts, strict=True) if m == 1 and c == 1)
    late = [stats["done_at"][c] - due for c in channels if c in stats["done_at"]]
    total = (stats["last_at"] - due) if stats["last_at"] is not None else math.nan
    cores = os.cpu_count() or 1
    before, after = figures["digest_cpu"]
    unit = before + after
    bound, app_bound = count * unit.total / cores, count * unit.app / cores
    complete = once == count
    return {
        "config": {
            "workspaces": count,
            "replicas": args.replicas,
            "cores": cores,
            "scheduler_interval_s": args.interval,
        },
        "load_s": {key: round(value, 1) for key, value in figures["loaded"].items()},
        "delivered_exactly_once": once,
        "duplicate_messages": sum(max(0, m - 1) for m in messages),
        "duplicate_charts": sum(max(0, c - 1) for c in charts),
        "missing": sum(1 for m, c in zip(messages, charts, strict=True) if not m or not c),
        "rate_limited_429": stats["rate_limited"],
        "other_errors": stats["other_errors"],
        "digest_cpu_ms": _milliseconds(unit)
        | {"before": _milliseconds(before), "after": _milliseconds(after)},
        "total_s": round(total, 2),
        "cpu_bound_s": round(bound, 2),
        "ratio": round(total / bound, 3) if bound else math.nan,
        "ratio_app_cpu_alone": round(total / app_bound, 3) if app_bound else math.nan,
        "lateness_s": {p: round(percentile(late, q), 2) for p, q in (("p50", 50), ("p99", 99))}
        | {"max": round(max(late, default=math.nan), 2)},
        "app_cpu_per_digest_ms": round(figures["cpu"]["bots"] / count * 1000, 1),
        "cpu_s": figures["cpu"],
        "load_average": {
            "before": [round(x, 2) for x in figures["load_before"]],
            "after": [round(x, 2) for x in figures["load_after"]],
        },
        "complete": complete,
        "goal_met": complete and total / bound <= GOAL_RATIO,
    }


def _milliseconds(cpu: DigestCpu) -> dict[str, float | None]:
    database = cpu.database
    return {
        "app": round(cpu.app * 1000, 1),
        "database": round(database * 1000, 1) if database is not None else None,
    }


def render(result: dict[str, Any]) -> str:
    c, late, cpu = result["config"], result["lateness_s"], result["digest_cpu_ms"]
    return "\n".join(
        [
            f"{c['workspaces']} weekly digests due in one minute, {c['replicas']} bot processes "
            f"on PostgreSQL, {c['cores']} cores (loaded in {result['load_s']})",
            f"delivered exactly once {result['delivered_exactly_once']}, missing "
            f"{result['missing']}, duplicate messages {result['duplicate_messages']}, duplicate "
            f"charts {result['duplicate_charts']}, 429s {result['rate_limited_429']}, "
            f"other errors {result['other_errors']}",
            f"total {result['total_s']:.1f}s vs CPU bound {result['cpu_bound_s']:.1f}s "
            f"({c['workspaces']} x ({cpu['app']} ms app + {cpu['database']} ms database) / "
            f"{c['cores']} cores): ratio {result['ratio']:.3f} (goal <= {GOAL_RATIO}); against "
            f"the app's CPU alone {result['ratio_app_cpu_alone']:.3f}; one digest's CPU before "
            f"the rush {cpu['before']}, after it {cpu['after']}",
            f"lateness p50 {late['p50']:.1f}s, p99 {late['p99']:.1f}s, max {late['max']:.1f}s; "
            f"bot CPU {result['app_cpu_per_digest_ms']} ms a digest; load average "
            f"{result['load_average']['before']} -> {result['load_average']['after']}",
            "CPU seconds from the due minute to the last delivery: "
            + ", ".join(f"{key} {value}" for key, value in result["cpu_s"].items()),
            f"goal {'met' if result['goal_met'] else 'MISSED'}",
        ]
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--workspaces", type=int, default=1_000)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--samples", type=int, default=20, help="digests timed for the bound")
    parser.add_argument("--interval", type=float, default=1.0, help="scheduler interval, s")
    parser.add_argument("--max-seconds", type=float, default=900.0)
    default_url = (
        os.environ.get("SMMBOT_BENCH_POSTGRES_URL")
        or os.environ.get("SMMBOT_TEST_POSTGRES_URL")
        or None
    )
    parser.add_argument("--database-url", default=default_url)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("needs PostgreSQL: --database-url or SMMBOT_BENCH_POSTGRES_URL")
    if args.workspaces < 1 or args.replicas < 1 or not 1 <= args.samples <= args.workspaces:
        parser.error("need --workspaces, --replicas >= 1 and 1 <= --samples <= --workspaces")
    return args


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    return run_measurement(
        parse_args(argv),
        measure,
        render,
        prefix="smmbot-digest-fanout-",
        progress=progress,
        out=out,
    )


if __name__ == "__main__":
    raise SystemExit(main())
