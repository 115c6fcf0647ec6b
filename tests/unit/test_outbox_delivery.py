"""Delivery rules (timeliness, backoff, pacing) and the per-channel lanes that apply them."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from smmbot.domain.outbox import Backoff, ChannelPacer, Timeliness, timeliness
from smmbot.services.outbox_lanes import Attempt, LaneHooks, Lanes, LaneSettings

DUE = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent_after", "drop_after", "expected"),
    [
        (timedelta(0), None, Timeliness.ON_TIME),
        (timedelta(minutes=15), None, Timeliness.ON_TIME),
        (timedelta(minutes=15, seconds=1), None, Timeliness.LATE),
        (timedelta(hours=3), None, Timeliness.LATE),
        (timedelta(minutes=10), timedelta(minutes=10), Timeliness.ON_TIME),
        (timedelta(minutes=10, seconds=1), timedelta(minutes=10), Timeliness.POINTLESS),
        (timedelta(minutes=30), timedelta(hours=1), Timeliness.LATE),
        (timedelta(hours=1, seconds=1), timedelta(hours=1), Timeliness.POINTLESS),
    ],
)
def test_timeliness(
    sent_after: timedelta, drop_after: timedelta | None, expected: Timeliness
) -> None:
    drop = DUE + drop_after if drop_after is not None else None
    assert timeliness(now=DUE + sent_after, due_at=DUE, drop_after=drop) is expected


def test_backoff_doubles_from_one_second_up_to_fifteen_minutes() -> None:
    backoff = Backoff()
    delays = [backoff.delay(attempt) for attempt in range(1, 13)]
    assert delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert backoff.delay(10_000) == 900


def test_backoff_honours_a_longer_retry_after_only() -> None:
    backoff = Backoff()
    assert backoff.delay(1, retry_after=0.5) == 1
    assert backoff.delay(1, retry_after=30.0) == 30
    assert backoff.delay(9, retry_after=3600.0) == 3600


def test_backoff_gives_up_at_the_eleventh_attempt_after_about_seventeen_minutes() -> None:
    backoff = Backoff()
    assert not backoff.gives_up(10)
    assert backoff.gives_up(11)
    assert sum(backoff.delay(attempt) for attempt in range(1, 11)) == 1023


def test_pacer_spaces_from_the_end_of_the_previous_request() -> None:
    pacer = ChannelPacer(spacing=1.0)
    assert pacer.ready_at("C1") == float("-inf")
    pacer.finished("C1", 10.0)
    assert pacer.ready_at("C1") == 11.0
    assert pacer.ready_at("C2") == float("-inf")


def test_pacer_pause_extends_but_never_shortens() -> None:
    pacer = ChannelPacer(spacing=1.0)
    pacer.finished("C1", 10.0)
    pacer.pause("C1", 30.0)
    assert pacer.ready_at("C1") == 30.0
    pacer.pause("C1", 12.0)
    pacer.finished("C1", 10.5)
    assert pacer.ready_at("C1") == 30.0


def test_a_message_that_keeps_no_spacing_still_keeps_a_pause() -> None:
    pacer = ChannelPacer(spacing=1.0)
    pacer.finished("C1", 10.0)
    assert pacer.ready_at("C1", spaced=False) == float("-inf")
    pacer.pause("C1", 30.0)
    assert (pacer.ready_at("C1"), pacer.ready_at("C1", spaced=False)) == (30.0, 30.0)
    pacer.finished("C1", 31.0)
    assert (pacer.ready_at("C1"), pacer.ready_at("C1", spaced=False)) == (32.0, 30.0)
    pacer.forget_before(31.0)
    assert pacer.ready_at("C1", spaced=False) == float("-inf")


def test_pacer_forgets_channels_that_are_ready_anyway() -> None:
    pacer = ChannelPacer(spacing=1.0)
    pacer.finished("C1", 10.0)
    pacer.finished("C2", 20.0)
    pacer.forget_before(15.0)
    assert pacer.ready_at("C1") == float("-inf")
    assert pacer.ready_at("C2") == 21.0


@dataclass(frozen=True)
class Message:
    id: int
    channel_id: str
    due_at: datetime


class Source:
    """Claims come from a list, sends are timed (monotonic start and end) per channel."""

    def __init__(self, messages: Sequence[Message], *, claim_size: int = 100) -> None:
        self.pending = list(messages)
        self.claim_size = claim_size
        self.sends: list[tuple[Message, float, float]] = []
        self.released: list[int] = []
        self.attempts: dict[int, Attempt] = {}
        self.on_send: threading.Event | None = None
        self.unspaced: set[int] = set()
        self.lock = threading.Lock()

    def claim(self) -> Sequence[Message]:
        taken, self.pending = self.pending[: self.claim_size], self.pending[self.claim_size :]
        return taken

    def handle(self, message: Message) -> Attempt:
        started = time.monotonic()
        time.sleep(0.002)
        with self.lock:
            self.sends.append((message, started, time.monotonic()))
        if self.on_send is not None:
            self.on_send.set()
        return self.attempts.get(message.id, Attempt(called_slack=True))

    def renew(self, ids: Collection[int]) -> Collection[int]:
        return ids

    def release(self, ids: Collection[int]) -> None:
        self.released.extend(ids)

    def hooks(self) -> LaneHooks[Message]:
        return LaneHooks(
            claim=self.claim,
            handle=self.handle,
            renew=self.renew,
            release=self.release,
            spaced=lambda message: message.id not in self.unspaced,
        )


def settings(**overrides: float) -> LaneSettings:
    values: dict[str, float] = {
        "concurrency": 8,
        "batch": 100,
        "poll_interval": 0.01,
        "lease": 60.0,
        "renew_every": 15.0,
        "send_margin": 5.0,
    }
    values.update(overrides)
    return LaneSettings(
        concurrency=int(values["concurrency"]),
        batch=int(values["batch"]),
        poll_interval=values["poll_interval"],
        lease=values["lease"],
        renew_every=values["renew_every"],
        send_margin=values["send_margin"],
    )


def messages(channels: int, per_channel: int) -> list[Message]:
    """Channel by channel, later ones first, so the lanes must restore due order."""
    return [
        Message(c * 100 + n, f"C{c}", DUE + timedelta(seconds=n))
        for c in range(channels)
        for n in reversed(range(per_channel))
    ]


def run(source: Source, *, spacing: float, stop: threading.Event | None = None) -> None:
    Lanes(
        source.hooks(), settings(), pacer=ChannelPacer(spacing), stop=stop or threading.Event()
    ).run()


def test_each_channel_is_paced_and_in_due_order_while_channels_run_in_parallel() -> None:
    spacing = 0.05
    source = Source(messages(channels=6, per_channel=4))
    started = time.monotonic()
    run(source, spacing=spacing)
    elapsed = time.monotonic() - started
    assert len(source.sends) == 24
    for channel in {message.channel_id for message, _, _ in source.sends}:
        sends = [(m, s, e) for m, s, e in source.sends if m.channel_id == channel]
        assert [m.due_at for m, _, _ in sends] == sorted(m.due_at for m, _, _ in sends)
        for (_, _, previous_end), (_, start, _) in itertools.pairwise(sends):
            assert start - previous_end >= spacing * 0.99
    # 6 channels x 4 messages one after another would take 24 spacings; in parallel, about 3.
    assert elapsed < 12 * spacing


def test_a_rate_limited_channel_rests_for_retry_after_and_the_others_do_not() -> None:
    source = Source(messages(channels=2, per_channel=2))
    source.attempts[0] = Attempt(called_slack=True, retry_after=0.3)  # C0's first (due first)
    run(source, spacing=0.01)
    c0 = [(s, e) for m, s, e in source.sends if m.channel_id == "C0"]
    c1 = [(s, e) for m, s, e in source.sends if m.channel_id == "C1"]
    assert c0[1][0] - c0[0][1] >= 0.3 * 0.99
    assert c1[1][0] - c1[0][1] < 0.2


def test_stopping_releases_what_was_not_started() -> None:
    source = Source(messages(channels=1, per_channel=5))
    stop = threading.Event()
    source.on_send = stop
    run(source, spacing=10.0, stop=stop)
    assert len(source.sends) == 1
    assert sorted(source.released) == [1, 2, 3, 4]


def test_a_message_whose_lease_could_end_mid_send_is_not_sent() -> None:
    source = Source(messages(channels=1, per_channel=1))
    lanes = Lanes(
        source.hooks(),
        settings(lease=1.0, send_margin=2.0),
        pacer=ChannelPacer(0.0),
        stop=threading.Event(),
    )
    counts = lanes.run()
    assert source.sends == []
    assert counts.lost == 1
    assert counts.claimed == 1


def test_claims_lost_to_another_process_are_not_sent() -> None:
    source = Source(messages(channels=1, per_channel=3))
    source.renew = lambda ids: [i for i in ids if i != 2]  # type: ignore[method-assign]
    lanes = Lanes(
        source.hooks(),
        settings(renew_every=0.0),
        pacer=ChannelPacer(0.05),
        stop=threading.Event(),
    )
    counts = lanes.run()
    assert sorted(message.id for message, _, _ in source.sends) == [0, 1]
    assert counts.lost == 1


def test_lanes_refilled_while_busy_still_send_one_message_at_a_time() -> None:
    """Claims of one row at a time refill lanes while their message is in flight, the case
    where a lane must not be offered again before its send finishes."""
    source = Source(messages(channels=3, per_channel=4), claim_size=1)
    counts = Lanes(
        source.hooks(),
        settings(concurrency=2, poll_interval=0.0),
        pacer=ChannelPacer(0.0),
        stop=threading.Event(),
    ).run()
    assert counts.claimed == 12
    assert len(source.sends) == 12
    for channel in ("C0", "C1", "C2"):
        sends = [(m, s, e) for m, s, e in source.sends if m.channel_id == channel]
        assert len(sends) == 4
        for (_, _, previous_end), (_, start, _) in itertools.pairwise(sends):
            assert start >= previous_end
    moments = sorted([(s, 1) for _, s, _ in source.sends] + [(e, -1) for _, _, e in source.sends])
    assert max(itertools.accumulate(step for _, step in moments)) <= 2


def gaps(source: Source, channel: str) -> list[float]:
    sends = [(start, end) for message, start, end in source.sends if message.channel_id == channel]
    return [start - previous_end for (_, previous_end), (start, _) in itertools.pairwise(sends)]


def test_a_message_that_keeps_no_spacing_follows_at_once_and_the_next_post_is_spaced() -> None:
    """A digest's files (not a post) go right after its message; the post after them waits."""
    source = Source(messages(channels=1, per_channel=3))
    source.unspaced = {1}
    run(source, spacing=0.3)
    assert [message.id for message, _, _ in source.sends] == [0, 1, 2]
    follow, next_post = gaps(source, "C0")
    assert follow < 0.2 <= 0.3 * 0.99 <= next_post


def test_a_spaced_message_claimed_ahead_of_an_unspaced_head_keeps_its_spacing() -> None:
    """A post due earlier than the files claimed with it becomes its lane's head after the lane
    went into the heap for the files: it must still wait out the spacing after the first post."""
    first, files, earlier = (
        Message(n, "C0", DUE + timedelta(seconds=due)) for n, due in ((0, 0), (1, 5), (2, 2))
    )
    source = Source([])
    source.unspaced = {1}
    source.on_send = threading.Event()
    batches = iter([[first], [files, earlier]])

    def claim() -> list[Message]:
        batch = next(batches, [])
        if files in batch:  # once the first post has been sent
            assert source.on_send is not None and source.on_send.wait(5)
            time.sleep(0.01)
        return batch

    source.claim = claim  # type: ignore[method-assign]
    run(source, spacing=0.3)
    assert [message.id for message, _, _ in source.sends] == [0, 2, 1]
    assert gaps(source, "C0")[0] >= 0.3 * 0.99
