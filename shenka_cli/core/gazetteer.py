"""The gazetteer: places, organisations and people looked up by id or any name, in either language.

Names are compared folded: NFKC (full-width letters become ASCII), case-folded, with spaces removed, so
`TAXKORGAN`, `Ｔａｘｋｏｒｇａｎ` and `tax korgan` all find 塔什库尔干塔吉克自治县.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from typing import NamedTuple

from shenka_cli.core.model import Entity, EntityCategory, Fact
from shenka_cli.core.search.normalise import fold
from shenka_cli.text.suggest import closest

_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=8)
def gazetteer_for(entities: tuple[Entity, ...]) -> Gazetteer:
    """One Gazetteer per set of entities (a fact base's), built once."""
    return Gazetteer(entities)


def name_key(name: str) -> str:
    """A name as it is compared: folded, without spaces."""
    return _SPACE.sub("", fold(name))


def longest_first(names: Iterable[str]) -> str:
    """A pattern matching any of the names, the longest that matches at a place (as an alternation of the names
    sorted longest first does), written as a tree of their common beginnings, which the regular expression engine
    walks at each place instead of trying every name in turn."""
    tree: dict[str, dict] = {}
    for name in names:
        node = tree
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(tree)


def _branch(node: dict[str, dict]) -> str:
    options = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not options:
        return ""
    body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    return f"(?:{body})?" if "" in node else body


class Claim(NamedTuple):
    """A name that two entries of one category both claim."""

    name: str
    first: Entity
    second: Entity


class Mention(NamedTuple):
    """An entity named in a text, and the matched words."""

    text: str
    entities: tuple[Entity, ...]


class Gazetteer:
    """Every entity, indexed by category and by each of its folded names."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: tuple[Entity, ...] = tuple(entities)
        self.by_id: dict[tuple[EntityCategory, str], Entity] = {}
        self.by_name: dict[EntityCategory, dict[str, Entity]] = {category: {} for category in EntityCategory}
        self.claims: list[Claim] = []
        self._resolved: dict[tuple[EntityCategory, str], Entity | None] = {}  # names repeat across facts
        self._ancestors: dict[tuple[EntityCategory, str], tuple[Entity, ...]] = {}
        for entity in self.entities:
            self.by_id.setdefault((entity.category, entity.id), entity)
        for entity in self.entities:
            index = self.by_name[entity.category]
            for name in dict.fromkeys(name_key(name) for name in entity.names if name):
                owner = index.get(name)
                if owner is None:
                    index[name] = entity
                elif owner.id != entity.id:
                    self.claims.append(Claim(name, owner, entity))

    def __bool__(self) -> bool:
        return bool(self.entities)

    def of(self, category: EntityCategory) -> list[Entity]:
        return [entity for entity in self.entities if entity.category is category]

    def get(self, category: EntityCategory, entity_id: str) -> Entity | None:
        return self.by_id.get((category, entity_id))

    def resolve(self, category: EntityCategory, name: str) -> Entity | None:
        """The entity with this id, name or alias (compared folded)."""
        key = (category, name)
        try:
            return self._resolved[key]
        except KeyError:
            found = self._resolved[key] = self.by_id.get(key) or self.by_name[category].get(name_key(name))
            return found

    def suggestions(self, category: EntityCategory, name: str, count: int = 3) -> list[str]:
        """Entries whose names are closest to an unknown name, as `id (name, name_en)`."""
        index = self.by_name[category]
        wanted = name_key(name)
        close = closest(wanted, index, count * 3, cutoff=0.5)
        close += [key for key in index if wanted and (wanted in key or key in wanted) and key not in close]
        found = list(dict.fromkeys(index[key] for key in close))[:count]
        return [f"{entity.id} ({entity.name}, {entity.name_en})" for entity in found]

    def parent(self, entity: Entity) -> Entity | None:
        return self.get(entity.category, entity.within) if entity.within else None

    def ancestors(self, entity: Entity) -> Iterator[Entity]:
        key = (entity.category, entity.id)
        found = self._ancestors.get(key)
        if found is None or self.get(*key) is not entity:
            found = tuple(self._walk_up(entity))
            if self.get(*key) is entity:
                self._ancestors[key] = found
        return iter(found)

    def _walk_up(self, entity: Entity) -> Iterator[Entity]:
        seen = {entity.id}
        parent = self.parent(entity)
        while parent is not None and parent.id not in seen:
            yield parent
            seen.add(parent.id)
            parent = self.parent(parent)

    @cached_property
    def _children(self) -> dict[tuple[EntityCategory, str], list[Entity]]:
        children: dict[tuple[EntityCategory, str], list[Entity]] = {}
        for entity in self.entities:
            if entity.within and entity.category is EntityCategory.PLACE:
                children.setdefault((entity.category, entity.within), []).append(entity)
        return children

    def with_descendants(self, entity: Entity) -> list[Entity]:
        """The entity and, for a place, every place within it, at any depth."""
        found, queue, seen = [], [entity], set()
        while queue:
            current = queue.pop(0)
            if current.id in seen:
                continue
            seen.add(current.id)
            found.append(current)
            queue.extend(self._children.get((current.category, current.id), []))
        return found

    def keys(self, entities: Iterable[Entity]) -> frozenset[str]:
        """Every folded name (and id) of the entities: what a fact's list may say for any of them."""
        return frozenset(name_key(name) for entity in entities for name in entity.names if name)

    def fact_entities(self, fact: Fact, category: EntityCategory) -> list[Entity | str]:
        """The fact's entries of a category, resolved where the gazetteer knows them (else the name as written)."""
        return [self.resolve(category, ref) or ref for ref in fact.entity_refs(category)]

    def fact_names(self, fact: Fact) -> list[str]:
        """Every name and alias of every entity the fact names, in both languages (for search)."""
        names: list[str] = []
        for category in EntityCategory:
            for entity in self.fact_entities(fact, category):
                names.extend([entity] if isinstance(entity, str) else [entity.name, entity.name_en, *entity.aliases])
        return list(dict.fromkeys(names))

    @cached_property
    def _mention_patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        chinese: set[str] = set()
        english: set[str] = set()
        for entity in self.entities:
            for name in (entity.name, entity.name_en, *entity.aliases):
                if _CJK.search(name):
                    if len(name) >= 2:
                        chinese.add(name)
                elif len(name) >= 3:
                    english.add(name)
        zh = re.compile(longest_first(chinese)) if chinese else None
        en = re.compile(r"(?<![\w'])(?:" + longest_first(english) + r")(?![\w])") if english else None
        return zh, en

    @cached_property
    def _by_exact_name(self) -> dict[str, tuple[Entity, ...]]:
        owners: dict[str, list[Entity]] = {}
        for entity in self.entities:
            for name in dict.fromkeys((entity.name, entity.name_en, *entity.aliases)):
                owners.setdefault(name, []).append(entity)
        return {name: tuple(found) for name, found in owners.items()}

    def mentions(self, text: str, english: bool) -> list[Mention]:
        """The entities a text names, longest names first (喀什地区 is not also a mention of 喀什), each name once
        (where it is first named)."""
        pattern = self._mention_patterns[1 if english else 0]
        if pattern is None or not text:
            return []
        owners = self._by_exact_name
        named = dict.fromkeys(match.group(0) for match in pattern.finditer(text))
        return [Mention(name, owners[name]) for name in named]


def written_in_chinese(name: str) -> bool:
    """Whether a name holds a Chinese character (an alias such as 塔县, not Taxkorgan)."""
    return _CJK.search(name) is not None
