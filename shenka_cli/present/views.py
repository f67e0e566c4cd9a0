"""What each command shows, as a Document: the listings for people and the JSON records for scripts.

`machine=True` builds the listings for CSV: raw numbers in their own columns instead of display text, a
fact's date as ISO columns (date, period_start, period_end, date_precision, date_inferred), and for `show`
and `sectors SECTOR` one listing of one row per statistic with its fact's columns (a fact without
statistics has one row with the statistic columns empty), so a CSV export holds everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from shenka_cli.core.model import EntityCategory, Fact, FactBase, Qualifier, Sector, Statistic, Unit, When
from shenka_cli.core.query import SectorSummary, chronological, standing
from shenka_cli.present.document import Cell, Column, Document, LazyRows, Listing, Row, Span
from shenka_cli.render.table import format_number

if TYPE_CHECKING:
    from shenka_cli.core.gazetteer import Gazetteer
    from shenka_cli.core.store.results import Found, Statistics, Timeline
    from shenka_cli.present.figures import Lexicon, Units

INFERRED = {"zh": "推断", "en": "inferred"}
UNDATED = {"zh": "未注明日期", "en": "Undated"}
QUALIFIER_WORDS = {
    Qualifier.EXACT: ("精确", "exact"),
    Qualifier.MORE_THAN: ("以上", "more than"),
    Qualifier.ABOUT: ("约", "about"),
    Qualifier.RANGE: ("区间", "range"),
    Qualifier.LESS_THAN: ("以下", "less than"),
}


def unit_registry(units: Iterable[Unit] = ()) -> Units:
    """The unit registry of a fact base's unit table, which records' English figures need (figures imported only
    then: a warm run that copies stored records never needs them)."""
    from shenka_cli.present.figures import Units

    return Units(units)


def _lexicon() -> Lexicon:
    """The lexicon of units and sectors without a fact base's own (imported only where a listing needs it)."""
    from shenka_cli.present.figures import Lexicon

    return Lexicon()


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
        text += f" ({pick(lang, INFERRED['zh'], INFERRED['en'])})"
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


def stat_record(stat: Statistic, sector: str, units: Units | None = None) -> dict[str, Any]:
    """A statistic as the JSON contract gives it (README, "statistic objects"); its English figure and unit name
    need the fact base's unit registry (`units`; without it, the unit as written, in parentheses)."""
    units = units or unit_registry()
    return {
        "fact": stat.fact_id,
        "sector": sector,
        "label": stat.label,
        "label_en": stat.label_en,
        "text": stat.written,
        "text_en": units.english_figure(stat),
        "value": stat.value if stat.qualifier is not Qualifier.RANGE else None,
        "low": stat.low,
        "high": stat.high,
        "unit": stat.unit,
        "unit_en": units.english(stat.unit),
        "qualifier": stat.qualifier.value,
        "as_of": when_iso(stat.as_of),
        "as_of_inferred": bool(stat.as_of and stat.as_of.inferred),
        "kind": stat.kind.value,
    }


def fact_record(fact: Fact, gazetteer: Gazetteer | None = None, units: Units | None = None) -> dict[str, Any]:
    """A fact as the JSON contract gives it (README, "JSON output"); entity objects need the gazetteer, its
    statistics' English figures the unit registry (stat_record)."""
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
        "stats": [stat_record(stat, fact.sector, units) for stat in fact.stats],
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


def sector_record(summary: SectorSummary, units: Units | None = None) -> dict[str, Any]:
    return {
        "id": summary.sector.id,
        "name": summary.sector.name,
        "name_en": summary.sector.name_en,
        "facts": summary.facts,
        "stats": summary.stats,
        "first_date": summary.first.iso if summary.first else None,
        "last_date": summary.last.iso if summary.last else None,
        "headline": [stat_record(stat, summary.sector.id, units) for stat in summary.headline],
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
    "text_en",
    "value",
    "low",
    "high",
    "unit",
    "unit_en",
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
        Column("sector", "sector" if machine else pick(lang, "领域", "Sector")),
        Column("id", "ID"),
    ]


def fact_cells(fact: Fact, lang: str, *, machine: bool, lexicon: Lexicon | None = None) -> dict[str, Cell]:
    """A fact's cells: for machines its sector id and ISO dates, for people its sector's name and shown date."""
    dates = date_cells(fact) if machine else {"date": show_fact_date(fact, lang)}
    sector = fact.sector if machine else (lexicon or _lexicon()).sector(fact.sector, lang)
    return {**dates, **text_cells(lang, "title", fact.title, fact.title_en), "sector": sector, "id": fact.id}


def fact_listing(
    title: str | None,
    facts: Sequence[Fact],
    lang: str,
    *,
    by_year: bool,
    note: str | None = None,
    empty: str = "nothing to show",
    machine: bool = False,
    lexicon: Lexicon | None = None,
) -> Listing:
    columns = tuple(fact_columns(lang, machine=machine))
    rows = tuple(fact_rows(facts, lang, by_year=by_year, machine=machine, lexicon=lexicon))
    return Listing(title, columns, rows, note=note, empty_message=empty)


def fact_rows(
    facts: Iterable[Fact], lang: str, *, by_year: bool, machine: bool, lexicon: Lexicon | None = None
) -> Iterator[Row]:
    for fact in facts:
        group = year_group(fact, lang) if by_year else None
        yield Row(fact_cells(fact, lang, machine=machine, lexicon=lexicon), group=group)


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
    lexicon: Lexicon | None = None,
) -> Listing:
    columns = stats_columns(lang, machine=machine)
    pairs = ((stat, sector_of.get(stat.fact_id, "")) for stat in stats)
    rows = tuple(stat_rows(pairs, lang, machine, grouped, lexicon))
    return Listing(title, columns, rows, empty_message=pick(lang, "没有统计数据", "no statistics"))


AS_WRITTEN = ("原文", "As written (original)")
"""The header of the figure as its source writes it: the original, in every language."""


def stats_columns(lang: str, *, machine: bool) -> tuple[Column, ...]:
    """Statistics' columns: for people the figure in the language; for machines (CSV) the raw numbers, the
    unit in the language (`unit` as the facts write it, `unit_en` its English name) and the English figure."""
    columns = [*text_columns(lang, "label", "指标", "Statistic"), Column("text", pick(lang, *AS_WRITTEN))]
    if machine:
        if lang != "zh":
            columns.append(Column("text_en", "text_en"))
        columns += [
            Column("value", "value", numeric=True),
            Column("low", "low", numeric=True),
            Column("high", "high", numeric=True),
            *text_columns(lang, "unit", "unit", "unit_en"),
        ]
    else:
        columns.append(Column("value", pick(lang, "数值", "Figure"), numeric=lang == "zh"))
        columns.append(Column("unit", pick(lang, "单位", "Unit")))
    columns += [
        Column("qualifier", pick(lang, "限定", "Qualifier")),
        Column("as_of", pick(lang, "时间", "As of")),
        Column("sector", "sector" if machine else pick(lang, "领域", "Sector")),
        Column("fact", "fact" if machine else pick(lang, "事实 ID", "Fact ID")),
    ]
    return tuple(columns)


def stat_rows(
    stats: Iterable[tuple[Statistic, str]], lang: str, machine: bool, grouped: bool, lexicon: Lexicon | None = None
) -> Iterator[Row]:
    """One row per (statistic, its fact's sector); grouped by unit, each group named in the language."""
    lexicon = lexicon or _lexicon()
    for stat, sector in stats:
        cells = stat_cells(stat, lang, machine=machine, lexicon=lexicon)
        cells |= {"sector": sector if machine else lexicon.sector(sector, lang), "fact": stat.fact_id}
        yield Row(cells, group=lexicon.units.name(stat.unit, lang) if grouped else None)


def stat_cells(stat: Statistic, lang: str, *, machine: bool, lexicon: Lexicon | None = None) -> dict[str, Cell]:
    """A statistic's own cells (not its fact's): display text, or raw numbers and ISO dates for machines."""
    units = (lexicon or _lexicon()).units
    cells: dict[str, Cell] = {**text_cells(lang, "label", stat.label, stat.label_en), "text": stat.written}
    if machine:
        if lang != "zh":
            cells["text_en"] = units.english_figure(stat)
        cells |= {
            "value": stat.value if stat.qualifier is not Qualifier.RANGE else None,
            "low": stat.low,
            "high": stat.high,
            **text_cells(lang, "unit", stat.unit, units.english(stat.unit)),
        }
    else:
        cells["value"] = show_value(stat) if lang == "zh" else units.english_figure(stat)
        cells["unit"] = units.name(stat.unit, lang)
    return cells | {
        "qualifier": stat.qualifier.value if machine else qualifier_word(stat.qualifier, lang),
        "as_of": when_iso(stat.as_of) if machine else show_when(stat.as_of, lang),
    }


STAT_COLUMNS = ("text", "text_en", "value", "low", "high", "unit", "unit_en", "qualifier", "stat_as_of", "kind")


def fact_stat_listing(title: str | None, facts: Sequence[Fact], lang: str, lexicon: Lexicon | None = None) -> Listing:
    """For CSV: one row per statistic with its fact's columns; a fact without statistics has one row.

    The statistic's as_of is `stat_as_of`, apart from the fact's own `as_of` (a standing fact's date)."""
    stat_keys = [column.key for column in stats_columns(lang, machine=True)]
    stat_columns = [
        *text_columns(lang, "label", "label", "label_en"),
        *(
            Column(key, key, numeric=key in ("value", "low", "high"))
            for key in STAT_COLUMNS
            if key in stat_keys or key in ("stat_as_of", "kind")
        ),
    ]
    columns = (*fact_columns(lang, machine=True), *stat_columns)
    rows = []
    for fact in facts:
        own = fact_cells(fact, lang, machine=True)
        for stat in fact.stats or (None,):
            stat_part: dict[str, Cell] = {}
            if stat is not None:
                stat_part = stat_cells(stat, lang, machine=True, lexicon=lexicon)
                stat_part |= {"stat_as_of": stat_part.pop("as_of"), "kind": stat.kind.value}
            rows.append(Row(own | stat_part))
    return Listing(title, columns, tuple(rows))


# Documents, one per command.


def timeline_document(
    timeline: Timeline, lang: str, *, show_undated: bool, machine: bool = False, sectors: Sequence[Sector] = ()
) -> Document:
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
                "（推断）：原文只给出相对时间（今年、截至目前……），日期据此推算；原因见 `shenka show 事实ID`。",
                "(inferred): the source gives the date only relatively (this year, so far…); "
                "`shenka show ID` gives the reason.",
            )
        )
    note = " ".join(notes) or None
    from shenka_cli.present.cells import rows_from_cell_sets

    columns = tuple(fact_columns(lang, machine=machine))
    keys = [column.key for column in columns]

    def rows() -> Iterator[Row]:
        """The stored rows, the sector named in the language (the store keeps its id, the same in every language)."""
        from shenka_cli.present.names import sector_name

        by_id = {sector.id: sector for sector in sectors}
        name = None if machine or not by_id else (lambda sector: sector_name(by_id.get(sector), sector, lang))
        yield from rows_from_cell_sets(timeline.cells(), keys, lang, by_year=True, machine=machine, sector_name=name)

    listing = Listing(pick(lang, "时间线", "Timeline"), columns, LazyRows(rows), note=note)
    return Document((listing,), timeline.records, keys=FACT_KEYS)


# The fields search matches, by name in each language (search's FIELDS).
FIELD_NAMES = {
    "title": ("标题", "title (original)"),
    "title_en": ("英文标题", "title"),
    "id": ("ID", "id"),
    "places": ("地点", "places"),
    "organisations": ("机构", "organisations"),
    "people": ("人物", "people"),
    "names.title": ("标题中的名称", "names in the title"),
    "names": ("名称", "names"),
    "tags": ("标签", "tags"),
    "stat.label": ("统计指标", "statistic (original)"),
    "stat.label_en": ("英文统计指标", "statistic"),
    "summary": ("摘要", "summary (original)"),
    "summary_en": ("英文摘要", "summary"),
}


def field_name(field: str, lang: str) -> str:
    zh, en = FIELD_NAMES.get(field, (field, field))
    return pick(lang, zh, en)


def search_document(found: Found, lang: str) -> Document:
    """The best hits, in rank order, with the matched field and a snippet of it (quoted as the fact writes it:
    an original)."""
    from shenka_cli.core.search import snippet

    columns = (
        Column("rank", "#", numeric=True),
        *text_columns(lang, "title", "标题", "Title"),
        Column("field", pick(lang, "匹配字段", "Field")),
        Column("snippet", pick(lang, "匹配原文", "Match (original)")),
        Column("id", "ID"),
    )

    names = {field: field_name(field, lang) for field in FIELD_NAMES}
    titles = [key for key in ("title", "title_en") if any(column.key == key for column in columns)]

    def rows() -> Iterator[Row]:
        for rank, (fact_id, title, title_en, match) in enumerate(found.listed(), start=1):
            window, start, end = snippet(match)
            cells: dict[str, Cell] = {"rank": rank}
            for key in titles:  # text_cells, without a call per hit
                cells[key] = title if key == "title" else title_en
            field = match.field
            cells["field"] = names[field] if field in names else field_name(field, lang)
            cells["snippet"] = window
            cells["id"] = fact_id
            yield Row(cells, None, (Span("snippet", start, end),))

    listing = Listing(pick(lang, "搜索结果", "Search results"), columns, LazyRows(rows, found.shown))
    return Document((listing,), found.records, keys=FACT_KEYS)


def sectors_document(summaries: Sequence[SectorSummary], lang: str, lexicon: Lexicon | None = None) -> Document:
    units = (lexicon or _lexicon()).units
    columns = (
        Column("id", "ID"),
        *text_columns(lang, "name", "领域", "Sector"),
        Column("facts", pick(lang, "事实", "Facts"), numeric=True),
        Column("stats", pick(lang, "统计", "Stats"), numeric=True),
        Column("first_date", pick(lang, "起", "From")),
        Column("last_date", pick(lang, "止", "To")),
        Column("headline", pick(lang, "主要数字", "Headline figures")),
    )
    rows = []
    for summary in summaries:
        headline = pick(lang, "；", "; ").join(units.headline(stat, lang) for stat in summary.headline)
        cells: dict[str, Cell] = {
            "id": summary.sector.id,
            **text_cells(lang, "name", summary.sector.name, summary.sector.name_en),
            "facts": summary.facts,
            "stats": summary.stats,
            "first_date": summary.first.iso if summary.first else "",
            "last_date": summary.last.iso if summary.last else "",
            "headline": headline,
        }
        rows.append(Row(cells))
    listing = Listing(pick(lang, "领域", "Sectors"), columns, tuple(rows))
    return Document((listing,), [sector_record(summary, units) for summary in summaries], keys=SECTOR_KEYS)


def sector_document(base: FactBase, sector_id: str, facts: Sequence[Fact], lang: str, *, machine: bool) -> Document:
    sector = base.sector(sector_id)
    assert sector is not None
    heading = pick(lang, sector.name, sector.name_en)
    dated, undated = chronological(facts)
    ordered = [*dated, *standing(facts), *undated]
    from shenka_cli.core.gazetteer import gazetteer_for
    from shenka_cli.present.figures import Lexicon

    gazetteer = gazetteer_for(base.entities)
    lexicon = Lexicon.of(base)
    if machine:
        title = f"{heading}: " + pick(lang, "事实与统计", "facts and statistics")
        listing = fact_stat_listing(title, ordered, lang, lexicon)
        return Document(
            (listing,), lambda: (fact_record(fact, gazetteer, lexicon.units) for fact in ordered), keys=FACT_KEYS
        )
    stats = [stat for fact in ordered for stat in fact.stats]
    sector_of = {fact.id: fact.sector for fact in ordered}
    listings = (
        fact_listing(
            f"{heading}: " + pick(lang, "事实", "facts"),
            ordered,
            lang,
            by_year=False,
            note=pick(lang, sector.description, sector.description_en),
            lexicon=lexicon,
        ),
        stats_listing(
            f"{heading}: " + pick(lang, "统计", "statistics"),
            stats,
            sector_of,
            lang,
            machine=machine,
            grouped=False,
            lexicon=lexicon,
        ),
    )
    return Document(listings, lambda: (fact_record(fact, gazetteer, lexicon.units) for fact in ordered), keys=FACT_KEYS)


def stats_document(statistics: Statistics, lang: str, *, machine: bool, lexicon: Lexicon | None = None) -> Document:
    """Every statistic, grouped by unit, read from the store as it is written."""
    rows = LazyRows(lambda: stat_rows(statistics.stats(), lang, machine, True, lexicon))
    listing = Listing(
        pick(lang, "统计", "Statistics"),
        stats_columns(lang, machine=machine),
        rows,
        empty_message=pick(lang, "没有统计数据", "no statistics"),
    )
    return Document((listing,), statistics.records, keys=STAT_KEYS)


SHOW_FIELDS = {
    "id": ("ID", "ID"),
    "sector": ("领域", "Sector"),
    "date": ("日期", "Date"),
    "title": ("标题", "Title"),
    "summary": ("摘要", "Summary"),
    "places": ("地点", "Places"),
    "organisations": ("机构", "Organisations"),
    "people": ("人物", "People"),
    "tags": ("标签", "Tags"),
    "sources": ("出处", "Sources"),
}
ORIGINAL = ("原文", "original")


def _show_text(lang: str, key: str, zh: str, en: str) -> list[tuple[str, str]]:
    """A bilingual field as rows: in English the English and then the original, labelled as such."""
    name_zh, name_en = SHOW_FIELDS[key]
    if lang == "zh":
        return [(name_zh, zh)]
    if lang == "en":
        return [(name_en, en), (f"{name_en} ({ORIGINAL[1]})", zh)]
    return [(f"{name_zh} {name_en}", zh), (f"{name_zh} {name_en} (English)", en)]


def _show_date(fact: Fact, lang: str) -> list[tuple[str, str]]:
    """The date row, and the curator's reason for an inferred one: written in English, so in Chinese a row of its
    own labelled as the original note."""
    when = show_fact_date(fact, lang)
    if fact.date is not None:
        when += f" [{pick(lang, PRECISION_WORDS[fact.date.precision.value], fact.date.precision.value)}]"
    rows = [(pick(lang, *SHOW_FIELDS["date"]), when)]
    if fact.inferred_reason and lang == "en":
        rows[0] = (rows[0][0], f"{when}\n{fact.inferred_reason}")
    elif fact.inferred_reason:
        rows.append((pick(lang, *CURATOR_NOTE), fact.inferred_reason))
    return rows


PRECISION_WORDS = {"year": "年", "month": "月", "day": "日"}
CURATOR_NOTE = ("推断依据（编者注原文）", "Why the date is inferred")


def show_document(base: FactBase, fact: Fact, lang: str, *, machine: bool) -> Document:
    from shenka_cli.core.gazetteer import gazetteer_for
    from shenka_cli.present.figures import Lexicon

    lexicon = Lexicon.of(base)
    if machine:
        listing = fact_stat_listing(pick(lang, fact.title, fact.title_en), [fact], lang, lexicon)
        return Document((listing,), [fact_record(fact, gazetteer_for(base.entities), lexicon.units)], keys=FACT_KEYS)
    from shenka_cli.present.names import entity_text
    from shenka_cli.present.sources import citation_lines

    gazetteer = gazetteer_for(base.entities)

    def names(category: EntityCategory) -> str:
        found = (gazetteer.resolve(category, ref) or ref for ref in fact.entity_refs(category))
        return pick(lang, "、", "; ").join(entity_text(entity, lang) for entity in found)

    def row(key: str, value: str) -> tuple[str, str]:
        zh, en = SHOW_FIELDS[key]
        return (zh if zh == en else pick(lang, zh, en), value)

    fields = [
        row("id", fact.id),
        row("sector", lexicon.sector(fact.sector, lang)),
        *_show_date(fact, lang),
        *_show_text(lang, "title", fact.title, fact.title_en),
        *_show_text(lang, "summary", fact.summary, fact.summary_en),
        row("places", names(EntityCategory.PLACE)),
        row("organisations", names(EntityCategory.ORGANISATION)),
        row("people", names(EntityCategory.PERSON)),
        row("tags", ", ".join(fact.tags)),
        row("sources", citation_lines(base.sources, fact, lang)),
    ]
    columns = (Column("field", pick(lang, "字段", "Field")), Column("value", pick(lang, "内容", "Value")))
    listing = Listing(
        pick(lang, fact.title, fact.title_en),
        columns,
        tuple(Row({"field": name, "value": value}) for name, value in fields),
    )
    stats = stats_listing(
        pick(lang, "统计", "Statistics"),
        fact.stats,
        {fact.id: fact.sector},
        lang,
        machine=machine,
        grouped=False,
        lexicon=lexicon,
    )
    reasons = [(lexicon.units.figure(stat, lang), stat.as_of_reason) for stat in fact.stats if stat.as_of_reason]
    if reasons and lang == "en":
        stats = stats._replace(note="Why a date is inferred: " + "; ".join(f"{a}: {b}" for a, b in reasons))
    elif reasons:  # the curator's reasons are English: rows labelled as the original note
        notes = tuple(Row({"field": f"{pick(lang, *CURATOR_NOTE)}：{figure}", "value": why}) for figure, why in reasons)
        listing = listing._replace(rows=(*listing.rows, *notes))
    listings = (listing, stats) if fact.stats else (listing,)
    return Document(listings, [fact_record(fact, gazetteer, lexicon.units)], keys=FACT_KEYS)
