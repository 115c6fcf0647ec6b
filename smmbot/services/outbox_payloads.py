"""What a due message sends of its stored payload: the late note only when the message is late;
a reply's files (the weekly digest's chart) after it; and, for the one kind rendered when it is
sent, that rendering.

A reply's files go out after their message, in the same attempt (`services.outbox_delivery`).
An upload is three calls (files.getUploadURLExternal, the upload, files.completeUploadExternal)
with rate limits of their own, so the message is posted without its files, and once Slack has
it they are uploaded. When that upload fails (429, 5xx, the network), retrying the attempt
would post the message twice, so the transaction that records the message sent also enqueues
its files as a message of their own (kind `files`, key `<message key>:files`, due when Slack's
Retry-After says): from then on they are claimed, retried and recorded like any message,
exactly once, and always after the message they belong to. So do the files of a message found
posted by an attempt whose outcome was lost. Only the channel's one-a-second spacing is not
theirs to keep: that is chat.postMessage's pace, and the upload methods have per-workspace
limits of their own. Until the upload went in the message's attempt, every reply's files went
as a message of their own: an insert, a claim, a read of the chart and an outcome more, about
3 ms a digest in the Monday rush (`bench/digest_fanout.py`).

The files message names the message's row (`{"files_of": id}`) rather than holding a copy of
its files, which are read from that row when they are sent: a digest's chart is 80 KB of
base64, and writing it into a second row cost the database 2 ms a digest in the Monday rush
(`bench/digest_fanout.py`). Rows are never deleted, so the one named is there; the sender gets
`{"files": [...]}` either way (so do files messages stored earlier, which hold their copy).

Every other message is rendered when it is enqueued (see `services.outbox`). A member's App Home
(`HOME_KIND`) is queued without content and rendered here, on the sending thread, from the
state at that moment: the request that queued it never waits for the render (the digest makes
it slow), and one publish shows every change queued while it waited (`approval_home`). Kept out
of the engine, which stays free of rendering and i18n; a render that fails (the database
unreachable) is retried like a failed send. The render (a fraction of a second) comes out of the
lease margin the send starts with (20 s against the sender's 10 s timeout, `services.outbox`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from smmbot.domain.outbox import HOME_KIND
from smmbot.persistence.outbox_queue import ClaimedMessage
from smmbot.persistence.outbox_repository import OutboxRepository
from smmbot.services.context import ServiceContext
from smmbot.services.home import home_payload

LATE_NOTE_KEYS: Final = ("late_note", "late_blocks")
FILES_KIND: Final = "files"
"""The kind of the message that uploads another message's files."""
FILES_OF: Final = "files_of"
"""The key of a files message's payload naming the message whose files it uploads."""


def payload_at_send(ctx: ServiceContext, message: ClaimedMessage) -> Mapping[str, Any]:
    if message.kind == HOME_KIND:
        return home_payload(ctx, message.team_id, message.channel_id)
    owner_id = message.payload.get(FILES_OF)
    if message.kind == FILES_KIND and isinstance(owner_id, int):
        return {"files": _files_of(ctx, message.team_id, owner_id)}
    return message.payload


def _files_of(ctx: ServiceContext, team_id: str, message_id: int) -> list[Any]:
    with ctx.db.transaction() as session:
        payload = OutboxRepository(session, team_id).payload_of(message_id)
    if payload is None:  # cannot happen while rows are kept; retried, then failed, if it does
        raise LookupError(f"outbox message {message_id}, whose files these are, is gone")
    return files_of(payload)


def payload_to_send(payload: Mapping[str, Any], *, late: bool) -> dict[str, Any]:
    """The payload with its late note only when the message is late, and without the files its
    reply carries (they follow, see the module docstring)."""
    sent = {key: value for key, value in payload.items() if late or key not in LATE_NOTE_KEYS}
    reply = sent.get("reply")
    if isinstance(reply, Mapping) and reply.get("files"):
        sent["reply"] = {**reply, "files": []}
    return sent


def files_of(payload: Mapping[str, Any]) -> list[Any]:
    """The files a reply's payload carries, as stored (none for any other payload)."""
    reply = payload.get("reply")
    files = reply.get("files") if isinstance(reply, Mapping) else None
    return list(files) if files else []


def enqueue_files(session: Session, message: ClaimedMessage, *, now: datetime) -> None:
    """Called in the transaction that marks `message` sent when its files did not go with it:
    a message of their own, due at `now`."""
    if not files_of(message.payload):
        return
    OutboxRepository(session, message.team_id).enqueue_only(
        kind=FILES_KIND,
        dedupe_key=f"{message.dedupe_key}:files",
        channel_id=message.channel_id,
        due_at=now,
        payload={FILES_OF: message.id},
    )
