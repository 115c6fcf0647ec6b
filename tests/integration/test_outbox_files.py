"""A reply's files (the weekly digest's chart) go out after its message, in the same attempt,
on SQLite and PostgreSQL; an upload that fails becomes an outbox message of its own, retried like
a message, never dropped, and neither the message nor the chart is posted twice."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_queue import OutboxQueue
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.rendering.reply import FileAttachment, Reply, Section, reply_to_data
from smmbot.services.context import ServiceContext
from smmbot.services.operations import REGISTRY
from smmbot.services.outbox import (
    DeliveryOptions,
    DeliveryReport,
    PermanentSendError,
    RetryLater,
    deliver_due,
)
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


def test_the_files_follow_the_message_in_the_same_attempt(ctx: ServiceContext) -> None:
    sender = FilesRateLimitedSender(limited=0)
    enqueue_digest(ctx)
    report = sweep(ctx, sender)
    message, files = sender.sent
    assert message["reply"]["blocks"] and message["reply"]["files"] == []
    assert files == {"files": CHART_DATA}
    assert (report.claimed, report.sent) == (1, 2)
    assert rows(ctx) == {"T1:digest:2026-11-16": ("digest", "sent")}


def test_the_files_message_names_the_message_rather_than_copying_its_files(
    ctx: ServiceContext,
) -> None:
    """A digest's chart is stored once: the files message of an upload that failed reads it
    from the digest's row."""
    enqueue_digest(ctx)
    sweep(ctx, FilesRateLimitedSender(limited=1))
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
    clock.now += timedelta(seconds=2)
    assert sweep(ctx, sender).claimed == 0  # due when Slack's Retry-After (3 s) says
    clock.now += timedelta(seconds=3)
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


class FilesRefusedSender(FilesRateLimitedSender):
    """Posts messages; refuses every upload for good (Slack said invalid_file, say)."""

    def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
        if "files" in payload:
            with self.lock:
                self.sent.append(dict(payload))
            raise PermanentSendError("invalid_file")
        return super().send(team_id, channel_id, payload)


class FoundPostedSender(FilesRateLimitedSender):
    """Finds every post it is asked about in its channel (an earlier attempt made it)."""

    def find_posted(self, *args: Any, **kwargs: Any) -> str | None:  # PostedLookup's
        return "1700000000.000001"


def deliveries(kind: str, outcome: str) -> float:
    labels = {"kind": kind, "outcome": outcome}
    return REGISTRY.get_sample_value("smmbot_outbox_deliveries_total", labels) or 0.0


def test_the_upload_in_the_attempt_counts_for_operators(ctx: ServiceContext) -> None:
    uploaded, digests = deliveries("files", "sent"), deliveries("digest", "sent")
    enqueue_digest(ctx)
    sweep(ctx, FilesRateLimitedSender(limited=0))
    assert (deliveries("files", "sent"), deliveries("digest", "sent")) == (
        uploaded + 1,
        digests + 1,
    )


def test_files_refused_with_their_message_get_an_attempt_of_their_own_then_fail(
    ctx: ServiceContext,
) -> None:
    sender = FilesRefusedSender(limited=0)
    enqueue_digest(ctx)
    report = sweep(ctx, sender)
    assert rows(ctx) == {
        "T1:digest:2026-11-16": ("digest", "sent"),
        "T1:digest:2026-11-16:files": ("files", "failed"),
    }
    assert (report.sent, report.failed) == (1, 1)
    assert [("files" in payload) for payload in sender.sent] == [False, True, True]


def test_a_digest_found_posted_after_its_outcome_was_lost_gets_its_files_once(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    """The attempt whose outcome was lost did post the message; whether it uploaded the files
    too cannot be told (see services.outbox), so they follow as a message of their own."""
    enqueue_digest(ctx)
    with ctx.db.connection() as connection:  # a process claims it, then dies
        [claimed] = OutboxQueue(connection).claim_due(
            clock(), worker_id="dead", limit=1, lease=timedelta(seconds=60), per_channel=1
        )
    clock.now += timedelta(minutes=2)
    sender = FoundPostedSender(limited=0)
    sweep(ctx, sender)
    [upload] = sender.sent  # the message was not posted again
    assert upload["files"] == CHART_DATA and "reply" not in upload
    assert rows(ctx) == {
        "T1:digest:2026-11-16": ("digest", "sent"),
        "T1:digest:2026-11-16:files": ("files", "sent"),
    }
    with ctx.db.transaction() as session:
        row = session.get(OutboxMessage, claimed.id)
        assert row is not None and row.message_ts == "1700000000.000001"
