"""The rules of delivering due messages, apart from any clock, thread or database.

- Timeliness: a message sent more than 15 minutes after it was due says so (the bot was down or
  Slack refused it for a while); a message past its `drop_after` moment (a "due in 1 hour"
  reminder after the post itself was due) would only confuse, so it is dropped.
- Backoff: a failed send waits 1 s, 2 s, 4 s … (at most 15 minutes) before the next attempt,
  longer when Slack's Retry-After asks for longer, and gives up after 11 attempts.
- Pacing: Slack allows about one chat.postMessage per second per channel. `ChannelPacer` keeps,
  per channel, the earliest moment the next message may start, counted from when the previous
  request *finished*: the previous request reached Slack before its answer came back, so Slack
  sees the two at least `spacing` apart however the network delays either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

LATE_AFTER: Final = timedelta(minutes=15)
SLACK_SPACING: Final = 1.0  # seconds between two messages to one channel (Slack's tier "special")

HOME_KIND: Final = "home"
"""A member's App Home to publish (views.publish); its `channel_id` is the member's user id.
Unlike every other kind it is queued without content and rendered when it is sent, from the
state then: a publish still waiting already shows any later change, so the changes queued
while it waits share it rather than each queueing one more."""


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    POINTLESS = "pointless"


def timeliness(
    *,
    now: datetime,
    due_at: datetime,
    drop_after: datetime | None,
    late_after: timedelta = LATE_AFTER,
) -> Timeliness:
    if drop_after is not None and now > drop_after:
        return Timeliness.POINTLESS
    if now - due_at > late_after:
        return Timeliness.LATE
    return Timeliness.ON_TIME


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff in seconds: `base`, `base*factor`, … capped at `cap`.

    A first retry after a second, as Slack's own SDK retries a server error, so a 503 costs a
    reminder a second and not five (a 429 waits as long as its Retry-After says); eleven
    attempts keep trying for about seventeen minutes, through a short Slack incident."""

    base: float = 1.0
    factor: float = 2.0
    cap: float = 15 * 60.0
    max_attempts: int = 11

    def delay(self, failed_attempts: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the `failed_attempts`-th failure (1 for the first)."""
        exponent = min(max(failed_attempts - 1, 0), 64)  # 2**64 s is far past any cap
        delay = min(self.cap, self.base * self.factor**exponent)
        return max(delay, retry_after or 0.0)

    def gives_up(self, failed_attempts: int) -> bool:
        return failed_attempts >= self.max_attempts


class ChannelPacer:
    """When each channel may get its next message, in the caller's monotonic seconds.

    Not thread-safe: the delivery engine calls it under its own lock. It outlives one sweep, so
    a channel that just got a message at the end of one sweep is still paced in the next.
    Two reasons to wait are kept apart: the spacing after a post (chat.postMessage's pace of
    about one a second per channel), which a message that is not a post (a digest's files,
    uploaded by methods with limits of their own) need not keep, and a pause Slack asked for
    (a 429's Retry-After), which every message to the channel keeps.
    """

    def __init__(self, spacing: float = SLACK_SPACING) -> None:
        if spacing < 0:
            raise ValueError("spacing must not be negative")
        self.spacing = spacing
        self._ready: dict[str, float] = {}
        self._paused: dict[str, float] = {}

    def ready_at(self, channel: str, *, spaced: bool = True) -> float:
        """The earliest start for the channel's next message (-inf: any time); `spaced=False`
        for one that keeps only a pause."""
        if spaced:
            return self._ready.get(channel, float("-inf"))
        return self._paused.get(channel, float("-inf"))

    def finished(self, channel: str, at: float) -> None:
        """A request to the channel finished at `at` (whatever Slack answered)."""
        self._ready[channel] = max(self.ready_at(channel), at + self.spacing)

    def pause(self, channel: str, until: float) -> None:
        """Slack said "rate limited": nothing more to this channel before `until`."""
        self._ready[channel] = max(self.ready_at(channel), until)
        self._paused[channel] = max(self.ready_at(channel, spaced=False), until)

    def forget_before(self, now: float) -> None:
        """Drop channels that are ready anyway, so memory does not grow with every channel seen."""
        self._ready = {channel: at for channel, at in self._ready.items() if at > now}
        self._paused = {channel: at for channel, at in self._paused.items() if at > now}


OUTBOX_EVENT: Final = "smmbot_outbox"
"""`metadata.event_type` of a posted outbox message that carries no workflow event."""


def with_outbox_id(metadata: Mapping[str, Any] | None, outbox_id: int) -> dict[str, Any]:
    """The message metadata a post goes out with, naming its outbox row, so that a send whose
    outcome was lost can be found in the channel (`conversations.history`) before it is
    repeated. Slack keeps one metadata event per message: a workflow event (see
    `domain.workflows`) keeps its type and gains `outbox_id` in its payload."""
    if metadata is None:
        return {"event_type": OUTBOX_EVENT, "event_payload": {"outbox_id": outbox_id}}
    payload = dict(metadata.get("event_payload") or {})
    return {**metadata, "event_payload": {**payload, "outbox_id": outbox_id}}


def carries_outbox_id(message: Mapping[str, Any], outbox_id: int) -> bool:
    """Whether a message of `conversations.history` is the post of this outbox row."""
    metadata = message.get("metadata")
    if not isinstance(metadata, Mapping):
        return False
    payload = metadata.get("event_payload")
    return isinstance(payload, Mapping) and str(payload.get("outbox_id")) == str(outbox_id)
