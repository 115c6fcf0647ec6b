"""Delivering due outbox messages (reminders, digests): sent once, paced, retried, never lost.

Due work lives in `outbox_messages` rows. A sweep (`deliver_due`) claims due rows, posts each
through a `MessageSender` port (Slack's chat.postMessage in production) and records the outcome,
one transaction per claim and per outcome; `outbox_lanes` runs the sends, many channels at
once but about one message a second per channel.

What a message gets:
- sent → 'sent', with Slack's ts (and, for a post's reminder, an entry in its history, in the
  same transaction); more than 15 minutes after `due_at` it is marked `late`, with its late note;
- past `drop_after` (a lead reminder whose moment passed) → 'dropped', never posted;
- Slack busy (429, 5xx, network error) → pending again, retried after 5 s, 10 s, 20 s … (at most
  15 minutes; Slack's Retry-After when that is longer); the 8th failed attempt → 'failed';
- refused for good (channel_not_found, invalid_blocks …) or its workspace removed the app (no
  installation, so no token) → 'failed' at once, logged with its team, channel and error.

Payload: what to post, rendered when the message is enqueued, in the workspace's language, like
everything a feature says, so this engine stays free of rendering and i18n; the words saying
"this is late" are the feature's too. Either a presentation-neutral reply, `{"reply":
reply_to_data(reply), "late_note": …}`, or Block Kit, `{"text": …, "blocks": [...],
"late_blocks": [...]}`; the late note is optional. The engine only decides lateness: it hands
the sender the late note when the message is late and strips it otherwise; the Slack sender
turns the rest into chat.postMessage (or chat.update, with `update_ts`) arguments.

Exactly once, and its limits. Claims are atomic (see `outbox_repository`), so two bot processes
never hold the same row, and each outcome is recorded only by the claim's holder. A process that
dies (kill -9) loses nothing: what it held is claimed again once its lease ends (60 s; a live
process renews its leases every 15 s), and what fell due meanwhile goes out on the next sweep.
One window remains, as in any system that cannot make Slack's write and ours one transaction:
if the process dies, or the database refuses the write, after Slack accepted a message but before
'sent' is committed, the message is posted again once the lease ends. The window is kept to the
request itself plus one single-row commit, made right after the send on the sending thread; a
shutdown (SIGTERM) never opens it, since sends in flight finish and are recorded first.
A second, narrower case: a send starts only while its lease has 20 s left, more than the Slack
client's 10 s timeout, so a process that stalls (its renewals stop) cannot still be sending when
another process takes the row over, unless the stall falls between that check and the request
and outlasts the 20 s. Leases compare times written by each process's clock: hosts sharing one
database need synchronised clocks (NTP), as for any lease.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final, Protocol

from smmbot.domain.outbox import (
    LATE_AFTER,
    SLACK_SPACING,
    Backoff,
    ChannelPacer,
    Timeliness,
    timeliness,
)
from smmbot.persistence.outbox_queue import ClaimedMessage, OutboxQueue
from smmbot.services.audit import record_reminded, reminds_of_post
from smmbot.services.context import ServiceContext
from smmbot.services.operations import record_delivery
from smmbot.services.outbox_lanes import Attempt, LaneHooks, Lanes, LaneSettings

log = logging.getLogger(__name__)


class RetryLater(Exception):  # noqa: N818 (an instruction to the engine, not an error)
    """Slack could not take the message now (429, 5xx, network): try again later."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """Slack refused the message for good (e.g. channel_not_found): retrying cannot help."""


class WorkspaceNotInstalledError(PermanentSendError):
    """The workspace has no installation any more: there is no token to send with."""


class MessageSender(Protocol):
    def send(self, team_id: str, channel_id: str, payload: Mapping[str, Any]) -> str:
        """Posts the payload for the workspace `team_id`; returns the message ts.

        Raises RetryLater or PermanentSendError (WorkspaceNotInstalledError among them).
        """
        ...


@dataclass(frozen=True)
class DeliveryOptions:
    """Knobs of the engine; the defaults are production's, tests shrink the times."""

    spacing: float = SLACK_SPACING  # seconds between two posts to one channel
    concurrency: int = 32  # posts in flight at once, each to a different channel
    per_channel: int = 2  # claimed rows per channel: the next is at hand when one is posted
    poll_interval: float = 0.25  # seconds between claims while a sweep has work
    lease: timedelta = timedelta(seconds=60)
    renew_every: float = 15.0
    send_margin: float = 20.0  # lease left for a send to start; > the sender's timeout
    backoff: Backoff = field(default_factory=Backoff)
    late_after: timedelta = LATE_AFTER


@dataclass(frozen=True)
class DeliveryReport:
    """What one sweep did. `lost`: claims given up unsent, which their lease brings back."""

    claimed: int = 0
    sent: int = 0
    late: int = 0
    dropped: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    lost: int = 0


LATE_NOTE_KEYS: Final = ("late_note", "late_blocks")


def payload_to_send(payload: Mapping[str, Any], *, late: bool) -> dict[str, Any]:
    """The payload with its late note only when the message is late."""
    return {key: value for key, value in payload.items() if late or key not in LATE_NOTE_KEYS}


def deliver_due(
    *,
    ctx: ServiceContext,
    sender: MessageSender,
    worker_id: str,
    batch: int = 200,
    options: DeliveryOptions | None = None,
    pacer: ChannelPacer | None = None,
    stop: threading.Event | None = None,
) -> DeliveryReport:
    """One sweep: delivers everything due until nothing is, or until `stop` is set.

    Pass the same `pacer` to every sweep of a process, so channels stay paced across sweeps.
    """
    options = options or DeliveryOptions()
    pacer = pacer or ChannelPacer(options.spacing)
    delivery = _Delivery(ctx=ctx, sender=sender, worker_id=worker_id, options=options)
    lanes = Lanes(
        LaneHooks[ClaimedMessage](
            claim=lambda: delivery.claim(batch),
            handle=delivery.handle,
            renew=delivery.renew,
            release=delivery.release,
        ),
        LaneSettings(
            concurrency=options.concurrency,
            batch=batch,
            poll_interval=options.poll_interval,
            lease=options.lease.total_seconds(),
            renew_every=options.renew_every,
            send_margin=options.send_margin,
        ),
        pacer=pacer,
        stop=stop or threading.Event(),
    )
    counts = lanes.run()
    tally = delivery.tally()
    tally["lost"] = tally.get("lost", 0) + counts.lost
    return DeliveryReport(claimed=counts.claimed, released=counts.released, **tally)


class _Delivery:
    """The database and Slack side of one sweep, called from the lanes' threads."""

    def __init__(
        self,
        *,
        ctx: ServiceContext,
        sender: MessageSender,
        worker_id: str,
        options: DeliveryOptions,
    ) -> None:
        self._ctx = ctx
        self._sender = sender
        self._worker_id = worker_id
        self._options = options
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def tally(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def claim(self, limit: int) -> Sequence[ClaimedMessage]:
        with self._ctx.db.connection() as connection:
            return OutboxQueue(connection).claim_due(
                self._ctx.clock(),
                worker_id=self._worker_id,
                limit=limit,
                lease=self._options.lease,
                per_channel=self._options.per_channel,
            )

    def renew(self, ids: Collection[int]) -> Collection[int]:
        with self._ctx.db.connection() as connection:
            return OutboxQueue(connection).renew(
                ids, worker_id=self._worker_id, lease_until=self._ctx.clock() + self._options.lease
            )

    def release(self, ids: Collection[int]) -> int:
        with self._ctx.db.connection() as connection:
            return OutboxQueue(connection).release(ids, worker_id=self._worker_id)

    def handle(self, message: ClaimedMessage) -> Attempt:
        timing = timeliness(
            now=self._ctx.clock(),
            due_at=message.due_at,
            drop_after=message.drop_after,
            late_after=self._options.late_after,
        )
        if timing is Timeliness.POINTLESS:
            self._record(
                message, "dropped", lambda q: q.mark_dropped(message.id, worker_id=self._worker_id)
            )
            return Attempt(called_slack=False)
        late = timing is Timeliness.LATE
        try:
            ts = self._sender.send(
                message.team_id, message.channel_id, payload_to_send(message.payload, late=late)
            )
        except RetryLater as error:
            self._retry(message, str(error), error.retry_after)
            return Attempt(called_slack=True, retry_after=error.retry_after)
        except WorkspaceNotInstalledError as error:
            self._fail(message, str(error))
            return Attempt(called_slack=False)
        except PermanentSendError as error:
            self._fail(message, f"Slack refused it: {error}")
            return Attempt(called_slack=True)
        except Exception as error:  # a sender bug must not wedge the row: retry, then fail
            log.exception("outbox message %d: unexpected error while sending", message.id)
            self._retry(message, f"{type(error).__name__}: {error}", None)
            return Attempt(called_slack=True)
        self._record(
            message,
            "late" if late else "sent",
            lambda q: q.mark_sent(
                message.id, worker_id=self._worker_id, ts=ts, now=self._ctx.clock(), late=late
            ),
        )
        return Attempt(called_slack=True)

    def _retry(self, message: ClaimedMessage, error: str, retry_after: float | None) -> None:
        failed_attempts = message.attempts + 1
        backoff = self._options.backoff
        if backoff.gives_up(failed_attempts):
            self._fail(message, f"gave up after {failed_attempts} attempts; last: {error}")
            return
        delay = timedelta(seconds=backoff.delay(failed_attempts, retry_after))
        next_attempt_at = self._ctx.clock() + delay
        self._record(
            message,
            "retried",
            lambda q: q.mark_retry(
                message.id, worker_id=self._worker_id, next_attempt_at=next_attempt_at, error=error
            ),
        )

    def _fail(self, message: ClaimedMessage, error: str) -> None:
        log.error(
            "outbox message %d (%s, team %s, channel %s) failed: %s",
            message.id,
            message.kind,
            message.team_id,
            message.channel_id,
            error,
        )
        self._record(
            message,
            "failed",
            lambda q: q.mark_failed(message.id, worker_id=self._worker_id, error=error),
        )

    def _record(
        self, message: ClaimedMessage, outcome: str, write: Callable[[OutboxQueue], bool]
    ) -> None:
        with self._ctx.db.connection() as connection:
            recorded = write(OutboxQueue(connection))
            if recorded and outcome in {"sent", "late"} and reminds_of_post(message):
                with self._ctx.db.session_on(connection) as session:
                    record_reminded(session, message, now=self._ctx.clock())
        if not recorded:
            log.warning("outbox message %d: outcome %r not recorded, its claim had passed to "
                        "another process", message.id, outcome)  # fmt: skip
            outcome = "lost"
        record_delivery(message.kind, outcome)
        with self._lock:
            self._counts[outcome] += 1
            if outcome == "late":
                self._counts["sent"] += 1
