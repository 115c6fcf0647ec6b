"""kill -9 loses nothing: a real engine process, killed and restarted, against the Slack mock.

Killed between sweeps, every message goes out exactly once: the restarted process sends what
fell due while it was down (late ones with their note), and drops the lead reminder whose moment
passed. Killed in the middle of sends, nothing is lost either, and only the messages Slack had
already received when the process died can go out twice: the documented crash window.

The restarted process is started beside the first (a fresh process either way) and sweeps with
its clock ahead by the time the test would otherwise sleep, so no test waits on a timer.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smmbot.persistence.database import Database
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from tests.support.outbox_worker import SPACING, OutboxWorker
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.xdist_group("kill_restart")

POST = "chat.postMessage"
LATE_NOTE = {"type": "context", "elements": [{"type": "mrkdwn", "text": "_late_"}]}


@pytest.fixture
def workers(database_url: str, slack: SlackApiMock, tmp_path: Path) -> Iterator[Any]:
    started: list[OutboxWorker] = []

    def start(lease: float = 60.0) -> OutboxWorker:
        worker = OutboxWorker(database_url, slack.base_url, tmp_path / "workers.log", lease)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            if worker.process.is_alive():
                worker.kill()


def enqueue(
    db: Database, key: str, due_at: datetime, *, channel: str, drop_after: datetime | None = None
) -> None:
    with db.transaction() as session:
        WorkspaceRepository(session, "T1").get_or_create(now=due_at)
        OutboxRepository(session, "T1").enqueue(
            kind="due",
            dedupe_key=f"T1:{key}",
            channel_id=channel,
            due_at=due_at,
            drop_after=drop_after,
            payload={"text": key, "blocks": [], "late_blocks": [LATE_NOTE]},
        )


def delivered(slack: SlackApiMock) -> Counter[str]:
    return Counter(call.body["text"] for call in slack.calls(POST) if call.status == 200)


def statuses(db: Database) -> dict[str, tuple[str, bool]]:
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        return {row.dedupe_key.removeprefix("T1:"): (row.status, row.late) for row in rows}


def test_killed_between_sweeps_every_message_goes_out_exactly_once(
    database: Database, slack: SlackApiMock, workers: Any
) -> None:
    slack.limit_rate(POST, per_channel_per_second=1 / (0.9 * SPACING))  # 429 if unpaced
    first, second = workers(), workers()
    assert first.sweep()["claimed"] == 0  # started and idle: the clock below starts now
    now = datetime.now(UTC)
    for n in range(10):
        enqueue(database, f"early-{n}", now - timedelta(minutes=1), channel=f"C{n % 5}")
        enqueue(database, f"later-{n}", now + timedelta(seconds=3), channel=f"C{n % 5}")
    enqueue(database, "stale", now - timedelta(minutes=20), channel="C0")
    lead_due = now + timedelta(seconds=2)
    enqueue(database, "lead", lead_due, channel="C1", drop_after=lead_due + timedelta(seconds=0.5))

    assert first.sweep()["sent"] == 11
    first.kill()
    time.sleep(SPACING)  # a restart takes longer than one post's spacing: the pace holds

    report = second.sweep(ahead=3.5)  # restarted 3.5 s later: the later ones and the lead are due
    second.close()

    assert (report["sent"], report["dropped"], report["late"]) == (10, 1, 0)
    expected = {f"{kind}-{n}" for kind in ("early", "later") for n in range(10)} | {"stale"}
    assert delivered(slack) == Counter(expected)
    assert all(call.status == 200 for call in slack.calls(POST))
    stale = next(call for call in slack.calls(POST) if call.body["text"] == "stale")
    assert stale.json_field("blocks") == [LATE_NOTE]
    rows = statuses(database)
    assert rows.pop("lead") == ("dropped", False)
    assert rows.pop("stale") == ("sent", True)
    assert set(rows.values()) == {("sent", False)}


def test_killed_mid_send_nothing_is_lost_and_only_in_flight_messages_may_repeat(
    database: Database, slack: SlackApiMock, workers: Any
) -> None:
    now = datetime.now(UTC)
    for n in range(10):
        enqueue(database, f"m{n}", now, channel=f"C{n % 5}")
    slack.set_delay(POST, 1.0)
    lease = 1.0

    first, second = workers(lease), workers(lease)
    first.start_sweep()
    slack.wait_for(POST, count=5, timeout=30)  # one request in flight per channel
    first.kill()
    in_flight = set(delivered(slack))
    slack.set_delay(POST, 0)

    report = second.sweep(ahead=lease + 0.2)  # restarted once the killed one's claims ran out
    second.close()

    counts = delivered(slack)
    assert set(counts) == {f"m{n}" for n in range(10)}
    assert {text for text, times in counts.items() if times > 1} <= in_flight
    assert report["sent"] == 10
    assert set(statuses(database).values()) == {("sent", False)}
