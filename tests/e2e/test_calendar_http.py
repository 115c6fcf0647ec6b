"""The calendar as a user meets it: schedule a post a minute ahead, kill the bot with SIGKILL,
start it again, and the due message arrives in the channel exactly once."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.slack_mock import SlackApiMock
from tests.support.slack_requests import block_actions_body, post_signed

pytestmark = pytest.mark.e2e


def start(slack: SlackApiMock, database_url: str, log: Path) -> AppProcess:
    return AppProcess(
        api_url=slack.base_url,
        database_url=database_url,
        log_path=log,
        SMMBOT_SCHEDULER_INTERVAL="1",
    ).start()


def due_messages(slack: SlackApiMock, text: str) -> list[dict[str, object]]:
    posts = [call.body for call in slack.calls("chat.postMessage") if call.status == 200]
    return [body for body in posts if text in json.dumps(body.get("blocks"))]


def test_due_message_arrives_once_across_a_kill_and_restart(
    slack: SlackApiMock, database_url: str, tmp_path: Path
) -> None:
    first = start(slack, database_url, tmp_path / "first.log")
    status, url = command(
        first,
        slack,
        'schedule "in 1 minute" Kopi susu is back! platform=x',
        channel_id="C0MARKET",
        user_id="U0AYU",
    )
    assert status == 200
    assert "Scheduled #1" in block_text(answer_to(slack, url))
    assert first.process is not None
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)

    second = start(slack, database_url, tmp_path / "second.log")
    try:
        deadline = time.monotonic() + 100
        while not due_messages(slack, "Kopi susu is back!") and time.monotonic() < deadline:
            time.sleep(0.5)
        [message] = due_messages(slack, "Kopi susu is back!")
        assert message["channel"] == "C0MARKET"
        assert "<@U0AYU>" in json.dumps(message["blocks"])
        time.sleep(3)  # a few more sweeps must not send it again
        assert len(due_messages(slack, "Kopi susu is back!")) == 1

        click = block_actions_body(
            "item_snooze",
            "1",
            channel_id="C0MARKET",
            response_url=slack.response_url(),
            user_id="U0AYU",
        )
        assert post_signed(f"{second.base_url}/slack/events", click, SIGNING_SECRET)[0] == 200
        snoozed = slack.wait_for("response_url", count=2)[-1].body
        assert "Snoozed" in json.dumps(snoozed)
    finally:
        assert second.stop() == 0
