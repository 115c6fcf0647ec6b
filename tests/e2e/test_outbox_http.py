"""The real app delivers outbox messages: bootstrap wires the sweep, the first runs at start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smmbot.persistence.database import Database
from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from tests.support.app_process import AppProcess
from tests.support.slack_mock import SlackApiMock

pytestmark = pytest.mark.e2e


def test_due_messages_waiting_at_start_are_posted_once(
    database: Database, database_url: str, slack: SlackApiMock, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    with database.transaction() as session:
        WorkspaceRepository(session, "T1").get_or_create(now=now)
        outbox = OutboxRepository(session, "T1")
        for channel in ("C1", "C2"):
            outbox.enqueue(
                kind="due",
                dedupe_key=f"T1:e2e:{channel}",
                channel_id=channel,
                due_at=now - timedelta(hours=1),  # fell due while the bot was down
                payload={"text": f"due in {channel}", "late_blocks": [{"type": "divider"}]},
            )
    with AppProcess(
        api_url=slack.base_url,
        database_url=database_url,
        log_path=tmp_path / "app.log",
        SMMBOT_SCHEDULER_INTERVAL="3600",  # only the sweep at start can post them
    ):
        calls = slack.wait_for("chat.postMessage", count=2, timeout=30)
    assert sorted(call.body["text"] for call in calls) == ["due in C1", "due in C2"]
    assert all(call.json_field("blocks") == [{"type": "divider"}] for call in calls)
    with database.transaction() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert {(row.status, row.late) for row in rows} == {("sent", True)}
