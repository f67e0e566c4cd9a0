"""The schemas of sectors, facts, citations and statistics: which fields each table has, and how they fit.

Reading one value (a string, a slug, a date) is core/fields.py's job; this module says which fields a table
has and checks them against each other (a written figure against its value, a range's ends).
"""

from __future__ import annotations

from shenka_cli.core.errors import Problem
from shenka_cli.core.fields import MISSING, Fields, shown, type_name
from shenka_cli.core.figures import FigureError, canonical_unit, parse_figure, same_number
from shenka_cli.core.lines import LineIndex
from shenka_cli.core.model import (
    Citation,
    Fact,
    FuzzyDate,
    Location,
    Period,
    Qualifier,
    Sector,
    Statistic,
    StatKind,
    When,
)
from shenka_cli.text.slug import SLUG

SECTOR_KEYS = {"id", "name", "name_en", "description", "description_en"}
CITATION_KEYS = {"id", "section", "note"}
FACT_KEYS = {
    "id",
    "sector",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "date",
    "date_inferred",
    "period",
    "as_of",
    "as_of_inferred",
    "places",
    "organisations",
    "people",
    "tags",
    "source",
    "sources",
    "stat",
}
STAT_KEYS = {
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
    "measure",
}


def read_sector(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Sector | None:
    fields = Fields(table, path, line, lines, problems)
    fields.check_keys(SECTOR_KEYS)
    values = {key: fields.text(key) for key in ("name", "name_en", "description", "description_en")}
    sector_id = fields.slug("id")
    if fields.failed or sector_id is None:
        return None
    return Sector(id=sector_id, **values)


def read_fact(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Fact | None:
    raw_id = table.get("id")
    fields = Fields(table, path, line, lines, problems, fact=raw_id if isinstance(raw_id, str) else None)
    fields.check_keys(FACT_KEYS)
    fact_id = fields.slug("id")
    sector = fields.text("sector")
    title, title_en, summary, summary_en = (fields.text(key) for key in ("title", "title_en", "summary", "summary_en"))
    times = [key for key in ("date", "period", "as_of") if key in table]
    if len(times) > 1:
        fields.problem(times[1], f"a fact has one of date, period or as_of, not {' and '.join(times)}")
    date, date_reason = fields.when("date", "date_inferred")
    if isinstance(date, Period):
        fields.problem("date", "write a period as period = { start = …, end = … }")
    as_of, as_of_reason = fields.when("as_of", "as_of_inferred")
    if isinstance(as_of, Period):
        fields.problem("as_of", "a standing fact holds as of one date, not a period")
    period_raw = table.get("period", MISSING)
    period, period_reason = (None, None)
    if period_raw is not MISSING:
        if isinstance(period_raw, dict):
            period, period_reason = fields.period("period", period_raw)
        else:
            fields.problem("period", f"found {type_name(period_raw)}, expected a table {{ start = …, end = … }}")
    places, organisations, people, tags = (fields.strings(key) for key in ("places", "organisations", "people", "tags"))
    for tag in tags:
        if not SLUG.match(tag):
            fields.problem("tags", f"tag {shown(tag)} is not a slug of lowercase letters, digits and hyphens")
    citations = _citations(fields)
    standing = as_of if isinstance(as_of, FuzzyDate) else None
    when: When | None = date if isinstance(date, FuzzyDate) else period if period is not None else standing
    stats = _read_stats(fields, fact_id or "?", when)
    if fields.failed or fact_id is None or sector is None or not citations:
        return None
    if title is None or title_en is None or summary is None or summary_en is None:
        return None
    return Fact(
        id=fact_id,
        sector=sector,
        title=title,
        title_en=title_en,
        summary=summary,
        summary_en=summary_en,
        places=places,
        organisations=organisations,
        people=people,
        tags=tags,
        date=date if isinstance(date, FuzzyDate) else None,
        period=period,
        inferred_reason=date_reason or period_reason or as_of_reason,
        sources=citations,
        stats=stats,
        location=Location(path, line or 0),
        as_of=standing,
    )


def _citations(fields: Fields) -> tuple[Citation, ...]:
    """`sources = [{ id, section, note }, …]`, or the single `source = { id, section }`."""
    if "source" in fields.table and "sources" in fields.table:
        fields.problem("sources", "a fact has `source` (one citation) or `sources` (a list), not both")
        return ()
    key = "sources" if "sources" in fields.table else "source"
    value = fields.raw(key, required=True)
    if value is MISSING:
        return ()
    if key == "source":
        if not isinstance(value, dict):
            fields.problem("source", f"found {type_name(value)}, expected a table {{ id = …, section = … }}")
            return ()
        entries, prefixes = [value], ["source."]
    else:
        if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
            fields.problem("sources", "expected a non-empty array of tables [{ id = …, section = … }, …]")
            return ()
        entries, prefixes = value, [f"sources[{index + 1}]." for index in range(len(value))]
    citations = []
    for entry, prefix in zip(entries, prefixes, strict=True):
        ref = Fields(entry, fields.path, fields.line, fields.lines, fields.problems, fact=fields.fact, prefix=prefix)
        ref.check_keys(CITATION_KEYS)
        source_id, section, note = ref.text("id"), ref.text("section"), ref.text("note", required=False)
        if ref.failed:
            fields.failed = True
            continue
        citations.append(Citation(source_id, section, note))
    return tuple(citations)


def _read_stats(fields: Fields, fact_id: str, fact_when: When | None) -> tuple[Statistic, ...]:
    raw = fields.table.get("stat", [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        fields.problem("stat", "must be an array of tables, written [[fact.stat]]")
        return ()
    fact_line = fields.line or 0
    next_fact = fields.lines.header("fact", 0, after=fact_line)
    stats = []
    for index, table in enumerate(raw):
        line = fields.lines.header("fact.stat", index, after=fact_line, before=next_fact) or fields.line
        reader = Fields(
            table, fields.path, line, fields.lines, fields.problems, fact=fields.fact, prefix=f"stat[{index + 1}]."
        )
        stat = _read_stat(reader, fact_id, fact_when)
        if reader.failed:
            fields.failed = True
        elif stat is not None:
            stats.append(stat)
    return tuple(stats)


def _read_stat(fields: Fields, fact_id: str, fact_when: When | None) -> Statistic | None:
    fields.check_keys(STAT_KEYS)
    label, label_en, written, unit = (
        fields.text("label"),
        fields.text("label_en"),
        fields.text("text"),
        fields.text("unit"),
    )
    qualifier = fields.choice("qualifier", Qualifier, Qualifier.EXACT)
    kind = fields.choice("kind", StatKind, StatKind.QUANTITY)
    is_range = qualifier is Qualifier.RANGE
    value = fields.number("value", required=not is_range)
    low = fields.number("low", required=is_range)
    high = fields.number("high", required=is_range)
    if is_range and value is not None:
        fields.problem("value", "a range has low and high, not value")
    if not is_range:
        for key in ("low", "high"):
            if key in fields.table:
                fields.problem(
                    key, f"only a range (qualifier = \"range\") has {key!r}; this figure's number is 'value'"
                )
    if is_range and low is not None and high is not None and low > high:
        fields.problem("low", f"the range's low end ({low}) is above its high end ({high})")
    as_of, reason = fields.when("as_of", "as_of_inferred")
    measure = fields.text("measure", required=False)
    if fields.failed or label is None or label_en is None or written is None or unit is None:
        return None
    if qualifier is None or kind is None or not _check_figure(fields, written, value, low, high, unit, qualifier, kind):
        return None
    if qualifier is Qualifier.EXACT:
        low = high = value
    elif qualifier is Qualifier.MORE_THAN:
        low, high = value, None
    elif qualifier is Qualifier.ABOUT:
        low = high = None
    elif qualifier is Qualifier.LESS_THAN:
        low, high = None, value
    return Statistic(
        fact_id,
        label,
        label_en,
        written,
        value,
        low,
        high,
        unit,
        qualifier,
        kind,
        as_of if as_of is not None else fact_when,
        reason,
        measure,
    )


def _check_figure(
    fields: Fields, written: str, value, low, high, unit: str, qualifier: Qualifier, kind: StatKind
) -> bool:
    """The written figure must say what the stored value, unit, qualifier and kind say."""
    from shenka_cli.core.figures_en import is_english, parse_english_figure

    english = is_english(written)
    try:
        parsed = parse_english_figure(written) if english else parse_figure(written)
    except FigureError as error:
        fields.problem("text", str(error))
        return False
    if parsed.qualifier is Qualifier.RANGE:
        if qualifier is not Qualifier.RANGE:
            fields.problem(
                "qualifier",
                f"found {qualifier.value!r}, but {written!r} is a range",
                'use qualifier = "range" with low and high',
            )
        else:
            for key, stored, expected in (("low", low, parsed.low), ("high", high, parsed.high)):
                if not same_number(stored, expected):
                    fields.problem(key, f"found {stored}, but {written!r} says {expected}")
    else:
        if qualifier is not parsed.qualifier:
            fields.problem("qualifier", f"found {qualifier.value!r}, but {written!r} says {parsed.qualifier.value!r}")
        elif not same_number(value, parsed.value):
            fields.problem(
                "value",
                f"found {value}, but {written!r} says {parsed.value}",
                "value is the number in base units, e.g. 8.4亿元 → 840000000",
            )
    if parsed.unit == "" or english:  # no measure word written: the stored unit says what is counted
        pass
    elif kind is StatKind.QUANTITY and canonical_unit(unit) != unit:
        fields.problem("unit", f"found {unit!r}, expected {canonical_unit(unit)!r} (the unit {unit} is stored as)")
    elif unit != parsed.unit:
        fields.problem("unit", f"found {unit!r}, but {written!r} counts in {parsed.unit!r}")
    if kind is not parsed.kind:
        kind_name = "an ordinal" if parsed.kind is StatKind.ORDINAL else "a quantity"
        fields.problem("kind", f"found {kind.value!r}, but {written!r} is {kind_name}")
    return not fields.failed
