"""A reply's files (the weekly digest's chart) go out after its message as an outbox message of
their own, on SQLite and PostgreSQL: a rate-limited upload is retried like a message, never
dropped, and neither the message nor the chart is posted twice."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.reply import FileAttachment, Reply, Section, reply_to_data
from smmbot.services.context import ServiceContext
from smmbot.services.outbox import DeliveryOptions, DeliveryReport, RetryLater, deliver_due
from smmbot.slack.notifier import build_message_sender
from tests.conftest import FakeClock
from tests.support.app_process import BOT_TOKEN
from tests.support.slack_mock import SlackApiMock

FAST = DeliveryOptions(spacing=0.0, poll_interval=0.01, concurrency=4)
CHART = FileAttachment("digest.png", "Sessions and revenue", b"\x89PNG chart")
CHART_DATA = reply_to_data(Reply((), "", files=(CHART,)))["files"]
COMPLETE = "files.completeUploadExternal"


class FilesRateLimitedSender:
    """Records every send; the first `limited` uploads (files payloads) answer 429."""

    def __init__(self, limited: int) -> None:
        self.limited = limited
        self.sent: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
        with self.lock:
            if "files" in payload and self.limited:
                self.limited -= 1
                raise RetryLater("rate limited (429)", retry_after=3.0)
            self.sent.append(dict(payload))
            return f"1700000000.{len(self.sent):06d}"


def enqueue(ctx: ServiceContext, kind: str, dedupe_key: str, payload: dict[str, Any]) -> None:
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, "T1").get_or_create(now=ctx.clock())
        OutboxRepository(session, "T1").enqueue(
            kind=kind, dedupe_key=dedupe_key, channel_id="C1", due_at=ctx.clock(), payload=payload
        )


def enqueue_digest(ctx: ServiceContext) -> None:
    reply = Reply(blocks=(Section("*Digest*"),), fallback="Digest", public=True, files=(CHART,))
    enqueue(ctx, "digest", "T1:digest:2026-11-16", {"reply": reply_to_data(reply)})


def sweep(ctx: ServiceContext, sender: Any) -> DeliveryReport:
    return deliver_due(ctx=ctx, sender=sender, worker_id="w1", options=FAST)


def rows(ctx: ServiceContext) -> dict[str, tuple[str, str]]:
    with ctx.db.transaction() as session:
        found = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return {row.dedupe_key: (row.kind, row.status) for row in found}


def test_the_files_follow_the_message_as_a_message_of_their_own(ctx: ServiceContext) -> None:
    sender = FilesRateLimitedSender(limited=0)
    enqueue_digest(ctx)
    report = sweep(ctx, sender)
    message, files = sender.sent
    assert message["reply"]["blocks"] and message["reply"]["files"] == []
    assert files == {"files": CHART_DATA}
    assert report.sent == 2
    assert rows(ctx) == {
        "T1:digest:2026-11-16": ("digest", "sent"),
        "T1:digest:2026-11-16:files": ("files", "sent"),
    }


def test_the_files_message_names_the_message_rather_than_copying_its_files(
    ctx: ServiceContext,
) -> None:
    """A digest's chart is stored once: the files message reads it from the digest's row."""
    enqueue_digest(ctx)
    sweep(ctx, FilesRateLimitedSender(limited=0))
    with ctx.db.transaction() as session:
        rows = session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.payload))
        stored: dict[str, Any] = dict(rows.all())
        digest_id = session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == "T1:digest:2026-11-16")
        )
    assert stored["T1:digest:2026-11-16:files"] == {"files_of": digest_id}


def test_a_files_message_stored_with_its_own_copy_still_goes_out(ctx: ServiceContext) -> None:
    """Files messages queued before they named their message hold the files themselves."""
    enqueue(ctx, "files", "T1:digest:2026-11-09:files", {"files": CHART_DATA})
    sender = FilesRateLimitedSender(limited=0)
    assert sweep(ctx, sender).sent == 1
    assert sender.sent == [{"files": CHART_DATA}]


def test_a_rate_limited_upload_is_retried_and_the_message_is_not_posted_again(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    enqueue_digest(ctx)
    sender = FilesRateLimitedSender(limited=2)
    first = sweep(ctx, sender)
    assert (first.sent, first.retried) == (1, 1)
    assert rows(ctx)["T1:digest:2026-11-16:files"] == ("files", "pending")
    clock.now += timedelta(seconds=5)
    assert sweep(ctx, sender).retried == 1
    clock.now += timedelta(seconds=10)
    assert sweep(ctx, sender).sent == 1
    clock.now += timedelta(minutes=20)
    assert sweep(ctx, sender).claimed == 0
    assert ["files" in payload for payload in sender.sent] == [False, True]


def test_against_slack_the_chart_is_shared_once_after_a_429(
    ctx: ServiceContext, clock: FakeClock, slack: SlackApiMock
) -> None:
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=slack.base_url)
    slack.fail_next(COMPLETE, status=429, headers={"Retry-After": "2"})
    enqueue_digest(ctx)
    assert (sweep(ctx, sender).sent, len(slack.calls(COMPLETE))) == (1, 1)
    clock.now += timedelta(seconds=6)
    assert sweep(ctx, sender).sent == 1
    assert len(slack.calls("chat.postMessage")) == 1
    shared = [call for call in slack.calls(COMPLETE) if call.status == 200]
    [item] = [file for call in shared for file in call.json_field("files")]
    assert slack.uploads()[item["id"]].content == CHART.content
    assert (shared[0].channel, item["title"]) == ("C1", CHART.title)
