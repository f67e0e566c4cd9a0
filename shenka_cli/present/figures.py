"""Figures and units in the chosen language, from the unit registry (facts/units.toml).

Chinese shows a figure as its source writes it (`text`, the original); English writes it from the unit's
registry entry ("CNY 12.656 billion", "more than 990 people"); both shows the original and then the English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from shenka_cli.core.figures_en import english_figure, grouped
from shenka_cli.core.model import FactBase, Qualifier, Sector, Statistic, StatKind, Unit
from shenka_cli.present.names import sector_name

Number = int | float | None
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CHINESE_SCALES = ((10**8, "亿"), (10**4, "万"))


def _chinese_number(number: int | float) -> str:
    """A number as Chinese text writes a large one: 2亿, 3.52万; smaller ones with separators (5,000)."""
    for size, word in CHINESE_SCALES:
        if abs(number) >= size:
            return grouped(Decimal(str(number)) / size) + word
    return grouped(number)


def chinese_figure(stat: Statistic, unit: str) -> str:
    """A statistic written in Chinese from its number: 2亿元, 超过5,000公里, 约8小时, 7–10天, 第11批."""
    if stat.kind is StatKind.ORDINAL and stat.value is not None:
        return f"第{int(stat.value)}{unit}"
    if stat.qualifier is Qualifier.RANGE and stat.low is not None and stat.high is not None:
        return f"{_chinese_number(stat.low)}–{_chinese_number(stat.high)}{unit}"
    number = stat.value if stat.value is not None else stat.low if stat.low is not None else stat.high
    text = f"{_chinese_number(number or 0)}{unit}"
    words = {Qualifier.MORE_THAN: "超过", Qualifier.ABOUT: "约", Qualifier.LESS_THAN: "不到"}
    return words.get(stat.qualifier, "") + text


class Units:
    """The unit registry, by id and alias."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self.by_name: dict[str, Unit] = {}
        for unit in units:
            for name in (unit.id, *unit.aliases):
                self.by_name.setdefault(name, unit)

    def get(self, unit_id: str) -> Unit | None:
        return self.by_name.get(unit_id)

    def english(self, unit_id: str) -> str:
        """The unit's English name (plural), or the original in parentheses when the registry lacks it."""
        unit = self.get(unit_id)
        return unit.plural_en if unit is not None else f"({unit_id})"

    def name(self, unit_id: str, lang: str) -> str:
        """个 / items / 个 items."""
        unit = self.get(unit_id)
        chinese = (unit.name if unit is not None and unit.name else None) or unit_id
        if lang == "zh":
            return chinese
        english = self.english(unit_id)
        return english if lang == "en" else f"{chinese} {english}"

    def english_figure(self, stat: Statistic) -> str:
        """The statistic written in English: "more than 990 people"."""
        unit = self.get(stat.unit)
        return english_figure(stat.value, stat.low, stat.high, stat.qualifier, stat.kind, unit, stat.unit)

    def quantity(self, value: Number, low: Number, high: Number, qualifier: Qualifier, unit_id: str, lang: str) -> str:
        """A quantity (a point of a series) as shown in the language: > 990 in Chinese (the number, its unit named
        apart), "more than 990 people" in English."""
        if lang == "zh":
            if qualifier is Qualifier.RANGE:
                return f"{grouped(low or 0)} – {grouped(high or 0)}"
            sign = {Qualifier.MORE_THAN: "> ", Qualifier.ABOUT: "≈ ", Qualifier.LESS_THAN: "< "}.get(qualifier, "")
            return sign + grouped(value if value is not None else low or high or 0)
        unit = self.get(unit_id)
        return english_figure(value, low, high, qualifier, StatKind.QUANTITY, unit, unit_id)

    def chinese_figure(self, stat: Statistic) -> str:
        """The figure as Chinese text: as written when the source is Chinese, else written from its number and unit
        (an English source's "an extra 200 million yuan" is 2亿元, "more than 5,000 km" 超过5,000公里)."""
        if HAN.search(stat.written):
            return stat.written
        return chinese_figure(stat, self.name(stat.unit, "zh"))

    def figure(self, stat: Statistic, lang: str) -> str:
        """The figure as a reader of the language reads it: 990余名 / more than 990 people / 990余名 (more than 990
        people)."""
        if lang == "zh":
            return self.chinese_figure(stat)
        english = self.english_figure(stat)
        return english if lang == "en" else f"{stat.written} ({english})"

    def headline(self, stat: Statistic, lang: str) -> str:
        """A labelled figure: "援疆资金 126.56亿元" / "Aid funds: CNY 12.656 billion" / both, one after the other."""
        zh = f"{stat.label} {self.chinese_figure(stat)}"
        en = f"{stat.label_en}: {self.english_figure(stat)}"
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")


class Lexicon:
    """What a listing needs to name things in the language: the unit registry and the sectors."""

    def __init__(self, units: Iterable[Unit] = (), sectors: Iterable[Sector] = ()) -> None:
        self.units = Units(units)
        self.sectors = {sector.id: sector for sector in sectors}

    @classmethod
    def of(cls, base: FactBase | None) -> Lexicon:
        return cls(base.units, base.sectors) if base is not None else cls()

    def sector(self, sector_id: str, lang: str) -> str:
        return sector_name(self.sectors.get(sector_id), sector_id, lang)
