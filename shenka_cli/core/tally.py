"""How many facts name each place, organisation, person and tag: the counts the listing commands show.

Pure functions over the model; the facts counted are whatever the caller selected (filters applied).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from shenka_cli.core.gazetteer import Gazetteer, name_key
from shenka_cli.core.model import Entity, EntityCategory, Fact, Sector


class EntityCount(NamedTuple):
    """An entry of a listing: a gazetteer entity (or a name the gazetteer lacks, as written) and its facts.

    `facts` counts the facts naming it; for a place, `facts_within` counts the facts naming it or any place
    within it (at any depth), and is None for organisations and people. `depth` is a place's depth in the
    hierarchy as listed (0 for a place nothing contains, and for everything else).
    """

    entity: Entity | str
    depth: int
    facts: int
    facts_within: int | None


class TagCount(NamedTuple):
    """A tag, the number of facts that carry it, and that number per sector (in the sectors' order)."""

    tag: str
    facts: int
    sectors: tuple[tuple[str, int], ...]


def entity_counts(
    gazetteer: Gazetteer, facts: Iterable[Fact], category: EntityCategory, *, everything: bool = True
) -> list[EntityCount]:
    """Every entity of a category with its counts: places in hierarchy order (each after the place that
    contains it), the others in gazetteer order, then the names the gazetteer lacks in order of first use.

    With `everything` false, only the entries with a fact (for a place: a fact naming it or a place within it).
    """
    direct: Counter[str] = Counter()
    within: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for fact in facts:
        named: set[str] = set()
        wider: set[str] = set()
        missing: set[str] = set()
        for found in gazetteer.fact_entities(fact, category):
            if isinstance(found, str):
                key = name_key(found)
                spelling.setdefault(key, found)
                missing.add(key)
                continue
            named.add(found.id)
            wider.update(ancestor.id for ancestor in gazetteer.ancestors(found))
        direct.update(named)
        within.update(named | wider)
        unknown.update(missing)
    places = category is EntityCategory.PLACE
    counts = [
        EntityCount(entity, depth, direct[entity.id], within[entity.id] if places else None)
        for entity, depth in _ordered(gazetteer, category)
    ]
    counts += [EntityCount(spelling[key], 0, number, number if places else None) for key, number in unknown.items()]
    if everything:
        return counts
    return [count for count in counts if (count.facts_within if places else count.facts)]


def _ordered(gazetteer: Gazetteer, category: EntityCategory) -> list[tuple[Entity, int]]:
    """The category's entities with their depths: places depth first from the top of the hierarchy."""
    entities = gazetteer.of(category)
    if category is not EntityCategory.PLACE:
        return [(entity, 0) for entity in entities]
    children: dict[str | None, list[Entity]] = {}
    for entity in entities:
        parent = entity.within if gazetteer.parent(entity) is not None else None
        children.setdefault(parent, []).append(entity)
    ordered: list[tuple[Entity, int]] = []
    seen: set[str] = set()
    stack = [(entity, 0) for entity in reversed(children.get(None, []))]
    while stack:
        entity, depth = stack.pop()
        if entity.id in seen:
            continue
        seen.add(entity.id)
        ordered.append((entity, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(entity.id, [])))
    # A place in a loop of `within` (validate reports it) still gets listed.
    ordered += [(entity, 0) for entity in entities if entity.id not in seen]
    return ordered


def tag_counts(facts: Iterable[Fact], sectors: Sequence[Sector]) -> list[TagCount]:
    """Every tag in use, most used first (then alphabetically), with its facts per sector."""
    return tag_counts_of(((fact.sector, fact.tags) for fact in facts), sectors)


def tag_counts_of(tagged: Iterable[tuple[str, Sequence[str]]], sectors: Sequence[Sector]) -> list[TagCount]:
    """tag_counts, given each fact's sector and tags."""
    per_sector: dict[str, Counter[str]] = {}
    for sector, tags in tagged:
        for tag in dict.fromkeys(tags):
            per_sector.setdefault(tag, Counter())[sector] += 1
    order = {sector.id: index for index, sector in enumerate(sectors)}
    counts = []
    for tag, by_sector in per_sector.items():
        ranked = sorted(by_sector.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
        counts.append(TagCount(tag, sum(by_sector.values()), tuple(ranked)))
    return sorted(counts, key=lambda count: (-count.facts, count.tag))
