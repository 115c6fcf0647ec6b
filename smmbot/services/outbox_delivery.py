"""One sweep's database and Slack side, called from its lanes' threads (`services.outbox`).

Claims go through the sweep's lanes when processes share the database (`persistence.outbox_lanes`
on PostgreSQL): rows only of channels this process holds, taking over the channels of a process
that died. Each message is then handled on its own: dropped when pointless, looked up in its
channel first when an earlier attempt may have reached Slack (its row is in doubt), posted
otherwise, and its outcome recorded in one transaction of its own.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from smmbot.domain.outbox import Timeliness, timeliness
from smmbot.persistence.database import Database
from smmbot.persistence.outbox_lanes import OutboxLaneLocks
from smmbot.persistence.outbox_queue import ClaimedMessage, OutboxQueue
from smmbot.services.audit import record_reminded, reminds_of_post
from smmbot.services.context import ServiceContext
from smmbot.services.operations import record_delivery
from smmbot.services.outbox_lanes import Attempt
from smmbot.services.outbox_payloads import (
    FILES_KIND,
    enqueue_files,
    files_of,
    payload_at_send,
    payload_to_send,
)
from smmbot.services.outbox_ports import (
    BatchPreparer,
    DeliveryOptions,
    MessageSender,
    PermanentSendError,
    PostedLookup,
    RetryLater,
    WorkspaceNotInstalledError,
)

log = logging.getLogger(__name__)


class Delivery:
    """See the module docstring. `lanes` is the sweep's own connection when processes share
    the database, None when one process has it to itself (SQLite)."""

    def __init__(
        self,
        *,
        ctx: ServiceContext,
        sender: MessageSender,
        worker_id: str,
        options: DeliveryOptions,
        lanes: Database | None = None,
    ) -> None:
        self._ctx = ctx
        self._sender = sender
        self._lookup = sender if isinstance(sender, PostedLookup) else None
        self._preparer = sender if isinstance(sender, BatchPreparer) else None
        self._worker_id = worker_id
        self._options = options
        self._lanes = lanes
        self._held: set[str] = set()  # the channels whose lanes this sweep holds
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def tally(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def claim(self, limit: int) -> Sequence[ClaimedMessage]:
        claimed = self._claim(limit)
        if claimed and self._preparer is not None:
            try:
                self._preparer.prepare({message.team_id for message in claimed})
            except Exception:  # only a saving is lost: each send looks up what it needs
                log.warning("could not prepare the sends of %d claimed outbox message(s) at "
                            "once", len(claimed), exc_info=True)  # fmt: skip
        return claimed

    def _claim(self, limit: int) -> Sequence[ClaimedMessage]:
        options = self._options
        if self._lanes is None:
            with self._ctx.db.connection() as connection:
                return OutboxQueue(connection).claim_due(
                    self._ctx.clock(),
                    worker_id=self._worker_id,
                    limit=limit,
                    lease=options.lease,
                    per_channel=options.per_channel,
                )
        with self._lanes.transaction() as session:
            now = self._ctx.clock()
            locks = OutboxLaneLocks(session, self._worker_id)
            taken = locks.take(now, held=self._held, most=max(1, limit // options.per_channel))
            self._held.update(taken)
            if not self._held:
                return []
            taken_over = locks.take_over(taken, grace_until=now + options.takeover_grace)
            if taken_over:
                log.warning("took over %d outbox message(s) of a bot process that stopped; "
                            "they are looked up before they go out again", taken_over)  # fmt: skip
            return OutboxQueue(session.connection()).claim_due(
                now,
                worker_id=self._worker_id,
                limit=limit,
                lease=options.lease,
                per_channel=options.per_channel,
                channels=self._held,
            )

    def release_lanes(self) -> None:
        if self._lanes is not None:
            with self._lanes.transaction() as session:
                OutboxLaneLocks(session, self._worker_id).release_all()
            self._held.clear()

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
            payload = payload_to_send(payload_at_send(self._ctx, message), late=late)
        except Exception as error:  # an App Home rendered now (database unreachable): retried
            log.exception("outbox message %d: could not render it", message.id)
            self._retry(message, f"{type(error).__name__}: {error}", None)
            return Attempt(called_slack=False)
        if self._lookup is not None:  # the id it can find the post by later
            payload["outbox_id"] = message.id
        if message.in_doubt_since is not None:
            found = self._posted_already(message, payload, message.in_doubt_since)
            if found is not None:
                if isinstance(found, str):  # its files, if any, follow on their own
                    owed = 0.0 if files_of(message.payload) else None
                    self._sent(message, found, late=late, files_in=owed)
                return Attempt(called_slack=False)
        try:
            ts = self._sender.send(message.team_id, message.channel_id, payload)
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
        self._sent(message, ts, late=late, files_in=self._upload_files(message))
        return Attempt(called_slack=True)

    def _upload_files(self, message: ClaimedMessage) -> float | None:
        """The files of a message just posted, uploaded in the same attempt: None when they
        went (or it has none); else in how many seconds a files message of their own, stored
        with the message's outcome, tries them again (`outbox_payloads`)."""
        files = files_of(message.payload)
        if not files:
            return None
        outcome, files_in = "sent", None
        try:
            self._sender.send(message.team_id, message.channel_id, {"files": files})
        except RetryLater as error:
            outcome, files_in = "retried", error.retry_after or 0.0
        except Exception as error:  # refused, or a sender bug: their own message decides
            log.warning("outbox message %d: its files could not be uploaded with it, they "
                        "follow on their own: %s", message.id, error)  # fmt: skip
            outcome, files_in = "retried", 0.0
        record_delivery(FILES_KIND, outcome)
        with self._lock:
            self._counts[outcome] += 1
        return files_in

    def _posted_already(
        self, message: ClaimedMessage, payload: Mapping[str, Any], since: datetime
    ) -> str | bool | None:
        """The ts when an earlier attempt did post it; True when the lookup failed (retried
        later); None when it was not posted, or cannot be looked up (then it is posted)."""
        if self._lookup is None:
            return None
        try:
            return self._lookup.find_posted(
                message.team_id, message.channel_id, payload, outbox_id=message.id, since=since
            )
        except RetryLater as error:
            self._retry(message, f"looking it up: {error}", error.retry_after)
            return True
        except PermanentSendError as error:
            log.warning("outbox message %d (in doubt) cannot be looked up, so it is posted "
                        "again: %s", message.id, error)  # fmt: skip
            return None

    def _sent(
        self, message: ClaimedMessage, ts: str, *, late: bool, files_in: float | None
    ) -> None:
        """`files_in`: the seconds after which the files it still owes are due, None when it
        owes none."""
        self._record(
            message,
            "late" if late else "sent",
            lambda q: q.mark_sent(
                message.id, worker_id=self._worker_id, ts=ts, now=self._ctx.clock(), late=late
            ),
            files_in=files_in,
        )

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
        self,
        message: ClaimedMessage,
        outcome: str,
        write: Callable[[OutboxQueue], bool],
        *,
        files_in: float | None = None,
    ) -> None:
        with self._ctx.db.connection() as connection:
            recorded = write(OutboxQueue(connection))
            delivered = recorded and outcome in {"sent", "late"}
            if delivered and (reminds_of_post(message) or files_in is not None):
                with self._ctx.db.session_on(connection) as session:  # the rare ORM writes
                    now = self._ctx.clock()
                    record_reminded(session, message, now=now)
                    if files_in is not None:
                        enqueue_files(session, message, now=now + timedelta(seconds=files_in))
        if not recorded:
            log.warning("outbox message %d: outcome %r not recorded, its claim had passed to "
                        "another process", message.id, outcome)  # fmt: skip
            outcome = "lost"
        record_delivery(message.kind, outcome)
        with self._lock:
            self._counts[outcome] += 1
            if outcome == "late":
                self._counts["sent"] += 1
