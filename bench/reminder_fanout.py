"""How fast the outbox delivers a burst of reminders, against the Slack rate limit's lower bound.

Scenario: 10,000 outbox messages (``--messages``) due at the same moment — everyone's "9 am"
reminder — across 200 channels (``--channels``), stored channel by channel (the worst order for
a naive ``ORDER BY due LIMIT n`` claim). The real engine delivers them: ``OutboxSweep`` run by
the real APScheduler set-up every ``--interval`` seconds, ``deliver_due`` with production
options, ``SlackMessageSender`` over HTTP. "Slack" is ``SlackApiMock`` with ``limit_rate``: a
chat.postMessage to a channel less than 1 s after the channel's previous accepted one gets 429
with Retry-After: 1, as Slack does. The mock runs in a child process, so its threads do not
compete with the engine for the GIL; both stamp calls with CLOCK_MONOTONIC, which is one clock
for every process on the machine.

Figures:
- total: from the due moment to the last message Slack accepted;
- bound: the rate limit's lower bound measured on the run's own calls — the busiest channel's
  accepted messages at 1 per second (50 s for 10,000 / 200); ratio = total / bound, goal <= 1.1;
- lateness of each channel's first message (its first accepted call minus the due moment), p50
  and p99, goal p99 <= 2 s; it includes up to one scheduler interval of waiting for a sweep;
- 429s received (pacing errors cost a backoff of at least 5 s each), duplicates (must be 0);
- engine CPU: this process's CPU (every engine thread) from the scheduler's start to the last
  delivery, in all and a delivered message, goal <= 1.5 ms.

The database is a temporary SQLite file, or PostgreSQL given ``--database-url`` or
SMMBOT_TEST_POSTGRES_URL (in a throw-away schema). Run from the project root::

    .venv/bin/python -m bench.reminder_fanout [--messages 10000] [--channels 200] [--json]

``--replicas 2 --kills 3`` (PostgreSQL): two engine processes, one killed -9 three times and
restarted, with 2% of posts answered 503 (``--fail-503``); see ``bench/fanout_replicas.py``.

Exit status 0 when every message was delivered exactly once within ``--max-seconds`` (whether or
not the goals were met: this is a measurement), 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import text, update

from bench.ack_load import cpu_seconds
from bench.ack_report import percentile
from bench.fanout_mock import RATE, MockProcess
from bench.fanout_replicas import Replica, deliver_with_kills, kill_moments, replicas
from bench.fanout_run import run_measurement
from bench.reminder_fanout_report import (
    GOAL_RATIO,
    GOAL_RATIO_REPLICAS,
    goals_met,
    render,
)
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.scheduling.jobs import OutboxSweep, new_worker_id
from smmbot.scheduling.scheduler import start_scheduler
from smmbot.services.context import ServiceContext
from smmbot.slack.notifier import build_message_sender
from tests.support.app_process import BOT_TOKEN
from tests.support.postgres import postgres_schema_url

LEAD_TIME = 3.0  # seconds between the end of enqueueing and the due moment
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def progress(message: str) -> None:
    print(f"[fanout-bench] {message}", file=sys.stderr, flush=True)


# -- the run -----------------------------------------------------------------------------------


@contextlib.contextmanager
def database(url: str | None, workdir: Path) -> Iterator[Database]:
    with contextlib.ExitStack() as stack:
        if url is None:
            url = f"sqlite:///{workdir / 'fanout.db'}"
        else:
            url = stack.enter_context(postgres_schema_url(url))
        upgrade_to_head(url)
        db = Database(create_database_engine(url))
        stack.callback(db.engine.dispose)
        yield db


def enqueue(db: Database, *, messages: int, channels: int, due_at: datetime) -> None:
    """Channel by channel, in one transaction, through the repository features use."""
    with db.transaction() as session:
        WorkspaceRepository(session, "T1").get_or_create(now=due_at)
        outbox = OutboxRepository(session, "T1")
        for n in range(messages):
            channel, position = n // math.ceil(messages / channels), n
            outbox.enqueue(
                kind="due",
                dedupe_key=f"T1:bench:{position}",
                channel_id=f"C{channel:05d}",
                due_at=due_at,
                payload={"text": f"reminder {position}", "blocks": []},
            )


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        log = stack.enter_context((workdir / "mock.log").open("wb"))
        mock = MockProcess(log, args=(str(args.fail_503),) if args.fail_503 else ())
        stack.callback(mock.stop)
        db = stack.enter_context(database(args.database_url or None, workdir))
        backend = db.engine.dialect.name
        progress(f"enqueueing {args.messages} messages in {args.channels} channels ({backend})")
        started = time.monotonic()
        enqueue(db, messages=args.messages, channels=args.channels, due_at=FAR_FUTURE)
        enqueue_seconds = time.monotonic() - started
        if args.replicas > 1:
            return measure_replicas(args, stack, db, mock, workdir, backend, enqueue_seconds)
        due = set_due_moment(db)
        sweep = OutboxSweep(
            ctx=ServiceContext(db=db),
            sender=build_message_sender(bot_token=BOT_TOKEN, api_url=mock.base_url),
            worker_id=new_worker_id(),
        )
        scheduler = start_scheduler(interval_seconds=args.interval, sweeps=(sweep,))
        cpu_before = cpu_seconds(os.getpid())
        stack.callback(scheduler.shutdown, wait=True)
        stack.callback(sweep.stop)
        progress(f"due in {LEAD_TIME:.0f}s; sweeping every {args.interval:g}s")
        deadline = due + args.max_seconds
        stats = mock.stats()
        while stats["accepted"] < args.messages and time.monotonic() < deadline:
            time.sleep(1.0)
            stats = mock.stats()
            progress(f"{stats['accepted']} delivered, {stats['rate_limited']} rate limited")
        engine_cpu = cpu_seconds(os.getpid()) - cpu_before
    return report(args, stats, due, backend, enqueue_seconds, engine_cpu)


def set_due_moment(db: Database) -> float:
    """Only now the due moment, LEAD_TIME ahead: every row exists well before it (monotonic)."""
    due_wall = datetime.now(UTC) + timedelta(seconds=LEAD_TIME)
    due = time.monotonic() + LEAD_TIME
    with db.transaction() as session:
        session.execute(update(OutboxMessage).values(due_at=due_wall, next_attempt_at=due_wall))
    return due


def measure_replicas(
    args: argparse.Namespace,
    stack: contextlib.ExitStack,
    db: Database,
    mock: MockProcess,
    workdir: Path,
    backend: str,
    enqueue_seconds: float,
) -> dict[str, Any]:
    """`--replicas N --kills K` (bench.fanout_replicas); PostgreSQL only."""
    url = db.engine.url.render_as_string(hide_password=False)
    log = stack.enter_context((workdir / "replicas.log").open("wb"))
    running = stack.enter_context(replicas(args.replicas, url, mock.base_url, args.interval, log))
    due = set_due_moment(db)
    with db.engine.connect() as connection:  # statistics, as autovacuum keeps them in production
        connection.execute(text("ANALYZE outbox_messages"))
        connection.commit()
    progress(f"{args.replicas} replicas; due in {LEAD_TIME:.0f}s, {args.kills} kill(s) ahead")

    def done() -> dict[str, Any]:
        stats = mock.stats()
        progress(f"{stats['accepted']} delivered, {stats['rate_limited']} rate limited")
        return stats | {"complete": stats["accepted"] >= args.messages}

    stats = deliver_with_kills(
        running,
        lambda: Replica(url, mock.base_url, args.interval, log),
        kills=kill_moments(due, args.messages / args.channels / RATE, args.kills),
        done=done,
        deadline=due + args.max_seconds,
        progress=progress,
    )
    return report(args, stats, due, backend, enqueue_seconds, math.nan)


def report(
    args: argparse.Namespace,
    stats: dict[str, Any],
    due: float,
    backend: str,
    enqueue_seconds: float,
    engine_cpu: float,
) -> dict[str, Any]:
    complete = stats["accepted"] == args.messages and stats["duplicates"] == 0
    total = stats["last_at"] - due if stats["last_at"] is not None else math.nan
    busiest = max(stats["per_channel"].values(), default=0)
    bound = busiest / RATE
    first = [at - due for at in stats["first_at"].values()]
    ratio = total / bound if bound else math.nan
    p99_first = percentile(first, 99)
    cpu_ms = engine_cpu * 1000 / stats["accepted"] if stats["accepted"] else math.nan
    in_process = args.replicas == 1  # else the engines are the replicas' processes
    ratio_goal = GOAL_RATIO if in_process else GOAL_RATIO_REPLICAS
    return {
        "config": {
            "messages": args.messages,
            "channels": args.channels,
            "database": backend,
            "scheduler_interval_s": args.interval,
            "replicas": args.replicas,
            "kills": args.kills,
            "injected_503": args.fail_503,
        },
        "enqueue_s": round(enqueue_seconds, 2),
        "total_s": round(total, 3),
        "bound_s": bound,
        "ratio": round(ratio, 4),
        "first_message_lateness_s": {
            "p50": round(percentile(first, 50), 3),
            "p99": round(p99_first, 3),
            "max": round(max(first, default=math.nan), 3),
        },
        "delivered": stats["accepted"],
        "duplicates": stats["duplicates"],
        "rate_limited_429": stats["rate_limited"],
        "other_errors": stats["other_errors"],
        "history_lookups": stats["history_calls"],
        "engine_cpu_s": round(engine_cpu, 2) if in_process else None,
        "engine_cpu_ms_per_message": round(cpu_ms, 3) if in_process else None,
        "ratio_goal": ratio_goal,
        "complete": complete,
        "goal_met": complete and goals_met(ratio, ratio_goal, p99_first, cpu_ms, in_process),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.0, help="scheduler interval, s")
    parser.add_argument("--max-seconds", type=float, default=150.0, help="delivery time budget")
    postgres_url = os.environ.get("SMMBOT_TEST_POSTGRES_URL") or None
    parser.add_argument("--database-url", default=postgres_url)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--replicas", type=int, default=1, help="engine processes (PostgreSQL)")
    parser.add_argument("--kills", type=int, default=0, help="kill -9s of one replica")
    parser.add_argument("--fail-503", type=float, help="share of posts answered 503 "
                        "(default 0.02 with --replicas > 1, else 0)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.fail_503 is None:
        args.fail_503 = 0.02 if args.replicas > 1 else 0.0
    if args.replicas > 1 and not args.database_url:
        parser.error("--replicas needs PostgreSQL: --database-url or SMMBOT_TEST_POSTGRES_URL")
    if args.kills and args.replicas < 2:
        parser.error("--kills needs --replicas 2 or more")
    if args.messages < 1 or not 1 <= args.channels <= args.messages:
        parser.error("need 1 <= --channels <= --messages")
    return args


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    return run_measurement(
        parse_args(argv), measure, render, prefix="smmbot-fanout-bench-", progress=progress, out=out
    )


if __name__ == "__main__":
    raise SystemExit(main())
