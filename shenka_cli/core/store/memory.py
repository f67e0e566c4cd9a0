"""The fact base held in memory, as the loader returns it: the catalogue when the cache is off or unusable."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from shenka_cli.core.store.results import Found, Statistics, Timeline

if TYPE_CHECKING:
    from shenka_cli.core.model import Fact, FactBase, Sector, Source
    from shenka_cli.core.query import Filters, StatSort
    from shenka_cli.core.store.schema import Records


class MemoryCatalogue:
    def __init__(self, base: FactBase, records: Records, warnings: list[str] | None = None) -> None:
        self.base = base
        self.records = records
        self.warnings = warnings or []

    @property
    def sectors(self) -> tuple[Sector, ...]:
        return self.base.sectors

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.base.sources

    def base_without_facts(self) -> FactBase:
        return self.base._replace(facts=())

    def select(self, filters: Filters) -> list[Fact]:
        from shenka_cli.core.query import select

        return select(self.base, filters)

    def each(self, filters: Filters) -> Iterator[Fact]:
        """The facts select() gives, one at a time."""
        return iter(self.select(filters))

    def sample(self, filters: Filters, count: int) -> list[Fact]:
        """Every step-th fact the filters select, at most `count` (the snapshot's sample, for a base in memory)."""
        facts = self.select(filters)
        return facts[:: max(1, -(-len(facts) // count))]

    def fact(self, fact_id: str) -> Fact | None:
        return self.base.fact(fact_id)

    def ids(self) -> list[str]:
        return [fact.id for fact in self.base.facts]

    def tags(self) -> list[str]:
        """The tags in use, sorted."""
        return sorted({tag for fact in self.base.facts for tag in fact.tags})

    def tagged(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Each fact's sector and tags."""
        return ((fact.sector, fact.tags) for fact in self.base.facts)

    def citing_counts(self) -> dict[str, int]:
        """How many facts cite each source."""
        from shenka_cli.present.sources import citing_counts

        return citing_counts(self.base.facts)

    def timeline(self, filters: Filters, undated: bool) -> Timeline:
        from shenka_cli.core.query import chronological, standing

        facts = self.select(filters)
        dated, without_date = chronological(facts)
        held = standing(facts)
        shown = [*dated, *held, *without_date] if undated else [*dated, *held]
        inferred = any(fact.dated is not None and fact.dated.inferred for fact in [*dated, *held])
        return Timeline(
            lambda: iter(shown),
            lambda: self._fact_records(shown),
            lambda: map(self.records.cells, shown),
            len(without_date),
            inferred,
            len(held),
        )

    def statistics(self, filters: Filters, sort: StatSort) -> Statistics:
        from shenka_cli.core.query import statistics

        facts = self.select(filters)
        sector_of = {fact.id: fact.sector for fact in facts}
        stats = [(stat, sector_of.get(stat.fact_id, "")) for stat in statistics(self.base, facts, sort)]
        units = self.records.units(self.base.units)
        return Statistics(
            lambda: iter(stats), lambda: (self.records.stat(stat, sector, units) for stat, sector in stats)
        )

    def search(self, filters: Filters, terms: Sequence[str], limit: int) -> Found:
        from shenka_cli.core.search import entity_names, search, shown

        hits = search(self.select(filters), terms, entity_names(self.base.entities))
        best = hits[:limit] if limit else hits
        return Found(
            lambda: map(shown, best), lambda: self._fact_records(hit.fact for hit in best), len(hits), len(best)
        )

    def _fact_records(self, facts: Sequence[Fact] | Iterator[Fact]) -> Iterator[dict]:
        from shenka_cli.core.gazetteer import gazetteer_for

        gazetteer = gazetteer_for(self.base.entities)
        units = self.records.units(self.base.units)
        return (self.records.fact(fact, gazetteer, units) for fact in facts)
