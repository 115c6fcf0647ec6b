"""A Monday rush shared with helper processes (`services.digest_helpers`, PostgreSQL only):
each digest is built once, by the bot or by one of its helpers; a helper that fails leaves its
share to the bot; a small sweep starts none; a rush seen coming gets its helpers ahead of it,
which build nothing before its moment."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from smmbot.fresh_python import start_fresh_python
from smmbot.services import digest_helpers
from smmbot.services.context import ServiceContext
from smmbot.services.digest_helpers import (
    HELPER_LEAD_SECONDS,
    HELPER_NICENESS,
    HELPER_THRESHOLD,
    DigestHelpers,
    finished,
)
from smmbot.services.digest_sweep import queue_weekly_digests
from smmbot.services.operations import REGISTRY
from tests.conftest import FakeClock
from tests.integration.test_digest_queue import MONDAY_NINE_WIB, many_digests_due, queued
from tests.support.databases import copied_postgres, opened_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    with copied_postgres(postgres_template) as url:
        yield url


@pytest.fixture
def postgres_ctx(postgres_url: str, clock: FakeClock) -> Iterator[ServiceContext]:
    with opened_database(postgres_url) as db:
        yield ServiceContext(db=db, clock=clock)


def test_a_helper_builds_the_digests_due_at_the_sweeps_moment(
    postgres_ctx: ServiceContext, clock: FakeClock, postgres_url: str
) -> None:
    """On its own, a helper builds and queues every digest due at the moment it was given
    (the fake clock's week, not today's), and answers each build's CPU."""
    teams = many_digests_due(postgres_ctx, clock, 4)
    [helper] = DigestHelpers(postgres_url, count=1, threshold=1).start(len(teams), clock.now)
    helped, builds = finished(helper)
    assert (helped, len(builds)) == (4, 4)
    assert all(seconds > 0 for seconds in builds)
    assert queued(postgres_ctx) == sorted(f"{team_id}:digest:2026-11-30" for team_id in teams)


def test_a_large_rush_is_shared_with_helper_processes(
    postgres_ctx: ServiceContext, clock: FakeClock, postgres_url: str
) -> None:
    """Two helper processes sweep beside the bot's own: every digest is built once, by one of
    the three (the metric counts each build once, the helpers' too), and queued once."""
    ctx = postgres_ctx
    teams = many_digests_due(ctx, clock, 12)
    builds = REGISTRY.get_sample_value("smmbot_digest_build_cpu_seconds_count") or 0.0
    helpers = DigestHelpers(postgres_url, count=2, threshold=len(teams))
    assert queue_weekly_digests(ctx=ctx, helpers=helpers) == len(teams)
    assert queued(ctx) == sorted(f"{team_id}:digest:2026-11-30" for team_id in teams)
    assert REGISTRY.get_sample_value("smmbot_digest_build_cpu_seconds_count") == builds + 12
    assert queue_weekly_digests(ctx=ctx, helpers=helpers) == 0


def test_a_helper_that_fails_leaves_its_share_to_the_bot(
    postgres_ctx: ServiceContext, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = postgres_ctx
    teams = many_digests_due(ctx, clock, 3)
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    helpers = DigestHelpers(unreachable, count=1, threshold=1)
    assert queue_weekly_digests(ctx=ctx, helpers=helpers) == len(teams)
    assert "a digest helper process failed" in caplog.text


def test_a_small_sweep_starts_no_helper() -> None:
    """(Nothing of the database is needed: no helper starts.)"""
    helpers = DigestHelpers("postgresql+psycopg://nobody@127.0.0.1:1/none", count=2)
    assert helpers.start(HELPER_THRESHOLD - 1, MONDAY_NINE_WIB) == []


def test_a_helper_runs_at_the_lowest_priority() -> None:
    """A helper renices itself before anything else, so it gets what the bot's own builder
    and requests leave of the cores. (It waits for its task, then fails on an empty one.)"""
    helper = start_fresh_python("smmbot.services.digest_helpers", "helper_main")
    try:
        deadline = time.monotonic() + 30
        while os.getpriority(os.PRIO_PROCESS, helper.pid) != HELPER_NICENESS:
            assert time.monotonic() < deadline, "the helper never reniced itself"
            time.sleep(0.01)
    finally:
        assert helper.stdin is not None
        helper.stdin.close()
        assert finished(helper) == (0, [])


def counted_starts(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every helper process started from now on."""
    started: list[subprocess.Popen[bytes]] = []

    def start(module: str, function: str) -> subprocess.Popen[bytes]:
        started.append(start_fresh_python(module, function))
        return started[-1]

    monkeypatch.setattr(digest_helpers, "start_fresh_python", start)
    return started


def test_a_rush_seen_coming_gets_its_helpers_before_its_moment(
    postgres_ctx: ServiceContext,
    clock: FakeClock,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sweep a few seconds before the rush starts its helpers and queues nothing; the sweep
    at the rush's moment takes them over instead of starting more, and every digest is built
    and queued once, the helpers' builds counted with the bot's."""
    ctx = postgres_ctx
    teams = many_digests_due(ctx, clock, 8)
    starts = counted_starts(monkeypatch)
    helpers = DigestHelpers(postgres_url, count=2, threshold=len(teams), ahead=10.0)
    builds = REGISTRY.get_sample_value("smmbot_digest_build_cpu_seconds_count") or 0.0
    clock.now = MONDAY_NINE_WIB - timedelta(seconds=4)
    assert queue_weekly_digests(ctx=ctx, helpers=helpers) == 0
    assert (len(starts), helpers.waiting) == (2, 2)
    clock.now = MONDAY_NINE_WIB - timedelta(seconds=2)  # the next sweep: still waiting
    assert queue_weekly_digests(ctx=ctx, helpers=helpers) == 0
    assert (len(starts), helpers.waiting) == (2, 2)
    clock.now = MONDAY_NINE_WIB
    assert queue_weekly_digests(ctx=ctx, helpers=helpers) == len(teams)
    assert (len(starts), helpers.waiting) == (2, 0)
    assert queued(ctx) == sorted(f"{team_id}:digest:2026-11-30" for team_id in teams)
    assert REGISTRY.get_sample_value("smmbot_digest_build_cpu_seconds_count") == builds + 8
    assert all(helper.returncode == 0 for helper in starts)


def test_a_rush_too_far_ahead_or_too_small_starts_nothing(
    postgres_ctx: ServiceContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    teams = many_digests_due(postgres_ctx, clock, 3)
    starts = counted_starts(monkeypatch)
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    clock.now = MONDAY_NINE_WIB - timedelta(seconds=30)
    far = DigestHelpers(unreachable, count=1, threshold=len(teams), ahead=10.0)
    small = DigestHelpers(unreachable, count=1, threshold=len(teams) + 1, ahead=60.0)
    assert queue_weekly_digests(ctx=postgres_ctx, helpers=far) == 0
    assert queue_weekly_digests(ctx=postgres_ctx, helpers=small) == 0
    assert (starts, far.waiting, small.waiting) == ([], 0, 0)


def test_a_helper_started_ahead_builds_nothing_before_its_moment(
    postgres_ctx: ServiceContext, clock: FakeClock, postgres_url: str
) -> None:
    """By the wall clock: given a moment a few seconds off, a helper has queued nothing a
    second before it and has queued the digests due then once it answers."""
    ctx = postgres_ctx
    teams = many_digests_due(ctx, clock, 2)
    moment = datetime.now(UTC) + timedelta(seconds=HELPER_LEAD_SECONDS + 2)
    [helper] = DigestHelpers(postgres_url, count=1, threshold=1).start(len(teams), moment)
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds() - 1))
    assert helper.poll() is None
    assert queued(ctx) == []
    helped, _ = finished(helper)
    assert helped == len(teams)
    assert datetime.now(UTC) >= moment
