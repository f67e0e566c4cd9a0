"""Read the registry tables (sources, gazetteer entries, units, measures) into model objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shenka_cli.core.errors import Problem
from shenka_cli.core.fields import MISSING, Fields, shown, type_name
from shenka_cli.core.model import (
    Author,
    Conversion,
    Entity,
    EntityCategory,
    FuzzyDate,
    Location,
    Measure,
    Period,
    Section,
    Source,
    Unit,
)
from shenka_cli.core.textcheck import placeholder
from shenka_cli.text.slug import SLUG

if TYPE_CHECKING:
    from shenka_cli.core.lines import LineIndex

SOURCE_KEYS = {
    "id",
    "title",
    "title_en",
    "outlet",
    "outlet_en",
    "authors",
    "author",
    "date",
    "date_inferred",
    "sections",
    "section",
    "language",
    "url",
    "reliability",
    "read",
}
AUTHOR_KEYS = {"name", "name_en", "role", "role_en"}
SECTION_KEYS = {"id", "name", "name_en"}
ENTITY_KEYS = {
    EntityCategory.PLACE: {"id", "name", "name_en", "aliases", "kind", "within"},
    EntityCategory.ORGANISATION: {"id", "name", "name_en", "aliases", "kind", "based_in"},
    EntityCategory.PERSON: {"id", "name", "name_en", "aliases", "kind", "description", "description_en"},
}
PLACE_KINDS = ("country", "region", "prefecture", "city", "county", "township", "village", "district", "site", "area")
UNIT_KEYS = {"id", "name", "name_en", "plural_en", "format_en", "category", "aliases", "convert"}
UNIT_CATEGORIES = ("count", "money", "area", "time", "percent", "ordinal", "other")
MEASURE_KEYS = {"id", "name", "name_en", "unit", "cumulative", "description_en"}
LANGUAGES = ("zh", "en")


def _sub_tables(fields: Fields, key: str, header: str) -> list[tuple[Fields, int]]:
    """The [[source.author]]-style array under key, each with a Fields reader at its own header line."""
    raw = fields.table.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        fields.problem(key, f"must be an array of tables, written [[{header}]]")
        return []
    start = fields.line or 0
    following = fields.lines.header(header.split(".")[0], 0, after=start)
    readers = []
    for index, table in enumerate(raw):
        line = fields.lines.header(header, index, after=start, before=following) or fields.line
        reader = Fields(table, fields.path, line, fields.lines, fields.problems, prefix=f"{key}[{index + 1}].")
        readers.append((reader, index))
    return readers


def _authors(fields: Fields) -> tuple[Author, ...]:
    authors = [Author(name) for name in fields.strings("authors")]
    for reader, _ in _sub_tables(fields, "author", "source.author"):
        reader.check_keys(AUTHOR_KEYS)
        name = reader.text("name")
        values = {key: reader.text(key, required=False) for key in ("name_en", "role", "role_en")}
        if reader.failed or name is None:
            fields.failed = True
            continue
        authors.append(Author(name, **values))
    return tuple(authors)


def _sections(fields: Fields) -> tuple[Section, ...]:
    sections = [Section(name, name) for name in fields.strings("sections")]
    for reader, _ in _sub_tables(fields, "section", "source.section"):
        reader.check_keys(SECTION_KEYS)
        section_id, name = reader.slug("id"), reader.text("name")
        name_en = reader.text("name_en", required=False)
        if reader.failed or section_id is None or name is None:
            fields.failed = True
            continue
        sections.append(Section(section_id, name, name_en))
    seen: set[str] = set()
    for section in sections:
        if section.id in seen:
            fields.problem("section", f"section {section.id!r} is declared twice")
        seen.add(section.id)
    return tuple(sections)


def read_source(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Source | None:
    fields = Fields(table, path, line, lines, problems)
    fields.check_keys(SOURCE_KEYS)
    source_id = fields.slug("id")
    title, title_en, outlet = fields.text("title"), fields.text("title_en"), fields.text("outlet")
    optional = {key: fields.text(key, required=False) for key in ("outlet_en", "url", "reliability", "read")}
    language = fields.text("language", required=False)
    if language is not None and language not in LANGUAGES:
        fields.problem("language", f"found {shown(language)}, expected one of: " + ", ".join(LANGUAGES))
    authors, sections = _authors(fields), _sections(fields)
    date, reason = fields.when("date", "date_inferred")
    if isinstance(date, Period):
        fields.problem("date", "a source's date is one date, not a period")
    if fields.failed or source_id is None:
        return None
    return Source(
        source_id,
        title,
        title_en,
        outlet,
        optional["outlet_en"],
        authors,
        date if isinstance(date, FuzzyDate) else None,
        reason,
        sections,
        language=language,
        url=optional["url"],
        reliability=optional["reliability"],
        read=optional["read"],
    )


def entity_reader(category: EntityCategory):
    """The reader of [[place]], [[organisation]] or [[person]] tables."""

    def read(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Entity | None:
        fields = Fields(table, path, line, lines, problems)
        fields.check_keys(ENTITY_KEYS[category])
        entity_id = fields.slug("id")
        name, name_en = fields.text("name"), fields.text("name_en")
        aliases = fields.strings("aliases")
        kind = fields.text("kind", required=category is EntityCategory.PLACE)
        if category is EntityCategory.PLACE and kind is not None and kind not in PLACE_KINDS and not placeholder(kind):
            fields.problem("kind", f"found {shown(kind)}, expected one of: " + ", ".join(PLACE_KINDS))
        parent_key = {EntityCategory.PLACE: "within", EntityCategory.ORGANISATION: "based_in"}.get(category)
        parent = fields.slug(parent_key) if parent_key and parent_key in table else None
        description = fields.text("description", required=False)
        description_en = fields.text("description_en", required=False)
        if fields.failed or entity_id is None:
            return None
        return Entity(
            category,
            entity_id,
            name,
            name_en,
            aliases,
            kind,
            parent,
            description,
            description_en,
            Location(path, line or 0),
        )

    return read


def read_unit(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Unit | None:
    fields = Fields(table, path, line, lines, problems)
    fields.check_keys(UNIT_KEYS)
    unit_id = fields.text("id")
    name_en = fields.text("name_en")
    plural_en = fields.text("plural_en", required=False) or name_en + "s"
    format_en = fields.text("format_en", required=False) or "{n} {unit}"
    if "{n}" not in format_en:
        fields.problem("format_en", f"found {shown(format_en)}, which has no {{n}} for the number")
    category = fields.text("category", required=False) or "count"
    if category not in UNIT_CATEGORIES:
        fields.problem("category", f"found {shown(category)}, expected one of: " + ", ".join(UNIT_CATEGORIES))
    convert = _conversion(fields)
    if fields.failed or unit_id is None:
        return None
    return Unit(
        unit_id,
        name_en,
        plural_en,
        format_en,
        category,
        fields.strings("aliases"),
        convert,
        fields.text("name", required=False),
    )


def _conversion(fields: Fields) -> Conversion | None:
    value: Any = fields.raw("convert", required=False)
    if value is MISSING:
        return None
    unit, factor = (value.get("unit"), value.get("factor")) if isinstance(value, dict) else (None, None)
    if not isinstance(unit, str) or isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor <= 0:
        fields.problem("convert", f"found {type_name(value)} {shown(value)}, expected {{ unit = …, factor = … }}")
        return None
    return Conversion(unit, float(factor))


def read_measure(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Measure | None:
    fields = Fields(table, path, line, lines, problems)
    fields.check_keys(MEASURE_KEYS)
    measure_id = fields.slug("id")
    name, name_en, unit = fields.text("name"), fields.text("name_en"), fields.text("unit")
    cumulative = fields.raw("cumulative", required=True)
    if cumulative is not MISSING and not isinstance(cumulative, bool):
        fields.problem("cumulative", f"found {type_name(cumulative)}, expected true or false")
    description_en = fields.text("description_en", required=False)
    if fields.failed or measure_id is None:
        return None
    return Measure(measure_id, name, name_en, unit, cumulative, description_en)


__all__ = ["SLUG", "entity_reader", "read_measure", "read_source", "read_unit"]
