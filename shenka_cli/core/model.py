"""The fact base as typed, immutable values. No I/O here."""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import NamedTuple


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class Qualifier(StrEnum):
    EXACT = "exact"
    MORE_THAN = "more_than"
    ABOUT = "about"
    RANGE = "range"
    LESS_THAN = "less_than"  # 不到, 不足: the number is the high end


class StatKind(StrEnum):
    QUANTITY = "quantity"
    ORDINAL = "ordinal"


class FuzzyDate(NamedTuple):
    """A date known to a year, a month or a day; never padded with invented parts."""

    year: int
    month: int | None = None
    day: int | None = None
    inferred: bool = False

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """A year sorts before its months, a month before its days."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        return self.iso


class Period(NamedTuple):
    """A span from a start to an end, each at its own precision."""

    start: FuzzyDate
    end: FuzzyDate

    @property
    def inferred(self) -> bool:
        return self.start.inferred or self.end.inferred

    @property
    def iso(self) -> str:
        """ISO 8601 interval notation: 2010/2025."""
        return f"{self.start.iso}/{self.end.iso}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return self.start.sort_key

    @property
    def first_day(self) -> dt.date:
        return self.start.first_day

    @property
    def last_day(self) -> dt.date:
        return self.end.last_day

    def __str__(self) -> str:
        return f"{self.start.iso} – {self.end.iso}"


When = FuzzyDate | Period


class Statistic(NamedTuple):
    """One figure of a fact: as written, in base units, with its unit, qualifier and date."""

    fact_id: str
    label: str
    label_en: str
    written: str
    value: int | float | None
    low: int | float | None
    high: int | float | None
    unit: str
    qualifier: Qualifier
    kind: StatKind
    as_of: When | None
    as_of_reason: str | None = None


class SourceRef(NamedTuple):
    id: str
    section: str


class Location(NamedTuple):
    """Where something was defined: a file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Fact(NamedTuple):
    id: str
    sector: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    date: FuzzyDate | None
    period: Period | None
    inferred_reason: str | None
    places: tuple[str, ...]
    organisations: tuple[str, ...]
    people: tuple[str, ...]
    tags: tuple[str, ...]
    source: SourceRef
    stats: tuple[Statistic, ...]
    location: Location

    @property
    def when(self) -> When | None:
        return self.date if self.date is not None else self.period


class Sector(NamedTuple):
    id: str
    name: str
    name_en: str
    description: str
    description_en: str


class Source(NamedTuple):
    id: str
    title: str
    title_en: str
    outlet: str
    outlet_en: str | None
    authors: tuple[str, ...]
    date: FuzzyDate | None
    date_reason: str | None
    sections: tuple[str, ...]


class FactBase(NamedTuple):
    sectors: tuple[Sector, ...]
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]

    @property
    def stats(self) -> tuple[Statistic, ...]:
        return tuple(stat for fact in self.facts for stat in fact.stats)

    def sector(self, sector_id: str) -> Sector | None:
        return next((s for s in self.sectors if s.id == sector_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)
