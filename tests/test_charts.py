"""Charts: bars per unit that compare like with like, facts per year, fitted to the width, Chinese labels
aligned by screen cells; colour on a terminal, plain characters in a pipe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from shenka_cli.core.loader import load
from shenka_cli.core.model import Qualifier, StatKind
from shenka_cli.core.query import StatSort, chronological, statistics
from shenka_cli.present.charts import EIGHTHS, FULL, LOWER_BOUND, NO_FACT, draw, facts_per_year, sparkline, stats_chart
from shenka_cli.present.charts import timeline_chart as make_timeline_chart
from shenka_cli.present.figures import Units
from shenka_cli.text.safety import UNSAFE

from .conftest import ARTICLE_BASE, BUNDLED, REPO, as_seen
from .helpers import write_hostile_base

BAR_CHARS = FULL + "".join(EIGHTHS)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def base():
    return load([ARTICLE_BASE]).base


def bar_start(line: str) -> int | None:
    """The screen column where a line's bar (or a range's blank lead) starts: after the label and one space."""
    match = re.search(f"[{BAR_CHARS}]", line)
    return cell_len(line[: match.start()]) if match else None


def bar_lines(text: str) -> list[str]:
    """The lines of a printed chart that hold bars: a label first, then a bar (legend lines start with a symbol)."""
    return [
        line
        for line in text.splitlines()
        if re.search(f"[{BAR_CHARS}]", line) and line[:1] not in ("+", FULL, "░") and "·" not in line
    ]


def chart_bar_lines(chart, width: int) -> list[str]:
    """The bar lines of a chart laid out at a width, taken from its structure rather than from its text."""
    lines = chart.lines(width)
    index = 1 + len(chart.header)
    found = []
    for group in chart.groups:
        index += group.heading is not None
        found += [line.plain for line in lines[index : index + len(group.bars)]]
        index += len(group.bars)
    return found


# --- drawing -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "top", "width", "ranged", "expected"),
    [
        (0, 10, 10, 5, False, FULL * 5),
        (0, 5, 10, 5, False, FULL * 2 + EIGHTHS[4]),
        (0, 0, 10, 5, False, ""),
        (0, 0.0001, 10, 5, False, EIGHTHS[1]),  # a figure above zero never vanishes
        (0, 20, 10, 5, False, FULL * 5),  # never wider than the width
        (0, 1, 0, 5, False, ""),
        (7, 10, 10, 10, True, " " * 7 + FULL * 3),
        (1, 3, 10, 10, True, " " + FULL * 2),
        (9.9, 10, 10, 10, True, " " * 9 + FULL),  # a narrow range still shows
        (0, float("inf"), 10, 5, False, ""),
    ],
)
def test_draw(start, end, top, width, ranged, expected):
    assert draw(start, end, top, width, ranged=ranged) == expected


def test_sparkline():
    assert sparkline([0, 1, 4, 8]) == f"{NO_FACT}▁▄█"
    assert sparkline([0, 0]) == NO_FACT * 2
    assert sparkline([]) == ""


# --- statistics --------------------------------------------------------------------------------------------


def test_one_group_per_unit_and_every_quantity_drawn(base):
    stats = statistics(base, base.facts, StatSort.UNIT)
    chart = stats_chart(stats, "zh")
    quantities = [stat for stat in stats if stat.kind is StatKind.QUANTITY]
    units = list(dict.fromkeys(stat.unit for stat in quantities))
    assert [group.heading for group in chart.groups] == [
        f"单位：{unit}（{sum(1 for s in quantities if s.unit == unit)} 项）" for unit in units
    ]
    assert [bar.label for bar in chart.bars] == [stat.label for stat in quantities]
    text = chart.plain(100)
    assert "另有 6 项序数" in text  # ordinals are counted in the legend, not drawn


def test_bars_compare_like_with_like(base):
    """Within a unit the largest figure fills the bar width; lengths are proportional to the figures."""
    stats = [s for s in statistics(base, base.facts, StatSort.VALUE) if s.unit == "人"]
    lines = bar_lines(stats_chart(stats, "en").plain(100))
    lengths = [sum(1 for char in line if char == FULL) for line in lines]
    values = [s.value for s in stats]
    assert lengths[0] == max(lengths)
    for length, value in zip(lengths, values, strict=True):
        assert abs(length - value / values[0] * lengths[0]) <= 1


def test_more_than_is_marked_as_a_lower_bound_with_a_legend(base):
    stats = statistics(base, base.facts, StatSort.UNIT)
    units = Units(load([BUNDLED]).base.units)
    text = stats_chart(stats, "en", units).plain(100)
    legend = f"{LOWER_BOUND} lower bound: the source says 'more than'."
    assert legend in text.splitlines()
    quantities = [stat for stat in stats if stat.kind is StatKind.QUANTITY]
    for stat, line in zip(quantities, bar_lines(text), strict=True):
        assert line.startswith(stat.label_en[:20])
        marked = re.search(f"[{BAR_CHARS}]\\{LOWER_BOUND} ", line) is not None
        assert marked == (stat.qualifier is Qualifier.MORE_THAN), line
        if stat.qualifier is Qualifier.MORE_THAN:  # the figure in English words: "more than 990 people"
            assert line.endswith(units.english_figure(stat)) and "more than" in line


def test_a_range_is_drawn_from_low_to_high(base):
    stats = [s for s in statistics(base, base.facts, StatSort.UNIT) if s.qualifier is Qualifier.RANGE]
    assert {(s.low, s.high) for s in stats} == {(7, 10), (1, 3)}
    chart = stats_chart(stats, "en")
    text = chart.plain(100)
    lines = bar_lines(text)
    start = max(len(stat.label_en) for stat in stats) + 1  # labels are padded to the longest, then a space

    def lead_and_end(label: str) -> tuple[int, int]:
        line = next(line for line in lines if line.startswith(label))
        drawn = re.match(f" *[{BAR_CHARS}]+", line[start:]).group()
        return len(drawn) - len(drawn.lstrip(" ")), len(drawn)

    lead, full = lead_and_end("Delivery time (before)")  # 7 – 10: the largest high end fills the width
    assert lead == int(0.7 * full)
    lead, end = lead_and_end("Delivery time (now)")  # 1 – 3
    assert lead == int(0.1 * full) and abs(end - 0.3 * full) <= 1
    assert "A range is drawn from its low to its high end." in text


@pytest.mark.parametrize("width", [20, 40, 60, 80, 100, 160])
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_charts_fit_the_width_and_labels_align_by_screen_cells(base, width, lang):
    stats = statistics(base, base.facts, StatSort.VALUE)
    dated, undated = chronological(base.facts)
    for chart in (stats_chart(stats, lang), make_timeline_chart(dated, lang, undated=len(undated))):
        text = chart.plain(width)
        assert all(cell_len(line) <= width for line in text.splitlines()), text
        lines = chart_bar_lines(chart, width)
        assert len(lines) == len(chart.bars)
        assert all(cell_len(line) <= width for line in lines)
        # a range's bar starts at its low end ("7 – 10", or "7–10 days" in English)
        starts = {bar_start(line) for line in lines if "–" not in line and bar_start(line) is not None}
        assert len(starts) == 1, text  # one bar column, whatever the labels' widths


def test_chinese_labels_are_padded_by_cells_not_characters(base):
    text = stats_chart(statistics(base, base.facts, StatSort.UNIT), "zh").plain(100)
    line = next(line for line in bar_lines(text) if line.startswith("募捐AED"))
    other = next(line for line in bar_lines(text) if line.startswith("国家通用语言文字阅读机"))
    assert bar_start(line) == bar_start(other) == cell_len("赴外地交流学习的喀什青少年学生") + 1


def test_long_labels_are_cut_with_an_ellipsis(base):
    text = stats_chart(statistics(base, base.facts, StatSort.UNIT), "en").plain(40)
    assert "…" in text
    assert all(cell_len(line) <= 40 for line in text.splitlines())


# --- facts per year ----------------------------------------------------------------------------------------


def test_facts_per_year_counts_dates_and_periods(base):
    dated, _ = chronological(base.facts)
    years = facts_per_year(dated)
    assert [count.year for count in years] == list(range(2010, 2026))
    assert sum(count.new for count in years) == len(dated)
    programme = base.fact("aid-programme-since-2010")
    assert programme.period is not None
    assert all(count.ongoing >= 1 for count in years[1:])  # the programme runs on from 2010 to 2025
    assert years[5].new == 0 and years[5].ongoing == 1


def test_timeline_chart(base):
    dated, undated = chronological(base.facts)
    text = make_timeline_chart(dated, "en", undated=len(undated)).plain(100)
    lines = text.splitlines()
    assert lines[0] == "Facts per year"
    assert lines[1].startswith("2010 ") and lines[1].endswith(" 2025") and len(lines[1]) == len("2010  2025") + 16
    years = facts_per_year(dated)
    for count in years:
        line = next(line for line in lines[2:] if line.startswith(f"{count.year} "))
        assert line.split()[-2 if count.ongoing else -1] == str(count.new)
        assert line.endswith(f" (+{count.ongoing})") == bool(count.ongoing)
        assert ("░" in line) == bool(count.ongoing)
    assert f"{len(undated)} undated facts are not counted." in lines


# --- the CLI -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["stats", "--chart"], ["timeline", "--chart"]], ids=" ".join)
def test_charts_are_plain_text_in_a_pipe(run, command):
    result = run(*command)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert FULL in result.stdout
    assert all(cell_len(line) <= 100 for line in result.stdout.splitlines())


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("command", [["stats", "--chart"], ["timeline", "--chart"]], ids=" ".join)
def test_charts_have_colour_on_a_terminal_and_the_same_characters(command):
    """Run in a pseudo-terminal: styles appear; without them the text is what a pipe gets at the same width."""
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env |= {"COLUMNS": "90", "TERM": "xterm-256color"}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "shenka_cli", *command], stdout=follower, stderr=follower, env=env, cwd=REPO
    )
    os.close(follower)
    chunks = []
    while select.select([leader], [], [], 60)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=60) == 0
    os.close(leader)
    shown = as_seen(b"".join(chunks).decode("utf-8"))
    assert ANSI.search(shown), "a terminal gets colours"
    env.pop("TERM")
    piped = subprocess.run(
        [sys.executable, "-m", "shenka_cli", *command], capture_output=True, env=env, cwd=REPO, check=True
    ).stdout.decode("utf-8")
    assert "\x1b" not in piped
    plain = [line.rstrip() for line in ANSI.sub("", shown).splitlines()]
    assert plain == [line.rstrip() for line in piped.splitlines()]


def test_chart_formats(run, tmp_path):
    for command in (["stats", "--chart"], ["timeline", "--chart"]):
        for format in ("markdown", "csv", "json"):
            result = run(*command, "--format", format)
            assert result.exit_code == 2 and "--chart" in result.stderr
        output = tmp_path / f"{command[0]}.txt"
        assert run(*command, "-o", str(output)).exit_code == 0
        written = output.read_text(encoding="utf-8")
        assert FULL in written and "\x1b" not in written
        assert run(*command, "-o", str(output)).exit_code == 2  # exists: --force needed
        html = run(*command, "--format", "html")
        assert html.exit_code == 0 and "<pre" in html.stdout and FULL in html.stdout


def test_chart_with_nothing_to_draw_exits_1(run):
    assert run("timeline", "--chart", "--from", "2030").exit_code == 1
    assert run("stats", "--chart", "--sector", "exchange", "--from", "2030").exit_code == 1


def test_chart_language(run):
    en = run("--lang", "en", "stats", "--chart").stdout
    assert "Unit: people" in en and "Key companies settled" in en and "落户重点企业" not in en
    zh = run("stats", "--chart").stdout
    assert "单位：人" in zh and "落户重点企业" in zh
    both = run("--lang", "both", "timeline", "--chart").stdout
    assert "每年的事实 Facts per year" in both


def test_hostile_labels_print_literally(run, tmp_path):
    directory = write_hostile_base(tmp_path / "hostile")
    for command in (["stats", "--chart"], ["timeline", "--chart"]):
        result = run("--facts", str(directory), "--lang", "both", *command)
        assert result.exit_code == 0, result.output
        assert not {char for char in UNSAFE.findall(result.stdout) if char != "\n"}
    stats = run("--facts", str(directory), *["stats", "--chart"]).stdout
    assert "[bold]x[/]" in stats and "\\x1b[31mred" in stats


def test_chart_help_mentions_the_flag(run):
    for command in ("stats", "timeline"):
        assert "--chart" in run(command, "--help").stdout


def test_readme_picture_is_a_timeline_chart_made_by_shenka():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "![timeline chart](docs/timeline-chart.svg)" in readme
    svg = Path(REPO / "docs" / "timeline-chart.svg").read_text(encoding="utf-8")
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(svg)
    text = "".join(root.itertext()).replace("\xa0", " ")
    assert "Facts per year" in text and FULL in text
