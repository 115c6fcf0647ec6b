"""What the outbox sends of a stored payload: the late note only when the message is late, and a
reply's files (the weekly digest's chart) after it, as an outbox message of their own.

Why the files go separately: an upload is three calls (files.getUploadURLExternal, the upload,
files.completeUploadExternal) with rate limits of their own. Sent in the same attempt as the
message, a rate-limited upload could only be dropped, since retrying the attempt would post the
message twice. So the message is sent without its files, and the transaction that records it
sent also enqueues them (kind `files`, payload `{"files": [...]}`, key `<message key>:files`):
from then on they are claimed, paced, retried on 429 and recorded like any message, exactly
once, and always after the message they belong to.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from smmbot.persistence.models import OutboxMessage
from smmbot.persistence.outbox_repository import OutboxRepository

LATE_NOTE_KEYS: Final = ("late_note", "late_blocks")
FILES_KIND: Final = "files"
"""The kind of the message that uploads another message's files."""


def payload_to_send(payload: Mapping[str, Any], *, late: bool) -> dict[str, Any]:
    """The payload with its late note only when the message is late, and without the files its
    reply carries (they follow, see `enqueue_files`)."""
    sent = {key: value for key, value in payload.items() if late or key not in LATE_NOTE_KEYS}
    reply = sent.get("reply")
    if isinstance(reply, Mapping) and reply.get("files"):
        sent["reply"] = {**reply, "files": []}
    return sent


def enqueue_files(session: Session, message: OutboxMessage, *, now: datetime) -> None:
    """Called in the transaction that marks `message` sent: its reply's files, due now."""
    reply = message.payload.get("reply")
    files = reply.get("files") if isinstance(reply, Mapping) else None
    if not files:
        return
    OutboxRepository(session, message.team_id).enqueue(
        kind=FILES_KIND,
        dedupe_key=f"{message.dedupe_key}:files",
        channel_id=message.channel_id,
        due_at=now,
        payload={"files": list(files)},
    )
