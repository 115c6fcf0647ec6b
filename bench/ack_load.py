"""The ack bench's load: simulated Slack delivery channels sending signed ``/smm help``.

Each client keeps one keep-alive connection (``http.client``) to one target, primes it with one
unmeasured request, then all clients start together. Every request is signed freshly
(timestamp now) and carries its own response_url.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.ack_mock import MockProcess
from tests.support.app_process import SIGNING_SECRET
from tests.support.slack_requests import sign, slash_command_body

EVENTS_PATH = "/slack/events"
COMMAND_TEXT = "help"
REQUEST_TIMEOUT = 10.0  # seconds; a hung request counts as a failure, not a hang
MAX_FAILURE_EXAMPLES = 10


@dataclass
class Failures:
    """Every failed request is counted; a few are kept as examples for the report."""

    count: int = 0
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, what: str) -> None:
        with self.lock:
            self.count += 1
            if len(self.examples) < MAX_FAILURE_EXAMPLES:
                self.examples.append(what)


@dataclass
class Phase:
    target: str
    kind: str  # "warmup" or "measure"
    requests: int  # measured (or warm-up) requests sent, priming excluded
    seconds: float
    latencies_ms: list[float]
    sent: int = 0  # requests sent, priming included
    server_cpu_ms: float = math.nan  # CPU the target used, up to its last lazy answer
    mock_cpu_ms: float = math.nan  # CPU the Slack API mock used (the app's calls to "Slack")


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process so far (Linux /proc); NaN where unavailable."""
    if pid is None:
        return math.nan
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return math.nan
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is fields[0]
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


class Client:
    """One simulated Slack delivery channel: a keep-alive connection to one target."""

    def __init__(
        self, target: str, base_url: str, mock: MockProcess, user_id: str, failures: Failures
    ) -> None:
        host_port = base_url.removeprefix("http://")
        host, port = host_port.rsplit(":", 1)
        self.host, self.port = host, int(port)
        self.mock = mock
        self.user_id = user_id
        self.failures = failures
        self.target = target
        self.sent = 0
        self.answered_inline = 0  # acks that carried the answer itself (no response_url post)
        self.conn: http.client.HTTPConnection | None = None

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn = conn
        return conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(self, scheduled: float | None = None) -> float | None:
        """One signed `/smm help`; the ack latency in ms, or None (failure recorded).

        With ``scheduled`` (a ``perf_counter`` time, open-loop mode) latency counts from then
        if the request goes out late, so waiting for the server is never silently left out.
        """
        body = slash_command_body(
            COMMAND_TEXT, response_url=self.mock.response_url(), user_id=self.user_id
        ).encode()
        headers = sign(body.decode(), SIGNING_SECRET)  # timestamp: now
        self.sent += 1
        try:
            conn = self.conn or self.connect()  # reconnects after a failure
            started = time.perf_counter()
            conn.request("POST", EVENTS_PATH, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.failures.add(f"{self.target}: {type(error).__name__}: {error}")
            self.close()  # the next request reconnects
            return None
        if scheduled is not None:
            started = min(started, scheduled)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        if response.status != 200:
            snippet = payload[:200].decode(errors="replace")
            self.failures.add(f"{self.target}: HTTP {response.status} {snippet!r}")
            return None
        if b'"blocks"' in payload:
            self.answered_inline += 1
        return elapsed_ms


@dataclass(frozen=True)
class Load:
    """One phase's load: who is hit, by how many clients, and when to give up."""

    target: str
    base_url: str
    mock: MockProcess
    clients: int
    kind: str  # "warmup" or "measure"
    failures: Failures
    deadline: float
    stop: threading.Event
    rate: float | None = None


@dataclass
class _Start:
    """Every client primes its connection, then all start together at ``at``."""

    primed: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    go: threading.Event = field(default_factory=threading.Event)
    at: float = 0.0


def _work(load: Load, client: Client, index: int, count: int, start: _Start) -> list[float]:
    """One client's requests; closed loop, or scheduled ``clients / rate`` seconds apart."""
    try:
        with contextlib.suppress(OSError):
            client.connect()
        client.send()  # primes the connection and the code paths; not measured
    finally:
        start.primed.release()
    start.go.wait()
    interval = load.clients / load.rate if load.rate else 0.0
    first = start.at + index * interval / load.clients
    latencies: list[float] = []
    for number in range(count):
        if load.stop.is_set():
            break
        if time.monotonic() > load.deadline:
            load.failures.add(f"{load.target}: time budget exhausted, request not sent")
            continue
        scheduled = None
        if interval:
            scheduled = first + number * interval
            load.stop.wait(max(0.0, scheduled - time.perf_counter()))
        latency = client.send(scheduled)
        if latency is not None:
            latencies.append(latency)
    return latencies


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        while thread.is_alive():  # short waits keep Ctrl-C responsive
            thread.join(timeout=0.2)


def run_phase(load: Load, per_client: list[int]) -> tuple[Phase, int]:
    """All clients connect, send one unmeasured request, then start together.

    Closed loop (``rate`` None): each client sends its next request as soon as the previous
    one was acknowledged. Open loop: requests are scheduled at ``rate`` per second in total,
    spread evenly over the clients.
    Returns the phase and how many requests (priming included) still owe an answer through
    their response_url: those whose acknowledgement did not carry the answer itself.
    """
    start = _Start()
    made = [
        Client(load.target, load.base_url, load.mock, f"UBENCH{i:03d}", load.failures)
        for i in range(load.clients)
    ]
    latencies: list[list[float]] = [[] for _ in made]

    def work(index: int) -> None:
        latencies[index] = _work(load, made[index], index, per_client[index], start)

    threads = [
        threading.Thread(target=work, args=(i,), name=f"{load.target}-{i}", daemon=True)
        for i in range(load.clients)
    ]
    for thread in threads:
        thread.start()
    for _ in threads:
        while not start.primed.acquire(timeout=0.2):  # short waits keep Ctrl-C responsive
            pass
    started = start.at = time.perf_counter()
    start.go.set()
    _join(threads)
    seconds = time.perf_counter() - started
    for client in made:
        client.close()
    pooled = [value for values in latencies for value in values]
    phase = Phase(load.target, load.kind, sum(per_client), seconds, pooled)
    phase.sent = sum(client.sent for client in made)
    return phase, phase.sent - sum(client.answered_inline for client in made)


def split(total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` as evenly as possible."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
