"""How `bench.reminder_fanout` reads its figures: the goals (issue 16's goals 4 and 5) and the
lines it prints."""

from __future__ import annotations

from typing import Any

GOAL_RATIO = 1.1
GOAL_RATIO_REPLICAS = 1.2  # with --replicas > 1: kills and 503s included
GOAL_FIRST_P99 = 2.0  # seconds
GOAL_CPU_MS = 1.5  # engine CPU a delivered message, ms


def goals_met(
    ratio: float, ratio_goal: float, p99_first: float, cpu_ms: float, in_process: bool
) -> bool:
    """The engine's CPU is a goal only when the engine ran in the bench's own process."""
    cpu_met = not in_process or cpu_ms <= GOAL_CPU_MS
    return ratio <= ratio_goal and p99_first <= GOAL_FIRST_P99 and cpu_met


def render(result: dict[str, Any]) -> str:
    c, first = result["config"], result["first_message_lateness_s"]
    verdict = "met" if result["goal_met"] else "MISSED"
    return "\n".join(
        [
            f"{c['messages']} reminders due at once in {c['channels']} channels, "
            f"{c['database']}, {c['replicas']} replica(s), {c['kills']} kill(s), "
            f"{c['injected_503']:.0%} 503s, sweeps every {c['scheduler_interval_s']:g}s "
            f"(enqueued in {result['enqueue_s']}s)",
            f"delivered {result['delivered']}, duplicates {result['duplicates']}, "
            f"429s {result['rate_limited_429']}, other errors {result['other_errors']}, "
            f"history lookups {result['history_lookups']}",
            _cpu_line(result),
            f"total {result['total_s']:.2f}s vs rate-limit bound {result['bound_s']:.0f}s: "
            f"ratio {result['ratio']:.3f} (goal <= {result['ratio_goal']})",
            f"first message per channel late by p50 {first['p50']:.2f}s, "
            f"p99 {first['p99']:.2f}s, max {first['max']:.2f}s (goal p99 <= {GOAL_FIRST_P99}s)",
            f"goals {verdict}",
        ]
    )


def _cpu_line(result: dict[str, Any]) -> str:
    if result["engine_cpu_s"] is None:
        return "engine CPU: spent in the replicas' processes, not measured in this mode"
    return (
        f"engine CPU {result['engine_cpu_s']}s, "
        f"{result['engine_cpu_ms_per_message']:.2f} ms a message (goal <= {GOAL_CPU_MS} ms)"
    )
