"""Pure functions over the model: filter, order, summarise. No I/O, no rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import NamedTuple

from shenka_cli.core.errors import BadDate, EmptyWindow, NoMatch, ShenkaError
from shenka_cli.core.model import Fact, FactBase, FuzzyDate, Sector, Statistic, StatKind, When


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


class Filters(NamedTuple):
    """What listing commands narrow facts by; a month or year bound covers the whole month or year."""

    sector: str | None = None
    place: str | None = None
    tag: str | None = None
    start: FuzzyDate | None = None
    end: FuzzyDate | None = None

    @property
    def has_window(self) -> bool:
        return self.start is not None or self.end is not None

    def admits(self, fact: Fact) -> bool:
        if self.sector is not None and fact.sector != self.sector:
            return False
        if self.tag is not None and self.tag not in fact.tags:
            return False
        if self.place is not None:
            from shenka_cli.core.search.normalise import fold

            wanted = fold(self.place)
            if not any(wanted in fold(place) for place in fact.places):
                return False
        return not self.has_window or overlaps(fact.when, self.start, self.end)


def overlaps(when: When | None, start: FuzzyDate | None, end: FuzzyDate | None) -> bool:
    """Whether a date or period shares at least one day with the window [start, end]."""
    if when is None:
        return False
    if start is not None and when.last_day < start.first_day:
        return False
    return end is None or when.first_day <= end.last_day


def check_filters(base: FactBase, filters: Filters) -> None:
    """Unknown sectors are usage errors (a typo should not look like 'nothing matched')."""
    if filters.sector is not None and base.sector(filters.sector) is None:
        raise ShenkaError(f"unknown sector {filters.sector!r}", hint="known: " + ", ".join(s.id for s in base.sectors))
    if filters.start and filters.end and filters.start.first_day > filters.end.last_day:
        raise EmptyWindow(filters.start.iso, filters.end.iso)


def select(base: FactBase, filters: Filters) -> list[Fact]:
    check_filters(base, filters)
    return [fact for fact in base.facts if filters.admits(fact)]


def chronological(facts: Iterable[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(dated facts in date order, undated facts). A year sorts before its months; ties keep file order."""
    facts = list(facts)
    dated = [fact for fact in facts if fact.when is not None]
    undated = [fact for fact in facts if fact.when is None]
    dated.sort(key=lambda fact: fact.when.sort_key if fact.when else (0, 0, 0))
    return dated, undated


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
    whens = [fact.when for fact in facts if fact.when is not None]
    if not whens:
        return None, None
    first = min((w.start for w in whens), key=lambda d: d.sort_key)
    last = max((w.end for w in whens), key=lambda d: (d.last_day, d.sort_key))
    return first, last


def sector_summaries(base: FactBase, facts: Sequence[Fact]) -> list[SectorSummary]:
    summaries = []
    for sector in base.sectors:
        own = [fact for fact in facts if fact.sector == sector.id]
        stats = [stat for fact in own for stat in fact.stats]
        first, last = date_span(own)
        summaries.append(SectorSummary(sector, len(own), len(stats), first, last, headline_figures(stats)))
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
