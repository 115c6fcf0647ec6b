"""The operators' view of the real app: /metrics (behind its bearer token), /readyz, JSON logs."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_http_app import answer_to, command
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import JSON, event_callback_body, post_signed

pytestmark = pytest.mark.e2e
TOKEN = "scrape-secret"


@pytest.fixture
def app(slack: SlackApiMock, tmp_path: Path) -> Iterator[AppProcess]:
    with AppProcess(
        api_url=slack.base_url,
        database_url=f"sqlite:///{tmp_path / 'ops.db'}",
        log_path=tmp_path / "app.log",
        SMMBOT_METRICS_TOKEN=TOKEN,
        SMMBOT_LOG_FORMAT="json",
    ) as process:
        yield process


def get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)  # the test's own 127.0.0.1 app
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_metrics_count_commands_by_subcommand_and_outcome(
    app: AppProcess, slack: SlackApiMock
) -> None:
    for text in ("help", "log followers 12", "log followers lots"):
        _, url = command(app, slack, text)
        answer_to(slack, url)
    assert command(app, slack, "frobnicate")[0] == 200  # answered inside the acknowledgement
    event = {"type": "app_home_opened", "user": "U0001", "channel": "D0001", "tab": "home"}
    body = event_callback_body(event, team_id="T0001")
    assert (
        post_signed(f"{app.base_url}/slack/events", body, SIGNING_SECRET, content_type=JSON)[0]
        == 200
    )
    time.sleep(0.2)  # the answer is posted just before the listener counts it
    assert get(f"{app.base_url}/metrics")[0] == 401
    assert get(f"{app.base_url}/metrics", "wrong")[0] == 401
    status, text = get(f"{app.base_url}/metrics", TOKEN)
    assert status == 200
    lines = set(text.splitlines())
    assert 'smmbot_commands_total{outcome="answered",subcommand="help"} 1.0' in lines
    assert 'smmbot_commands_total{outcome="answered",subcommand="log"} 1.0' in lines
    assert 'smmbot_commands_total{outcome="refused",subcommand="log"} 1.0' in lines
    assert 'smmbot_commands_total{outcome="refused",subcommand="unknown"} 1.0' in lines
    assert 'smmbot_interactions_total{kind="event:app_home_opened",outcome="answered"} 1.0' in lines
    assert "smmbot_slack_ack_seconds_count 5.0" in lines
    assert "smmbot_outbox_backlog 0.0" in lines
    assert "smmbot_outbox_oldest_due_age_seconds 0.0" in lines


def test_readyz_reports_each_check_and_logs_are_json(app: AppProcess) -> None:
    status, body = get(f"{app.base_url}/readyz")
    assert status == 200
    assert json.loads(body) == {"database": True, "migrations_at_head": True, "scheduler": True}
    lines = [line for line in app.logs().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line, uvicorn's included
    assert {"time", "level", "logger", "message", "team_id", "request_id"} <= set(entries[0])
    assert any(entry["logger"].startswith("uvicorn") for entry in entries)
