"""Delivering due outbox messages (reminders, digests): sent once, paced, retried, never lost.

Due work lives in `outbox_messages` rows. A sweep (`deliver_due`) claims due rows, posts each
through a `MessageSender` port (Slack's chat.postMessage in production) and records the outcome,
one transaction per claim and per outcome; `outbox_lanes` runs the sends, many channels at
once but about one message a second per channel.

What a message gets:
- sent → 'sent', with Slack's ts (and, for a post's reminder, an entry in its history, in the
  same transaction); more than 15 minutes after `due_at` it is marked `late`, with its late note;
- past `drop_after` (a lead reminder whose moment passed) → 'dropped', never posted;
- Slack busy (429, 5xx, network error) → pending again, retried after 1 s, 2 s, 4 s … (at most
  15 minutes; Slack's Retry-After when that is longer); the 11th failed attempt → 'failed';
- refused for good (channel_not_found, invalid_blocks …) or its workspace removed the app (no
  installation, so no token) → 'failed' at once, logged with its team, channel and error.

Payload: what to post, rendered when the message is enqueued, in the workspace's language, like
everything a feature says, so this engine stays free of rendering and i18n (only an App Home
is rendered when sent, by `outbox_payloads`); the words saying "this is late" are the feature's.
Either a presentation-neutral reply, `{"reply": reply_to_data(reply), "late_note": …}`, or Block
Kit, `{"text": …, "blocks": [...], "late_blocks": [...]}`; the late note is optional. The engine
only decides lateness: it hands the sender the late note when the message is late and strips it
otherwise; the Slack sender makes the rest a chat.postMessage (chat.update for `update_ts`). A
reply's files are uploaded after it, in the same attempt, or, when that upload fails, as a
message of their own, `{"files": [...]}` (`outbox_payloads`).

Exactly once. Claims are atomic (see `outbox_repository`), so two bot processes never hold the
same row, and each outcome is recorded only by the claim's holder. A process that dies (kill -9)
loses nothing: what it held is claimed again, on PostgreSQL as soon as another process takes
its channels' lanes over (its database session ended with it, see `outbox_lanes`), otherwise
once its lease ends (60 s; a live process renews its leases every 15 s). If it died, or the
database refused the write, after Slack accepted a message but before 'sent' was committed, the
row comes back "in doubt": every post carries its outbox id as message metadata, and before an
in-doubt row is posted again its channel is looked up (conversations.history since the earlier
claim began); found, it is marked sent with the ts Slack gave it. A taken-over row is looked up
only after a grace longer than a request lasts, an expired one only after its lease, which a
send never starts within 20 s of (more than the Slack client's 10 s timeout), so the earlier
request has ended either way. What remains: a workspace whose token lacks the history scopes
(the lookup is refused, the row is posted again, logged); a reply's files, which carry no
metadata to be found by, when the outcome of the attempt that uploaded them was lost (they are
uploaded again); a process that stalls between its lease check and its request for longer
than the margin; and a live process whose database session is cut (a network partition, an
operator ending it) while it still sends, which it notices at its next claim. Leases compare
times written by each process's clock: hosts sharing one database need synchronised clocks
(NTP), as for any lease. A shutdown (SIGTERM) never opens a window, since sends in flight finish
and are recorded first.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from smmbot.domain.outbox import ChannelPacer
from smmbot.persistence.database import Database
from smmbot.persistence.outbox_lanes import lanes_across_processes
from smmbot.persistence.outbox_queue import ClaimedMessage
from smmbot.services.context import ServiceContext
from smmbot.services.outbox_delivery import Delivery
from smmbot.services.outbox_lanes import LaneHooks, Lanes, LaneSettings
from smmbot.services.outbox_payloads import FILES_KIND, LATE_NOTE_KEYS, payload_to_send
from smmbot.services.outbox_ports import (
    DeliveryOptions,
    MessageSender,
    PermanentSendError,
    PostedLookup,
    RetryLater,
    WorkspaceNotInstalledError,
)

__all__ = [
    "LATE_NOTE_KEYS",
    "DeliveryOptions",
    "DeliveryReport",
    "MessageSender",
    "PermanentSendError",
    "PostedLookup",
    "RetryLater",
    "WorkspaceNotInstalledError",
    "deliver_due",
    "payload_to_send",
]


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
    with _lanes_connection(ctx.db) as lanes_db:
        delivery = Delivery(
            ctx=ctx, sender=sender, worker_id=worker_id, options=options, lanes=lanes_db
        )
        lanes = Lanes(
            LaneHooks[ClaimedMessage](
                claim=lambda: delivery.claim(batch),
                handle=delivery.handle,
                renew=delivery.renew,
                release=delivery.release,
                spaced=lambda message: message.kind != FILES_KIND,
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
        try:
            counts = lanes.run()
        finally:
            delivery.release_lanes()  # every send has finished: the channels are free
    tally = delivery.tally()
    tally["lost"] = tally.get("lost", 0) + counts.lost
    return DeliveryReport(claimed=counts.claimed, released=counts.released, **tally)


@contextlib.contextmanager
def _lanes_connection(db: Database) -> Iterator[Database | None]:
    """The connection a sweep's lanes live on when processes share the database, else None."""
    if not lanes_across_processes(db.engine):
        yield None
        return
    with db.pinned() as pinned:
        yield pinned
