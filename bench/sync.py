"""Connector syncs: a 90-day backfill against a bulk insert, and the daily sync of many workspaces.

1. Backfill: one workspace connects GA4 with 20 campaigns (``--campaigns``); the first sync reads
   90 days from the local Google mock and writes its readings (5 metrics per day and campaign,
   through the real sync: claim, token check, fetch, campaign matching, upsert, roll-up). The
   floor, in the same run and database: the same readings inserted with one multi-row INSERT
   into a fresh workspace (no roll-up). ``RUNS`` rounds, each one backfill of a fresh
   workspace then one insert, their rows (and roll-up) deleted again untimed so that every
   round meets the same tables; the ratio is of the two medians, so that neither one slow run
   nor the machine's load drifting between the sync and the inserts moves it.
   Goal: sync / floor <= 3.
2. Daily sync: ``--workspaces`` (1,000) workspaces each with GA4 connected and due, the mock
   answering every call after ``--delay`` (200 ms); one sweep process syncs them all with
   ``--concurrency`` workers. The bound is workspaces x requests per sync x delay / concurrency
   (the time spent only waiting on the provider); the ratio to it is reported.

Providers plug in through ``PROVIDERS``: each one's module (``bench/sync_google.py``,
``bench/sync_meta.py``) knows how to start its mock, seed it and mint tokens, and builds its
connector against it. Meta: 2 Pages, their 2 Instagram accounts and 1 ad account with 50
campaigns per workspace. The mock runs in a child process (``bench/sync_mock.py``), so its
threads do not take the GIL from the sync being timed. SQLite in a temp dir unless
``--database-url`` names a PostgreSQL server, where the bench works in a schema of its own.

    .venv/bin/python -m bench.sync [--workspaces 1000] [--concurrency 8] [--delay 0.2] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert

from bench import sync_google, sync_meta
from bench.sync_mock import SyncMock, child_mock
from smmbot.domain.utm import slugify_campaign
from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.migrations import upgrade_to_head
from smmbot.persistence.models import (
    Campaign,
    ConnectorSource,
    MetricDailyRollup,
    MetricReading,
)
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.connectors.base import Account, Connector, TokenSet
from smmbot.services.connectors.vault import Vault, Vaulted
from smmbot.services.context import ServiceContext
from smmbot.services.sources_sync import sync_due
from tests.support.postgres import postgres_schema_url

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
SECRET = "bench secret key"  # noqa: S105
RUNS = 5


@dataclass(frozen=True)
class BenchProvider:
    """How the bench drives one provider: its module (which `bench.sync_mock` runs in a child
    process for the mock), its connector against that mock, the accounts of workspace `n`."""

    name: str
    module: str
    connector: Callable[[str], Connector]
    accounts: Callable[[int], tuple[Account, ...]]


PROVIDERS: dict[str, BenchProvider] = {
    "google": BenchProvider(
        "google", "bench.sync_google", sync_google.connector, sync_google.accounts
    ),
    "meta": BenchProvider("meta", "bench.sync_meta", sync_meta.connector, sync_meta.accounts),
}


def _connect(
    ctx: ServiceContext, team_id: str, provider: BenchProvider, mock: SyncMock, n: int
) -> None:
    accounts = provider.accounts(n)
    tokens = TokenSet(mock.mint_token(), "refresh", NOW + timedelta(days=1))
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, team_id).get_or_create(now=NOW)
        session.add(
            ConnectorSource(
                team_id=team_id, provider=provider.name, status="active", connected_by="U1",
                vault=Vault(SECRET).seal(Vaulted(tokens, accounts)),
                accounts=[{"kind": a.kind.value, "id": a.id, "name": a.name} for a in accounts],
                choices=[], backfill_pending=n == 0, next_sync_at=NOW, last_summary={},
                broken_notified=False, connected_at=NOW,
            )
        )  # fmt: skip


def _campaigns(ctx: ServiceContext, team_id: str, count: int) -> None:
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, team_id).get_or_create(now=NOW)
        for n in range(count):
            name = f"Campaign {n}"
            assert slugify_campaign(name) == f"campaign-{n}"
            session.add(
                Campaign(
                    team_id=team_id, name=name, name_key=name.casefold(), objective="smo",
                    start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), currency="IDR",
                    platforms=[], targets={}, created_by="U1", created_at=NOW,
                )
            )  # fmt: skip


def _rows(team_id: str, readings: list[MetricReading]) -> list[dict[str, Any]]:
    return [
        {
            "team_id": team_id, "day": r.day, "metric": r.metric, "value": r.value,
            "campaign": r.campaign, "platform": r.platform, "source": r.source,
            "recorded_by": None, "updated_at": NOW,
        }
        for r in readings
    ]  # fmt: skip


def _bulk_floor(ctx: ServiceContext, team_id: str, rows: list[dict[str, Any]]) -> float:
    """Seconds for one multi-row INSERT of `rows` into an empty workspace."""
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, team_id).get_or_create(now=NOW)
    started = time.perf_counter()
    with ctx.db.transaction() as session:
        session.execute(insert(MetricReading), rows)
    elapsed = time.perf_counter() - started
    _forget(ctx, team_id)
    return elapsed


def _forget(ctx: ServiceContext, team_id: str) -> None:
    with ctx.db.transaction() as session:
        session.execute(delete(MetricReading).where(MetricReading.team_id == team_id))
        session.execute(delete(MetricDailyRollup).where(MetricDailyRollup.team_id == team_id))


def _one_backfill(
    ctx: ServiceContext, provider: BenchProvider, team_id: str, campaigns: int
) -> tuple[float, list[MetricReading]]:
    """Seconds for one workspace's first sync, and what it wrote (then deleted, untimed)."""
    with child_mock(provider.module, 0.0) as mock:
        run = replace(ctx, connectors={provider.name: provider.connector(mock.base_url)})
        _campaigns(run, team_id, campaigns)
        _connect(run, team_id, provider, mock, 0)
        mock.seed_rows(provider.accounts(0)[0].id, campaigns)
        started = time.perf_counter()
        report = sync_due(ctx=run, worker_id="bench")
        elapsed = time.perf_counter() - started
    assert report.synced == 1, report
    with ctx.db.transaction() as session:
        written = list(session.query(MetricReading).filter(MetricReading.team_id == team_id))
        session.expunge_all()
    _forget(ctx, team_id)
    return elapsed, written


def backfill(ctx: ServiceContext, provider: BenchProvider, campaigns: int) -> dict[str, Any]:
    syncs: list[float] = []
    floors: list[float] = []
    counts: set[int] = set()
    for n in range(RUNS):
        elapsed, written = _one_backfill(ctx, provider, f"TBACK{n}", campaigns)
        syncs.append(elapsed)
        counts.add(len(written))
        floors.append(_bulk_floor(ctx, f"TFLOOR{n}", _rows(f"TFLOOR{n}", written)))
    assert len(counts) == 1, counts
    sync, floor = statistics.median(syncs), statistics.median(floors)
    return {
        "provider": provider.name, "readings": counts.pop(), "sync_s": round(sync, 3),
        "sync_runs_s": [round(s, 3) for s in syncs], "bulk_insert_s": round(floor, 3),
        "bulk_insert_runs_s": [round(f, 3) for f in floors],
        "ratio": round(sync / floor, 2), "goal": 3.0,
    }  # fmt: skip


def daily(
    ctx: ServiceContext, provider: BenchProvider, workspaces: int, concurrency: int, delay: float
) -> dict[str, Any]:
    with child_mock(provider.module, delay) as mock:
        run = replace(ctx, connectors={provider.name: provider.connector(mock.base_url)})
        for n in range(1, workspaces + 1):
            _connect(run, f"TD{n:05d}", provider, mock, n)
        started = time.perf_counter()
        synced = 0
        while True:
            report = sync_due(
                ctx=run, worker_id="bench", limit=concurrency * 8, concurrency=concurrency
            )
            synced += report.synced
            if report.claimed == 0:
                break
        elapsed = time.perf_counter() - started
        requests = mock.report_calls()
    per_sync = requests / max(synced, 1)
    bound = workspaces * per_sync * delay / concurrency
    return {
        "provider": provider.name, "workspaces": workspaces, "synced": synced,
        "requests_per_sync": round(per_sync, 2), "concurrency": concurrency,
        "elapsed_s": round(elapsed, 2), "bound_s": round(bound, 2),
        "ratio": round(elapsed / bound, 2) if bound else None, "goal_s": 600,
    }  # fmt: skip


@contextlib.contextmanager
def _context(database_url: str | None) -> Iterator[ServiceContext]:
    with contextlib.ExitStack() as stack:
        if database_url is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
        else:
            url = stack.enter_context(postgres_schema_url(database_url, prefix="bench_sync"))
        upgrade_to_head(url)
        db = Database(create_database_engine(url))
        stack.callback(db.engine.dispose)
        yield ServiceContext(db=db, clock=lambda: NOW, secret_key=SECRET)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url")
    parser.add_argument("--campaigns", type=int, default=20)
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--providers", default=",".join(PROVIDERS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    for name in args.providers.split(","):
        with _context(args.database_url) as ctx:
            provider = PROVIDERS[name]
            results.append({"backfill": backfill(ctx, provider, args.campaigns)})
            daily_result = daily(ctx, provider, args.workspaces, args.concurrency, args.delay)
            results.append({"daily": daily_result})
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
    else:
        for result in results:
            for part, figures in result.items():
                print(part, " ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
