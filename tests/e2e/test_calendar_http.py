"""The calendar as a user meets it: schedule a post a minute ahead, kill the bot with SIGKILL,
start it again, and the due message arrives in the channel exactly once.

The minute is not waited out (it was 60 of the test's 66 s): while the bot is down, the test moves
every time of the queued messages back by that minute, which is all a minute of downtime does to
the queue (the rows, not the process, hold what is due)."""

from __future__ import annotations

import json
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smmbot.persistence.models import OutboxMessage
from tests.e2e.test_http_app import answer_to, block_text, command
from tests.support.app_process import SIGNING_SECRET, AppProcess
from tests.support.databases import opened_database
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


def let_a_minute_pass(database_url: str) -> None:
    """What a minute (and a second) of downtime does to the queue: each pending message's due,
    retry and drop-after times are that much nearer; nothing else changes."""
    passed = timedelta(minutes=1, seconds=1)
    with opened_database(database_url) as db, db.transaction() as session:
        pending = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending"))
        rows = pending.all()
        assert rows, "scheduling queued nothing"
        for row in rows:
            row.due_at -= passed
            row.next_attempt_at -= passed
            row.drop_after = row.drop_after - passed if row.drop_after else None


def due_messages(slack: SlackApiMock, text: str) -> list[dict[str, object]]:
    posts = [call.body for call in slack.calls("chat.postMessage") if call.status == 200]
    return [body for body in posts if text in json.dumps(body.get("blocks"))]


@pytest.mark.xdist_group("kill_restart")
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
    let_a_minute_pass(database_url)

    second = start(slack, database_url, tmp_path / "second.log")
    try:
        deadline = time.monotonic() + 100
        while not due_messages(slack, "Kopi susu is back!") and time.monotonic() < deadline:
            time.sleep(0.1)
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
