"""The briefing's content: headings, paragraphs, tables and a timeline built from facts, sectors and sources.

Pure: no I/O, no clock, and no Markdown: render/report.py writes the blocks as Markdown (escaping data,
drawing tables and the Mermaid diagram). The same facts give the same blocks.

Layout: a title and the scope; the sources drawn on; the headline figures; the series of each measure across
the years (present/report_series.py); the timeline (as a diagram and as
a table); one section per sector (its facts, each cited to source and section, and its statistics); an index
of places and organisations with the ids of the facts that name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from shenka_cli.core.gazetteer import Gazetteer, gazetteer_for
from shenka_cli.core.model import EntityCategory, Fact, FactBase, Sector, Source, Statistic
from shenka_cli.core.query import (
    HEADLINE_MEASURES,
    HEADLINE_UNITS,
    Filters,
    chronological,
    date_span,
    headline_order,
    standing,
)
from shenka_cli.present.document import Column, Listing, Row
from shenka_cli.present.figures import HAN, Lexicon
from shenka_cli.present.names import (
    authors_text,
    bilingual,
    citation_text,
    entity_text,
    outlet_text,
    section_text,
    sector_name,
)
from shenka_cli.present.report_series import series_blocks
from shenka_cli.present.views import AS_WRITTEN, pick, qualifier_word, show_value, show_when, text_cells, text_columns

HEADLINE_COUNT = 8


class Heading(NamedTuple):
    level: int
    text: str


class Paragraph(NamedTuple):
    text: str


class Event(NamedTuple):
    """One fact on the timeline: the year it starts in, its date as shown, its title, its id."""

    year: int
    when: str
    text: str
    fact_id: str


class Timeline(NamedTuple):
    title: str
    events: tuple[Event, ...]


Block = Heading | Paragraph | Listing | Timeline


def pair(lang: str, zh: str, en: str) -> str:
    """Text in the chosen language; both languages as 'zh / en'."""
    return pick(lang, zh, en, joiner=" / ")


def _paragraph(text: str) -> Paragraph:
    return Paragraph(text)


def _heading(level: int, text: str) -> Heading:
    return Heading(level, text)


def _table(columns: Sequence[Column], rows: Iterable[Row]) -> Listing:
    return Listing(None, tuple(columns), tuple(rows))


def _sector_name(sector: Sector | None, sector_id: str, lang: str) -> str:
    return sector_name(sector, sector_id, lang, joiner=" / ")


def _outlet(source: Source, lang: str) -> str:
    return outlet_text(source, lang)


def cite(fact: Fact, base: FactBase, lang: str) -> str:
    """Where a fact comes from: each source id with the section of that source (and its note)."""
    return "; ".join(citation_text(citation, base.source(citation.id), lang) for citation in fact.sources)


def headline(stats: Iterable[Statistic], count: int = HEADLINE_COUNT) -> list[Statistic]:
    """The latest figure of each tracked measure, then money, then people, then the largest other quantities:
    at most two more of money and of people and one of any other unit, so that the figures cover the programme."""
    chosen: list[Statistic] = []
    taken: dict[str, int] = {}
    measures: set[str] = set()
    for stat in headline_order(stats):
        leading = stat.measure in HEADLINE_MEASURES
        if stat.measure in measures:
            continue  # one figure per measure: its largest, which for a running total is its latest
        if leading or taken.get(stat.unit, 0) < (2 if stat.unit in HEADLINE_UNITS else 1):
            chosen.append(stat)
            taken[stat.unit] = taken.get(stat.unit, 0) + (0 if leading else 1)
            if stat.measure:
                measures.add(stat.measure)
        if len(chosen) == count:
            break
    return chosen


def _paragraphs(lang: str, zh: str, en: str) -> list[Block]:
    """Prose in the chosen language; with both, the Chinese paragraph and then the English one."""
    if lang == "both":
        return [_paragraph(zh), _paragraph(en)]
    return [_paragraph(zh if lang == "zh" else en)]


def _label(lang: str, zh: str, en: str) -> str:
    """A field label before its value: 日期：, Date: or 日期 Date: ."""
    return {"zh": f"{zh}：", "en": f"{en}: "}.get(lang, f"{zh} {en}: ")


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _scope(base: FactBase, facts: Sequence[Fact], filters: Filters, lang: str) -> list[Block]:
    stats = sum(len(fact.stats) for fact in facts)
    sectors = len({fact.sector for fact in facts})
    first, last = date_span(facts)
    span = ""
    if first and last:
        span = first.iso if first.iso == last.iso else f"{first.iso} – {last.iso}"
    zh = f"本简报据 {len(facts)} 条事实、{stats} 项统计整理，涉及 {sectors} 个领域"
    zh += (f"，时间为 {span}" if span else "") + "。"
    en = (
        f"Drawn from {_count(len(facts), 'fact', 'facts')} and {_count(stats, 'statistic', 'statistics')} "
        f"in {_count(sectors, 'sector', 'sectors')}" + (f", dated {span}" if span else "") + "."
    )
    chosen_zh, chosen_en = [], []
    if filters.sector:
        sector = base.sector(filters.sector)
        chosen_zh.append(f"领域 {sector.name if sector else filters.sector}")
        chosen_en.append(f"sector {sector.name_en if sector else filters.sector}")
    gazetteer = gazetteer_for(base.entities)
    named = (
        ("地点", "place", filters.place, EntityCategory.PLACE),
        ("机构", "organisation", filters.organisation, EntityCategory.ORGANISATION),
        ("人物", "person", filters.person, EntityCategory.PERSON),
        ("标签", "tag", filters.tag, None),
        ("来源", "source", filters.source, None),
    )
    for word_zh, word_en, value, category in named:
        if value:
            chosen_zh.append(f"{word_zh} {_filter_name(value, category, gazetteer, 'zh')}")
            chosen_en.append(f"{word_en} {_filter_name(value, category, gazetteer, 'en')}")
    if filters.start:
        chosen_zh.append(f"自 {filters.start.iso}")
        chosen_en.append(f"from {filters.start.iso}")
    if filters.end:
        chosen_zh.append(f"至 {filters.end.iso}")
        chosen_en.append(f"to {filters.end.iso}")
    if chosen_zh:
        zh += "筛选：" + "；".join(chosen_zh) + "。"
        en += " Filters: " + "; ".join(chosen_en) + "."
    zh += "每条事实都注明出处（来源 ID 与章节），来源见下表；日期后的“推断”表示原文只给出相对时间（今年、截至目前……）。"
    en += (
        " Every fact cites its source (source id and section), listed below; 'inferred' after a date means the "
        "source gives it only relatively (this year, so far…)."
    )
    return _paragraphs(lang, zh, en)


def _filter_name(value: str, category: EntityCategory | None, gazetteer: Gazetteer, lang: str) -> str:
    """A filter's value as the scope line names it: an entity by its name in the language, anything else as
    typed (quoted when it is in the other language)."""
    entity = gazetteer.resolve(category, value) if category is not None else None
    if entity is not None:
        return entity_text(entity, lang)
    chinese = HAN.search(value) is not None
    foreign = chinese if lang == "en" else not chinese and re.search(r"[A-Za-z]{2}", value) is not None
    return f"“{value}”" if foreign else value


def _sources(base: FactBase, facts: Sequence[Fact], lang: str) -> list[Block]:
    """Every source any of the facts cites, with the sections cited."""
    cited: dict[str, list[tuple[Fact, str]]] = {}
    for fact in facts:
        for citation in fact.sources:
            cited.setdefault(citation.id, []).append((fact, citation.section))
    known = [source for source in base.sources if source.id in cited]
    unknown = sorted(set(cited) - {source.id for source in known})
    columns = [
        Column("id", "ID"),
        *text_columns(lang, "title", "标题", "Title"),
        Column("outlet", pair(lang, "媒体", "Outlet")),
        Column("authors", pair(lang, "作者", "Authors")),
        Column("date", pair(lang, "日期", "Date")),
        Column("sections", pair(lang, "引用章节", "Sections cited")),
        Column("facts", pair(lang, "事实", "Facts"), numeric=True),
    ]
    joiner = "、" if lang == "zh" else "; "
    rows = []
    for source in known:
        refs = list(dict.fromkeys(ref for _, ref in cited[source.id]))
        declared = [s for s in source.sections if any(s.matches(ref) for ref in refs)]
        undeclared = [ref for ref in refs if source.section(ref) is None]
        names = [section_text(source, s.id, lang) for s in declared] + undeclared
        rows.append(
            Row(
                {
                    "id": source.id,
                    **text_cells(lang, "title", bilingual("zh", source.title, None), source.title_en),
                    "outlet": _outlet(source, lang),
                    "authors": authors_text(source, lang),
                    "date": show_when(source.date, lang),
                    "sections": joiner.join(names),
                    "facts": len({fact.id for fact, _ in cited[source.id]}),
                }
            )
        )
    for source_id in unknown:
        sections = joiner.join(dict.fromkeys(ref for _, ref in cited[source_id]))
        rows.append(Row({"id": source_id, "sections": sections, "facts": len(cited[source_id])}))
    return [_heading(2, pair(lang, "来源", "Sources")), _table(columns, rows)]


def _stat_columns(lang: str) -> list[Column]:
    """A statistic in the language: the figure written in it (English from the unit registry) beside the original."""
    return [
        *text_columns(lang, "label", "指标", "Statistic"),
        Column("text", pair(lang, *AS_WRITTEN)),
        Column("value", pair(lang, "数值", "Figure"), numeric=lang == "zh"),
        Column("unit", pair(lang, "单位", "Unit")),
        Column("qualifier", pair(lang, "限定", "Qualifier")),
        Column("as_of", pair(lang, "时间", "As of")),
        Column("fact", pair(lang, "事实 ID", "Fact ID")),
    ]


def _stat_row(stat: Statistic, lang: str, lexicon: Lexicon) -> Row:
    units = lexicon.units
    return Row(
        {
            **text_cells(lang, "label", stat.label, stat.label_en),
            "text": stat.written,
            "value": show_value(stat) if lang == "zh" else units.english_figure(stat),
            "unit": units.name(stat.unit, lang),
            "qualifier": qualifier_word(stat.qualifier, lang),
            "as_of": show_when(stat.as_of, lang),
            "fact": stat.fact_id,
        }
    )


def _headline(facts: Sequence[Fact], lang: str, lexicon: Lexicon) -> list[Block]:
    chosen = headline(stat for fact in facts for stat in fact.stats)
    blocks: list[Block] = [_heading(2, pair(lang, "主要数字", "Headline figures"))]
    if not chosen:
        return [*blocks, *_paragraphs(lang, "没有统计数据。", "No statistics.")]
    blocks.append(_table(_stat_columns(lang), (_stat_row(stat, lang, lexicon) for stat in chosen)))
    blocks += _paragraphs(
        lang,
        "先列金额，再列人数，再列其他单位中最大的数量（每种单位一项）。“>”表示原文为“余”“多”，实际数字更大。",
        "Money first, then people, then the largest figure of each other unit. A figure 'more than' a number is "
        "one the source gives as a lower bound: the true number is larger.",
    )
    return blocks


def _start_year(fact: Fact) -> int:
    when = fact.when
    assert when is not None
    return when.start.year


def timeline(dated: Sequence[Fact], lang: str) -> Timeline:
    """The dated facts, in order, as timeline events."""
    events = tuple(
        Event(_start_year(fact), show_when(fact.when, lang), pair(lang, fact.title, fact.title_en), fact.id)
        for fact in dated
    )
    return Timeline(pair(lang, "深圳对口援疆喀什时间线", "Shenzhen's aid to Kashgar"), events)


def _timeline(base: FactBase, dated: Sequence[Fact], undated: int, lang: str) -> list[Block]:
    blocks: list[Block] = [_heading(2, pair(lang, "时间线", "Timeline"))]
    if not dated:
        return [*blocks, *_paragraphs(lang, "没有注明日期的事实。", "No dated facts.")]
    blocks.append(timeline(dated, lang))
    columns = [
        Column("date", pair(lang, "日期", "Date")),
        *text_columns(lang, "title", "标题", "Title"),
        Column("sector", pair(lang, "领域", "Sector")),
        Column("id", "ID"),
        Column("source", pair(lang, "出处", "Source")),
    ]
    rows = [
        Row(
            {
                "date": show_when(fact.when, lang),
                **text_cells(lang, "title", fact.title, fact.title_en),
                "sector": _sector_name(base.sector(fact.sector), fact.sector, lang),
                "id": fact.id,
                "source": cite(fact, base, lang),
            }
        )
        for fact in dated
    ]
    blocks.append(_table(columns, rows))
    if undated:
        blocks += _paragraphs(
            lang,
            f"另有 {undated} 条事实未注明日期，见各领域。",
            f"{_count(undated, 'undated fact is', 'undated facts are')} not on the timeline; "
            "they are listed under their sectors.",
        )
    return blocks


def _names(fact: Fact, category: EntityCategory, gazetteer: Gazetteer, lang: str) -> str:
    """The entities a fact names, by their names in the language (as written when the gazetteer lacks them)."""
    found = (gazetteer.resolve(category, ref) or ref for ref in fact.entity_refs(category))
    return pick(lang, "、", "; ").join(entity_text(entity, lang) for entity in found)


def _fact_blocks(fact: Fact, base: FactBase, lang: str) -> list[Block]:
    blocks: list[Block] = [_heading(3, pair(lang, fact.title, fact.title_en))]
    if lang in ("zh", "both"):
        blocks.append(_paragraph(fact.summary))
    if lang in ("en", "both"):
        blocks.append(_paragraph(fact.summary_en))
    details = []
    gazetteer = gazetteer_for(base.entities)
    if fact.when is not None:
        details.append(_label(lang, "日期", "Date") + show_when(fact.when, lang))
    elif fact.as_of is not None:
        details.append(_label(lang, "截至", "As of") + show_when(fact.as_of, lang))
    for category, zh, en in (
        (EntityCategory.PLACE, "地点", "Places"),
        (EntityCategory.ORGANISATION, "机构", "Organisations"),
        (EntityCategory.PERSON, "人物", "People"),
    ):
        if fact.entity_refs(category):
            details.append(_label(lang, zh, en) + _names(fact, category, gazetteer, lang))
    details.append(_label(lang, "出处", "Source") + cite(fact, base, lang))
    details.append("ID: " + fact.id)
    blocks.append(_paragraph(" · ".join(details)))
    return blocks


def _sector_section(
    base: FactBase, sector: Sector | None, sector_id: str, facts: Sequence[Fact], lang: str, lexicon: Lexicon
) -> list[Block]:
    name = _sector_name(sector, sector_id, lang)
    blocks: list[Block] = [_heading(2, name)]
    if sector is not None:
        blocks += _paragraphs(lang, sector.description, sector.description_en)
    dated, undated = chronological(facts)
    ordered = [*dated, *standing(facts), *undated]  # events and periods, then standing facts, then undated
    for fact in ordered:
        blocks.extend(_fact_blocks(fact, base, lang))
    stats = [stat for fact in ordered for stat in fact.stats]
    if stats:
        blocks.append(_heading(3, pair(lang, f"{name}：统计", f"{name}: statistics")))
        blocks.append(_table(_stat_columns(lang), (_stat_row(stat, lang, lexicon) for stat in stats)))
    return blocks


def _sort_names(names: Iterable[str], lang: str) -> list[str]:
    """Names as an index is read: Chinese in pinyin order, English alphabetically (then by the name itself)."""
    if lang == "en":
        return sorted(names, key=lambda name: (name.casefold(), name))
    from pypinyin import lazy_pinyin

    return sorted(names, key=lambda name: (" ".join(lazy_pinyin(name)).casefold(), name))


def _index(facts: Sequence[Fact], gazetteer: Gazetteer, lang: str) -> list[Block]:
    """Places and organisations by their names in the language, each with the facts that name it: a name the
    gazetteer knows under several forms (喀什, Kashgar) is one entry."""
    blocks: list[Block] = [_heading(2, pair(lang, "地点与机构索引", "Index of places and organisations"))]
    for zh, en, category in (
        ("地点", "Places", EntityCategory.PLACE),
        ("机构", "Organisations", EntityCategory.ORGANISATION),
    ):
        naming: dict[str, list[str]] = {}
        for fact in facts:
            found = (gazetteer.resolve(category, ref) or ref for ref in fact.entity_refs(category))
            for name in dict.fromkeys(entity_text(entity, lang) for entity in found):
                naming.setdefault(name, []).append(fact.id)
        blocks.append(_heading(3, pair(lang, zh, en)))
        if not naming:
            blocks += _paragraphs(lang, "无。", "None.")
            continue
        columns = [
            Column("name", pair(lang, zh, en)),
            Column("count", pair(lang, "事实数", "Facts"), numeric=True),
            Column("facts", pair(lang, "事实 ID", "Fact IDs")),
        ]
        rows = [
            Row({"name": name, "count": len(naming[name]), "facts": ", ".join(sorted(naming[name]))})
            for name in _sort_names(naming, lang)
        ]
        blocks.append(_table(columns, rows))
    return blocks


def build_report(base: FactBase, lang: str, filters: Filters | None = None) -> list[Block]:
    """The briefing of `base.facts` (already selected by `filters`, which the scope line describes)."""
    filters = filters or Filters()
    facts = list(base.facts)
    dated, undated = chronological(facts)
    title = pair(lang, "深圳对口援疆喀什：简报", "Shenzhen's counterpart aid to Kashgar: a briefing")
    blocks: list[Block] = [_heading(1, title)]
    blocks.extend(_scope(base, facts, filters, lang))
    blocks.extend(_sources(base, facts, lang))
    lexicon = Lexicon.of(base)
    blocks.extend(_headline(facts, lang, lexicon))
    blocks.extend(series_blocks(base, lang))
    blocks.extend(_timeline(base, dated, len(undated), lang))
    known = {sector.id for sector in base.sectors}
    for sector in base.sectors:
        own = [fact for fact in facts if fact.sector == sector.id]
        if own:
            blocks.extend(_sector_section(base, sector, sector.id, own, lang, lexicon))
    for sector_id in sorted({fact.sector for fact in facts} - known):
        blocks.extend(
            _sector_section(base, None, sector_id, [fact for fact in facts if fact.sector == sector_id], lang, lexicon)
        )
    blocks.extend(_index(facts, gazetteer_for(base.entities), lang))
    return blocks
