"""The briefing as one self-contained HTML page: what the Markdown briefing holds, with pictures.

The page is the Markdown briefing (present/report.py) turned into HTML by markdown-it, so both formats
always hold the same text, sections and tables. Where a reader would rather look than read, it adds:
the timeline drawn on a time axis (in place of the Mermaid diagram, with the facts that have no date
listed apart) and a section of bar charts, one per unit (present/svg_charts.py). Every "##" section
becomes a <section> with an id, and a table of contents leads to them; each fact's heading gets an id
that the timeline's marks link to.

Data cannot become markup: the Markdown escapes it, markdown-it renders text escaped, and raw HTML in
the Markdown is shown as text, except the <br> line breaks the Markdown tables use. Pure: no I/O.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from shenka_cli.core.model import Fact, FactBase
from shenka_cli.core.query import Filters, chronological, standing
from shenka_cli.present.figures import Lexicon
from shenka_cli.present.names import sector_name
from shenka_cli.present.report import pair
from shenka_cli.present.svg_charts import bars_svg, quantities_by_unit, sector_colours, timeline_svg
from shenka_cli.present.views import pick, show_when
from shenka_cli.render.html_page import page

_SLUG = re.compile(r"[^0-9A-Za-z_-]+")


def anchor(prefix: str, name: str) -> str:
    """An id for an element: the prefix and the name, with anything but ASCII letters, digits, - and _ as -."""
    return f"{prefix}-{_SLUG.sub('-', name).strip('-') or 'x'}"


def _esc(text: str) -> str:
    from shenka_cli.text.safety import visible

    return html.escape(visible(text), quote=True)


def _inline_text(token: Any) -> str:
    return "".join(child.content for child in token.children or () if child.type in ("text", "code_inline"))


def _parser() -> Any:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    rules = parser.renderer.rules  # type: ignore[attr-defined]

    def raw_html(tokens, index, options, env) -> str:
        content = tokens[index].content
        return content if content.strip().lower() in ("<br>", "<br/>", "<br />") else html.escape(content)

    rules["html_inline"] = raw_html
    rules["html_block"] = lambda tokens, index, options, env: f"<p>{html.escape(tokens[index].content)}</p>"
    rules["table_open"] = lambda tokens, index, options, env: '<div class="table"><table>\n'
    rules["table_close"] = lambda tokens, index, options, env: "</table></div>\n"
    return parser


def _labels(lang: str) -> dict[str, str]:
    return {
        "sources": pair(lang, "来源", "Sources"),
        "headline": pair(lang, "主要数字", "Headline figures"),
        "timeline": pair(lang, "时间线", "Timeline"),
        "index": pair(lang, "地点与机构索引", "Index of places and organisations"),
        "charts": pair(lang, "各单位的数字", "Figures by unit"),
        "contents": pair(lang, "目录", "Contents"),
        "undated": pair(lang, "没有日期的事实", "Facts without a date"),
        "standing": pair(lang, "截至某时的现状", "Standing facts, true as of a date"),
        "series": pair(lang, "序列", "Series"),
    }


def _section_ids(base: FactBase, lang: str) -> dict[str, str]:
    """The id of each "##" section, by its heading text."""
    labels = _labels(lang)
    ids = {labels[key]: key for key in ("sources", "headline", "series", "timeline", "index")}
    for sector in base.sectors:
        ids[sector_name(sector, sector.id, lang, " / ")] = anchor("sector", sector.id)
    for fact in base.facts:
        if fact.sector not in ids.values() and base.sector(fact.sector) is None:
            ids.setdefault(fact.sector, anchor("sector", fact.sector))
    return ids


def _apart(facts: Sequence[Fact], lang: str) -> str:
    """The facts that are not on the time axis, listed apart: standing facts with the date they hold as of,
    then the facts without any date."""
    labels = _labels(lang)
    blocks = []
    standing = [fact for fact in facts if fact.as_of is not None]
    undated = [fact for fact in facts if fact.as_of is None]
    for key, group in (("standing", standing), ("undated", undated)):
        if not group:
            continue
        items = []
        for fact in group:
            title = _esc(pick(lang, fact.title, fact.title_en, " / "))
            when = f' <span class="when">{_esc(show_when(fact.as_of, lang))}</span>' if fact.as_of else ""
            items.append(f'<li><a href="#{anchor("fact", fact.id)}">{title}</a>{when}</li>')
        heading = f"{labels[key]} ({len(group)})"
        blocks.append(f'<h3 class="{key}">{_esc(heading)}</h3><ul class="{key}">{"".join(items)}</ul>')
    return "".join(blocks)


def _timeline_figure(base: FactBase, dated: Sequence[Fact], undated: Sequence[Fact], lang: str) -> str:
    colours = sector_colours([sector.id for sector in base.sectors] + [fact.sector for fact in dated])
    svg = timeline_svg(dated, lang, colours, _labels(lang)["timeline"])
    keys = []
    for sector_id in dict.fromkeys(fact.sector for fact in dated):
        sector = base.sector(sector_id)
        name = sector_name(sector, sector_id, lang, " / ")
        keys.append(f'<li><span class="swatch" style="background:{colours[sector_id]}"></span>{_esc(name)}</li>')
    legend = pick(
        lang,
        "圆点：日；短条：月；浅色条：年；深色长条：时期；虚线边框：推断的日期。",
        "Dot: a day; short bar: a month; pale bar: a year; long solid bar: a period; dashed outline: an inferred date.",
        " ",
    )
    return (
        f'<figure class="chart">{svg}<figcaption><ul class="keys">{"".join(keys)}</ul>'
        f"<p>{_esc(legend)}</p></figcaption></figure>{_apart(undated, lang)}"
    )


def _charts_section(facts: Sequence[Fact], lang: str, lexicon: Lexicon) -> str:
    stats = [stat for fact in facts for stat in fact.stats]
    groups = quantities_by_unit(stats)
    if not groups:
        return ""
    title = _labels(lang)["charts"]
    parts = [f'<section id="charts"><h2>{_esc(title)}</h2>']
    legend = pick(
        lang,
        "每个单位按自己的比例画。空心虚线箭头表示下限：原文为“余”“多”，实际数字更大；区间从低值画到高值；≈ 为约数。",
        "Each unit is drawn to its own scale. An open dashed arrow marks a lower bound: the source says 'more than', "
        "so the true figure is larger; a range is drawn from its low to its high end.",
        " ",
    )
    parts.append(f"<p>{_esc(legend)}</p>")
    for unit, unit_stats in groups.items():
        heading = pick(lang, f"单位：{lexicon.units.name(unit, 'zh')}", f"Unit: {lexicon.units.english(unit)}", " / ")
        parts.append(f'<figure class="chart"><figcaption>{_esc(heading)}</figcaption>')
        parts.append(bars_svg(unit_stats, lang, heading, lexicon.units) + "</figure>")
    ordinals = len(stats) - sum(len(group) for group in groups.values())
    if ordinals:
        note = pick(
            lang,
            f"另有 {ordinals} 项序数（第十一批、首届……）不是数量，未画出。",
            f"{ordinals} ordinals (the 11th batch, the 1st edition…) are not quantities and are not drawn.",
            " ",
        )
        parts.append(f"<p>{_esc(note)}</p>")
    parts.append("</section>")
    return "".join(parts)


def build_html_report(base: FactBase, lang: str, filters: Filters | None = None) -> str:
    """The briefing of `base.facts` as one HTML page that fetches nothing."""
    facts = list(base.facts)
    dated, undated = chronological(facts)
    undated = [*standing(facts), *undated]  # both listed apart from the time axis
    parser = _parser()
    from shenka_cli.render.report import markdown_report

    tokens = parser.parse(markdown_report(base, lang, filters))
    section_ids = _section_ids(base, lang)
    fact_ids: dict[str, str] = {}
    for fact in facts:
        fact_ids.setdefault(pair(lang, fact.title, fact.title_en), anchor("fact", fact.id))
    title = ""
    sections: list[tuple[str, str, list[Any]]] = [("intro", "", [])]
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = _inline_text(tokens[index + 1])
            if token.tag == "h1":
                title = text
                token.attrSet("id", "top")
            elif token.tag == "h2":
                sections.append((section_ids.get(text, f"section-{len(sections)}"), text, []))
            elif token.tag == "h3" and text in fact_ids:
                token.attrSet("id", fact_ids.pop(text))
        if token.type == "fence" and token.info.strip() == "mermaid":
            token.type, token.content = "timeline_figure", _timeline_figure(base, dated, undated, lang)
        sections[-1][2].append(token)
    rules = parser.renderer.rules
    rules["timeline_figure"] = lambda tokens, index, options, env: tokens[index].content
    body = []
    contents = []
    for key, heading, section_tokens in sections:
        rendered = parser.renderer.render(section_tokens, parser.options, {})
        if key == "intro":
            body.append(f"<header>{rendered}</header>")
            continue
        contents.append(f'<li><a href="#{key}">{_esc(heading)}</a></li>')
        if key == "series":
            from shenka_cli.present.report_series import series_figures

            rendered += series_figures(base, lang)
        body.append(f'<section id="{key}">{rendered}</section>')
        if key == "timeline":
            charts = _charts_section(facts, lang, Lexicon.of(base))
            if charts:
                body.append(charts)
                contents.append(f'<li><a href="#charts">{_esc(_labels(lang)["charts"])}</a></li>')
    nav = f'<nav aria-label="{_esc(_labels(lang)["contents"])}"><ol>{"".join(contents)}</ol></nav>'
    return page(title, "en" if lang == "en" else "zh-Hans", body[0] + nav + "".join(body[1:]))
