"""What the delivery engine (`services.outbox`) asks of the world outside it: a sender that
posts a message and, when it can, a lookup that finds one already posted; and its knobs.

Kept apart from the engine so that the engine's modules (the sweep, one message's handling,
the lanes) and the adapters that implement these ports (`slack.notifier`, `console.delivery`)
all import them from one place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from smmbot.domain.outbox import LATE_AFTER, SLACK_SPACING, Backoff


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
        """Posts the payload for the workspace `team_id`; returns the message ts. For a sender
        that is a `PostedLookup` too, the payload's `outbox_id` names its row: a post carries
        it (as Slack message metadata) so that it can be found later.

        Raises RetryLater or PermanentSendError (WorkspaceNotInstalledError among them).
        """
        ...


@runtime_checkable
class PostedLookup(Protocol):
    """A sender that can tell whether a message was posted after all (Slack: its metadata)."""

    def find_posted(
        self,
        team_id: str,
        channel_id: str,
        payload: Mapping[str, Any],
        *,
        outbox_id: int,
        since: datetime,
    ) -> str | None:
        """The ts of the channel's message posted for `outbox_id` since `since`, else None
        (None too for a payload that cannot have been posted twice, such as an edit).

        Raises RetryLater (Slack busy) or PermanentSendError (it cannot look: no scope…).
        """
        ...


@runtime_checkable
class BatchPreparer(Protocol):
    """A sender that gets ready for a claimed batch's workspaces at once (Slack: their bot
    tokens in one lookup) rather than message by message."""

    def prepare(self, team_ids: Collection[str]) -> None:
        """Called with the workspaces of the messages just claimed, before any is sent; a
        failure here costs nothing but the saving: each send still does its own lookup."""
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
    takeover_grace: timedelta = timedelta(seconds=12)  # > the sender's timeout; see outbox_lanes
    backoff: Backoff = field(default_factory=Backoff)
    late_after: timedelta = LATE_AFTER
