from __future__ import annotations

import io
import itertools
import struct
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageChops

from smmbot.rendering.chart import (
    WeekPoint,
    enough_weeks,
    weekly_chart_figure,
    weekly_chart_png,
)
from smmbot.rendering.i18n import Translator

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def points(sessions: int, revenue: int) -> list[WeekPoint]:
    return [
        WeekPoint(
            date(2026, 10, 5) + timedelta(weeks=week),
            Decimal(sessions * week),
            Decimal(revenue * week),
        )
        for week in range(8)
    ]


def png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("locale", ["en", "id"])
def test_eight_weeks_render_as_a_preview_sized_png(locale: str) -> None:
    data = weekly_chart_png(Translator(locale), points(40, 650_000), "IDR")
    assert data.startswith(PNG_SIGNATURE)
    width, height = png_size(data)
    assert (width, height) == (960, 480)
    assert Image.open(io.BytesIO(data)).mode == "RGB"  # opaque: no alpha channel to encode


def test_an_empty_history_still_renders() -> None:
    assert weekly_chart_png(Translator("en"), points(0, 0), "IDR").startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(("locale", "marker"), [("en", "(so far)"), ("id", "(sejauh ini)")])
def test_the_running_week_is_labelled_so_far_and_drawn_hollow(locale: str, marker: str) -> None:
    weeks = points(40, 650_000)
    weeks[-1] = WeekPoint(weeks[-1].monday, Decimal(10), Decimal(1000), complete=False)
    figure = weekly_chart_figure(Translator(locale), weeks, "IDR")
    smo_axis, smm_axis = figure.axes
    labels = [label.get_text() for label in smo_axis.get_xticklabels()]
    assert [marker in label for label in labels] == [False] * 7 + [True]
    hatches = [bar.get_hatch() for bar in smm_axis.patches]
    assert hatches == [None] * 7 + ["//"]
    finished, running = smo_axis.get_lines()
    assert np.asarray(finished.get_xdata()).tolist() == list(range(7))
    assert running.get_linestyle() == "--"
    assert np.asarray(running.get_xdata()).tolist() == [6, 7]


def test_finished_weeks_carry_no_so_far_mark() -> None:
    figure = weekly_chart_figure(Translator("en"), points(40, 650_000), "IDR")
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert not any("so far" in label for label in labels)


def tick_texts(figure: Figure) -> tuple[list[str], list[str], list[str]]:
    smo_axis, smm_axis = figure.axes
    return (
        [label.get_text() for label in smo_axis.get_yticklabels()],
        [label.get_text() for label in smm_axis.get_yticklabels()],
        [label.get_text() for label in smo_axis.get_xticklabels()],
    )


def few_weeks(values: list[tuple[int, int]]) -> list[WeekPoint]:
    padded = [(0, 0)] * (8 - len(values)) + values
    return [
        WeekPoint(date(2026, 10, 5) + timedelta(weeks=n), Decimal(s), Decimal(r), complete=n < 7)
        for n, (s, r) in enumerate(padded)
    ]


@pytest.mark.parametrize("locale", ["en", "id"])
def test_little_data_gets_whole_number_ticks_and_one_zero_for_an_empty_axis(locale: str) -> None:
    figure = weekly_chart_figure(Translator(locale), few_weeks([(3, 0), (5, 0), (2, 0)]), "IDR")
    sessions, revenue, _ = tick_texts(figure)
    assert sessions == ["0", "1", "2", "3", "4", "5"]
    assert revenue in (["IDR0"], ["Rp0"])


def test_small_revenue_is_labelled_in_whole_amounts() -> None:
    figure = weekly_chart_figure(Translator("id"), few_weeks([(12, 50_000), (3, 7)]), "IDR")
    sessions, revenue, _ = tick_texts(figure)
    assert all(label.isdigit() for label in sessions) and len(set(sessions)) == len(sessions)
    assert revenue[0] == "Rp0" and len(revenue) >= 3
    assert not any("," in label or len(label) > 10 for label in revenue)


@pytest.mark.parametrize("locale", ["en", "id"])
def test_date_labels_do_not_overlap(locale: str) -> None:
    weeks = few_weeks([(3, 999_000_000), (5, 1_000)])
    figure = weekly_chart_figure(Translator(locale), weeks, "IDR")
    figure.draw_without_rendering()
    boxes = [label.get_window_extent() for label in figure.axes[0].get_xticklabels()]
    assert all(left.x1 < right.x0 for left, right in itertools.pairwise(boxes))
    right_labels = figure.axes[1].get_yticklabels()
    assert all(box.x1 <= figure.bbox.x1 for box in (t.get_window_extent() for t in right_labels))


def test_fewer_than_two_weeks_with_numbers_is_not_enough_for_a_chart() -> None:
    assert not enough_weeks(few_weeks([]))
    assert not enough_weeks(few_weeks([(0, 0), (4, 0)]))
    assert enough_weeks(few_weeks([(0, 10), (4, 0)]))


CHARTS_IN_TURN = {
    "finished, then running": (points(900, 9_000_000), few_weeks([(3, 50_000), (12, 7)])),
    "running, then finished": (few_weeks([(3, 50_000), (12, 7)]), points(900, 9_000_000)),
    "fewer weeks, then eight": (points(5, 70)[:4], few_weeks([(3, 50_000), (12, 7)])),
}


@pytest.mark.parametrize(("first", "second"), CHARTS_IN_TURN.values(), ids=CHARTS_IN_TURN)
def test_a_pooled_template_draws_exactly_what_a_fresh_figure_draws(
    first: list[WeekPoint], second: list[WeekPoint]
) -> None:
    """The second chart reuses what the first left on the template (its bars reshaped)."""
    tr = Translator("id")
    weekly_chart_png(tr, first, "IDR")
    pooled = weekly_chart_png(tr, second, "IDR")
    fresh = weekly_chart_figure(tr, second, "IDR")
    canvas = FigureCanvasAgg(fresh)
    canvas.draw()  # type: ignore[no-untyped-call]
    pixels = Image.open(io.BytesIO(pooled))
    drawn = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    # compared in RGB: an RGBA difference's bounding box looks at its alpha channel only
    assert ImageChops.difference(pixels, drawn.convert("RGB")).getbbox() is None
