"""Replicas on one database: a channel is paced across processes (lanes, PostgreSQL), and a
post that reached Slack but was never marked sent is found in the channel by its metadata, not
posted again (SQLite and PostgreSQL).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from smmbot.persistence.database import Database, DatabaseUnavailableError
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_queue import OutboxQueue
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext
from smmbot.services.outbox import DeliveryOptions, deliver_due
from smmbot.slack.notifier import build_message_sender
from tests.support.app_process import BOT_TOKEN
from tests.support.slack_mock import SlackApiMock

POST = "chat.postMessage"
SPACING = 0.2
LEASE = 1.0
OPTIONS = DeliveryOptions(
    spacing=SPACING,
    poll_interval=0.02,
    lease=timedelta(seconds=LEASE),
    renew_every=LEASE / 4,
    send_margin=LEASE / 2,
    takeover_grace=timedelta(seconds=LEASE),
)


def enqueue(db: Database, count: int, channels: int) -> None:
    now = datetime.now(UTC)
    with db.transaction() as session:
        WorkspaceRepository(session, "T1").get_or_create(now=now)
        outbox = OutboxRepository(session, "T1")
        for n in range(count):
            outbox.enqueue(
                kind="due",
                dedupe_key=f"T1:m{n}",
                channel_id=f"C{n % channels}",
                due_at=now,
                payload={"text": f"m{n}", "blocks": []},
            )


def sweep(db: Database, slack: SlackApiMock, worker: str) -> Any:
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=slack.base_url)
    return deliver_due(ctx=ServiceContext(db=db), sender=sender, worker_id=worker, options=OPTIONS)


def accepted_texts(slack: SlackApiMock) -> list[str]:
    return [str(call.body["text"]) for call in slack.calls(POST) if call.status == 200]


@pytest.mark.postgres
def test_two_engines_on_one_postgres_database_never_pace_one_channel_twice(
    database: Database, slack: SlackApiMock
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("lanes across processes are PostgreSQL's; SQLite serves one process")
    slack.limit_rate(POST, per_channel_per_second=1 / (0.9 * SPACING))  # 429 when unpaced
    enqueue(database, count=120, channels=4)
    reports: list[Any] = []

    def replica(worker: str) -> None:  # sweeps again and again, as the scheduler does
        deadline = time.monotonic() + 30
        while sum(r.sent for r in reports) < 120 and time.monotonic() < deadline:
            reports.append(sweep(database, slack, worker))

    engines = [threading.Thread(target=replica, args=(w,)) for w in ("replica-a", "replica-b")]
    for engine in engines:
        engine.start()
    for engine in engines:
        engine.join(timeout=60)

    calls = slack.calls(POST)
    assert [call.status for call in calls if call.status != 200] == []
    by_channel: dict[str, list[float]] = defaultdict(list)
    for call in calls:
        by_channel[call.channel or ""].append(call.at)
    for times in by_channel.values():
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert min(gaps) >= 0.9 * SPACING
    assert sorted(accepted_texts(slack)) == sorted(f"m{n}" for n in range(120))
    assert sum(report.sent for report in reports) == 120


def test_a_post_slack_accepted_but_never_marked_sent_is_found_not_posted_again(
    database: Database, slack: SlackApiMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    enqueue(database, count=3, channels=1)
    real_mark_sent = OutboxQueue.mark_sent
    refused: list[int] = []

    def refuse_once(self: OutboxQueue, message_id: int, **kwargs: Any) -> bool:
        if not refused:  # the database refuses the write right after Slack took the post
            refused.append(message_id)
            raise DatabaseUnavailableError("connection lost")
        return real_mark_sent(self, message_id, **kwargs)

    monkeypatch.setattr(OutboxQueue, "mark_sent", refuse_once)
    first = sweep(database, slack, "replica-a")
    assert (first.sent, len(accepted_texts(slack))) == (2, 3)

    time.sleep(LEASE + 0.2)  # the claim of the unrecorded post runs out
    second = sweep(database, slack, "replica-b")

    assert sorted(accepted_texts(slack)) == ["m0", "m1", "m2"]  # nothing posted twice
    assert second.sent == 1
    assert len(slack.calls("conversations.history")) == 1
    lookup = slack.last("conversations.history").body
    assert lookup["include_all_metadata"] is True
    with database.transaction() as session:
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.id == refused[0])).one()
        posted = next(m for m in slack.history.messages("C0") if m["text"] == row.payload["text"])
        assert (row.status, row.message_ts) == ("sent", posted["ts"])
        assert posted["metadata"] == {
            "event_type": "smmbot_outbox",
            "event_payload": {"outbox_id": row.id},
        }
