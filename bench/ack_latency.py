"""How long Slack waits for `/smm help` to be acknowledged, compared with a bare Bolt app.

Slack gives an app three seconds to acknowledge a slash command, and users feel every
millisecond of it, so smmbot acknowledges at once and does the work in a lazy listener. This
bench checks that the promise holds under load: 50 clients (``--clients``) each send signed
``/smm help`` requests over a keep-alive connection and time the HTTP 200 acknowledgement.

Absolute milliseconds say little: they depend on the machine, its load that minute, Python's
build. So the bench measures, in the same run and against the same Slack API mock, a *baseline*:
a bare Bolt ``App`` whose ``/smm`` listener only calls ``ack()``, with the same WebClient set-up,
signing secret, listener thread pool size and the very same server function
(``smmbot.web.server.serve_http``: uvicorn + a2wsgi with the app's default thread count). The
figure that matters is the ratio app/baseline of the p50 and p99 latencies: what smmbot adds on
top of Bolt itself (its lazy listener, database and rendering competing with the ack path, its
router). The goal is a ratio of at most 1.1.

Fairness: both targets run as child processes for the whole run and are measured in alternating
phases (ABBA order: baseline, app, app, baseline, ...), so slow drifts of machine noise hit both;
after each app phase the bench waits until the app has answered every request through its
response_url, so the app's leftover background work never lands in a baseline phase. Each phase
opens fresh keep-alive connections (``http.client``) and primes them with one unmeasured request,
so connection set-up is not what is measured; a warm-up (``--warmup`` requests per target) runs
first. Every request is signed freshly (timestamp now) and carries its own response_url.

Reading the figures: by default the load is a closed loop (each client sends its next request
as soon as the previous one was acknowledged), so the servers run flat out and latency is about
clients / throughput. The ratio then mostly compares the CPU each target spends per command,
including the app's lazy work, which shares the interpreter (and its GIL) with the ack path.
That is why the table also shows server CPU per request (and the mock's, for the app's calls
to "Slack"). ``--rate R`` switches to an open loop at R requests/s in total, the view of
traffic below saturation; latency then counts from each request's scheduled time.

The Slack API mock runs in a child process too: in this process its threads would compete with
the timing clients for the GIL only while the app runs (the baseline never calls Slack), which
would bias the ratio. Its response_urls follow ``SlackApiMock.response_url``'s form.

Run from the project root::

    .venv/bin/python -m bench.ack_latency [--clients 50] [--requests 40] [--rate R] [--json]

Exit status: 0 when every request got its 200 (whether or not the goal was met: this is a
measurement), 1 when any request failed, timed out, or was never answered via its response_url.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import logging
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from tests.support.app_process import (
    BOT_TOKEN,
    PROJECT_ROOT,
    SIGNING_SECRET,
    AppProcess,
    free_port,
)
from tests.support.slack_requests import sign, slash_command_body

GOAL = 1.1
EVENTS_PATH = "/slack/events"
COMMAND_TEXT = "help"
REQUEST_TIMEOUT = 10.0  # seconds; a hung request counts as a failure, not a hang
DRAIN_TIMEOUT = 30.0  # seconds to wait for the app's lazy answers after an app phase
STARTUP_TIMEOUT = 60.0
MAX_FAILURE_EXAMPLES = 10
APP = "app"
BASELINE = "baseline"


def default_http_threads() -> int:
    """The app's default a2wsgi thread count (``smmbot_http_threads``)."""
    from smmbot.config import Settings

    threads = Settings.model_fields["smmbot_http_threads"].default
    assert isinstance(threads, int)
    return threads


def progress(message: str) -> None:
    print(f"[ack-bench] {message}", file=sys.stderr, flush=True)


# -- child process: the Slack API mock ---------------------------------------------------------


def serve_mock() -> int:
    """Run SlackApiMock; print its URLs, answer ``stats`` lines on stdin; stop on EOF."""
    from tests.support.slack_mock import SlackApiMock

    with SlackApiMock() as slack:
        print(json.dumps({"root_url": slack.root_url, "base_url": slack.base_url}), flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                calls = slack.calls()
                counts = Counter(call.method for call in calls)
                errors = sum(1 for call in calls if call.status != 200)
                print(json.dumps({"methods": counts, "non_200": errors}), flush=True)
    return 0


class MockProcess:
    """The parent's handle on the ``--serve-mock`` child (a line protocol over stdin/stdout)."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process: subprocess.Popen[str] | None = None
        self._log: IO[bytes] | None = None
        self.root_url = ""
        self.base_url = ""
        self._responses = itertools.count(1)

    def start(self) -> MockProcess:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.ack_latency", "--serve-mock"],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            start_new_session=True,  # Ctrl-C reaches only the bench, which stops us in order
        )
        first = self._readline()
        if not first:
            raise RuntimeError(f"the Slack API mock did not start:\n{self._logs()}")
        urls = json.loads(first)
        self.root_url, self.base_url = urls["root_url"], urls["base_url"]
        return self

    def response_url(self) -> str:
        """A fresh, unique response_url, in SlackApiMock.response_url's form."""
        return f"{self.root_url}/response/ack-{next(self._responses)}"

    def stats(self) -> dict[str, Any]:
        assert self.process is not None
        assert self.process.stdin is not None
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        line = self._readline()
        if not line:
            raise RuntimeError(f"the Slack API mock died:\n{self._logs()}")
        stats: dict[str, Any] = json.loads(line)
        return stats

    def responses_received(self) -> int:
        methods: dict[str, int] = self.stats()["methods"]
        return methods.get("response_url", 0)

    def _readline(self) -> str:
        assert self.process is not None
        assert self.process.stdout is not None
        return self.process.stdout.readline()

    def _logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()  # EOF: the child stops its server and exits
        _wait_or_kill(self.process, 10.0)
        if self._log is not None:
            self._log.close()


# -- child process: the baseline Bolt app ------------------------------------------------------


def serve_baseline(port: int, api_url: str, threads: int) -> int:
    """A bare Bolt App whose `/smm` listener only acks, served exactly like smmbot."""
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    from smmbot.web.server import serve_http

    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    _exit_when_parent_goes()
    client = WebClient(token=BOT_TOKEN, base_url=api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bolt")
    app = App(
        client=client,
        signing_secret=SIGNING_SECRET,
        listener_executor=executor,
        process_before_response=False,
    )

    @app.command("/smm")
    def acknowledge(ack: Ack) -> None:
        ack()

    try:
        serve_http(SlackRequestHandler(app), host="127.0.0.1", port=port, threads=threads)
    finally:
        executor.shutdown(wait=True)
    return 0


def _exit_when_parent_goes() -> None:
    """Our stdin is a pipe from the bench: EOF means it is gone, so shut down gracefully."""

    def watch() -> None:
        sys.stdin.read()
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class BaselineProcess:
    def __init__(self, *, api_url: str, threads: int, log_path: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_url = api_url
        self.threads = threads
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> BaselineProcess:
        self._log = self.log_path.open("wb")
        command = [sys.executable, "-m", "bench.ack_latency", "--serve-baseline", str(self.port)]
        command += ["--api-url", self.api_url, "--threads", str(self.threads)]
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the baseline exited early:\n{self._logs()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"the baseline did not start listening:\n{self._logs()}")

    def _logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        _wait_or_kill(self.process, 30.0)
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        if self._log is not None:
            self._log.close()


def _wait_or_kill(process: subprocess.Popen[Any], timeout: float) -> None:
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# -- the load ----------------------------------------------------------------------------------


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


def run_phase(
    *,
    target: str,
    base_url: str,
    mock: MockProcess,
    clients: int,
    per_client: list[int],
    kind: str,
    failures: Failures,
    deadline: float,
    stop: threading.Event,
    rate: float | None = None,
) -> tuple[Phase, int]:
    """All clients connect, send one unmeasured request, then start together.

    Closed loop (``rate`` None): each client sends its next request as soon as the previous
    one was acknowledged. Open loop: requests are scheduled at ``rate`` per second in total,
    spread evenly over the clients.
    Returns the phase and how many requests (priming included) still owe an answer through
    their response_url: those whose acknowledgement did not carry the answer itself.
    """
    latencies: list[list[float]] = [[] for _ in range(clients)]
    primed = threading.Semaphore(0)
    go = threading.Event()
    go_at = [0.0]
    interval = clients / rate if rate else 0.0  # seconds between one client's requests
    made = [Client(target, base_url, mock, f"UBENCH{i:03d}", failures) for i in range(clients)]

    def work(index: int) -> None:
        client = made[index]
        try:
            with contextlib.suppress(OSError):
                client.connect()
            client.send()  # primes the connection and the code paths; not measured
        finally:
            primed.release()
        go.wait()
        first = go_at[0] + index * interval / clients
        for number in range(per_client[index]):
            if stop.is_set():
                return
            if time.monotonic() > deadline:
                failures.add(f"{target}: time budget exhausted, request not sent")
                continue
            scheduled = None
            if interval:
                scheduled = first + number * interval
                stop.wait(max(0.0, scheduled - time.perf_counter()))
            latency = client.send(scheduled)
            if latency is not None:
                latencies[index].append(latency)

    threads = [
        threading.Thread(target=work, args=(i,), name=f"{target}-{i}", daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for _ in range(clients):
        while not primed.acquire(timeout=0.2):  # short waits keep Ctrl-C responsive
            pass
    started = time.perf_counter()
    go_at[0] = started
    go.set()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.2)
    seconds = time.perf_counter() - started
    for client in made:
        client.close()
    pooled = [value for values in latencies for value in values]
    phase = Phase(target, kind, sum(per_client), seconds, pooled)
    phase.sent = sum(client.sent for client in made)
    return phase, phase.sent - sum(client.answered_inline for client in made)


def split(total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` as evenly as possible."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


# -- statistics and report ---------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, float | int]:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50),
        "p99_ms": percentile(values, 99),
        "max_ms": max(values) if values else math.nan,
        "mean_ms": sum(values) / len(values) if values else math.nan,
    }


def pooled_summary(phases: list[Phase]) -> dict[str, float | int]:
    """Latencies pooled over the phases, and CPU per request (priming requests included)."""
    sent = sum(p.sent for p in phases)
    return summary([v for p in phases for v in p.latencies_ms]) | {
        "server_cpu_ms_per_request": sum(p.server_cpu_ms for p in phases) / sent,
        "mock_cpu_ms_per_request": sum(p.mock_cpu_ms for p in phases) / sent,
    }


def phase_summary(phase: Phase) -> dict[str, float | int]:
    return pooled_summary([phase])


def ratio(app: float, baseline: float) -> float:
    return app / baseline if baseline > 0 else math.nan


def render_table(result: dict[str, Any]) -> str:
    lines = [
        f"/smm {COMMAND_TEXT} ack latency, {result['config']['clients']} concurrent clients, "
        f"{result['config']['http_threads']} server threads "
        f"({result['config']['load']})",
        f"{'target':<9} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8}"
        f" {'cpu ms/req':>10} {'mock cpu':>9}",
    ]
    for name in (BASELINE, APP):
        s = result["targets"][name]
        lines.append(
            f"{name:<9} {s['n']:>6} {s['p50_ms']:>8.2f} {s['p99_ms']:>8.2f} "
            f"{s['max_ms']:>8.2f} {s['mean_ms']:>8.2f} "
            f"{s['server_cpu_ms_per_request']:>10.2f} {s['mock_cpu_ms_per_request']:>9.2f}"
        )
    lines.append(
        "phases (in order): "
        + ", ".join(
            f"{p['target']} p50={p['p50_ms']:.2f} p99={p['p99_ms']:.2f}" for p in result["phases"]
        )
    )
    if result["failures"]["count"]:
        lines.append(f"FAILED requests: {result['failures']['count']}")
        lines.extend(f"  {example}" for example in result["failures"]["examples"])
    r = result["ratio"]
    verdict = "met" if result["goal_met"] else "MISSED"
    lines.append(f"ratio p50={r['p50']:.2f} p99={r['p99']:.2f} (goal <= {GOAL}, {verdict})")
    return "\n".join(lines)


# -- orchestration -----------------------------------------------------------------------------


@dataclass
class Options:
    clients: int
    requests: int
    warmup: int
    rounds: int
    threads: int
    max_seconds: float
    as_json: bool
    rate: float | None = None


def measure(options: Options, workdir: Path) -> dict[str, Any]:
    stop = threading.Event()
    failures = Failures()
    deadline = time.monotonic() + options.max_seconds
    phases: list[Phase] = []
    app_sent = 0
    with contextlib.ExitStack() as stack:
        progress("starting the Slack API mock")
        mock = MockProcess(workdir / "mock.log")
        stack.callback(mock.stop)
        mock.start()
        progress("starting the baseline (bare Bolt app) and smmbot")
        baseline = BaselineProcess(
            api_url=mock.base_url, threads=options.threads, log_path=workdir / "baseline.log"
        )
        stack.callback(baseline.stop)
        app = AppProcess(
            api_url=mock.base_url,
            database_url=f"sqlite:///{workdir / 'bench.db'}",
            log_path=workdir / "app.log",
            SMMBOT_HTTP_THREADS=str(options.threads),
        )
        stack.callback(lambda: app.stop() if app.process is not None else None)
        baseline.start()
        app.start()
        urls = {BASELINE: baseline.base_url, APP: app.base_url}
        pids = {
            BASELINE: baseline.process.pid if baseline.process else None,
            APP: app.process.pid if app.process else None,
        }
        mock_pid = mock.process.pid if mock.process else None

        def phase(target: str, kind: str, per_client: list[int]) -> None:
            nonlocal app_sent
            server_before, mock_before = cpu_seconds(pids[target]), cpu_seconds(mock_pid)
            done, owed = run_phase(
                target=target,
                base_url=urls[target],
                mock=mock,
                clients=options.clients,
                per_client=per_client,
                kind=kind,
                failures=failures,
                deadline=deadline,
                stop=stop,
                rate=options.rate if kind == "measure" else None,
            )
            if target == APP:
                app_sent += owed
                wait_for_answers(mock, app_sent, failures, deadline)
            done.server_cpu_ms = (cpu_seconds(pids[target]) - server_before) * 1000.0
            done.mock_cpu_ms = (cpu_seconds(mock_pid) - mock_before) * 1000.0
            phases.append(done)
            s = phase_summary(done)
            progress(
                f"{kind} {target}: {done.requests} requests in {done.seconds:.1f}s, "
                f"p50={s['p50_ms']:.2f}ms p99={s['p99_ms']:.2f}ms, "
                f"server CPU {s['server_cpu_ms_per_request']:.2f}ms/request"
            )

        try:
            warm = split(options.warmup, options.clients)
            for target in (BASELINE, APP):
                phase(target, "warmup", warm)
            order = [BASELINE, APP]
            for round_index, requests in enumerate(split(options.requests, options.rounds)):
                per_client = [requests] * options.clients
                for target in order if round_index % 2 == 0 else order[::-1]:
                    phase(target, "measure", per_client)
            mock_stats = mock.stats()
        except KeyboardInterrupt:
            stop.set()
            raise
    measured = [p for p in phases if p.kind == "measure"]
    targets = {
        name: pooled_summary([p for p in measured if p.target == name]) for name in (BASELINE, APP)
    }
    ratios = {
        key: ratio(float(targets[APP][f"{key}_ms"]), float(targets[BASELINE][f"{key}_ms"]))
        for key in ("p50", "p99")
    }
    return {
        "config": {
            "clients": options.clients,
            "requests_per_client": options.requests,
            "warmup": options.warmup,
            "rounds": options.rounds,
            "http_threads": options.threads,
            "load": f"open loop, {options.rate:g} requests/s" if options.rate else "closed loop",
            "command": f"/smm {COMMAND_TEXT}",
        },
        "targets": targets,
        "ratio": ratios,
        "goal": GOAL,
        "goal_met": all(value <= GOAL for value in ratios.values()),
        "phases": [
            {"target": p.target, "requests": p.requests, "seconds": round(p.seconds, 3)}
            | phase_summary(p)
            for p in measured
        ],
        "mock": mock_stats,
        "failures": {"count": failures.count, "examples": failures.examples},
    }


def wait_for_answers(mock: MockProcess, expected: int, failures: Failures, budget: float) -> None:
    """Wait until the app answered via response_url every request it did not answer inside its
    acknowledgement (its background work is done).

    At most DRAIN_TIMEOUT seconds, and not much past the run's time ``budget`` either.
    """
    now = time.monotonic()
    deadline = min(now + DRAIN_TIMEOUT, max(budget, now + 5.0))
    received = mock.responses_received()
    while received < expected and time.monotonic() < deadline:
        time.sleep(0.1)
        received = mock.responses_received()
    if received < expected:
        failures.add(f"app: only {received} of {expected} commands answered via response_url")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument(
        "--requests", type=int, default=40, help="measured requests per client per target (40)"
    )
    parser.add_argument("--warmup", type=int, default=200, help="warm-up requests per target")
    parser.add_argument(
        "--rounds", type=int, default=2, help="baseline/app phase pairs, in ABBA order (2)"
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="server threads (default: the app's default)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=100.0, help="time budget for the load (100)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="open loop: total requests/s to schedule while measuring (default: closed loop, "
        "each client sends as soon as its previous request was acknowledged)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--serve-mock", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-baseline", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("clients", "requests", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.requests < args.rounds:
        parser.error("--requests must be at least --rounds")
    if args.rate is not None:
        if args.rate <= 0:
            parser.error("--rate must be positive")
        needed = 2 * args.clients * args.requests / args.rate  # both targets, open loop
        if needed > args.max_seconds:
            parser.error(
                f"--rate {args.rate:g} needs about {needed:.0f}s for {args.clients} clients x "
                f"{args.requests} requests x 2 targets; lower --requests or raise --max-seconds"
            )
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    return args


def _strict(value: Any) -> Any:
    """NaN (no samples) as null, so the output is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strict(item) for item in value]
    return value


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(argv)
    threads: int = args.threads or default_http_threads()
    if args.serve_mock:
        return serve_mock()
    if args.serve_baseline is not None:
        return serve_baseline(args.serve_baseline, args.api_url, threads)
    options = Options(
        clients=args.clients,
        requests=args.requests,
        warmup=args.warmup,
        rounds=args.rounds,
        threads=threads,
        max_seconds=args.max_seconds,
        as_json=args.json,
        rate=args.rate,
    )
    signal.signal(signal.SIGTERM, _interrupt)  # a killed bench still stops its children
    with tempfile.TemporaryDirectory(prefix="smmbot-ack-bench-") as tmp:
        try:
            result = measure(options, Path(tmp))
        except KeyboardInterrupt:
            progress("interrupted; everything started was stopped")
            return 130
    if options.as_json:
        json.dump(_strict(result), out, indent=2)
        out.write("\n")
    else:
        out.write(render_table(result) + "\n")
    return 1 if result["failures"]["count"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
