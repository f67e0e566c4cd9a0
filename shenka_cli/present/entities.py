"""The listings of places, organisations, people and tags, with the facts that name each.

Language: the names, kinds, parents and aliases of the chosen language. An English listing shows the
Chinese name only in its column "Chinese (original)"; a Chinese one shows Chinese aliases, and the kind in
Chinese. JSON records are the same in every language (the contract of the README).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shenka_cli.core.gazetteer import Gazetteer, written_in_chinese
from shenka_cli.core.model import Entity, EntityCategory, Sector
from shenka_cli.core.tally import EntityCount, TagCount
from shenka_cli.present.document import Cell, Column, Document, Listing, Row
from shenka_cli.present.names import entity_text
from shenka_cli.present.views import pick

# The kinds of the gazetteer in Chinese: every kind of place (core/schema_tables.py PLACE_KINDS) and the kinds
# of organisation in use. A kind missing here is shown as written (a test keeps the bundled ones covered).
KIND_NAMES = {
    "country": "国家",
    "region": "区域",
    "prefecture": "地区",
    "city": "城市",
    "county": "县",
    "township": "乡镇",
    "village": "村",
    "district": "区",
    "site": "场所",
    "area": "地域",
    "company": "企业",
    "programme": "项目",
    "hospital": "医院",
    "government body": "政府机构",
    "event": "活动",
    "park": "园区",
    "research institute": "研究机构",
    "medical centre": "医疗中心",
    "school": "学校",
    "incubator": "孵化器",
    "library": "图书馆",
    "social welfare centre": "社会福利机构",
    "arbitration institution": "仲裁机构",
    "education institute": "教育机构",
    "university": "大学",
    "museum": "博物馆",
    "cultural centre": "文化中心",
    "commercial complex": "商业综合体",
    "laboratory": "实验室",
    "product certification": "产品认证",
}
NOT_IN_GAZETTEER = ("（未收录）", "(not in the gazetteer)")
TITLES = {
    EntityCategory.PLACE: ("地点", "Places"),
    EntityCategory.ORGANISATION: ("机构", "Organisations"),
    EntityCategory.PERSON: ("人物", "People"),
}
EMPTY = {
    EntityCategory.PLACE: ("这些条件下的事实没有提到任何地点", "no place is named by the facts these filters keep"),
    EntityCategory.ORGANISATION: (
        "这些条件下的事实没有提到任何机构",
        "no organisation is named by the facts these filters keep",
    ),
    EntityCategory.PERSON: ("这些条件下的事实没有提到任何人物", "no person is named by the facts these filters keep"),
}
PARENT_HEADER = {EntityCategory.PLACE: ("所属", "Within"), EntityCategory.ORGANISATION: ("所在地", "Based in")}
PLACE_NOTE = (
    "“事实”：提到该地点本身的事实数；“含下级地点”：提到该地点或其下任何地点的事实数。",
    "Facts: the facts naming the place itself. Incl. places within: the facts naming it or any place within it.",
)

# The keys of the JSON records, in order (the README's contract).
ENTITY_KEYS = (
    "id",
    "name",
    "name_en",
    "kind",
    "within",
    "aliases",
    "description",
    "description_en",
    "facts",
    "facts_within",
)
TAG_KEYS = ("tag", "facts", "sectors")


def kind_name(kind: str | None, lang: str) -> str:
    """A kind in the language: English as the gazetteer writes it, Chinese from KIND_NAMES."""
    if not kind:
        return ""
    zh = KIND_NAMES.get(kind, kind)
    return pick(lang, zh, kind) if zh != kind else kind


def aliases_text(entity: Entity, lang: str) -> str:
    """The aliases a reader of the language can read: Chinese ones in zh, the others in en, all in both."""
    if lang == "zh":
        return "、".join(alias for alias in entity.aliases if written_in_chinese(alias))
    if lang == "en":
        return "; ".join(alias for alias in entity.aliases if not written_in_chinese(alias))
    return "; ".join(entity.aliases)


def entity_record(count: EntityCount) -> dict[str, Any]:
    """An entry as JSON: the gazetteer's fields and the counts; a name the gazetteer lacks has id null."""
    entity = count.entity
    if isinstance(entity, str):
        own: dict[str, Any] = {"id": None, "name": entity, "name_en": None, "kind": None, "within": None}
        own |= {"aliases": [], "description": None, "description_en": None}
    else:
        own = {
            "id": entity.id,
            "name": entity.name,
            "name_en": entity.name_en,
            "kind": entity.kind,
            "within": entity.within,
            "aliases": list(entity.aliases),
            "description": entity.description,
            "description_en": entity.description_en,
        }
    return own | {"facts": count.facts, "facts_within": count.facts_within}


def _columns(category: EntityCategory, lang: str, *, machine: bool) -> tuple[Column, ...]:
    columns = [Column("id", "ID")]
    if lang != "en":
        columns.append(Column("name", "名称"))
    if lang != "zh":
        columns.append(Column("name_en", "Name"))
    if category is EntityCategory.PERSON:
        columns.append(Column("description", pick(lang, "简介", "Description")))
    else:
        columns.append(Column("kind", pick(lang, "类型", "Kind")))
        columns.append(Column("within", pick(lang, *PARENT_HEADER[category])))
        if machine:
            columns.append(Column("within_id", "within_id"))
    columns.append(Column("facts", pick(lang, "事实", "Facts"), numeric=True))
    if category is EntityCategory.PLACE:
        columns.append(Column("facts_within", pick(lang, "含下级地点", "Incl. places within"), numeric=True))
    columns.append(Column("aliases", pick(lang, "别名", "Aliases")))
    if lang == "en":
        columns.append(Column("name", "Chinese (original)"))
    return tuple(columns)


def _cells(count: EntityCount, gazetteer: Gazetteer, lang: str) -> dict[str, Cell]:
    entity = count.entity
    numbers: dict[str, Cell] = {"facts": count.facts, "facts_within": count.facts_within}
    if isinstance(entity, str):
        shown = entity_text(entity, lang)
        return numbers | {
            "id": None,
            "name": entity,
            "name_en": shown if lang == "en" else ("" if written_in_chinese(entity) else entity),
            "kind": pick(lang, *NOT_IN_GAZETTEER),
            "description": pick(lang, *NOT_IN_GAZETTEER),
            "within": "",
            "within_id": None,
            "aliases": "",
        }
    parent = gazetteer.parent(entity) if entity.category is EntityCategory.PLACE else None
    if entity.category is EntityCategory.ORGANISATION and entity.within:
        parent = gazetteer.get(EntityCategory.PLACE, entity.within)
    description = pick(lang, entity.description or "", entity.description_en or "", "\n").strip()
    return numbers | {
        "id": entity.id,
        "name": entity.name,
        "name_en": entity.name_en,
        "kind": kind_name(entity.kind, lang),
        "description": description,
        "within": entity_text(parent, lang) if parent is not None else (entity.within or ""),
        "within_id": entity.within,
        "aliases": aliases_text(entity, lang),
    }


def entities_document(
    counts: Sequence[EntityCount],
    gazetteer: Gazetteer,
    category: EntityCategory,
    lang: str,
    *,
    machine: bool = False,
) -> Document:
    """The entities of one category with their names, kind, parent, aliases and numbers of facts."""
    columns = _columns(category, lang, machine=machine)
    rows = []
    for count in counts:
        cells = _cells(count, gazetteer, lang)
        rows.append(Row({column.key: cells[column.key] for column in columns}))
    note = pick(lang, *PLACE_NOTE) if category is EntityCategory.PLACE else None
    empty = pick(lang, *EMPTY[category])
    listing = Listing(pick(lang, *TITLES[category]), columns, tuple(rows), note=note, empty_message=empty)
    return Document((listing,), [entity_record(count) for count in counts], keys=ENTITY_KEYS)


def tags_document(
    counts: Sequence[TagCount], sectors: Sequence[Sector], lang: str, *, machine: bool = False
) -> Document:
    """Every tag with its number of facts and their sectors (for CSV, a column of counts per sector)."""
    names = {sector.id: sector for sector in sectors}
    columns = [Column("tag", pick(lang, "标签", "Tag")), Column("facts", pick(lang, "事实", "Facts"), numeric=True)]
    if machine:
        used = dict.fromkeys(sector for count in counts for sector, _ in count.sectors)
        ordered = [sector.id for sector in sectors if sector.id in used] + [s for s in used if s not in names]
        columns += [Column(sector, sector, numeric=True) for sector in ordered]
    else:
        columns.append(Column("sectors", pick(lang, "领域", "Sectors")))
    joiner = "、" if lang == "zh" else ", "
    rows = []
    for count in counts:
        cells: dict[str, Cell] = {"tag": count.tag, "facts": count.facts}
        if machine:
            cells |= dict.fromkeys(ordered, 0) | dict(count.sectors)
        else:
            cells["sectors"] = joiner.join(f"{_sector_name(names.get(s), s, lang)} {n}" for s, n in count.sectors)
        rows.append(Row(cells))
    listing = Listing(
        pick(lang, "标签", "Tags"),
        tuple(columns),
        tuple(rows),
        empty_message=pick(lang, "这些条件下的事实没有标签", "no fact these filters keep has a tag"),
    )
    records = [{"tag": count.tag, "facts": count.facts, "sectors": dict(count.sectors)} for count in counts]
    return Document((listing,), records, keys=TAG_KEYS)


def _sector_name(sector: Sector | None, sector_id: str, lang: str) -> str:
    return pick(lang, sector.name, sector.name_en) if sector is not None else sector_id
