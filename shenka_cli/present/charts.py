"""Charts for the terminal: statistics as bars, one group per unit, and facts per year. Pure: no I/O.

A chart is a Rich renderable made of rich.text.Text only (data is never markup), laid out when it is
printed, so it fits whatever width the console has; labels are measured in screen cells, so Chinese
labels line up. Styles are colour only: on a console without colour (a pipe, NO_COLOR) the same
characters print as plain text. Rich is imported here at module level: this module is only imported
by `--chart`, never at start-up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from shenka_cli.core.model import Fact, FuzzyDate, Qualifier, Statistic, StatKind
from shenka_cli.present.figures import Units
from shenka_cli.present.views import pick, show_value
from shenka_cli.text.safety import visible_line
from shenka_cli.text.width import screen_width

FULL = "█"
EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
ONGOING = "░"
LOWER_BOUND = "+"
SPARKS = "▁▂▃▄▅▆▇█"
NO_FACT = "·"

BAR_STYLE = "cyan"
RANGE_STYLE = "magenta"
ONGOING_STYLE = "blue"
MARK_STYLE = "bold yellow"
HEADING_STYLE = "bold"
LEGEND_STYLE = "dim"

MIN_BAR = 8  # cells: labels are cut short before bars get narrower than this
GAP = " "


class Bar(NamedTuple):
    """One row of a bar chart: a label, the span drawn (from `start` to `end`) and the figure as text."""

    label: str
    start: float
    end: float
    figure: str
    lower_bound: bool = False  # "more than": the true figure is larger; a marker follows the bar
    ranged: bool = False  # a range: drawn from its low to its high end
    rest: float = 0.0  # a second, lighter part after the bar (timeline: periods still running)


class BarGroup(NamedTuple):
    """Bars drawn to one scale: its largest end fills the width."""

    heading: str | None
    bars: tuple[Bar, ...]


class BarChart:
    """A titled set of bar groups with a legend; lays itself out at print time to the console's width."""

    def __init__(
        self,
        title: str,
        groups: Sequence[BarGroup],
        legend: Sequence[str] = (),
        *,
        header: Sequence[Text] = (),
        label_share: float = 0.45,
    ) -> None:
        self.title = title
        self.groups = tuple(groups)
        self.legend = tuple(legend)
        self.header = tuple(header)
        self.label_share = label_share

    @property
    def bars(self) -> tuple[Bar, ...]:
        """Every bar of every group: none means there is nothing to draw."""
        return tuple(bar for group in self.groups for bar in group.bars)

    def lines(self, width: int) -> list[Text]:
        """The chart as lines: bar lines exactly `width` cells or less; titles and legend wrap when printed."""
        width = max(width, 1)
        bars = self.bars
        figure_width = max((screen_width(visible_line(bar.figure)) for bar in bars), default=0)
        mark_width = 1 if any(bar.lower_bound for bar in bars) else 0
        longest = max((screen_width(visible_line(bar.label)) for bar in bars), default=0)
        fixed = len(GAP) * 2 + mark_width + figure_width
        label_width = min(longest, max(int(width * self.label_share), 10), width - fixed - MIN_BAR)
        label_width = max(label_width, min(longest, 4))
        bar_width = max(width - label_width - fixed, 1)

        lines = [Text(visible_line(self.title), style=HEADING_STYLE)]  # titles and headings wrap if need be
        lines.extend(self.header)
        for group in self.groups:
            if group.heading is not None:
                lines.append(Text(visible_line(group.heading), style=HEADING_STYLE))
            top = max((max(bar.end + bar.rest, bar.start) for bar in group.bars), default=0)
            for bar in group.bars:
                lines.append(_bar_line(bar, top, label_width, bar_width, mark_width, width))
        for entry in self.legend:
            lines.append(Text(visible_line(entry), style=LEGEND_STYLE))  # prose: wraps when too long
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(options.max_width)

    def plain(self, width: int) -> str:
        """The chart as printed on a console `width` cells wide without colour, trailing spaces removed."""
        import io

        buffer = io.StringIO()
        console = Console(file=buffer, width=width, no_color=True, force_terminal=False, markup=False, emoji=False)
        console.print(self)
        return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _bar_line(bar: Bar, top: float, label_width: int, bar_width: int, mark_width: int, width: int) -> Text:
    line = Text(no_wrap=True)
    label = Text(visible_line(bar.label))
    label.truncate(label_width, overflow="ellipsis", pad=True)
    line.append_text(label)
    line.append(GAP)
    drawn = draw(bar.start, bar.end, top, bar_width, ranged=bar.ranged)
    line.append(drawn, style=RANGE_STYLE if bar.ranged else BAR_STYLE)
    used = screen_width(drawn)
    if bar.rest > 0 and top > 0:
        total = max(round((bar.end + bar.rest) / top * bar_width), used + 1)
        rest = ONGOING * max(min(total, bar_width) - used, 1)
        line.append(rest, style=ONGOING_STYLE)
        used += len(rest)
    if bar.lower_bound:
        line.append(LOWER_BOUND, style=MARK_STYLE)
        used += 1
    line.append(" " * max(bar_width + mark_width - used, 0))
    line.append(GAP)
    line.append(visible_line(bar.figure))
    line.truncate(width)
    return line


def draw(start: float, end: float, top: float, width: int, *, ranged: bool = False) -> str:
    """A bar from `start` to `end` on a scale where `top` fills `width` cells, in eighths of a cell.

    A figure above zero never vanishes (at least one eighth); a range starts at the cell its low end
    falls in and is at least one cell long, so it shows even when narrow.
    """
    if top <= 0 or width <= 0 or end <= 0 or not math.isfinite(end):
        return ""
    end = min(end, top)
    eighths = max(round(end / top * width * 8), 1)
    lead = 0
    if ranged and start > 0:
        lead = min(int(start / top * width), width - 1)
        eighths = max(eighths, (lead + 1) * 8)
    full, part = divmod(min(eighths, width * 8), 8)
    return " " * lead + FULL * (full - lead) + EIGHTHS[part]


# Statistics.


def stat_bar(stat: Statistic, lang: str, units: Units | None = None) -> Bar:
    """A statistic's bar; its figure in Chinese the number (> 990), in English written out (more than 990 people)."""
    label = pick(lang, stat.label, stat.label_en)
    figure = show_value(stat) if lang == "zh" else (units or Units()).english_figure(stat)
    if stat.qualifier is Qualifier.RANGE:
        low = float(stat.low or 0)
        high = float(stat.high if stat.high is not None else low)
        return Bar(label, low, high, figure, ranged=True)
    value = float(stat.value if stat.value is not None else (stat.low or 0))
    return Bar(label, 0.0, value, figure, lower_bound=stat.qualifier is Qualifier.MORE_THAN)


def stats_chart(stats: Sequence[Statistic], lang: str, units: Units | None = None) -> BarChart:
    """Horizontal bars of the quantities, one group per unit in order of first appearance, each to its own scale.

    Ordinals (第十一批, 首届) are not quantities and are left out; the legend says so, and explains the
    lower-bound marker and ranges when the chart has them.
    """
    units = units or Units()
    groups: dict[str, list[Bar]] = {}
    ordinals = 0
    for stat in stats:
        if stat.kind is StatKind.ORDINAL:
            ordinals += 1
            continue
        groups.setdefault(stat.unit, []).append(stat_bar(stat, lang, units))
    bar_groups = [
        BarGroup(
            pick(
                lang,
                f"单位：{units.name(unit, 'zh')}（{len(bars)} 项）",
                f"Unit: {units.english(unit)} ({len(bars)})",
                " / ",
            ),
            tuple(bars),
        )
        for unit, bars in groups.items()
    ]
    bars = [bar for group in bar_groups for bar in group.bars]
    legend = [pick(lang, "每组按本组的最大数值缩放。", "Each unit is drawn to its own scale.")]
    if any(bar.lower_bound for bar in bars):
        legend.append(
            pick(
                lang,
                f"{LOWER_BOUND} 下限：原文为“余”“多”，实际数字更大。",
                f"{LOWER_BOUND} lower bound: the source says 'more than'.",
            )
        )
    if any(bar.ranged for bar in bars):
        legend.append(pick(lang, "区间从低值画到高值。", "A range is drawn from its low to its high end."))
    if any(stat.qualifier is Qualifier.ABOUT for stat in stats):
        legend.append(pick(lang, "≈ 约数。", "≈ about."))
    if ordinals:
        legend.append(
            pick(
                lang,
                f"另有 {ordinals} 项序数（第十一批、首届……）不是数量，未画出。",
                f"{ordinals} ordinals (the 11th batch, the 1st edition…) are not quantities and are not drawn.",
            )
        )
    return BarChart(pick(lang, "统计图", "Statistics"), bar_groups, legend)


# Facts per year.


class YearCount(NamedTuple):
    year: int
    new: int  # facts dated in this year, or periods starting in it
    ongoing: int  # periods that started in an earlier year and run into this one


def _start_end(fact: Fact) -> tuple[FuzzyDate, FuzzyDate] | None:
    when = fact.when
    return None if when is None else (when.start, when.end)


def facts_per_year(facts: Iterable[Fact]) -> list[YearCount]:
    """Every year from the first date to the last, with the facts that start in it and the periods running on."""
    spans = [span for span in map(_start_end, facts) if span is not None]
    if not spans:
        return []
    first = min(start.year for start, _ in spans)
    last = max(max(start.year, end.year) for start, end in spans)
    counts = []
    for year in range(first, last + 1):
        new = sum(1 for start, _ in spans if start.year == year)
        ongoing = sum(1 for start, end in spans if start.year < year <= end.year)
        counts.append(YearCount(year, new, ongoing))
    return counts


def sparkline(counts: Sequence[int]) -> str:
    """One character per count: ▁ to █ by size, · for none."""
    top = max(counts, default=0)
    if top <= 0:
        return NO_FACT * len(counts)
    return "".join(
        SPARKS[min(len(SPARKS) - 1, max(0, math.ceil(count / top * len(SPARKS)) - 1))] if count else NO_FACT
        for count in counts
    )


def timeline_chart(facts: Sequence[Fact], lang: str, *, undated: int = 0) -> BarChart:
    """Facts per year: a sparkline row for the rhythm at a glance, then one bar per year.

    A fact counts in the year of its date, a period in the year it starts; the years a period runs on
    into show as a lighter continuation of their bars.
    """
    years = facts_per_year(facts)
    bars = []
    for count in years:
        figure = str(count.new)
        if count.ongoing:
            figure += f" (+{count.ongoing})"
        bars.append(Bar(str(count.year), 0.0, float(count.new), figure, rest=float(count.ongoing)))
    header = []
    if years:
        spark = Text(f"{years[0].year} ")
        spark.append(sparkline([count.new for count in years]), style=BAR_STYLE)
        spark.append(f" {years[-1].year}")
        spark.no_wrap = True
        spark.overflow = "crop"
        header.append(spark)
    legend = [
        pick(
            lang,
            f"{FULL} 当年的事实（按日期，时期按起始年）",
            f"{FULL} facts of the year (by date; a period by its start)",
        )
    ]
    if any(count.ongoing for count in years):
        legend.append(
            pick(
                lang,
                f"{ONGOING} (+N) 此前开始、仍在进行的时期",
                f"{ONGOING} (+N) periods that started earlier and are still running",
            )
        )
    if undated:
        legend.append(pick(lang, f"另有 {undated} 条事实未注明日期。", f"{undated} undated facts are not counted."))
    title = pick(lang, "每年的事实", "Facts per year")
    return BarChart(title, [BarGroup(None, tuple(bars))], legend, header=header, label_share=0.1)
