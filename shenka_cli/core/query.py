"""Pure functions over the model: filter, order, summarise. No I/O, no rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from shenka_cli.core.errors import BadDate, EmptyWindow, NoMatch, ShenkaError
from shenka_cli.core.model import EntityCategory, Fact, FactBase, FuzzyDate, Sector, Statistic, StatKind, When

if TYPE_CHECKING:
    from shenka_cli.core.gazetteer import Gazetteer


class StatSort(StrEnum):
    UNIT = "unit"
    VALUE = "value"
    DATE = "date"
    SECTOR = "sector"


def parse_bound(text: str) -> FuzzyDate:
    """A bound of a date window: 2024, 2024-08 or 2024-08-09; BadDate otherwise."""
    from shenka_cli.text.dates import date_parts

    try:
        parts = date_parts(text.strip())
    except ValueError:
        parts = None
    if parts is None:
        raise BadDate(text)
    return FuzzyDate(*parts)


class UnknownName(ShenkaError):
    """A filter names an entity or source the fact base does not know (exit 2, with a did-you-mean)."""


class Filters(NamedTuple):
    """What listing commands narrow facts by; a month or year bound covers the whole month or year.

    `place`, `organisation` and `person` are any name or alias; `resolve` turns each into the folded names
    of the entity (and, for a place, of every place within it), which `admits` compares with a fact's lists.
    A standing fact is compared with the window by its as-of date.
    """

    sector: str | None = None
    place: str | None = None
    tag: str | None = None
    start: FuzzyDate | None = None
    end: FuzzyDate | None = None
    organisation: str | None = None
    person: str | None = None
    source: str | None = None
    place_keys: frozenset[str] | None = None
    organisation_keys: frozenset[str] | None = None
    person_keys: frozenset[str] | None = None
    tokens: tuple[str, ...] = ()  # the resolved names as entity_tokens() writes them, for the store's SQL

    @property
    def has_window(self) -> bool:
        return self.start is not None or self.end is not None

    def admits(self, fact: Fact) -> bool:
        if self.sector is not None and fact.sector != self.sector:
            return False
        if self.tag is not None and self.tag not in fact.tags:
            return False
        if self.source is not None and all(citation.id != self.source for citation in fact.sources):
            return False
        for wanted, keys, refs in (
            (self.place, self.place_keys, fact.places),
            (self.organisation, self.organisation_keys, fact.organisations),
            (self.person, self.person_keys, fact.people),
        ):
            if wanted is not None and not _names_any(wanted, keys, refs):
                return False
        return not self.has_window or overlaps(fact.dated, self.start, self.end)


def _names_any(wanted: str, keys: frozenset[str] | None, refs: Sequence[str]) -> bool:
    """Whether a fact's list names the wanted entity (by any of its keys), or, without a gazetteer entry,
    holds the wanted text as part of a name."""
    from shenka_cli.core.gazetteer import name_key

    if keys is not None:
        return any(name_key(ref) in keys for ref in refs)
    folded = name_key(wanted)
    return any(folded in name_key(ref) for ref in refs)


def overlaps(when: When | None, start: FuzzyDate | None, end: FuzzyDate | None) -> bool:
    """Whether a date or period shares at least one day with the window [start, end]."""
    if when is None:
        return False
    if start is not None and when.last_day < start.first_day:
        return False
    return end is None or when.first_day <= end.last_day


OPTION_OF = {
    EntityCategory.PLACE: "--place",
    EntityCategory.ORGANISATION: "--organisation",
    EntityCategory.PERSON: "--person",
}


def check_filters(base: FactBase, filters: Filters) -> Filters:
    """The filters with their names resolved through the gazetteer; unknown sectors, names and sources are
    usage errors (a typo should not look like 'nothing matched')."""
    if filters.sector is not None and base.sector(filters.sector) is None:
        raise ShenkaError(f"unknown sector {filters.sector!r}", hint="known: " + ", ".join(s.id for s in base.sectors))
    if filters.start and filters.end and filters.start.first_day > filters.end.last_day:
        raise EmptyWindow(filters.start.iso, filters.end.iso)
    if filters.source is not None:
        chosen = _source_id(base, filters.source)
        filters = filters._replace(source=chosen, tokens=(*filters.tokens, SOURCE_TOKEN + chosen))
    wanted = {
        EntityCategory.PLACE: filters.place,
        EntityCategory.ORGANISATION: filters.organisation,
        EntityCategory.PERSON: filters.person,
    }
    if all(name is None for name in wanted.values()):
        return filters
    from shenka_cli.core.gazetteer import Gazetteer

    gazetteer = Gazetteer(base.entities)
    keys: dict[EntityCategory, frozenset[str] | None] = {}
    tokens = list(filters.tokens)
    for category, name in wanted.items():
        if name is None or not gazetteer.of(category):
            keys[category] = None
            continue
        entity = gazetteer.resolve(category, name)
        if entity is None:
            close = gazetteer.suggestions(category, name)
            hint = "did you mean " + " or ".join(close) + "?" if close else f"`shenka {category.plural}` lists them"
            raise UnknownName(f"{OPTION_OF[category]} {name!r}: no {category.value} of that name", hint=hint)
        keys[category] = gazetteer.keys(gazetteer.with_descendants(entity))
        tokens.append(TOKEN_PREFIX[category] + entity.id)
    return filters._replace(
        tokens=tuple(tokens),
        place_keys=keys[EntityCategory.PLACE],
        organisation_keys=keys[EntityCategory.ORGANISATION],
        person_keys=keys[EntityCategory.PERSON],
    )


TOKEN_PREFIX = {EntityCategory.PLACE: "p:", EntityCategory.ORGANISATION: "o:", EntityCategory.PERSON: "r:"}
SOURCE_TOKEN = "s:"


def entity_tokens(fact: Fact, gazetteer: Gazetteer) -> list[str]:
    """What the store's SQL filters a fact's entities and sources by: each entity it names (a place with every
    place that contains it, so that a wider place finds it), each name the gazetteer lacks (folded, after
    `~`) and each source it cites."""
    from shenka_cli.core.gazetteer import name_key

    tokens = []
    for category, prefix in TOKEN_PREFIX.items():
        for entity in gazetteer.fact_entities(fact, category):
            if isinstance(entity, str):
                tokens.append(prefix[0] + "~" + name_key(entity))
                continue
            tokens += [prefix + entity.id, *(prefix + wider.id for wider in gazetteer.ancestors(entity))]
    tokens += [SOURCE_TOKEN + citation.id for citation in fact.sources]
    return list(dict.fromkeys(tokens))


def _source_id(base: FactBase, wanted: str) -> str:
    """A source by id, or by its title or outlet-independent English title (compared folded)."""
    from shenka_cli.core.gazetteer import name_key

    for source in base.sources:
        if wanted == source.id or name_key(wanted) in (name_key(source.title), name_key(source.title_en)):
            return source.id
    import difflib

    ids = [source.id for source in base.sources]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.4) or [i for i in ids if wanted.lower() in i]
    hint = "did you mean " + " or ".join(close) + "?" if close else "`shenka sources` lists them"
    raise UnknownName(f"--source {wanted!r}: no source with that id", hint=hint)


def select(base: FactBase, filters: Filters) -> list[Fact]:
    filters = check_filters(base, filters)
    return [fact for fact in base.facts if filters.admits(fact)]


def chronological(facts: Iterable[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(events and periods in date order, undated facts). Standing facts are in neither: see `standing`.

    A year sorts before its months; ties keep file order."""
    facts = list(facts)
    dated = [fact for fact in facts if fact.when is not None]
    undated = [fact for fact in facts if fact.when is None and fact.as_of is None]
    dated.sort(key=lambda fact: fact.when.sort_key if fact.when else (0, 0, 0))
    return dated, undated


def standing(facts: Iterable[Fact]) -> list[Fact]:
    """Standing facts (hold as of a date, start unknown) in order of their as-of dates."""
    found = [fact for fact in facts if fact.as_of is not None]
    found.sort(key=lambda fact: fact.as_of.sort_key if fact.as_of else (0, 0, 0))
    return found


class SectorSummary(NamedTuple):
    sector: Sector
    facts: int
    stats: int
    first: FuzzyDate | None
    last: FuzzyDate | None
    headline: tuple[Statistic, ...]


HEADLINE_UNITS = {"元": 0, "人": 1}
# The programme's running totals, the figures a briefing leads with (ids of facts/measures.toml).
HEADLINE_MEASURES = {"aid-funds-cumulative": 0, "cadres-sent-cumulative": 1, "aid-projects-cumulative": 2}


def headline_order(stats: Iterable[Statistic]) -> list[Statistic]:
    """The quantities: the programme's tracked measures first (cadres, funds, projects), then money, then people,
    then the largest others; ordinals never."""
    quantities = [s for s in stats if s.kind is StatKind.QUANTITY]
    first = len(HEADLINE_MEASURES)
    return sorted(
        quantities,
        key=lambda s: (
            HEADLINE_MEASURES.get(s.measure or "", first),
            HEADLINE_UNITS.get(s.unit, 2),
            -(number_of(s) or 0),
        ),
    )


def headline_figures(stats: Iterable[Statistic], count: int = 3) -> tuple[Statistic, ...]:
    """The first figures in headline order."""
    return tuple(headline_order(stats)[:count])


def number_of(stat: Statistic) -> float | None:
    """The number a statistic is sorted by: its value, or its low end, or its high end."""
    for number in (stat.value, stat.low, stat.high):
        if number is not None:
            return number
    return None


def date_span(facts: Iterable[Fact]) -> tuple[FuzzyDate | None, FuzzyDate | None]:
    return _span([fact.when for fact in facts if fact.when is not None])


def _span(whens: Sequence[When]) -> tuple[FuzzyDate | None, FuzzyDate | None]:
    """The first start and the last end of the dates and periods."""
    if not whens:
        return None, None
    first = min((w.start for w in whens), key=lambda d: d.sort_key)
    last = max((w.end for w in whens), key=lambda d: (d.last_day, d.sort_key))
    return first, last


def sector_summaries(base: FactBase, facts: Iterable[Fact]) -> list[SectorSummary]:
    """A summary of each sector of the base from the facts given, read once (they may come one at a time)."""
    counts: dict[str, int] = {}
    stats: dict[str, list[Statistic]] = {}
    whens: dict[str, list[When]] = {}
    for fact in facts:
        counts[fact.sector] = counts.get(fact.sector, 0) + 1
        stats.setdefault(fact.sector, []).extend(fact.stats)
        if fact.when is not None:
            whens.setdefault(fact.sector, []).append(fact.when)
    summaries = []
    for sector in base.sectors:
        own = stats.get(sector.id, [])
        first, last = _span(whens.get(sector.id, []))
        summaries.append(SectorSummary(sector, counts.get(sector.id, 0), len(own), first, last, headline_figures(own)))
    return summaries


def statistics(base: FactBase, facts: Sequence[Fact], sort: StatSort) -> list[Statistic]:
    """Statistics of the facts, grouped by unit (units in order of first appearance), sorted within a unit."""
    stats = [stat for fact in facts for stat in fact.stats]
    unit_order: dict[str, int] = {}
    for stat in stats:
        unit_order.setdefault(stat.unit, len(unit_order))
    sector_order = {sector.id: index for index, sector in enumerate(base.sectors)}
    sector_of = {fact.id: fact.sector for fact in facts}

    def within(stat: Statistic) -> tuple:
        if sort is StatSort.VALUE:
            return (-(number_of(stat) or 0),)
        if sort is StatSort.DATE:
            return (stat.as_of is None, stat.as_of.sort_key if stat.as_of else (0, 0, 0))
        if sort is StatSort.SECTOR:
            return (sector_order.get(sector_of[stat.fact_id], len(sector_order)),)
        return ()

    return sorted(stats, key=lambda stat: (unit_order[stat.unit], *within(stat)))


def closest_ids(ids: Sequence[str], wanted: str, count: int = 3) -> list[str]:
    """The ids most like wanted, then those that contain it."""
    from shenka_cli.text.suggest import closest

    return closest(wanted, ids, count, cutoff=0.4, containing=True)


def find_fact(fact: Fact | None, fact_id: str, suggestions: Callable[[], Sequence[str]]) -> Fact:
    """The fact looked up by id, or NoMatch naming the suggested ids."""
    if fact is None:
        close = list(suggestions())
        hint = "did you mean: " + ", ".join(close) if close else "`shenka search` finds facts by keyword"
        raise NoMatch(f"no fact with id {fact_id!r}", hint=hint)
    return fact
