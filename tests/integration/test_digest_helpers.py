"""A Monday rush shared with helper processes (`services.digest_helpers`, PostgreSQL only):
each digest is built once, by the bot or by one of its helpers; a helper that fails leaves its
share to the bot; a small sweep starts none."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from smmbot.fresh_python import start_fresh_python
from smmbot.services.context import ServiceContext
from smmbot.services.digest import queue_weekly_digests
from smmbot.services.digest_helpers import (
    HELPER_NICENESS,
    HELPER_THRESHOLD,
    DigestHelpers,
    finished,
)
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
