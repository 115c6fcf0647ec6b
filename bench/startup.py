"""Cold start to a healthy `/healthz` and idle memory: `python app.py` against a bare Bolt app.

The floor is what any Bolt app in this deployment pays: a bare `slack_bolt.App` (same WebClient
set-up, so the same `auth.test` at start) with SQLAlchemy imported and a `/healthz` route,
served by the very same `smmbot.web.server.serve_http` (uvicorn + a2wsgi). smmbot runs as
deployed: `python app.py` in HTTP mode on an SQLite file that is already at the migrations'
head (a warm-up start migrates it first), with `SLACK_API_URL` on a local Slack API mock.

Each start is timed from `Popen` to the first 200 from `/healthz` (polled every 10 ms); the idle
RSS is read from `/proc/<pid>/status` after the process has sat idle for `--settle` seconds.
Starts alternate ABBA (baseline, app, app, baseline, ...) so the machine's drifts hit both
sides; the figures are medians and the ratios app/baseline (goals: start <= 2x, RSS <= 1.6x).

Run from the project root::

    .venv/bin/python -m bench.startup [--rounds 3] [--settle 2] [--json]

Only 127.0.0.1 is used; every child is stopped (SIGTERM, then SIGKILL) before the bench ends.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, TextIO

from bench.ack_mock import MockProcess
from tests.support.app_process import BOT_TOKEN, PROJECT_ROOT, SIGNING_SECRET, free_port

START_GOAL = 2.0
RSS_GOAL = 1.6
START_TIMEOUT = 60.0
POLL_SECONDS = 0.01


def serve_baseline(port: int, api_url: str) -> int:
    """The floor: a bare Bolt app with SQLAlchemy imported, `/healthz`, served like smmbot."""
    import sqlalchemy  # noqa: F401  # every Bolt app with a database pays for it
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    from smmbot.web.server import serve_http

    app = App(client=WebClient(token=BOT_TOKEN, base_url=api_url), signing_secret=SIGNING_SECRET)

    @app.command("/smm")
    def acknowledge(ack: Ack) -> None:
        ack()

    slack = SlackRequestHandler(app)

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"status": "ok"}']
        return slack(environ, start_response)

    serve_http(application, host="127.0.0.1", port=port, threads=32)
    return 0


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310  # 127.0.0.1
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def start_once(
    command: list[str], env: dict[str, str], port: int, settle: float
) -> dict[str, float]:
    """One cold start: seconds to a healthy /healthz, then the idle RSS; the child is stopped."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        while not healthy(url):
            if process.poll() is not None:
                raise RuntimeError(f"{command} exited with {process.returncode}")
            if time.perf_counter() - started > START_TIMEOUT:
                raise RuntimeError(f"{command} was not healthy within {START_TIMEOUT} s")
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        time.sleep(settle)
        return {"start_s": seconds, "rss_mb": rss_mb(process.pid)}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(rounds: int, settle: float, workdir: Path, api_url: str) -> dict[str, Any]:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SMMBOT_"))}

    def app_side() -> tuple[list[str], dict[str, str], int]:
        port = free_port()
        env = base_env | {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": f"sqlite:///{workdir / 'startup.db'}",
            "PORT": str(port),
            "HOST": "127.0.0.1",
        }
        return [sys.executable, "app.py"], env, port

    def baseline_side() -> tuple[list[str], dict[str, str], int]:
        port = free_port()
        command = [sys.executable, "-m", "bench.startup", "--serve-baseline", str(port)]
        return [*command, "--api-url", api_url], base_env, port

    sides = {"app": app_side, "baseline": baseline_side}
    for build in sides.values():  # warm-up: migrates the database, fills the OS file cache
        start_once(*build(), settle=0)
    samples: dict[str, list[dict[str, float]]] = {"app": [], "baseline": []}
    for _ in range(rounds):
        for name in ("baseline", "app", "app", "baseline"):
            samples[name].append(start_once(*sides[name](), settle=settle))
    figures = {
        name: {key: statistics.median(s[key] for s in runs) for key in ("start_s", "rss_mb")}
        for name, runs in samples.items()
    }
    return {
        "rounds": rounds,
        "starts_per_side": 2 * rounds,
        "app": figures["app"],
        "baseline": figures["baseline"],
        "start_ratio": figures["app"]["start_s"] / figures["baseline"]["start_s"],
        "rss_ratio": figures["app"]["rss_mb"] / figures["baseline"]["rss_mb"],
        "samples": samples,
    }


def render(result: dict[str, Any]) -> str:
    app, base = result["app"], result["baseline"]
    return "\n".join(
        [
            f"startup: {result['starts_per_side']} cold starts a side, ABBA, medians",
            f"{'':10} {'start to /healthz':>18} {'idle RSS':>10}",
            f"{'baseline':10} {base['start_s']:>16.3f} s {base['rss_mb']:>7.1f} MB",
            f"{'app':10} {app['start_s']:>16.3f} s {app['rss_mb']:>7.1f} MB",
            f"{'ratio':10} {result['start_ratio']:>17.2f}x {result['rss_ratio']:>8.2f}x",
            f"goals: start <= {START_GOAL}x ({_met(result['start_ratio'], START_GOAL)}), "
            f"RSS <= {RSS_GOAL}x ({_met(result['rss_ratio'], RSS_GOAL)})",
        ]
    )


def _met(ratio: float, goal: float) -> str:
    return "met" if ratio <= goal else "missed"


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="ABBA rounds (4 starts each)")
    parser.add_argument("--settle", type=float, default=2.0, help="idle seconds before RSS")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve-baseline", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_baseline:
        return serve_baseline(args.serve_baseline, args.api_url)
    with tempfile.TemporaryDirectory(prefix="smmbot-startup-") as tmp:
        mock = MockProcess(Path(tmp) / "mock.log").start()
        try:
            result = measure(args.rounds, args.settle, Path(tmp), mock.base_url)
        finally:
            mock.stop()
    print(json.dumps(result, indent=2) if args.json else render(result), file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
