"""`shenka series --chart`: each series as bars in time order, each to its own scale. Pure; imports Rich.

A bar per point, labelled with its date; a "more than" value is a lower bound, marked with LOWER_BOUND after
its bar and "≥" before its figure, as the legend says. Flags print under their series.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from shenka_cli.core.model import Qualifier, Unit
from shenka_cli.core.series import Point, Series
from shenka_cli.present.charts import LOWER_BOUND, MARK_STYLE, Bar, BarChart, BarGroup
from shenka_cli.present.series import point_date, series_notes, series_title
from shenka_cli.present.views import pick
from shenka_cli.render.table import format_number
from shenka_cli.text.safety import visible_line

AT_LEAST = "≥"


def point_figure(point: Point) -> str:
    """The figure beside a bar: ≥ for a lower bound, ≈ about, < at most, low – high for a range."""
    if point.qualifier is Qualifier.RANGE:
        return f"{format_number(point.low)} – {format_number(point.high)}"
    sign = {Qualifier.MORE_THAN: f"{AT_LEAST} ", Qualifier.ABOUT: "≈ ", Qualifier.LESS_THAN: "< "}.get(
        point.qualifier, ""
    )
    return sign + format_number(point.value)


def point_bar(point: Point, lang: str) -> Bar:
    figure = f"{point_figure(point)}  {point.fact_id}"
    if point.qualifier is Qualifier.RANGE:
        return Bar(point_date(point, lang), float(point.low or 0), float(point.high or 0), figure, ranged=True)
    value = float(point.value if point.value is not None else (point.low or 0))
    return Bar(point_date(point, lang), 0.0, value, figure, lower_bound=point.qualifier is Qualifier.MORE_THAN)


class SeriesChart(BarChart):
    """A BarChart whose groups each carry their flags, printed under the group's bars."""

    def __init__(self, title: str, groups: Sequence[BarGroup], notes: Sequence[Sequence[str]], legend: Sequence[str]):
        super().__init__(title, groups, legend, label_share=0.3)
        self.notes = tuple(tuple(group) for group in notes)

    def lines(self, width: int) -> list[Text]:
        single = BarChart(self.title, (), (), label_share=self.label_share)
        lines = single.lines(width)
        every = BarChart("", self.groups, (), label_share=self.label_share).lines(width)[1:]
        # Lay the bars out once, all groups together (one label width), then put each group's notes after it.
        index = 0
        for group, notes in zip(self.groups, self.notes, strict=True):
            size = len(group.bars) + (group.heading is not None)
            lines.extend(every[index : index + size])
            index += size
            lines.extend(Text(visible_line(note), style=MARK_STYLE) for note in notes)
        lines.extend(Text(visible_line(entry), style="dim") for entry in self.legend)
        return lines


def series_chart(found: Sequence[Series], units: Sequence[Unit], lang: str) -> SeriesChart:
    shown = [series for series in found if series.points]
    groups = [
        BarGroup(series_title(series, units, lang), tuple(point_bar(point, lang) for point in series.points))
        for series in shown
    ]
    notes = [series_notes(series, units, lang) for series in shown]
    legend = [
        pick(
            lang,
            "每个序列按自身的最大值缩放；条形右侧为数值与事实 ID。",
            "Each series is drawn to its own scale; beside each bar, its figure and fact id.",
        )
    ]
    if any(point.qualifier is Qualifier.MORE_THAN for series in shown for point in series.points):
        legend.append(
            pick(
                lang,
                f"{LOWER_BOUND} 与 {AT_LEAST}：下限，原文为“余”“多”，实际数字更大。",
                f"{LOWER_BOUND} and {AT_LEAST}: a lower bound, the source says 'more than' (余, 多).",
            )
        )
    if any(point.qualifier is Qualifier.ABOUT for series in shown for point in series.points):
        legend.append(pick(lang, "≈ 约数。", "≈ about."))
    return SeriesChart(pick(lang, "序列图", "Series"), groups, notes, legend)
