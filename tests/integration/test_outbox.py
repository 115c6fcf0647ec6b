"""The outbox on SQLite and PostgreSQL: enqueueing, claiming, and what a sweep does with each
message (sent, late, dropped, retried with backoff, failed, taken over after a crash)."""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from smmbot.persistence.database import Database, create_database_engine
from smmbot.persistence.models import CalendarItem, OutboxMessage
from smmbot.persistence.outbox_queue import OutboxQueue
from smmbot.persistence.outbox_repository import DedupeKeyTakenError, OutboxRepository
from smmbot.persistence.repositories import WorkspaceRepository
from smmbot.services.context import ServiceContext
from smmbot.services.outbox import (
    DeliveryOptions,
    DeliveryReport,
    PermanentSendError,
    RetryLater,
    WorkspaceNotInstalledError,
    deliver_due,
)
from smmbot.slack.notifier import build_message_sender
from tests.conftest import FakeClock
from tests.support.app_process import BOT_TOKEN
from tests.support.slack_mock import SlackApiMock

FAST = DeliveryOptions(spacing=0.0, poll_interval=0.01, concurrency=4)
LEASE = timedelta(seconds=60)


class FakeSender:
    """Records every send; `failures` scripts what the next sends raise."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.teams: list[str] = []
        self.lock = threading.Lock()

    def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
            self.sent.append((channel_id, dict(payload)))
            self.teams.append(team_id)
            return f"1700000000.{len(self.sent):06d}"

    @property
    def texts(self) -> list[str]:
        return [payload["text"] for _, payload in self.sent]


def enqueue(ctx: ServiceContext, key: str, **options: Any) -> OutboxMessage:
    """One message, committed on its own; `options` as `enqueue_in` takes them."""
    with ctx.db.transaction() as session:
        return enqueue_in(session, ctx.clock(), key, **options)


def enqueue_in(
    session: Session,
    now: datetime,
    key: str,
    *,
    due_in: timedelta = timedelta(0),
    channel: str = "C1",
    team_id: str = "T1",
    drop_after: datetime | None = None,
    payload: Mapping[str, Any] | None = None,
) -> OutboxMessage:
    """`enqueue` inside a transaction the caller holds: many messages set up in one commit."""
    WorkspaceRepository(session, team_id).get_or_create(now=now)
    return OutboxRepository(session, team_id).enqueue(
        kind="due",
        dedupe_key=f"{team_id}:{key}",
        channel_id=channel,
        due_at=now + due_in,
        drop_after=drop_after,
        payload=payload or {"text": key},
    )


def row(ctx: ServiceContext, message_id: int) -> OutboxMessage:
    with ctx.db.transaction() as session:
        found = session.get(OutboxMessage, message_id)
        assert found is not None
        return found


def sweep(ctx: ServiceContext, sender: FakeSender, worker: str = "w1") -> DeliveryReport:
    return deliver_due(ctx=ctx, sender=sender, worker_id=worker, options=FAST)


def test_enqueue_is_idempotent_per_dedupe_key(ctx: ServiceContext) -> None:
    first = enqueue(ctx, "item:1:due", payload={"text": "first"})
    again = enqueue(ctx, "item:1:due", payload={"text": "second"}, due_in=timedelta(hours=1))
    assert again.id == first.id
    assert row(ctx, first.id).payload == {"text": "first"}
    assert row(ctx, first.id).due_at == first.due_at


def test_enqueue_only_keeps_enqueues_rules_without_reading_the_row_back(
    ctx: ServiceContext,
) -> None:
    """Stored once per key, another workspace's key refused, a cancelled message re-armed."""

    def enqueue_only(team_id: str, text: str) -> None:
        with ctx.db.transaction() as session:
            WorkspaceRepository(session, team_id).get_or_create(now=ctx.clock())
            OutboxRepository(session, team_id).enqueue_only(
                kind="digest",
                dedupe_key="T1:digest:2026-11-23",
                channel_id="C1",
                due_at=ctx.clock(),
                payload={"text": text},
            )

    def stored() -> list[tuple[str, Any]]:
        with ctx.db.transaction() as session:
            rows = session.scalars(select(OutboxMessage)).all()
            return [(message.status, message.payload) for message in rows]

    enqueue_only("T1", "first")
    enqueue_only("T1", "second")
    assert stored() == [("pending", {"text": "first"})]
    with pytest.raises(DedupeKeyTakenError):
        enqueue_only("T2", "theirs")
    with ctx.db.transaction() as session:
        session.execute(update(OutboxMessage).values(status="cancelled"))
    enqueue_only("T1", "again")
    assert stored() == [("pending", {"text": "again"})]


def test_a_dedupe_key_of_another_workspace_is_refused(ctx: ServiceContext) -> None:
    enqueue(ctx, "item:1:due", team_id="T1")
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, "T2").get_or_create(now=ctx.clock())
        with pytest.raises(DedupeKeyTakenError):
            OutboxRepository(session, "T2").enqueue(
                kind="due",
                dedupe_key="T1:item:1:due",
                channel_id="C9",
                due_at=ctx.clock(),
                payload={"text": "x"},
            )


def test_only_due_messages_are_claimed_and_sent(ctx: ServiceContext, clock: FakeClock) -> None:
    now = enqueue(ctx, "now")
    later = enqueue(ctx, "later", due_in=timedelta(minutes=5))
    sender = FakeSender()
    report = sweep(ctx, sender)
    assert (report.claimed, report.sent) == (1, 1)
    assert sender.texts == ["now"]
    sent = row(ctx, now.id)
    assert (sent.status, sent.message_ts, sent.sent_at, sent.late) == (
        "sent",
        "1700000000.000001",
        clock.now,
        False,
    )
    assert row(ctx, later.id).status == "pending"
    clock.now += timedelta(minutes=5)
    sweep(ctx, sender)
    assert sender.texts == ["now", "later"]
    assert sweep(ctx, sender) == DeliveryReport()


def test_a_message_past_drop_after_is_dropped_unsent(ctx: ServiceContext, clock: FakeClock) -> None:
    lead = enqueue(ctx, "lead", drop_after=clock.now + timedelta(minutes=1))
    clock.now += timedelta(minutes=2)
    sender = FakeSender()
    assert sweep(ctx, sender).dropped == 1
    assert sender.sent == []
    assert row(ctx, lead.id).status == "dropped"


def test_a_message_over_fifteen_minutes_late_is_marked_and_gets_its_note(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    payload = {"text": "post now", "blocks": [{"type": "section"}], "late_blocks": [{"n": 1}]}
    on_time = enqueue(ctx, "on-time", payload=payload, channel="C1")
    late = enqueue(ctx, "late", payload=payload, channel="C2", due_in=-timedelta(minutes=16))
    clock.now += timedelta(minutes=15)
    sender = FakeSender()
    report = sweep(ctx, sender)
    assert (report.sent, report.late) == (2, 1)
    by_channel = dict(sender.sent)
    assert by_channel["C1"] == {"text": "post now", "blocks": [{"type": "section"}]}
    assert by_channel["C2"] == payload
    assert row(ctx, on_time.id).late is False
    assert row(ctx, late.id).late is True


def test_retry_later_backs_off_and_honours_a_longer_retry_after(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    message = enqueue(ctx, "busy")
    sender = FakeSender(RetryLater("503"), RetryLater("429", retry_after=30.0))
    start = clock.now

    assert sweep(ctx, sender).retried == 1
    first = row(ctx, message.id)
    assert (first.status, first.attempts, first.claimed_by) == ("pending", 1, None)
    assert first.next_attempt_at == start + timedelta(seconds=1)
    assert first.last_error == "503"

    clock.now = start + timedelta(seconds=0.5)
    assert sweep(ctx, sender).claimed == 0
    clock.now = start + timedelta(seconds=1)
    assert sweep(ctx, sender).retried == 1
    second = row(ctx, message.id)
    assert second.attempts == 2
    assert second.next_attempt_at == clock.now + timedelta(seconds=30)  # not the 2 s backoff

    clock.now += timedelta(seconds=30)
    assert sweep(ctx, sender).sent == 1
    assert sender.texts == ["busy"]
    done = row(ctx, message.id)
    assert (done.status, done.attempts, done.last_error) == ("sent", 3, None)


def test_slack_429_then_503_is_retried_and_delivered_once(
    ctx: ServiceContext, clock: FakeClock, slack: SlackApiMock
) -> None:
    message = enqueue(ctx, "flaky")
    slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "20"})
    slack.fail_next("chat.postMessage", status=503)
    sender = build_message_sender(bot_token=BOT_TOKEN, api_url=slack.base_url)
    start = clock.now

    def sweep_slack() -> DeliveryReport:
        return deliver_due(ctx=ctx, sender=sender, worker_id="w", options=FAST)

    assert sweep_slack().retried == 1
    assert row(ctx, message.id).next_attempt_at == start + timedelta(seconds=20)
    clock.now = start + timedelta(seconds=20)
    assert sweep_slack().retried == 1
    assert row(ctx, message.id).next_attempt_at == clock.now + timedelta(seconds=2)
    clock.now += timedelta(seconds=2)
    assert sweep_slack().sent == 1
    assert sweep_slack().claimed == 0
    assert [call.status for call in slack.calls("chat.postMessage")] == [429, 503, 200]
    assert row(ctx, message.id).status == "sent"


def test_the_eleventh_failed_attempt_fails_the_message(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    message = enqueue(ctx, "doomed")
    sender = FakeSender(*(RetryLater(f"503 #{n}") for n in range(1, 12)))
    for _ in range(10):
        assert sweep(ctx, sender).retried == 1
        clock.now += timedelta(minutes=15)
    assert sweep(ctx, sender).failed == 1
    failed = row(ctx, message.id)
    assert (failed.status, failed.attempts) == ("failed", 11)
    assert failed.last_error == "gave up after 11 attempts; last: 503 #11"
    clock.now += timedelta(hours=1)
    assert sweep(ctx, sender).claimed == 0


def test_a_permanent_error_fails_at_once(ctx: ServiceContext) -> None:
    message = enqueue(ctx, "gone")
    report = sweep(ctx, FakeSender(PermanentSendError("channel_not_found")))
    assert report.failed == 1
    failed = row(ctx, message.id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.last_error == "Slack refused it: channel_not_found"


def test_each_message_goes_out_for_its_own_workspace(ctx: ServiceContext) -> None:
    enqueue(ctx, "for-one", team_id="T1", channel="C1")
    enqueue(ctx, "for-two", team_id="T2", channel="C2")
    sender = FakeSender()
    assert sweep(ctx, sender).sent == 2
    assert sorted(zip(sender.teams, sender.texts, strict=True)) == [
        ("T1", "for-one"),
        ("T2", "for-two"),
    ]


class PreparingSender(FakeSender):
    """Records what it was asked to prepare for, and when (before which send)."""

    def __init__(self, *failures: Exception, refuse_to_prepare: bool = False) -> None:
        super().__init__(*failures)
        self.prepared: list[tuple[int, set[str]]] = []
        self.refuse_to_prepare = refuse_to_prepare

    def prepare(self, team_ids: Collection[str]) -> None:
        if self.refuse_to_prepare:
            raise ConnectionError("the database went away")
        with self.lock:
            self.prepared.append((len(self.sent), set(team_ids)))


def test_a_claimed_batch_is_prepared_for_at_once_before_its_sends(ctx: ServiceContext) -> None:
    for n in range(3):
        enqueue(ctx, f"for-{n}", team_id=f"T{n}", channel=f"C{n}")
    sender = PreparingSender()
    assert sweep(ctx, sender).sent == 3
    assert sender.prepared == [(0, {"T0", "T1", "T2"})]


def test_a_batch_that_cannot_be_prepared_for_still_goes_out(
    ctx: ServiceContext, caplog: pytest.LogCaptureFixture
) -> None:
    enqueue(ctx, "for-one", team_id="T1", channel="C1")
    enqueue(ctx, "for-two", team_id="T2", channel="C2")
    assert sweep(ctx, PreparingSender(refuse_to_prepare=True)).sent == 2
    assert any("could not prepare" in record.getMessage() for record in caplog.records)


def test_a_workspace_without_installation_fails_at_once_and_says_so(
    ctx: ServiceContext, caplog: pytest.LogCaptureFixture
) -> None:
    message = enqueue(ctx, "orphan", team_id="T9")
    reason = "workspace T9 has no installation any more"
    report = sweep(ctx, FakeSender(WorkspaceNotInstalledError(reason)))
    assert (report.failed, report.retried) == (1, 0)
    failed = row(ctx, message.id)
    assert (failed.status, failed.last_error) == ("failed", reason)
    assert any(
        "team T9" in record.getMessage() and reason in record.getMessage()
        for record in caplog.records
        if record.levelname == "ERROR"
    )


def test_cancelling_an_item_cancels_its_pending_messages_and_re_enqueueing_re_arms_them(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    with ctx.db.transaction() as session:
        WorkspaceRepository(session, "T1").get_or_create(now=clock.now)
        item = CalendarItem(
            team_id="T1",
            due_at=clock.now,
            timezone="Asia/Jakarta",
            text="Promo post",
            channel_id="C1",
            owner_id="U1",
            created_by="U1",
            created_at=clock.now,
            updated_at=clock.now,
        )
        session.add(item)
        session.flush()
        item_id = item.id

    def put(session: Session, key: str, text: str, item: int | None = item_id) -> OutboxMessage:
        return OutboxRepository(session, "T1").enqueue(
            kind="due",
            dedupe_key=key,
            channel_id="C1",
            due_at=clock.now,
            payload={"text": text},
            calendar_item_id=item,
        )

    with ctx.db.transaction() as session:
        first = put(session, "T1:item:due", "due")
        put(session, "T1:item:lead", "lead")
        put(session, "T1:other", "other", None)
        assert OutboxRepository(session, "T2").cancel_for_item(item_id) == 0
        assert OutboxRepository(session, "T1").cancel_for_item(item_id) == 2
    sender = FakeSender()
    assert sweep(ctx, sender).sent == 1
    assert sender.texts == ["other"]
    with ctx.db.transaction() as session:
        again = put(session, "T1:item:due", "due again")
    assert again.id == first.id
    assert sweep(ctx, sender).sent == 1
    assert sender.texts == ["other", "due again"]
    assert row(ctx, first.id).status == "sent"


def test_an_expired_claim_is_taken_over_and_its_old_holder_cannot_record(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    message = enqueue(ctx, "orphan")
    with ctx.db.transaction() as session:
        (claimed,) = OutboxQueue(session.connection()).claim_due(
            clock.now, worker_id="crashed", limit=10, lease=LEASE, per_channel=2
        )
    sender = FakeSender()
    assert sweep(ctx, sender, "w2").claimed == 0  # the lease still holds
    clock.now += LEASE + timedelta(seconds=1)
    assert sweep(ctx, sender, "w2").sent == 1
    assert sender.texts == ["orphan"]
    with ctx.db.transaction() as session:
        queue = OutboxQueue(session.connection())
        assert not queue.mark_sent(
            claimed.id, worker_id="crashed", ts="1.0", now=clock.now, late=False
        )
        assert not queue.mark_retry(
            claimed.id, worker_id="crashed", next_attempt_at=clock.now, error="x"
        )
    assert row(ctx, message.id).claimed_by == "w2"


def test_a_claim_takes_every_channel_first_and_caps_each_channel(ctx: ServiceContext) -> None:
    for channel in ("C1", "C2", "C3"):
        for n in range(4):
            enqueue(ctx, f"{channel}-{n}", channel=channel, due_in=timedelta(seconds=n - 10))
    with ctx.db.transaction() as session:
        first = OutboxQueue(session.connection()).claim_due(
            ctx.clock(), worker_id="w", limit=3, lease=LEASE, per_channel=2
        )
        rest = OutboxQueue(session.connection()).claim_due(
            ctx.clock(), worker_id="w", limit=100, lease=LEASE, per_channel=2
        )
    assert sorted(m.dedupe_key for m in first) == ["T1:C1-0", "T1:C2-0", "T1:C3-0"]
    assert sorted(m.dedupe_key for m in rest) == ["T1:C1-1", "T1:C2-1", "T1:C3-1"]


def test_a_stopped_sweep_releases_its_unstarted_claims(ctx: ServiceContext) -> None:
    for n in range(3):
        enqueue(ctx, f"m{n}", due_in=timedelta(seconds=n - 10))
    stop = threading.Event()

    class StoppingSender(FakeSender):
        def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
            stop.set()
            return super().send(team_id, channel_id, payload)

    sender = StoppingSender()
    options = DeliveryOptions(spacing=30.0, poll_interval=0.01)
    report = deliver_due(ctx=ctx, sender=sender, worker_id="w", options=options, stop=stop)
    assert (report.sent, report.released) == (1, 1)
    with ctx.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.status, r.claimed_by) for r in rows] == [
            ("sent", "w"),
            ("pending", None),  # claimed, then released unsent
            ("pending", None),  # beyond the per-channel cap: never claimed
        ]


def test_two_sweepers_deliver_every_message_exactly_once(
    database_url: str, database: Database, clock: FakeClock
) -> None:
    """Two processes' worth of engines on one database, racing over the same due rows."""
    ctx = ServiceContext(db=database, clock=clock)
    with database.transaction() as session:
        for n in range(500):
            enqueue_in(
                session, clock(), f"m{n}", channel=f"C{n % 50}", due_in=-timedelta(seconds=n % 7)
            )
    sender = FakeSender()
    # Small claims and a loose channel cap, so that both keep claiming while the other does.
    options = DeliveryOptions(spacing=0.001, poll_interval=0.005, concurrency=8, per_channel=20)
    reports: list[DeliveryReport] = []
    ready = threading.Barrier(2)

    def worker(name: str) -> None:
        other = Database(create_database_engine(database_url))
        try:
            ready.wait()
            reports.append(
                deliver_due(
                    ctx=ServiceContext(db=other, clock=clock),
                    sender=sender,
                    worker_id=name,
                    batch=25,
                    options=options,
                )
            )
        finally:
            other.engine.dispose()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(reports) == 2
    assert all(report.sent > 0 for report in reports)
    assert sorted(sender.texts) == sorted(f"m{n}" for n in range(500))
    assert sum(report.sent for report in reports) == 500
    with ctx.db.transaction() as session:
        statuses = set(session.scalars(select(OutboxMessage.status)))
    assert statuses == {"sent"}
