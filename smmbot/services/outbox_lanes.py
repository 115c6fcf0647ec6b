"""One sweep's concurrency: a lane of claimed messages per channel, served by a thread pool.

Why this shape: Slack takes about one message a second per channel but many channels at once,
so throughput comes from serving many channels in parallel while each channel's messages go one
after another, in due order, spaced by the pacer. A thread per channel would keep hundreds of
threads asleep; instead the sweep's own thread runs a loop that hands the head message of every
lane whose pacer allows it to a pool of `concurrency` threads, so a thread is busy only while a
message is really being handled, and a lane never has two messages in flight.

The loop keeps the lanes it could start in a heap keyed by when their pacer lets their head
message go: a lane is in it while it has messages and none in flight, and its key stays right
because a channel's pacer moves only when one of its messages finishes, which is when its lane
goes back in (the one exception, a message that keeps the spacing claimed ahead of a head that
does not, is caught when the lane comes out early). So a pass stops at the first lane not ready
yet and costs O(log channels) a message it starts, not a look at every lane.

The loop also looks after the claims: it claims more rows every `poll_interval` (at once when a
claim came back full), renews the leases of the rows it holds every `renew_every`, and checks,
before a message is handed over, that its lease has at least `send_margin` left, so that no send
can still be running when the lease ends and another process may take the row over. A message
that fails the check, or whose renewal came back without it, is forgotten unsent ("lost"): its
lease ending is exactly what lets the process that now owns it send it once.

The sweep ends when a claim finds nothing and nothing is held, or when `stop` is set; then every
message not yet started is released at once (a shutdown does not leave claims waiting out their
lease) and the messages in flight finish before `run` returns.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from smmbot.domain.outbox import ChannelPacer

log = logging.getLogger(__name__)


class Claimed(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def channel_id(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...


M = TypeVar("M", bound=Claimed)


@dataclass(frozen=True)
class Attempt:
    """What handling a message did to its channel: was Slack called (the channel's spacing
    starts when the call ended), and did Slack ask the channel to rest longer."""

    called_slack: bool
    retry_after: float | None = None


def _every_message_spaced(_message: object) -> bool:
    return True


@dataclass(frozen=True)
class LaneHooks(Generic[M]):
    """The database and Slack side of a sweep, each call its own transaction or request.
    `spaced`: whether a message keeps its channel's spacing (see `ChannelPacer`)."""

    claim: Callable[[], Sequence[M]]
    handle: Callable[[M], Attempt]
    renew: Callable[[Collection[int]], Collection[int]]
    release: Callable[[Collection[int]], object]
    spaced: Callable[[M], bool] = _every_message_spaced


@dataclass(frozen=True)
class LaneSettings:
    concurrency: int
    batch: int
    poll_interval: float
    lease: float
    renew_every: float
    send_margin: float


@dataclass(frozen=True)
class LaneCounts:
    claimed: int
    released: int
    lost: int


class Lanes(Generic[M]):
    """Runs one sweep; see the module docstring. `clock` is monotonic seconds."""

    def __init__(
        self,
        hooks: LaneHooks[M],
        settings: LaneSettings,
        *,
        pacer: ChannelPacer,
        stop: threading.Event,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._hooks = hooks
        self._settings = settings
        self._pacer = pacer
        self._stop = stop
        self._clock = clock
        self._cond = threading.Condition()
        self._changed = False  # a message finished since the loop last looked
        self._lanes: dict[str, list[M]] = {}
        self._busy: set[str] = set()
        # (ready_at, order, channel) of the lanes with messages and none in flight; `_startable`
        # is the same channels, so that none is pushed twice. `order` keeps ties first come.
        self._ready: list[tuple[float, int, str]] = []
        self._startable: set[str] = set()
        self._order = itertools.count()
        self._deadline: dict[int, float] = {}  # held message id -> when its lease may end
        self._claimed = self._released = self._lost = 0

    def run(self) -> LaneCounts:
        self._pacer.forget_before(self._clock())
        with ThreadPoolExecutor(self._settings.concurrency, thread_name_prefix="outbox") as pool:
            try:
                self._loop(pool)
            finally:
                self._release_queued()
        return LaneCounts(claimed=self._claimed, released=self._released, lost=self._lost)

    def _loop(self, pool: ThreadPoolExecutor) -> None:
        settings = self._settings
        next_claim = self._clock()
        next_renew = next_claim + settings.renew_every
        while not self._stop.is_set():
            now = self._clock()
            if now >= next_renew:
                self._renew(now)
                next_renew = now + settings.renew_every
            if now >= next_claim:
                with self._cond:
                    held = bool(self._deadline)
                found = self._claim(now)
                with self._cond:
                    # a send that finished during the claim may have queued a follow-up (a
                    # digest's files) the claim did not see: only a claim begun idle ends it
                    if not found and not held and not self._deadline:
                        return
                full = found >= settings.batch
                next_claim = now if full else self._clock() + settings.poll_interval
            with self._cond:
                wake = min(next_claim, next_renew, self._start_ready(pool))
                if not self._changed:
                    self._cond.wait(max(0.0, wake - self._clock()))
                self._changed = False

    def _claim(self, started: float) -> int:
        rows = self._hooks.claim()
        with self._cond:
            for row in rows:
                if row.id not in self._deadline:  # not ours already (a lease we let expire)
                    lane = self._lanes.setdefault(row.channel_id, [])
                    bisect.insort(lane, row, key=lambda queued: (queued.due_at, queued.id))
                    self._schedule(row.channel_id)
                self._deadline[row.id] = started + self._settings.lease
            self._claimed += len(rows)
        return len(rows)

    def _renew(self, started: float) -> None:
        with self._cond:
            ids = list(self._deadline)
        try:
            held = set(self._hooks.renew(ids))
        except Exception:
            log.exception("could not renew %d outbox claim(s); they may be given up", len(ids))
            return
        lost = set(ids) - held
        with self._cond:
            for message_id in held & self._deadline.keys():
                self._deadline[message_id] = started + self._settings.lease
            for channel, lane in list(self._lanes.items()):
                for message in [m for m in lane if m.id in lost]:
                    self._forget(lane, message, "another process took it over")
                if not lane:  # a lane in the heap is dropped when it comes out
                    del self._lanes[channel]

    def _schedule(self, channel: str) -> None:
        """Puts a lane that can take its next message in the heap, unless it is there or busy."""
        if channel not in self._busy and channel not in self._startable:
            self._startable.add(channel)
            entry = (self._head_ready_at(channel), next(self._order), channel)
            heapq.heappush(self._ready, entry)

    def _head_ready_at(self, channel: str) -> float:
        lane = self._lanes.get(channel)
        spaced = self._hooks.spaced(lane[0]) if lane else True
        return self._pacer.ready_at(channel, spaced=spaced)

    def _start_ready(self, pool: ThreadPoolExecutor) -> float:
        """Hands ready lanes' next messages to the pool; returns when the next lane is ready.

        A lane whose head message was forgotten goes back in the heap after the pass (the loop
        comes back at once), so that a pass takes at most one message from each lane."""
        now = self._clock()
        wake = float("inf")
        passed: list[str] = []
        while self._ready:
            ready_at, _, channel = self._ready[0]
            if ready_at > now:
                wake = min(wake, ready_at)
                break
            if len(self._busy) >= self._settings.concurrency:
                break  # a finishing message wakes the loop
            heapq.heappop(self._ready)
            self._startable.discard(channel)
            lane = self._lanes.get(channel)
            if not lane:  # its messages were lost since it went in
                continue
            if self._head_ready_at(channel) > now:  # a spaced message came in ahead of its head
                self._schedule(channel)
                continue
            message = lane.pop(0)
            if not lane:
                del self._lanes[channel]
            if now + self._settings.send_margin > self._deadline[message.id]:
                self._forget(None, message, "its claim could end mid-send")
                passed.append(channel)
                wake = now
                continue
            self._busy.add(channel)
            pool.submit(self._work, message)
        for channel in passed:
            if channel in self._lanes:
                self._schedule(channel)
        return wake

    def _forget(self, lane: list[M] | None, message: M, why: str) -> None:
        if lane is not None:
            lane.remove(message)
        self._deadline.pop(message.id, None)
        self._lost += 1
        log.warning("outbox message %d not sent by this process: %s", message.id, why)

    def _work(self, message: M) -> None:
        try:
            attempt = self._hooks.handle(message)
        except Exception:
            log.exception(
                "outbox message %d: its outcome was not recorded; it is retried once its "
                "claim ends",
                message.id,
            )
            attempt = Attempt(called_slack=True)
        finished = self._clock()
        with self._cond:
            channel = message.channel_id
            self._busy.discard(channel)
            self._deadline.pop(message.id, None)
            if attempt.called_slack:
                self._pacer.finished(channel, finished)
            if attempt.retry_after:
                self._pacer.pause(channel, finished + attempt.retry_after)
            if channel in self._lanes:
                self._schedule(channel)
            self._changed = True
            self._cond.notify()

    def _release_queued(self) -> None:
        with self._cond:
            queued = [message.id for lane in self._lanes.values() for message in lane]
            self._lanes.clear()
            for message_id in queued:
                self._deadline.pop(message_id, None)
        if not queued:
            return
        try:
            self._hooks.release(queued)
        except Exception:
            log.exception("could not release %d outbox claim(s); their lease ends", len(queued))
            return
        self._released += len(queued)
