"""What each command shows, as a Document: the listings for people and the JSON records for scripts.

`machine=True` builds the listings for CSV: raw numbers in their own columns instead of display text, a
fact's date as ISO columns (date, period_start, period_end, date_precision, date_inferred), and for `show`
and `sectors SECTOR` one listing of one row per statistic with its fact's columns (a fact without
statistics has one row with the statistic columns empty), so a CSV export holds everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from shenka_cli.core.gazetteer import Gazetteer, gazetteer_for
from shenka_cli.core.model import EntityCategory, Fact, FactBase, Qualifier, Statistic, When
from shenka_cli.core.query import SectorSummary, chronological, standing
from shenka_cli.present.document import Cell, Column, Document, LazyRows, Listing, Row, Span
from shenka_cli.render.table import format_number

if TYPE_CHECKING:
    from shenka_cli.core.store.results import Found, Statistics, Timeline

INFERRED = {"zh": "推断", "en": "inferred"}
UNDATED = {"zh": "未注明日期", "en": "Undated"}
QUALIFIER_WORDS = {
    Qualifier.EXACT: ("精确", "exact"),
    Qualifier.MORE_THAN: ("以上", "more than"),
    Qualifier.ABOUT: ("约", "about"),
    Qualifier.RANGE: ("区间", "range"),
    Qualifier.LESS_THAN: ("以下", "less than"),
}


def pick(lang: str, zh: str, en: str, joiner: str = " ") -> str:
    """Text in the chosen language; with both, the two joined."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh}{joiner}{en}"


def text_columns(lang: str, key: str, zh: str, en: str) -> list[Column]:
    """The column(s) for a bilingual field: one in zh or en, two with --lang both."""
    if lang == "both":
        return [Column(key, zh), Column(f"{key}_en", en)]
    return [Column(key if lang == "zh" else f"{key}_en", zh if lang == "zh" else en)]


def text_cells(lang: str, key: str, zh: str, en: str) -> dict[str, str]:
    if lang == "both":
        return {key: zh, f"{key}_en": en}
    return {key: zh} if lang == "zh" else {f"{key}_en": en}


def show_when(when: When | None, lang: str) -> str:
    """A date at its own precision, a period as a range; inferred ones marked."""
    if when is None:
        return ""
    text = str(when)
    if when.inferred:
        text += f" ({INFERRED['en'] if lang == 'en' else INFERRED['zh']})"
    return text


def show_value(stat: Statistic) -> str:
    """The number with its qualifier: a 'more than' figure never reads as exact."""
    if stat.qualifier is Qualifier.RANGE:
        return f"{format_number(stat.low)} – {format_number(stat.high)}"
    number = format_number(stat.value)
    if stat.qualifier is Qualifier.MORE_THAN:
        return f"> {number}"
    if stat.qualifier is Qualifier.ABOUT:
        return f"≈ {number}"
    if stat.qualifier is Qualifier.LESS_THAN:
        return f"< {number}"
    return number


def qualifier_word(qualifier: Qualifier, lang: str) -> str:
    zh, en = QUALIFIER_WORDS[qualifier]
    return pick(lang, zh, en)


# JSON records: the contract documented in the README.


def when_iso(when: When | None) -> str | None:
    return when.iso if when is not None else None


def stat_record(stat: Statistic, sector: str) -> dict[str, Any]:
    return {
        "fact": stat.fact_id,
        "sector": sector,
        "label": stat.label,
        "label_en": stat.label_en,
        "text": stat.written,
        "value": stat.value if stat.qualifier is not Qualifier.RANGE else None,
        "low": stat.low,
        "high": stat.high,
        "unit": stat.unit,
        "qualifier": stat.qualifier.value,
        "as_of": when_iso(stat.as_of),
        "as_of_inferred": bool(stat.as_of and stat.as_of.inferred),
        "kind": stat.kind.value,
    }


def fact_record(fact: Fact, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """A fact as the JSON contract gives it (README, "JSON output"); entity objects need the gazetteer."""
    date = fact.date
    period = fact.period
    entities = {category.plural: entity_records(fact, category, gazetteer) for category in EntityCategory}
    return {
        "id": fact.id,
        "sector": fact.sector,
        "date": date.iso if date else None,
        "date_precision": date.precision.value if date else None,
        "date_inferred": bool(fact.dated and fact.dated.inferred),
        "date_inferred_reason": fact.inferred_reason,
        "period": {"start": period.start.iso, "end": period.end.iso} if period else None,
        "as_of": fact.as_of.iso if fact.as_of else None,
        "title": fact.title,
        "title_en": fact.title_en,
        "summary": fact.summary,
        "summary_en": fact.summary_en,
        "places": [entity["name"] for entity in entities["places"]],
        "organisations": [entity["name"] for entity in entities["organisations"]],
        "people": [entity["name"] for entity in entities["people"]],
        "tags": list(fact.tags),
        "source": {"id": fact.source.id, "section": fact.source.section},
        "sources": [{"id": c.id, "section": c.section, "note": c.note} for c in fact.sources],
        "entities": entities,
        "stats": [stat_record(stat, fact.sector) for stat in fact.stats],
    }


def entity_records(fact: Fact, category: EntityCategory, gazetteer: Gazetteer | None) -> list[dict[str, Any]]:
    """The fact's entities of one category: id, names, kind and parent; a name the gazetteer lacks has id null."""
    found = []
    for ref in fact.entity_refs(category):
        entity = gazetteer.resolve(category, ref) if gazetteer is not None else None
        if entity is None:
            found.append({"id": None, "name": ref, "name_en": None, "kind": None, "within": None})
        else:
            found.append(
                {
                    "id": entity.id,
                    "name": entity.name,
                    "name_en": entity.name_en,
                    "kind": entity.kind,
                    "within": entity.within,
                }
            )
    return found


def sector_record(summary: SectorSummary) -> dict[str, Any]:
    return {
        "id": summary.sector.id,
        "name": summary.sector.name,
        "name_en": summary.sector.name_en,
        "facts": summary.facts,
        "stats": summary.stats,
        "first_date": summary.first.iso if summary.first else None,
        "last_date": summary.last.iso if summary.last else None,
        "headline": [stat_record(stat, summary.sector.id) for stat in summary.headline],
    }


# The keys of each kind of record, in order (tests check them against the records).
FACT_KEYS = (
    "id",
    "sector",
    "date",
    "date_precision",
    "date_inferred",
    "date_inferred_reason",
    "period",
    "as_of",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "places",
    "organisations",
    "people",
    "tags",
    "source",
    "sources",
    "entities",
    "stats",
)
STAT_KEYS = (
    "fact",
    "sector",
    "label",
    "label_en",
    "text",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "as_of",
    "as_of_inferred",
    "kind",
)
SECTOR_KEYS = ("id", "name", "name_en", "facts", "stats", "first_date", "last_date", "headline")


# Listings.


DATE_COLUMNS = ("date", "period_start", "period_end", "as_of", "date_precision", "date_inferred")


def date_cells(fact: Fact) -> dict[str, Cell]:
    """A fact's date as machine columns, the same values as its JSON record."""
    date, period = fact.date, fact.period
    return {
        "date": date.iso if date else None,
        "period_start": period.start.iso if period else None,
        "period_end": period.end.iso if period else None,
        "as_of": fact.as_of.iso if fact.as_of else None,
        "date_precision": date.precision.value if date else None,
        "date_inferred": "true" if fact.dated is not None and fact.dated.inferred else "false",
    }


def fact_columns(lang: str, *, machine: bool) -> list[Column]:
    dates = [Column(key, key) for key in DATE_COLUMNS] if machine else [Column("date", pick(lang, "日期", "Date"))]
    return [
        *dates,
        *text_columns(lang, "title", "标题", "Title"),
        Column("sector", pick(lang, "领域", "Sector")),
        Column("id", "ID"),
    ]


def fact_cells(fact: Fact, lang: str, *, machine: bool) -> dict[str, Cell]:
    dates = date_cells(fact) if machine else {"date": show_fact_date(fact, lang)}
    return {**dates, **text_cells(lang, "title", fact.title, fact.title_en), "sector": fact.sector, "id": fact.id}


def fact_listing(
    title: str | None,
    facts: Sequence[Fact],
    lang: str,
    *,
    by_year: bool,
    note: str | None = None,
    empty: str = "nothing to show",
    machine: bool = False,
) -> Listing:
    columns = tuple(fact_columns(lang, machine=machine))
    rows = tuple(fact_rows(facts, lang, by_year=by_year, machine=machine))
    return Listing(title, columns, rows, note=note, empty_message=empty)


def fact_rows(facts: Iterable[Fact], lang: str, *, by_year: bool, machine: bool) -> Iterator[Row]:
    for fact in facts:
        group = year_group(fact, lang) if by_year else None
        yield Row(fact_cells(fact, lang, machine=machine), group=group)


def year_group(fact: Fact, lang: str) -> str:
    """A timeline group: an event's or period's (first) year, "As of YEAR" for a standing fact, or undated."""
    if fact.when is not None:
        return str(fact.when.start.year)
    if fact.as_of is not None:
        return pick(lang, f"截至{fact.as_of.year}年", f"As of {fact.as_of.year}")
    return pick(lang, UNDATED["zh"], UNDATED["en"])


def show_fact_date(fact: Fact, lang: str) -> str:
    """An event's date, a period, or "as of DATE" for a standing fact (inferred ones marked)."""
    if fact.as_of is not None and fact.when is None:
        return pick(lang, "截至 ", "as of ") + show_when(fact.as_of, lang)
    return show_when(fact.when, lang)


def stats_listing(
    title: str | None,
    stats: Sequence[Statistic],
    sector_of: dict[str, str],
    lang: str,
    *,
    machine: bool,
    grouped: bool = True,
) -> Listing:
    columns = stats_columns(lang, machine=machine)
    rows = tuple(stat_rows(((stat, sector_of.get(stat.fact_id, "")) for stat in stats), lang, machine, grouped))
    return Listing(title, columns, rows, empty_message=pick(lang, "没有统计数据", "no statistics"))


def stats_columns(lang: str, *, machine: bool) -> tuple[Column, ...]:
    columns = [
        *text_columns(lang, "label", "指标", "Statistic"),
        Column("text", pick(lang, "原文", "As written")),
    ]
    if machine:
        columns += [
            Column("value", "value", numeric=True),
            Column("low", "low", numeric=True),
            Column("high", "high", numeric=True),
        ]
    else:
        columns.append(Column("value", pick(lang, "数值", "Value"), numeric=True))
    columns += [
        Column("unit", pick(lang, "单位", "Unit")),
        Column("qualifier", pick(lang, "限定", "Qualifier")),
        Column("as_of", pick(lang, "时间", "As of")),
        Column("sector", pick(lang, "领域", "Sector")),
        Column("fact", pick(lang, "事实", "Fact")),
    ]
    return tuple(columns)


def stat_rows(stats: Iterable[tuple[Statistic, str]], lang: str, machine: bool, grouped: bool) -> Iterator[Row]:
    """One row per (statistic, its fact's sector)."""
    for stat, sector in stats:
        cells = stat_cells(stat, lang, machine=machine) | {"sector": sector, "fact": stat.fact_id}
        yield Row(cells, group=stat.unit if grouped else None)


def stat_cells(stat: Statistic, lang: str, *, machine: bool) -> dict[str, Cell]:
    """A statistic's own cells (not its fact's): display text, or raw numbers and ISO dates for machines."""
    cells: dict[str, Cell] = {**text_cells(lang, "label", stat.label, stat.label_en), "text": stat.written}
    if machine:
        cells |= {
            "value": stat.value if stat.qualifier is not Qualifier.RANGE else None,
            "low": stat.low,
            "high": stat.high,
        }
    else:
        cells["value"] = show_value(stat)
    return cells | {
        "unit": stat.unit,
        "qualifier": stat.qualifier.value if machine else qualifier_word(stat.qualifier, lang),
        "as_of": when_iso(stat.as_of) if machine else show_when(stat.as_of, lang),
    }


STAT_COLUMNS = ("label", "label_en", "text", "value", "low", "high", "unit", "qualifier", "stat_as_of", "kind")


def fact_stat_listing(title: str | None, facts: Sequence[Fact], lang: str) -> Listing:
    """For CSV: one row per statistic with its fact's columns; a fact without statistics has one row.

    The statistic's as_of is `stat_as_of`, apart from the fact's own `as_of` (a standing fact's date)."""
    stat_columns = [
        *text_columns(lang, "label", "label", "label_en"),
        *(Column(key, key, numeric=key in ("value", "low", "high")) for key in STAT_COLUMNS[2:]),
    ]
    columns = (*fact_columns(lang, machine=True), *stat_columns)
    rows = []
    for fact in facts:
        own = fact_cells(fact, lang, machine=True)
        for stat in fact.stats or (None,):
            stat_part: dict[str, Cell] = {}
            if stat is not None:
                stat_part = stat_cells(stat, lang, machine=True)
                stat_part |= {"stat_as_of": stat_part.pop("as_of"), "kind": stat.kind.value}
            rows.append(Row(own | stat_part))
    return Listing(title, columns, tuple(rows))


# Documents, one per command.


def timeline_document(timeline: Timeline, lang: str, *, show_undated: bool, machine: bool = False) -> Document:
    """Events and periods in date order, then the standing facts under "As of YEAR", read from the store as
    they are written; the undated ones on request."""
    notes = []
    if timeline.undated and not show_undated:
        notes.append(
            pick(
                lang,
                f"另有 {timeline.undated} 条未注明日期的事实未列出（用 --undated 显示）。",
                f"{timeline.undated} undated facts not shown (use --undated to list them).",
            )
        )
    if timeline.standing:
        notes.append(
            pick(
                lang,
                "“截至”某年的事实是持续情况（近年来、截至目前、累计），开始时间不详，不是当年发生的事件。",
                "Facts 'as of' a year are standing conditions (in recent years, so far, cumulative totals) with no "
                "known start: they are not events of that year.",
            )
        )
    if timeline.inferred:
        notes.append(
            pick(
                lang,
                "（推断）：原文只给出相对时间（今年、截至目前……），日期据此推算；原因见 shenka show ID。",
                "(inferred): the source gives the date only relatively (this year, so far…); "
                "`shenka show ID` gives the reason.",
            )
        )
    note = " ".join(notes) or None
    from shenka_cli.present.cells import rows_from_cell_sets

    columns = tuple(fact_columns(lang, machine=machine))
    keys = [column.key for column in columns]
    rows = LazyRows(lambda: rows_from_cell_sets(timeline.cells(), keys, lang, by_year=True, machine=machine))
    listing = Listing(pick(lang, "时间线", "Timeline"), columns, rows, note=note)
    return Document((listing,), timeline.records, keys=FACT_KEYS)


def search_document(found: Found, lang: str) -> Document:
    """The best hits, in rank order, with the matched field and a snippet of it."""
    from shenka_cli.core.search import snippet

    columns = (
        Column("rank", "#", numeric=True),
        *text_columns(lang, "title", "标题", "Title"),
        Column("field", pick(lang, "匹配字段", "Field")),
        Column("snippet", pick(lang, "匹配内容", "Match")),
        Column("id", "ID"),
    )

    def rows() -> Iterator[Row]:
        for rank, hit in enumerate(found.hits(), start=1):
            match = hit.matches[0]
            window, start, end = snippet(match)
            cells: dict[str, Cell] = {
                "rank": rank,
                **text_cells(lang, "title", hit.fact.title, hit.fact.title_en),
                "field": match.field,
                "snippet": window,
                "id": hit.fact.id,
            }
            yield Row(cells, highlights=(Span("snippet", start, end),))

    listing = Listing(pick(lang, "搜索结果", "Search results"), columns, LazyRows(rows))
    return Document((listing,), found.records, keys=FACT_KEYS)


def sectors_document(summaries: Sequence[SectorSummary], lang: str) -> Document:
    columns = (
        Column("id", "ID"),
        Column("name", "领域"),
        Column("name_en", "Sector"),
        Column("facts", pick(lang, "事实", "Facts"), numeric=True),
        Column("stats", pick(lang, "统计", "Stats"), numeric=True),
        Column("first_date", pick(lang, "起", "From")),
        Column("last_date", pick(lang, "止", "To")),
        Column("headline", pick(lang, "主要数字", "Headline figures")),
    )
    rows = []
    for summary in summaries:
        headline = "; ".join(f"{pick(lang, stat.label, stat.label_en)} {stat.written}" for stat in summary.headline)
        cells: dict[str, Cell] = {
            "id": summary.sector.id,
            "name": summary.sector.name,
            "name_en": summary.sector.name_en,
            "facts": summary.facts,
            "stats": summary.stats,
            "first_date": summary.first.iso if summary.first else "",
            "last_date": summary.last.iso if summary.last else "",
            "headline": headline,
        }
        rows.append(Row(cells))
    listing = Listing(pick(lang, "领域", "Sectors"), columns, tuple(rows))
    return Document((listing,), [sector_record(summary) for summary in summaries], keys=SECTOR_KEYS)


def sector_document(base: FactBase, sector_id: str, facts: Sequence[Fact], lang: str, *, machine: bool) -> Document:
    sector = base.sector(sector_id)
    assert sector is not None
    heading = pick(lang, sector.name, sector.name_en)
    dated, undated = chronological(facts)
    ordered = [*dated, *standing(facts), *undated]
    gazetteer = gazetteer_for(base.entities)
    if machine:
        title = f"{heading}: " + pick(lang, "事实与统计", "facts and statistics")
        listing = fact_stat_listing(title, ordered, lang)
        return Document((listing,), lambda: (fact_record(fact, gazetteer) for fact in ordered), keys=FACT_KEYS)
    stats = [stat for fact in ordered for stat in fact.stats]
    sector_of = {fact.id: fact.sector for fact in ordered}
    listings = (
        fact_listing(
            f"{heading}: " + pick(lang, "事实", "facts"),
            ordered,
            lang,
            by_year=False,
            note=pick(lang, sector.description, sector.description_en),
        ),
        stats_listing(
            f"{heading}: " + pick(lang, "统计", "statistics"), stats, sector_of, lang, machine=machine, grouped=False
        ),
    )
    return Document(listings, lambda: (fact_record(fact, gazetteer) for fact in ordered), keys=FACT_KEYS)


def stats_document(statistics: Statistics, lang: str, *, machine: bool) -> Document:
    """Every statistic, grouped by unit, read from the store as it is written."""
    rows = LazyRows(lambda: stat_rows(statistics.stats(), lang, machine, True))
    listing = Listing(
        pick(lang, "统计", "Statistics"),
        stats_columns(lang, machine=machine),
        rows,
        empty_message=pick(lang, "没有统计数据", "no statistics"),
    )
    return Document((listing,), statistics.records, keys=STAT_KEYS)


def show_document(base: FactBase, fact: Fact, lang: str, *, machine: bool) -> Document:
    if machine:
        listing = fact_stat_listing(pick(lang, fact.title, fact.title_en), [fact], lang)
        return Document((listing,), [fact_record(fact, gazetteer_for(base.entities))], keys=FACT_KEYS)
    sector = base.sector(fact.sector)
    when = show_when(fact.when, "both")
    if fact.date is not None:
        when += f" [{fact.date.precision.value}]"
    if fact.inferred_reason:
        when += f"\n{fact.inferred_reason}"
    from shenka_cli.present.sources import citation_lines

    source_text = citation_lines(base.sources, fact)
    fields = [
        ("id", fact.id),
        ("sector", f"{sector.name} {sector.name_en}" if sector else fact.sector),
        ("date", when),
        ("title", fact.title),
        ("title_en", fact.title_en),
        ("summary", fact.summary),
        ("summary_en", fact.summary_en),
        ("places", "、".join(fact.places)),
        ("organisations", "、".join(fact.organisations)),
        ("people", "、".join(fact.people)),
        ("tags", ", ".join(fact.tags)),
        ("sources", source_text),
    ]
    columns = (Column("field", pick(lang, "字段", "Field")), Column("value", pick(lang, "内容", "Value")))
    listing = Listing(
        fact.title if lang != "en" else fact.title_en,
        columns,
        tuple(Row({"field": name, "value": value}) for name, value in fields),
    )
    stats = stats_listing(
        pick(lang, "统计", "Statistics"), fact.stats, {fact.id: fact.sector}, lang, machine=machine, grouped=False
    )
    reasons = [f"{stat.written}: {stat.as_of_reason}" for stat in fact.stats if stat.as_of_reason]
    if reasons:
        stats = stats._replace(note=pick(lang, "推断时间的依据：", "Why a date is inferred: ") + "; ".join(reasons))
    listings = (listing, stats) if fact.stats else (listing,)
    return Document(listings, [fact_record(fact, gazetteer_for(base.entities))], keys=FACT_KEYS)
