"""The briefing's "Series" section: each measure's values in time order, each point cited, its flags in words.

Pure blocks for present/report.py (Markdown) and the HTML page, which draws each series beside its table
(present/svg_series.py). Only the series of the briefing's own facts are shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from shenka_cli.core.model import FactBase
from shenka_cli.core.series import Series, build_series
from shenka_cli.present.document import Column, Listing, Row
from shenka_cli.present.figures import Units
from shenka_cli.present.series import flag_note, point_date, series_title, sources_text
from shenka_cli.present.views import pick, qualifier_word


def report_series(base: FactBase) -> list[Series]:
    """The series with values among the briefing's facts (a filtered briefing shows what its facts give)."""
    return [series for series in build_series(base.measures, base.facts) if series.points]


def series_heading(lang: str) -> str:
    return pick(lang, "序列", "Series", " / ")


def series_blocks(base: FactBase, lang: str, found: Sequence[Series] | None = None) -> list:
    """A heading, a short explanation, then for each series its title, a table of its points and its flags."""
    from shenka_cli.present.report import Heading, Paragraph

    found = report_series(base) if found is None else found
    if not found:
        return []
    sources = {source.id: source for source in base.sources}
    blocks: list = [Heading(2, series_heading(lang))]
    intro_zh = (
        "同一指标在不同年份、不同来源中的数值，按时间排列，每个数值注明事实与出处。"
        "“>”表示原文为“余”“多”，是下限；单位不同（人与人次）的数值分列，不可比较。"
    )
    intro_en = (
        "The same measure across the years and the sources, in time order, each value cited to its fact and "
        "sources. A value 'more than' a number is a lower bound; values in different units (people and "
        "person-trips) are listed apart and cannot be compared."
    )
    blocks += [Paragraph(text) for text in _both(lang, intro_zh, intro_en)]
    columns = (
        Column("date", pick(lang, "日期", "Date", " / ")),
        Column("value", pick(lang, "数值", "Value", " / "), numeric=True),
        Column("qualifier", pick(lang, "限定", "Qualifier", " / ")),
        Column("text", pick(lang, "原文", "As written (original)", " / ")),
        Column("fact", pick(lang, "事实", "Fact", " / ")),
        Column("sources", pick(lang, "出处", "Sources", " / ")),
    )
    for series in found:
        blocks.append(Heading(3, series_title(series, base.units, lang)))
        rows = tuple(
            Row(
                {
                    "date": point_date(point, lang),
                    "value": Units(base.units).quantity(
                        point.value, point.low, point.high, point.qualifier, point.unit, lang
                    ),
                    "qualifier": qualifier_word(point.qualifier, lang),
                    "text": point.written,
                    "fact": point.fact_id,
                    "sources": sources_text(point, sources, lang),
                }
            )
            for point in series.points
        )
        blocks.append(Listing(None, columns, rows))
        for flag in series.flags:
            if lang == "both":
                blocks += [Paragraph("! " + flag_note(flag, series, base.units, side)) for side in ("zh", "en")]
            else:
                blocks.append(Paragraph("! " + flag_note(flag, series, base.units, lang)))
    return blocks


def _both(lang: str, zh: str, en: str) -> list[str]:
    return [zh, en] if lang == "both" else [zh if lang == "zh" else en]


def series_figures(base: FactBase, lang: str) -> str:
    """The HTML page's drawings of the series: one figure each, titled, with a legend (inline SVG)."""
    import html

    from shenka_cli.present.svg_series import series_svg
    from shenka_cli.text.safety import visible

    def escaped(text: str) -> str:
        return html.escape(visible(text), quote=True)

    parts = []
    for series in report_series(base):
        title = series_title(series, base.units, lang)
        svg = series_svg(series, base.sources, lang, title)
        parts.append(f'<figure class="chart"><figcaption>{escaped(title)}</figcaption>{svg}</figure>')
    if not parts:
        return ""
    legend = pick(
        lang,
        "实心圆点：确数；空心圆点加向上箭头（≥）：下限，原文为“余”“多”；空心圆点：约数；竖条：区间。每个序列按自身比例画，"
        "点击圆点转到其事实。",
        "Filled dot: an exact value; open dot with an arrow up (≥): a lower bound, the source says 'more than'; "
        "open dot: about; vertical bar: a range. Each series is drawn to its own scale; a dot links to its fact.",
        " ",
    )
    return f'<p class="legend">{escaped(legend)}</p>' + "".join(parts)
