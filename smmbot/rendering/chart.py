"""The digest's chart: eight weeks of an SMO series and an SMM series on two axes, as a PNG.

SMO (social sessions: visits from social to the site) and SMM (revenue) are on separate axes
with separate colours and labels, so the picture keeps the two pillars apart like the digest's
text does. Sized to stay readable at Slack's preview width.

matplotlib is imported here only, and this module only when a chart is drawn (the services
import it lazily): it is most of what a start would otherwise load. Margins are fixed instead of
`tight_layout`, which draws the figure twice and, with long tick labels, squeezed the plot until
the dates overlapped; axis ticks are whole numbers, so a week of little data never shows
`Rp0,0500000000000000027…`, and a series that is all zero shows one `0`, not a column of them.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from smmbot.rendering import formatting
from smmbot.rendering.i18n import SUPPORTED_LOCALES, Translator

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

SMO_COLOUR = "#2a9d8f"
SMM_COLOUR = "#e76f51"
MIN_WEEKS_WITH_DATA = 2
_TICKS = 5
_FINISHED_BAR = {"hatch": None, "facecolor": SMM_COLOUR, "edgecolor": "none", "alpha": 0.35}
_RUNNING_BAR = {"hatch": "//", "facecolor": "none", "edgecolor": SMM_COLOUR, "alpha": 0.6}


@dataclass(frozen=True)
class WeekPoint:
    """One week's totals; `complete` is False for the week still running, which the chart
    labels "so far" and draws hollow, so its lower figures are not read as a fall."""

    monday: date
    social_sessions: Decimal
    revenue: Decimal
    complete: bool = True


def enough_weeks(points: Sequence[WeekPoint]) -> bool:
    """A line through fewer than two weeks of numbers says nothing; the digest says "not
    enough weeks yet" instead of uploading it."""
    weeks = sum(1 for point in points if point.social_sessions or point.revenue)
    return weeks >= MIN_WEEKS_WITH_DATA


@dataclass
class _Template:
    """A figure with what does not depend on the numbers (axes, title, axis labels, grid)
    already built; the lines the last chart drew on it, to remove before the next; and its
    bars, which the next chart of as many weeks reshapes (making them anew was a tenth of a
    render)."""

    figure: Figure
    smo_axis: Axes
    smm_axis: Axes
    currency: str
    lines: list[Line2D] = field(default_factory=list)
    bars: BarContainer | None = None


_POOL: dict[tuple[str, str], list[_Template]] = {}
_POOL_LOCK = threading.Lock()
_POOL_SIZE = 2  # per language and currency: concurrent renders beyond it build their own


def weekly_chart_png(tr: Translator, points: Sequence[WeekPoint], currency: str) -> bytes:
    """Drawn on a pooled template (a figure is not shared between threads: each render takes
    one out of the pool) and saved as an RGB PNG with light compression: the figure is opaque,
    so the alpha channel Agg draws is a quarter of the bytes to encode for nothing (an RGB file
    is 10% smaller and 3 ms quicker to write), and the encoder's default level was a tenth of
    the time for a file 7% smaller."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    key = (tr.locale, currency)
    with _POOL_LOCK:
        spare = _POOL.get(key, [])
        template = spare.pop() if spare else _template(tr, currency)
    _draw_numbers(tr, template, points)
    canvas = FigureCanvasAgg(template.figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    pixels = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    buffer = io.BytesIO()
    pixels.convert("RGB").save(buffer, format="PNG", compress_level=1)
    with _POOL_LOCK:
        spare = _POOL.setdefault(key, [])
        if len(spare) < _POOL_SIZE:
            spare.append(template)
    return buffer.getvalue()


def warm_up(locales: Sequence[str] = SUPPORTED_LOCALES, currency: str = "IDR") -> None:
    """Draws a throwaway chart in each language: a process's first chart loads matplotlib and
    its fonts (about a second of CPU), and each language's first builds its template, which a
    digest helper started ahead of a rush (`services.digest_helpers`) pays before it."""
    first = date(2026, 1, 5)
    points = [
        WeekPoint(first + timedelta(weeks=n), Decimal(100 * n), Decimal(25_000 * n))
        for n in range(8)
    ]
    for locale in locales:
        weekly_chart_png(Translator(locale), points, currency)


def weekly_chart_figure(tr: Translator, points: Sequence[WeekPoint], currency: str) -> Figure:
    """The chart as a matplotlib Figure (a fresh one), which tests can inspect."""
    template = _template(tr, currency)
    _draw_numbers(tr, template, points)
    return template.figure


def _template(tr: Translator, currency: str) -> _Template:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4), dpi=120)
    figure.subplots_adjust(left=0.09, right=0.85, top=0.9, bottom=0.15)
    smo_axis = figure.add_subplot()
    smm_axis = smo_axis.twinx()
    smo_axis.set_zorder(smm_axis.get_zorder() + 1)
    smo_axis.patch.set_visible(False)
    smo_axis.set_ylabel(tr.plain("chart.smo_axis"), color=SMO_COLOUR, fontsize=11)
    smm_axis.set_ylabel(
        tr.plain("chart.smm_axis", currency=currency), color=SMM_COLOUR, fontsize=11
    )
    # At a fixed height: else every draw measures the tick labels to lift the title clear of
    # top ticks, which this chart has none of. The twin's x axis lies under the other's and
    # shows nothing, but was laid out at every draw.
    smo_axis.set_title(tr.plain("chart.title"), fontsize=13, loc="left", y=1.0)
    smo_axis.grid(axis="y", alpha=0.3)
    smm_axis.xaxis.set_visible(False)
    smo_axis.legend(handles=_legend_keys(tr), loc="upper left", fontsize=9, frameon=False)
    return _Template(figure, smo_axis, smm_axis, currency)


def _legend_keys(tr: Translator) -> list[Artist]:
    """Stand-ins drawn like the series, so the legend is built once with the template."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    line = Line2D([], [], color=SMO_COLOUR, marker="o", linewidth=2.5)
    line.set_label(tr.plain("chart.smo_series"))
    return [line, Patch(facecolor=SMM_COLOUR, alpha=0.35, label=tr.plain("chart.smm_series"))]


def _draw_numbers(tr: Translator, template: _Template, points: Sequence[WeekPoint]) -> None:
    """Replace the previous chart's lines, bars, ticks and legend with these points'."""
    for line in template.lines:
        line.remove()
    smo_axis, smm_axis, currency = template.smo_axis, template.smm_axis, template.currency
    template.lines = _sessions_line(tr, smo_axis, points)
    template.bars = _revenue_bars(smm_axis, template.bars, points)
    smo_axis.set_xlim(-0.7, len(points) - 0.3)
    smo_axis.set_xticks(range(len(points)), [_tick_label(tr, p) for p in points], fontsize=9)
    _whole_ticks(smo_axis, [p.social_sessions for p in points],
                 lambda value: formatting.number(value, tr.locale))  # fmt: skip
    _whole_ticks(smm_axis, [p.revenue for p in points],
                 lambda value: formatting.compact_money(value, currency, tr.locale))  # fmt: skip


def _sessions_line(tr: Translator, axis: Axes, points: Sequence[WeekPoint]) -> list[Line2D]:
    """Finished weeks as a solid line; the running week dashed, to a hollow point."""
    sessions = [float(p.social_sessions) for p in points]
    finished = [n for n, point in enumerate(points) if point.complete]
    running = [n for n, point in enumerate(points) if not point.complete]
    lines = axis.plot(
        finished,
        [sessions[n] for n in finished],
        color=SMO_COLOUR,
        marker="o",
        linewidth=2.5,
    )
    if running:
        joined = finished[-1:] + running
        lines += axis.plot(
            joined,
            [sessions[n] for n in joined],
            color=SMO_COLOUR,
            linestyle="--",
            linewidth=1.5,
            marker="o",
            markersize=8,
            markevery=list(range(len(joined) - len(running), len(joined))),
            markerfacecolor="white",
            markeredgewidth=2,
        )
    return lines


def _revenue_bars(
    axis: Axes, bars: BarContainer | None, points: Sequence[WeekPoint]
) -> BarContainer:
    """One bar a week, `bars` reshaped when there are as many; the running week's outlined
    and hatched."""
    if bars is None or len(bars) != len(points):
        if bars is not None:
            bars.remove()
        bars = axis.bar(range(len(points)), [0.0] * len(points), width=0.6)
    for bar, point in zip(bars, points, strict=True):
        bar.set_height(float(point.revenue))
        bar.set(**(_FINISHED_BAR if point.complete else _RUNNING_BAR))
    return bars


def _whole_ticks(axis: Axes, values: Sequence[Decimal], label: Callable[[Decimal], str]) -> None:
    """Whole-number ticks from 0 with their labels fixed here, formatted once each (not by a
    formatter at every draw); an axis with nothing on it gets the single tick 0."""
    from matplotlib.ticker import MaxNLocator

    top = float(max(values, default=Decimal(0)))
    if top <= 0:
        axis.set_ylim(0, 1)
        axis.set_yticks([0], [label(Decimal(0))])
        return
    locator = MaxNLocator(nbins=_TICKS, integer=True, min_n_ticks=2)
    ticks = [int(tick) for tick in locator.tick_values(0, top) if tick >= 0]
    axis.set_ylim(0, max(ticks[-1], top * 1.05))
    axis.set_yticks(ticks, [label(Decimal(tick)) for tick in ticks])


def _tick_label(tr: Translator, point: WeekPoint) -> str:
    day = formatting.short_day(point.monday, tr.locale)
    return day if point.complete else tr.plain("chart.so_far", day=day)
