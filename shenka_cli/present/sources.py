"""What `shenka sources` shows: every source with its date, outlet, title, authors, reliability and facts.

Pure. The reliability note and how much of a source was read are written in English only (facts/README.md):
their keys end in `_en`, and a Chinese table leaves them out with a note saying where to read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shenka_cli.core.model import Fact, Source
from shenka_cli.present.document import Cell, Column, Document, Listing, Row
from shenka_cli.present.names import authors_text, bilingual, outlet_text
from shenka_cli.present.views import pick, text_cells, text_columns

SOURCE_KEYS = (
    "id",
    "date",
    "date_precision",
    "date_inferred",
    "date_inferred_reason_en",
    "outlet",
    "outlet_en",
    "title",
    "title_en",
    "language",
    "url",
    "authors",
    "reliability_en",
    "read_en",
    "sections",
    "facts",
)
LANGUAGES = {"zh": ("中文", "Chinese"), "en": ("英文", "English")}


def citing_counts(facts: Iterable[Fact]) -> dict[str, int]:
    """How many facts cite each source (a fact citing one source twice counts once)."""
    counts: dict[str, int] = {}
    for fact in facts:
        for source_id in dict.fromkeys(citation.id for citation in fact.sources):
            counts[source_id] = counts.get(source_id, 0) + 1
    return counts


def by_date(sources: Sequence[Source]) -> list[Source]:
    """Oldest first; an undated source last; ties in the order the files give them."""
    return sorted(sources, key=lambda source: (source.date is None, source.date.sort_key if source.date else ()))


def language_text(code: str | None, lang: str) -> str:
    if code is None:
        return ""
    zh, en = LANGUAGES.get(code, (code, code))
    return pick(lang, zh, en)


def source_record(source: Source, facts: int) -> dict[str, Any]:
    date = source.date
    return {
        "id": source.id,
        "date": date.iso if date else None,
        "date_precision": date.precision.value if date else None,
        "date_inferred": bool(date and (date.inferred or source.date_reason)),
        "date_inferred_reason_en": source.date_reason,
        "outlet": source.outlet,
        "outlet_en": source.outlet_en,
        "title": source.title,
        "title_en": source.title_en,
        "language": source.language,
        "url": source.url,
        "authors": [
            {"name": a.name, "name_en": a.name_en, "role": a.role, "role_en": a.role_en} for a in source.authors
        ],
        "reliability_en": source.reliability,
        "read_en": source.read,
        "sections": [{"id": s.id, "name": s.name, "name_en": s.name_en} for s in source.sections],
        "facts": facts,
    }


def _date_text(source: Source, lang: str) -> str:
    if source.date is None:
        return ""
    inferred = source.date.inferred or source.date_reason is not None
    text = source.date.iso + (" (" + pick(lang, "推断", "inferred") + ")" if inferred else "")
    return text


def _columns(lang: str, *, machine: bool) -> list[Column]:
    english_notes = lang != "zh"
    columns = [
        Column("id", "ID"),
        Column("date", pick(lang, "日期", "Date") if not machine else "date"),
    ]
    if machine:
        columns.append(Column("date_precision", "date_precision"))
    columns += [
        *text_columns(lang, "outlet", "媒体", "Outlet"),
        *text_columns(lang, "title", "标题", "Title"),
        Column("language", pick(lang, "语言", "Language") if not machine else "language"),
        Column("authors", pick(lang, "作者", "Authors") if not machine else "authors"),
    ]
    if machine:
        columns.append(Column("url", "url"))
    if english_notes:
        columns += [
            Column("reliability_en", "reliability_en" if machine else pick(lang, "可靠性", "Reliability")),
            Column("read_en", "read_en" if machine else pick(lang, "阅读范围", "Read")),
        ]
    columns.append(Column("facts", pick(lang, "事实", "Facts") if not machine else "facts", numeric=True))
    return columns


def _cells(source: Source, facts: int, lang: str, *, machine: bool) -> dict[str, Cell]:
    outlet_en = source.outlet_en or outlet_text(source, "en")
    cells: dict[str, Cell] = {
        "id": source.id,
        "date": (source.date.iso if source.date else None) if machine else _date_text(source, lang),
        **text_cells(lang, "outlet", source.outlet, outlet_en),
        **text_cells(lang, "title", source.title if machine else bilingual("zh", source.title, None), source.title_en),
        "language": source.language if machine else language_text(source.language, lang),
        "authors": authors_text(source, lang),
        "reliability_en": source.reliability,
        "read_en": source.read,
        "facts": facts,
    }
    if machine:
        cells["date_precision"] = source.date.precision.value if source.date else None
        cells["url"] = source.url
    return cells


def sources_document(sources: Sequence[Source], counts: dict[str, int], lang: str, *, machine: bool) -> Document:
    ordered = by_date(sources)
    note = None
    if lang == "zh":
        note = (
            "每个来源的可靠性说明与阅读范围只有英文，见 `--lang en`，"
            "或 `--format json` 输出的 `reliability_en`、`read_en`。"
        )
    rows = tuple(Row(_cells(source, counts.get(source.id, 0), lang, machine=machine)) for source in ordered)
    listing = Listing(
        pick(lang, "来源", "Sources"),
        tuple(_columns(lang, machine=machine)),
        rows,
        note=note,
        empty_message=pick(lang, "没有来源", "no sources"),
    )
    records = [source_record(source, counts.get(source.id, 0)) for source in ordered]
    return Document((listing,), records, keys=SOURCE_KEYS)


def citation_lines(sources: Sequence[Source], fact: Fact, lang: str = "both") -> str:
    """Every citation of a fact, one a line and numbered: the source's id, outlet, title and date, then the
    section cited and the citation's note. Both languages' names where the source has them, as `show` has it
    with --lang both; with zh or en, the names in that language (present/names.py)."""
    from shenka_cli.present.names import outlet_text, section_text, source_title

    by_id = {source.id: source for source in sources}
    lines = []
    for number, citation in enumerate(fact.sources, start=1):
        source = by_id.get(citation.id)
        section = source.section(citation.section) if source is not None else None
        where = citation.section
        if section is not None and lang == "both":
            where = " ".join(dict.fromkeys(name for name in (section.name, section.name_en) if name))
        elif source is not None:
            where = section_text(source, citation.section, lang)
        line = f"[{number}] {citation.id}"
        if source is not None:
            outlet, title = (source.outlet, source.title)
            if lang != "both":
                outlet, title = outlet_text(source, lang), source_title(source, lang)
            line += f": {outlet}: {title}" + (f" ({source.date.iso})" if source.date else "")
        line += f"; {where}" + (f" ({citation.note})" if citation.note else "")
        lines.append(line)
    return "\n".join(lines)
