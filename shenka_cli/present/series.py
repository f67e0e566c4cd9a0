"""What `shenka series` shows: each measure's values in time order, every point cited, its flags spelt out.

Pure. The table holds one listing per series (its flags as the note), CSV one listing of every point with its
series, JSON one record per series (README, "series"). Shared with the report (present/report_series.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shenka_cli.core.model import FactBase, Period, Qualifier, Source, Unit
from shenka_cli.core.series import Flag, FlagKind, Point, Series
from shenka_cli.present.document import Cell, Column, Document, Listing, Row
from shenka_cli.present.figures import Units
from shenka_cli.present.names import citation_text
from shenka_cli.present.views import pick, qualifier_word, show_when, text_cells, text_columns

SERIES_KEYS = ("series", "measure", "name", "name_en", "unit", "measure_unit", "cumulative", "points", "flags")
POINT_KEYS = (
    "date",
    "date_precision",
    "period",
    "date_inferred",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "text",
    "label",
    "label_en",
    "fact",
    "sources",
)
FLAG_KEYS = ("kind", "dates", "facts", "units", "other", "note", "note_en")
FLAG_MARK = "!"


def unit_text(unit: str, units: Sequence[Unit], lang: str) -> str:
    """A unit as a reader sees it: 人次; person-trips (人次); 人次 person-trips."""
    known = next((item for item in units if item.id == unit), None)
    if known is None or lang == "zh":
        return unit if lang != "en" or unit.isascii() else f"({unit})"
    if unit.isascii():
        return known.plural_en
    return f"{known.plural_en} ({unit})" if lang == "en" else f"{unit} {known.plural_en}"


def series_name(series: Series, lang: str) -> str:
    return pick(lang, series.measure.name, series.measure.name_en, " / ")


def series_title(series: Series, units: Sequence[Unit], lang: str) -> str:
    unit = unit_text(series.unit, units, lang)
    return f"{series_name(series, lang)} [{series.id}] ({pick(lang, '单位', 'unit', ' ')} {unit})"


def flag_note(flag: Flag, series: Series, units: Sequence[Unit], lang: str) -> str:
    """A flag as one sentence in the chosen language (both: Chinese, then English)."""
    zh, en = _flag_text(flag, series, units)
    return pick(lang, zh, en)


def _flag_text(flag: Flag, series: Series, units: Sequence[Unit]) -> tuple[str, str]:
    facts = ", ".join(flag.facts)
    if flag.kind is FlagKind.CONFLICT:
        date = flag.dates[0]
        return (
            f"来源不一致：{date} 的数值各不相同（事实 {facts}）。",
            f"Sources disagree: different values for {date} (facts {facts}).",
        )
    if flag.kind is FlagKind.DECREASE:
        first, then = flag.dates
        return (
            f"累计数下降：{then} 的数值低于 {first} 的（事实 {facts}），累计数不应减少，各来源口径可能不同。",
            f"The cumulative total goes down from {first} to {then} (facts {facts}): a running total cannot "
            "fall, so the sources probably count differently.",
        )
    own, other_unit = flag.units
    zh_own, en_own = unit_text(own, units, "zh"), unit_text(own, units, "en")
    zh_other, en_other = unit_text(other_unit, units, "zh"), unit_text(other_unit, units, "en")
    why_zh, why_en = "", ""
    if {own, other_unit} == {"人", "人次"}:
        why_zh = "人次按派出次数计，同一人派出两次计两次；"
        why_en = " Person-trips count postings: a person sent twice counts twice."
    return (
        f"单位不同，不可比：本序列以{zh_own}计，{flag.other} 以{zh_other}计；{why_zh}两者分开列出，不相连接。",
        f"Not comparable: this series counts {en_own}, {flag.other} counts {en_other}.{why_en} "
        "They are shown apart, never joined.",
    )


def _period(point: Point) -> dict[str, str] | None:
    return {"start": point.when.start.iso, "end": point.when.end.iso} if isinstance(point.when, Period) else None


def point_record(point: Point) -> dict[str, Any]:
    return {
        "date": point.date.iso,
        "date_precision": point.date.precision.value,
        "period": _period(point),
        "date_inferred": bool(point.when.inferred),
        "value": point.value if point.qualifier is not Qualifier.RANGE else None,
        "low": point.low,
        "high": point.high,
        "unit": point.unit,
        "qualifier": point.qualifier.value,
        "text": point.written,
        "label": point.label,
        "label_en": point.label_en,
        "fact": point.fact_id,
        "sources": [{"id": c.id, "section": c.section, "note": c.note} for c in point.sources],
    }


def series_record(series: Series, units: Sequence[Unit]) -> dict[str, Any]:
    flags = []
    for flag in series.flags:
        zh, en = _flag_text(flag, series, units)
        flags.append(
            {
                "kind": flag.kind.value,
                "dates": list(flag.dates),
                "facts": list(flag.facts),
                "units": list(flag.units),
                "other": flag.other,
                "note": zh,
                "note_en": en,
            }
        )
    return {
        "series": series.id,
        "measure": series.measure.id,
        "name": series.measure.name,
        "name_en": series.measure.name_en,
        "unit": series.unit,
        "measure_unit": series.measure.unit,
        "cumulative": series.measure.cumulative,
        "points": [point_record(point) for point in series.points],
        "flags": flags,
    }


def point_date(point: Point, lang: str) -> str:
    """When the point holds: its date, or the period it sums up (placed in time at the period's end)."""
    return show_when(point.when, lang)


def sources_text(point: Point, sources: dict[str, Source], lang: str) -> str:
    """Each citing source with its section, in the language (the citations' notes, in English, stay in JSON)."""
    return "; ".join(
        citation_text(citation._replace(note=None), sources.get(citation.id), lang) for citation in point.sources
    )


def _columns(lang: str, *, machine: bool) -> tuple[Column, ...]:
    original = pick(lang, "原文", "As written (original)")
    if machine:
        return (
            Column("series", "series"),
            Column("measure", "measure"),
            *text_columns(lang, "name", "name", "name_en"),
            Column("unit", "unit"),
            Column("date", "date"),
            Column("date_precision", "date_precision"),
            Column("period_start", "period_start"),
            Column("period_end", "period_end"),
            Column("value", "value", numeric=True),
            Column("low", "low", numeric=True),
            Column("high", "high", numeric=True),
            Column("qualifier", "qualifier"),
            Column("text", "text"),
            *text_columns(lang, "label", "label", "label_en"),
            Column("fact", "fact"),
            Column("sources", "sources"),
            Column("flags", "flags"),
        )
    return (
        Column("date", pick(lang, "日期", "Date")),
        Column("value", pick(lang, "数值", "Value"), numeric=True),
        Column("qualifier", pick(lang, "限定", "Qualifier")),
        Column("text", original),
        Column("fact", pick(lang, "事实", "Fact")),
        Column("sources", pick(lang, "出处", "Sources")),
    )


def _machine_cells(series: Series, point: Point, lang: str) -> dict[str, Cell]:
    period = _period(point)
    return {
        "series": series.id,
        "measure": series.measure.id,
        **text_cells(lang, "name", series.measure.name, series.measure.name_en),
        "unit": point.unit,
        "date": point.date.iso,
        "date_precision": point.date.precision.value,
        "period_start": period["start"] if period else None,
        "period_end": period["end"] if period else None,
        "value": point.value if point.qualifier is not Qualifier.RANGE else None,
        "low": point.low,
        "high": point.high,
        "qualifier": point.qualifier.value,
        "text": point.written,
        **text_cells(lang, "label", point.label, point.label_en),
        "fact": point.fact_id,
        "sources": "; ".join(f"{c.id}#{c.section}" for c in point.sources),
        "flags": " ".join(dict.fromkeys(flag.kind.value for flag in series.flags)),
    }


def _cells(point: Point, sources: dict[str, Source], lang: str, units: Units) -> dict[str, Cell]:
    return {
        "date": point_date(point, lang),
        "value": units.quantity(point.value, point.low, point.high, point.qualifier, point.unit, lang),
        "qualifier": qualifier_word(point.qualifier, lang),
        "text": point.written,
        "fact": point.fact_id,
        "sources": sources_text(point, sources, lang),
    }


def series_notes(series: Series, units: Sequence[Unit], lang: str) -> list[str]:
    return [f"{FLAG_MARK} {flag_note(flag, series, units, lang)}" for flag in series.flags]


def series_document(base: FactBase, found: Sequence[Series], lang: str, *, machine: bool) -> Document:
    """The series (those with points) as listings, and every series as a JSON record."""
    sources = {source.id: source for source in base.sources}
    shown = [series for series in found if series.points]
    records = [series_record(series, base.units) for series in found]
    if machine:
        rows = tuple(Row(_machine_cells(series, point, lang)) for series in shown for point in series.points)
        listing = Listing(pick(lang, "序列", "Series"), _columns(lang, machine=True), rows)
        return Document((listing,), records, keys=SERIES_KEYS)
    listings = []
    for series in shown:
        notes = series_notes(series, base.units, lang)
        if any(point.qualifier is Qualifier.MORE_THAN for point in series.points):
            notes.append(
                pick(
                    lang,
                    "“>”：原文为“余”“多”，是下限，实际数字更大。",
                    "'more than': a lower bound, the source says 'more than' (余, 多): the true number is larger.",
                )
            )
        rows = tuple(Row(_cells(point, sources, lang, Units(base.units))) for point in series.points)
        listings.append(
            Listing(
                series_title(series, base.units, lang),
                _columns(lang, machine=False),
                rows,
                note=" ".join(notes) or None,
            )
        )
    return Document(tuple(listings), records, keys=SERIES_KEYS)
