"""Checks that span files: what a fact names (sector, sources and sections, entities, units, measures) exists,
the gazetteer is consistent, and every entity a fact's text names is in its lists."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from shenka_cli.core.errors import Problem
from shenka_cli.core.gazetteer import Gazetteer
from shenka_cli.core.model import Entity, EntityCategory, Fact, FactBase
from shenka_cli.text.suggest import closest

FIELD_OF = {
    EntityCategory.PLACE: "places",
    EntityCategory.ORGANISATION: "organisations",
    EntityCategory.PERSON: "people",
}


@lru_cache(maxsize=64)
def _index(path: str):
    from shenka_cli.core.lines import LineIndex

    try:
        return LineIndex(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None


def key_line(fact: Fact, key: str, stat: int | None = None) -> int | None:
    """The line that sets a fact's key, or a key of its stat-th statistic (1-based), read again from its file
    only when a problem needs it."""
    index = _index(fact.location.path)
    line = fact.location.line or None
    if index is None or line is None:
        return line
    if stat is not None:
        following = index.header("fact", 0, after=line)
        line = index.header("fact.stat", stat - 1, after=line, before=following) or line
    return index.key(key, line)


def _choices(value: str, known: Iterable[str]) -> str:
    known = sorted(known)
    close = closest(value, known)
    listing = ", ".join(known) or "none defined"
    return f"did you mean {close[0]!r}? known: {listing}" if close else f"known: {listing}"


def check_gazetteer(gazetteer: Gazetteer, problems: list[Problem]) -> None:
    """Every name belongs to one entry of a kind; a place lies within a known place."""
    for claim in gazetteer.claims:
        where = claim.second.location
        problems.append(
            Problem(
                where.path,
                where.line or None,
                f"the {claim.second.category.value} name {claim.name!r} of {claim.second.id!r} is also a name of "
                f"{claim.first.id!r} ({claim.first.location})",
                field="aliases",
                hint="a name or alias may belong to only one entry; remove it from one of them",
            )
        )
    for entity in gazetteer.entities:
        if entity.within and gazetteer.get(entity.category, entity.within) is None:
            key = "within" if entity.category is EntityCategory.PLACE else "based_in"
            if entity.category is EntityCategory.ORGANISATION:
                if gazetteer.get(EntityCategory.PLACE, entity.within) is not None:
                    continue
                known = [e.id for e in gazetteer.of(EntityCategory.PLACE)]
            else:
                known = [e.id for e in gazetteer.of(entity.category)]
            problems.append(
                Problem(
                    entity.location.path,
                    entity.location.line or None,
                    f"unknown place {entity.within!r}",
                    field=key,
                    hint=_choices(entity.within, known),
                )
            )
        elif entity.category is EntityCategory.PLACE and _in_a_loop(gazetteer, entity):
            problems.append(
                Problem(
                    entity.location.path,
                    entity.location.line or None,
                    f"place {entity.id!r} lies within itself through 'within'",
                    field="within",
                )
            )


def _in_a_loop(gazetteer: Gazetteer, entity: Entity) -> bool:
    parent, steps = gazetteer.parent(entity), 0
    while parent is not None and steps <= len(gazetteer.entities):
        if parent.id == entity.id:
            return True
        parent, steps = gazetteer.parent(parent), steps + 1
    return False


def check_fact(
    fact: Fact,
    base: FactBase,
    gazetteer: Gazetteer,
    strict: dict[EntityCategory, bool],
    units: frozenset[str],
    problems: list[Problem],
) -> None:
    """References from one fact: sector, citations and sections, entities, units and measures."""
    where = fact.location

    def add(
        message: str,
        field: str,
        hint: str | None = None,
        *,
        warning: bool = False,
        key: str | None = None,
        stat: int | None = None,
    ) -> None:
        line = key_line(fact, key, stat) if key else where.line
        problems.append(Problem(where.path, line, message, fact=fact.id, field=field, hint=hint, warning=warning))

    if base.sector(fact.sector) is None:
        add(f"unknown sector {fact.sector!r}", "sector", _choices(fact.sector, [s.id for s in base.sectors]))
    single = len(fact.sources) == 1
    for number, citation in enumerate(fact.sources, start=1):
        prefix = "source." if single else f"sources[{number}]."
        source = base.source(citation.id)
        if source is None:
            hint = _choices(citation.id, [s.id for s in base.sources])
            add(f"unknown source {citation.id!r}", prefix + "id", hint, key=prefix.split(".")[0].split("[")[0])
        elif source.sections and source.section(citation.section) is None:
            add(
                f"section {citation.section!r} is not a section of {source.id!r}",
                prefix + "section",
                "one of: " + ", ".join(s.id if s.id == s.name else f"{s.id} ({s.name})" for s in source.sections),
                key=prefix.split(".")[0].split("[")[0],
            )
    if gazetteer:
        for category, field in FIELD_OF.items():
            for name in fact.entity_refs(category):
                if gazetteer.resolve(category, name) is not None:
                    continue
                close = gazetteer.suggestions(category, name)
                hint = ("did you mean " + " or ".join(close) + "?") if close else f"add a [[{category.value}]] entry"
                add(f"unknown {category.value} {name!r}", field, hint, warning=not strict[category], key=field)
        _check_mentions(fact, gazetteer, add)
    measures = {measure.id: measure for measure in base.measures}
    for number, stat in enumerate(fact.stats, start=1):
        if units and stat.unit not in units:
            add(
                f"unit {stat.unit!r} has no [[unit]] entry, so English shows it untranslated",
                f"stat[{number}].unit",
                warning=True,
                key="unit",
                stat=number,
            )
        if stat.measure is not None and stat.measure not in measures:
            hint = _choices(stat.measure, measures)
            add(f"unknown measure {stat.measure!r}", f"stat[{number}].measure", hint, key="measure", stat=number)


def _check_mentions(fact: Fact, gazetteer: Gazetteer, add) -> None:
    """A warning for each entity the title or summary names that the fact's lists leave out.

    A place within the one named counts as listing it: a fact of 喀什市 may say 喀什 in its title."""
    listed: set[tuple[EntityCategory, str]] = set()
    for category in EntityCategory:
        for entity in gazetteer.fact_entities(fact, category):
            if isinstance(entity, Entity):  # a place listed covers the wider places named (喀什 for 喀什市)
                listed.add((category, entity.id))
                listed.update((category, wider.id) for wider in gazetteer.ancestors(entity))
    reported: set[str] = set()
    for key in ("title", "summary", "title_en", "summary_en"):
        for mention in gazetteer.mentions(getattr(fact, key), english=key.endswith("_en")):
            if any((entity.category, entity.id) in listed for entity in mention.entities):
                continue
            entity = mention.entities[0]
            if entity.id in reported:
                continue
            reported.add(entity.id)
            add(
                f"{key} names {mention.text!r} ({entity.category.value} {entity.id!r}), "
                f"which is not in its {FIELD_OF[entity.category]}",
                FIELD_OF[entity.category],
                f"add {entity.id!r} to {FIELD_OF[entity.category]}",
                warning=True,
                key=key,
            )
