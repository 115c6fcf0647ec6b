"""Syncs across processes: two app processes on one PostgreSQL database sync a source once, and
a process killed with SIGKILL in the middle of a sync is taken over by the next one started,
without counting anything twice."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.e2e.test_http_app import answer_to, command
from tests.e2e.test_sources_http import (
    ADMIN,
    google_env,
    sign_in_and_pick,
    synced,
    this_week,
    wait_until,
)
from tests.support.app_process import AppProcess
from tests.support.google_mock import GoogleMock
from tests.support.slack_mock import SlackApiMock

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("kill_restart")]


def process(slack: SlackApiMock, google: GoogleMock, database_url: str, log: Path) -> AppProcess:
    app = AppProcess(api_url=slack.base_url, database_url=database_url, log_path=log)
    # Sweeps twice a second (not every 30 s): a sync the lease frees is picked up at once, and
    # two processes get many more chances to sync the same source twice.
    lease = {"SMMBOT_SYNC_LEASE_SECONDS": "3", "SMMBOT_SCHEDULER_INTERVAL": "0.5"}
    app.env.update(google_env(google) | lease)
    return app


def social_sessions(app: AppProcess, slack: SlackApiMock) -> str:
    _, url = command(app, slack, "digest now", user_id=ADMIN)
    blocks = answer_to(slack, url)["blocks"]
    assert isinstance(blocks, list)
    smo = next(b["text"]["text"] for b in blocks if b["text"]["text"].startswith("*SMO"))
    return str(smo)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_processes_on_postgresql_sync_once(
    slack: SlackApiMock, google: GoogleMock, database_url: str, tmp_path: Path
) -> None:
    slack.set_user(ADMIN, is_admin=True)
    days = this_week(google)
    google.state.delay = 0.5
    with (
        process(slack, google, database_url, tmp_path / "a.log") as first,
        process(slack, google, database_url, tmp_path / "b.log") as second,
    ):
        sign_in_and_pick(first, slack)
        wait_until(lambda: synced(second, slack))
        assert len(google.report_calls()) == 1
        assert f"Site visits from social: *{100 * days:,}*" in social_sessions(second, slack)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_sync_killed_mid_way_is_finished_by_the_next_process(
    slack: SlackApiMock, google: GoogleMock, database_url: str, tmp_path: Path
) -> None:
    slack.set_user(ADMIN, is_admin=True)
    days = this_week(google)
    google.state.delay = 2.0
    doomed = process(slack, google, database_url, tmp_path / "a.log")
    with doomed:
        sign_in_and_pick(doomed, slack)
        wait_until(lambda: google.report_calls())
        assert doomed.process is not None
        os.kill(doomed.process.pid, signal.SIGKILL)
        doomed.process.wait(10)
    google.state.delay = 0.0
    with process(slack, google, database_url, tmp_path / "b.log") as restarted:
        wait_until(lambda: synced(restarted, slack), timeout=30)
        assert len(google.report_calls()) == 2
        text = social_sessions(restarted, slack)
        assert f"Site visits from social: *{100 * days:,}*" in text
