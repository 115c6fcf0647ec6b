"""The ack bench's statistics and its table: percentiles pooled over phases, app/baseline."""

from __future__ import annotations

import math
from typing import Any

from bench.ack_load import COMMAND_TEXT, Phase

GOAL = 1.1
APP = "app"
BASELINE = "baseline"


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


def strict_json(value: Any) -> Any:
    """NaN (no samples) as null, so the output is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: strict_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [strict_json(item) for item in value]
    return value
