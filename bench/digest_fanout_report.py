"""The Monday-rush bench's figures (`bench.digest_fanout`): exactly once, from the mock's records;
the CPU bound and ratios; lateness; where the CPU went; as JSON-ready values and as text."""

from __future__ import annotations

import argparse
import math
import os
from typing import Any

from bench.ack_report import percentile
from bench.digest_fanout_cpu import DigestCpu
from bench.digest_fanout_data import channel

GOAL_RATIO = 1.2


def report(
    args: argparse.Namespace, stats: dict[str, Any], figures: dict[str, Any]
) -> dict[str, Any]:
    count, due = args.workspaces, figures["due"]
    channels = [channel(n) for n in range(count)]
    messages = [stats["messages"].get(c, 0) for c in channels]
    charts = [stats["charts"].get(c, 0) for c in channels]
    once = sum(1 for m, c in zip(messages, charts, strict=True) if m == 1 and c == 1)
    late = [stats["done_at"][c] - due for c in channels if c in stats["done_at"]]
    total = (stats["last_at"] - due) if stats["last_at"] is not None else math.nan
    complete = once == count
    bounds = _bounds(count, total, figures)
    return {
        "config": {
            "workspaces": count,
            "replicas": args.replicas,
            "cores": os.cpu_count() or 1,
            "scheduler_interval_s": args.interval,
            "digest_helpers": args.digest_helpers,
        },
        "load_s": {key: round(value, 1) for key, value in figures["loaded"].items()},
        "delivered_exactly_once": once,
        "duplicate_messages": sum(max(0, m - 1) for m in messages),
        "duplicate_charts": sum(max(0, c - 1) for c in charts),
        "missing": sum(1 for m, c in zip(messages, charts, strict=True) if not m or not c),
        "rate_limited_429": stats["rate_limited"],
        "other_errors": stats["other_errors"],
        "total_s": round(total, 2),
        **bounds,
        "goal_met": complete and bounds["ratio"] <= GOAL_RATIO,
        "lateness_s": {p: round(percentile(late, q), 2) for p, q in (("p50", 50), ("p99", 99))}
        | {"max": round(max(late, default=math.nan), 2)},
        "app_cpu_per_digest_ms": round(figures["cpu"]["bots"] / count * 1000, 1),
        "cpu_s": figures["cpu"],
        "load_average": {
            "before": [round(x, 2) for x in figures["load_before"]],
            "after": [round(x, 2) for x in figures["load_after"]],
        },
        "complete": complete,
    }


def _bounds(count: int, total: float, figures: dict[str, Any]) -> dict[str, Any]:
    """The CPU bound and ratio against the digest timed in isolation (the goal's), against its
    median as earlier runs took it, and against the rush's own builds (see the bench's
    docstring)."""
    cores = os.cpu_count() or 1
    before, after = figures["digest_cpu"]
    unit = before + after
    built_seconds, built = figures["built_in_rush"]
    in_rush = built_seconds / built if built else math.nan
    bound = count * unit.total / cores
    in_rush_bound = count * (in_rush + (unit.database or 0.0)) / cores
    return {
        "digest_cpu_ms": _milliseconds(unit)
        | {"before": _milliseconds(before), "after": _milliseconds(after)},
        "cpu_bound_s": round(bound, 2),
        "ratio": round(total / bound, 3),
        "ratio_median_unit": round(total / (count * unit.median_total / cores), 3),
        "builds_in_rush": built,
        "build_cpu_in_rush_ms": round(in_rush * 1000, 1),
        "rush_build_over_isolated": round(in_rush / unit.app, 3),
        "cpu_bound_in_rush_s": round(in_rush_bound, 2),
        "ratio_in_rush": round(total / in_rush_bound, 3),
    }


def _milliseconds(cpu: DigestCpu) -> dict[str, float | None]:
    database = cpu.database
    return {
        "app": round(cpu.app * 1000, 1),
        "database": round(database * 1000, 1) if database is not None else None,
    }


def render(result: dict[str, Any]) -> str:
    c, late, cpu = result["config"], result["lateness_s"], result["digest_cpu_ms"]
    return "\n".join(
        [
            f"{c['workspaces']} weekly digests due in one minute, {c['replicas']} bot processes "
            f"on PostgreSQL, {c['cores']} cores (loaded in {result['load_s']})",
            f"delivered exactly once {result['delivered_exactly_once']}, missing "
            f"{result['missing']}, duplicate messages {result['duplicate_messages']}, duplicate "
            f"charts {result['duplicate_charts']}, 429s {result['rate_limited_429']}, "
            f"other errors {result['other_errors']}",
            f"total {result['total_s']:.1f}s vs CPU bound {result['cpu_bound_s']:.1f}s "
            f"({c['workspaces']} x ({cpu['app']} ms app + {cpu['database']} ms database, one "
            f"digest timed in isolation, the mean; before the rush {cpu['before']}, after it "
            f"{cpu['after']}) / {c['cores']} cores): ratio {result['ratio']:.3f} (goal <= "
            f"{GOAL_RATIO}); against the unit's median {result['ratio_median_unit']:.3f}",
            f"against the rush's own builds ({result['builds_in_rush']}, "
            f"{result['build_cpu_in_rush_ms']} ms each, + {cpu['database']} ms database): bound "
            f"{result['cpu_bound_in_rush_s']:.1f}s, ratio {result['ratio_in_rush']:.3f}; a "
            f"build in the rush cost {result['rush_build_over_isolated']:.3f}x one in isolation",
            f"lateness p50 {late['p50']:.1f}s, p99 {late['p99']:.1f}s, max {late['max']:.1f}s; "
            f"bot CPU {result['app_cpu_per_digest_ms']} ms a digest; load average "
            f"{result['load_average']['before']} -> {result['load_average']['after']}",
            "CPU seconds from the due minute to the last delivery: "
            + ", ".join(f"{key} {value}" for key, value in result["cpu_s"].items()),
            f"goal {'met' if result['goal_met'] else 'MISSED'}",
        ]
    )
