from __future__ import annotations

import struct
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from smmbot.rendering.chart import WeekPoint, weekly_chart_figure, weekly_chart_png
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
