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

The Slack API mock runs in a child process too (``bench.ack_mock``), as does the baseline
(``bench.ack_baseline``); the load is ``bench.ack_load``, the figures ``bench.ack_report``.

Run from the project root::

    .venv/bin/python -m bench.ack_latency [--clients 50] [--requests 40] [--rate R] [--json]

Exit status: 0 when every request got its 200 (whether or not the goal was met: this is a
measurement), 1 when any request failed, timed out, or was never answered via its response_url.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bench.ack_load import COMMAND_TEXT, Failures, Load, Phase, cpu_seconds, run_phase, split
from bench.ack_report import (
    APP,
    BASELINE,
    GOAL,
    phase_summary,
    pooled_summary,
    ratio,
    render_table,
    strict_json,
)
from bench.ack_targets import Targets, progress, start_targets, wait_for_answers


def default_http_threads() -> int:
    """The app's default a2wsgi thread count (``smmbot_http_threads``)."""
    from smmbot.config import Settings

    threads = Settings.model_fields["smmbot_http_threads"].default
    assert isinstance(threads, int)
    return threads


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


@dataclass
class Runner:
    """Runs phases against the targets and keeps them, with each target's CPU for them."""

    options: Options
    targets: Targets
    deadline: float
    stop: threading.Event = field(default_factory=threading.Event)
    failures: Failures = field(default_factory=Failures)
    phases: list[Phase] = field(default_factory=list)
    app_sent: int = 0

    def phase(self, target: str, kind: str, per_client: list[int]) -> None:
        """After an app phase, waits for its lazy answers, so none lands in the next phase."""
        mock, pid = self.targets.mock, self.targets.pids[target]
        server_before, mock_before = cpu_seconds(pid), cpu_seconds(self.targets.mock_pid)
        load = Load(
            target=target,
            base_url=self.targets.urls[target],
            mock=mock,
            clients=self.options.clients,
            kind=kind,
            failures=self.failures,
            deadline=self.deadline,
            stop=self.stop,
            rate=self.options.rate if kind == "measure" else None,
        )
        done, owed = run_phase(load, per_client)
        if target == APP:
            self.app_sent += owed
            wait_for_answers(mock, self.app_sent, self.failures, self.deadline)
        done.server_cpu_ms = (cpu_seconds(pid) - server_before) * 1000.0
        done.mock_cpu_ms = (cpu_seconds(self.targets.mock_pid) - mock_before) * 1000.0
        self.phases.append(done)
        s = phase_summary(done)
        progress(
            f"{kind} {target}: {done.requests} requests in {done.seconds:.1f}s, "
            f"p50={s['p50_ms']:.2f}ms p99={s['p99_ms']:.2f}ms, "
            f"server CPU {s['server_cpu_ms_per_request']:.2f}ms/request"
        )

    def run(self) -> None:
        """Warm-up for each target, then measured rounds in ABBA order."""
        warm = split(self.options.warmup, self.options.clients)
        for target in (BASELINE, APP):
            self.phase(target, "warmup", warm)
        order = [BASELINE, APP]
        for round_index, requests in enumerate(split(self.options.requests, self.options.rounds)):
            per_client = [requests] * self.options.clients
            for target in order if round_index % 2 == 0 else order[::-1]:
                self.phase(target, "measure", per_client)


def measure(options: Options, workdir: Path) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        targets = start_targets(stack, options.threads, workdir)
        runner = Runner(options, targets, time.monotonic() + options.max_seconds)
        try:
            runner.run()
            mock_stats = targets.mock.stats()
        except KeyboardInterrupt:
            runner.stop.set()
            raise
    return result(options, runner, mock_stats)


def result(options: Options, runner: Runner, mock_stats: dict[str, Any]) -> dict[str, Any]:
    measured = [p for p in runner.phases if p.kind == "measure"]
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
        "failures": {"count": runner.failures.count, "examples": runner.failures.examples},
    }


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


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(argv)
    threads: int = args.threads or default_http_threads()
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
        json.dump(strict_json(result), out, indent=2)
        out.write("\n")
    else:
        out.write(render_table(result) + "\n")
    return 1 if result["failures"]["count"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
