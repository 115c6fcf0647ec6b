"""Job bodies the scheduler runs on every tick; each calls one service.

`OutboxSweep` delivers due outbox messages. One instance lives as long as the process: it keeps
the per-channel pacer across sweeps (a channel that got a message at the end of one sweep is
still paced at the start of the next) and the stop signal that makes a running sweep release
what it has not started, so a SIGTERM neither waits for a long backlog nor leaves claims behind.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading

from smmbot.domain.outbox import ChannelPacer
from smmbot.services.context import ServiceContext
from smmbot.services.outbox import DeliveryOptions, MessageSender, deliver_due

log = logging.getLogger(__name__)


def new_worker_id() -> str:
    """Names this process in claims: host and pid for people, a random part for pid reuse."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


class OutboxSweep:
    def __init__(
        self,
        *,
        ctx: ServiceContext,
        sender: MessageSender,
        worker_id: str,
        options: DeliveryOptions | None = None,
    ) -> None:
        self._ctx = ctx
        self._sender = sender
        self.worker_id = worker_id
        self._options = options or DeliveryOptions()
        self._pacer = ChannelPacer(self._options.spacing)
        self._stop = threading.Event()

    def __call__(self) -> None:
        report = deliver_due(
            ctx=self._ctx,
            sender=self._sender,
            worker_id=self.worker_id,
            options=self._options,
            pacer=self._pacer,
            stop=self._stop,
        )
        if report.claimed:
            log.info("outbox sweep: %s", report)

    def stop(self) -> None:
        """Ends a running sweep soon (in-flight sends finish) and keeps new ones from working."""
        self._stop.set()

    def __repr__(self) -> str:
        return f"OutboxSweep({self.worker_id})"
