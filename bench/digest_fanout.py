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
- CPU bound: workspaces x one digest's build-and-render CPU / cores, the digest's CPU measured
  in this run: the mean of ``--samples`` workspaces' digests built one after another in a
  fresh process set up as a bot process is, after a warm-up, once before the rush and once after
  it (once the database has settled), the app's CPU plus the database server's for the build's
  queries, which run on the same cores (`digest_fanout_cpu`; `DigestCpu` says why the mean);
  ratio = total / bound, goal <= 1.2, and against the samples' median, which runs before this
  one took. This machine's speed drifts: the same digests took 78 to 109 ms each from one
  ten-second window to the next, more than the whole margin the goal allows. So the ratio is
  also given against the rush's own builds, timed in the minute the rush runs: the mean of
  every build the bot processes (and their helpers) made, from their
  `smmbot_digest_build_cpu_seconds` histograms, plus the database's share as above. That one
  counts what the builds lose to sharing the cores with each other as part of the builds,
  where the goal's counts it as overhead;
- before the due minute each bot process draws one digest (`warm_up`), as a bot that has been up
  for days has: its first chart loads matplotlib and its fonts, a second of CPU. The digest
  helpers of a rush the bots see coming start ahead of it (`services.digest_helpers`) and spend
  their start (imports, a first chart: a second of CPU each) in the seconds before the due
  minute, which no figure counts: the CPU shares count what they spend from the due minute on;
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
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import update

from bench.cpu_accounting import CpuShares
from bench.digest_fanout_cpu import builds_in_rush, digest_cpu_in_child
from bench.digest_fanout_data import CLIENT_ID, ZONE, load, settle, warm_up
from bench.digest_fanout_report import render, report
from bench.fanout_mock import MockProcess
from bench.fanout_run import run_measurement
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from smmbot.persistence.models import Workspace
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.postgres import postgres_schema_url

LEAD_SECONDS = 15.0  # at least this long between the processes being healthy and the due minute


def progress(message: str) -> None:
    print(f"[digest-fanout] {message}", file=sys.stderr, flush=True)


def start_replicas(
    args: argparse.Namespace, url: str, api_url: str, workdir: Path, stack: contextlib.ExitStack
) -> list[AppProcess]:
    replicas = []
    helpers = {} if args.digest_helpers is None else {"SMMBOT_DIGEST_HELPERS": args.digest_helpers}
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
            **helpers,
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
        before = digest_cpu_in_child(url, args.samples)
        replicas = start_replicas(args, url, mock.base_url, workdir, stack)
        warm_up(replicas, mock.base_url)
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
        built = builds_in_rush(replicas)
        for app in replicas:
            app.stop()
        progress("settling the database; measuring one digest's CPU again")
        settle(url)
        after = digest_cpu_in_child(url, args.samples)
        figures = {
            "due": due,
            "digest_cpu": (before, after),
            "built_in_rush": built,
            "cpu": shares,
            "loaded": loaded,
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }
    return report(args, stats, figures)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--workspaces", type=int, default=1_000)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--samples", type=int, default=60, help="digests timed for the bound")
    parser.add_argument("--interval", type=float, default=1.0, help="scheduler interval, s")
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument(
        "--digest-helpers", help="SMMBOT_DIGEST_HELPERS of the bot processes (their default)"
    )
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
