"""The digest's chart: eight weeks of an SMO series and an SMM series on two axes, as a PNG.

SMO (social sessions: visits from social to the site) and SMM (revenue) are on separate axes
with separate colours and labels, so the picture keeps the two pillars apart like the digest's
text does. Sized to stay readable at Slack's preview width.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from smmbot.rendering import formatting
from smmbot.rendering.i18n import Translator

SMO_COLOUR = "#2a9d8f"
SMM_COLOUR = "#e76f51"


@dataclass(frozen=True)
class WeekPoint:
    """One week's totals; `complete` is False for the week still running, which the chart
    labels "so far" and draws hollow, so its lower figures are not read as a fall."""

    monday: date
    social_sessions: Decimal
    revenue: Decimal
    complete: bool = True


def weekly_chart_png(tr: Translator, points: Sequence[WeekPoint], currency: str) -> bytes:
    buffer = io.BytesIO()
    weekly_chart_figure(tr, points, currency).savefig(buffer, format="png")
    return buffer.getvalue()


def weekly_chart_figure(tr: Translator, points: Sequence[WeekPoint], currency: str) -> Figure:
    """The chart as a figure, which tests can inspect (labels, hatching) before it is a PNG."""
    figure = Figure(figsize=(8, 4), dpi=120)
    smo_axis = figure.add_subplot()
    smm_axis = smo_axis.twinx()
    labels = [_tick_label(tr, point) for point in points]
    positions = list(range(len(points)))
    sessions = [float(p.social_sessions) for p in points]
    finished = [n for n, point in enumerate(points) if point.complete]
    running = [n for n, point in enumerate(points) if not point.complete]
    smo_axis.plot(
        finished,
        [sessions[n] for n in finished],
        color=SMO_COLOUR,
        marker="o",
        linewidth=2.5,
        label=tr.plain("chart.smo_series"),
    )
    if running:
        joined = finished[-1:] + running
        smo_axis.plot(
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
    bars = smm_axis.bar(
        positions,
        [float(p.revenue) for p in points],
        color=SMM_COLOUR,
        alpha=0.35,
        width=0.6,
        label=tr.plain("chart.smm_series"),
    )
    for n in running:
        bars[n].set(hatch="//", facecolor="none", edgecolor=SMM_COLOUR, alpha=0.6)
    smo_axis.set_zorder(smm_axis.get_zorder() + 1)
    smo_axis.patch.set_visible(False)
    smo_axis.set_xticks(positions, labels, fontsize=9)
    smo_axis.set_ylabel(tr.plain("chart.smo_axis"), color=SMO_COLOUR, fontsize=11)
    smm_axis.set_ylabel(
        tr.plain("chart.smm_axis", currency=currency), color=SMM_COLOUR, fontsize=11
    )
    smo_axis.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: formatting.number(Decimal(int(value)), tr.locale))
    )
    smm_axis.yaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _: formatting.compact_money(Decimal(value), currency, tr.locale)
        )
    )
    smo_axis.set_ylim(bottom=0)
    smm_axis.set_ylim(bottom=0)
    smo_axis.set_title(tr.plain("chart.title"), fontsize=13, loc="left")
    smo_axis.grid(axis="y", alpha=0.3)
    handles = smo_axis.get_legend_handles_labels()[0] + smm_axis.get_legend_handles_labels()[0]
    smo_axis.legend(handles=handles, loc="upper left", fontsize=9, frameon=False)
    figure.tight_layout()
    return figure


def _tick_label(tr: Translator, point: WeekPoint) -> str:
    day = formatting.short_day(point.monday, tr.locale)
    return day if point.complete else tr.plain("chart.so_far", day=day)
