"""One digest chart against a bare matplotlib line plot of the same size and DPI.

The floor is the least any matplotlib PNG of this size costs: a `Figure(figsize=(8, 4),
dpi=120)` with one axis, one eight-point line, saved with `savefig(format="png")`. The chart is
smmbot's `weekly_chart_png` for eight weeks of demo-sized numbers with the running week marked,
in English and Indonesian alternately. Both are rendered in this process, interleaved ABBA
(floor, chart, chart, floor, ...) after a warm-up (font cache, first imports), and timed with
`time.perf_counter`; the figures are medians and the ratio chart/floor (goal <= 1.5).

Run from the project root::

    .venv/bin/python -m bench.chart [--rounds 20] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from smmbot.rendering.chart import WeekPoint, weekly_chart_png
from smmbot.rendering.i18n import Translator

GOAL = 1.5
SIZE = (8, 4)
DPI = 120
WEEKS = 8


def demo_points() -> list[WeekPoint]:
    """Eight weeks shaped like the demo workspace's: growing sessions, uneven revenue."""
    first = date(2026, 10, 5)
    return [
        WeekPoint(
            first + timedelta(weeks=n),
            Decimal(380 + 45 * n + (n % 3) * 20),
            Decimal(4_200_000 + 650_000 * n - (n % 2) * 900_000),
            complete=n < WEEKS - 1,
        )
        for n in range(WEEKS)
    ]


def bare_plot() -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, dpi=DPI)
    figure.add_subplot().plot(range(WEEKS), [380 + 45 * n for n in range(WEEKS)])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def digest_chart(translators: list[Translator], points: list[WeekPoint]) -> Callable[[], bytes]:
    calls = iter(range(1 << 30))

    def render() -> bytes:
        return weekly_chart_png(translators[next(calls) % len(translators)], points, "IDR")

    return render


def timed(render: Callable[[], bytes]) -> float:
    started = time.perf_counter()
    png = render()
    elapsed = time.perf_counter() - started
    if not png.startswith(b"\x89PNG"):
        raise RuntimeError("not a PNG")
    return elapsed


def measure(rounds: int) -> dict[str, Any]:
    import matplotlib

    matplotlib.use("Agg")  # the floor's savefig must not resolve a GUI backend each time
    chart = digest_chart([Translator("en"), Translator("id")], demo_points())
    sides: dict[str, Callable[[], bytes]] = {"floor": bare_plot, "chart": chart}
    for render in (bare_plot, chart, chart, bare_plot):  # warm-up
        render()
    samples: dict[str, list[float]] = {"floor": [], "chart": []}
    for _ in range(rounds):
        for name in ("floor", "chart", "chart", "floor"):
            samples[name].append(timed(sides[name]))
    medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    return {
        "renders_per_side": 2 * rounds,
        "floor_ms": medians["floor"],
        "chart_ms": medians["chart"],
        "ratio": medians["chart"] / medians["floor"],
        "chart_png_bytes": len(chart()),
    }


def render_table(result: dict[str, Any]) -> str:
    verdict = "met" if result["ratio"] <= GOAL else "missed"
    return "\n".join(
        [
            f"chart: {result['renders_per_side']} renders a side, ABBA, medians "
            f"({SIZE[0]}x{SIZE[1]} in at {DPI} dpi)",
            f"bare matplotlib line plot  {result['floor_ms']:7.1f} ms",
            f"digest chart               {result['chart_ms']:7.1f} ms",
            f"ratio                      {result['ratio']:7.2f}x  (goal <= {GOAL}x: {verdict})",
        ]
    )


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="ABBA rounds (4 renders each)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.rounds)
    print(json.dumps(result, indent=2) if args.json else render_table(result), file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
