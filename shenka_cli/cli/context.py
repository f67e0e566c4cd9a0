"""What every command needs from the global options: where the facts are and which language to show."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import typer

from shenka_cli.core.errors import ShenkaError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shenka_cli.core.model import Fact, FactBase
    from shenka_cli.core.store import Catalogue, Progress

CATALOGUE_KEY = "shenka.catalogue"


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"
    BOTH = "both"


class Script(StrEnum):
    """The Chinese characters output is written in: the source's own, or converted to one script (OpenCC)."""

    SOURCE = "source"
    TRADITIONAL = "traditional"
    TRADITIONAL_HK = "traditional-hk"
    TRADITIONAL_TW = "traditional-tw"
    SIMPLIFIED = "simplified"

    def converter(self):
        """The conversion of written text, or None for the source's own text."""
        if self is Script.SOURCE:
            return None
        from functools import partial

        from shenka_cli.core.search.script import to_simplified, to_traditional

        if self is Script.SIMPLIFIED:
            return to_simplified
        configs = {Script.TRADITIONAL: "s2t", Script.TRADITIONAL_HK: "s2hk", Script.TRADITIONAL_TW: "s2tw"}
        return partial(to_traditional, config=configs[self])


class Settings(NamedTuple):
    facts: list[str]
    lang: Lang = Lang.ZH

    def fact_paths(self) -> list[Path] | None:
        """The directories given with --facts ('bundled' names the bundled base), or None for the default."""
        from shenka_cli.core.paths import BUNDLED, bundled_facts_dir

        if not self.facts:
            return None
        paths = [bundled_facts_dir() if item == BUNDLED else Path(item) for item in self.facts]
        for path in paths:
            if not path.exists():
                raise ShenkaError(f"--facts {path}: no such file or directory")
        return paths


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings(facts=[])
    return root.obj


def catalogue(ctx: typer.Context) -> Catalogue:
    """The valid fact base (cached when possible), or InvalidFactBase (exit 2) listing its errors.

    Opened once per run: option callbacks (--sector, --tag) and the command share it."""
    root = ctx.find_root()
    if CATALOGUE_KEY in root.meta:
        return root.meta[CATALOGUE_KEY]
    from shenka_cli.cli.progress import BuildProgress

    chosen = settings(ctx)
    with BuildProgress(chosen.lang) as progress:
        found = open_facts(chosen.fact_paths(), progress)
    if found.warnings:
        from shenka_cli.cli.console import warn

        for text in found.warnings:
            warn(text)
    root.meta[CATALOGUE_KEY] = found
    return found


def open_facts(paths: list[Path] | None, progress: Progress | None = None) -> Catalogue:
    """The store's catalogue of the facts, its JSON records built by the presentation layer; `progress` hears
    how far a cache build has got."""
    from shenka_cli.core.store import Records, open_catalogue
    from shenka_cli.present.cells import fact_cell_sets
    from shenka_cli.present.views import fact_record, stat_record, unit_registry

    return open_catalogue(paths, Records(fact_record, stat_record, fact_cell_sets, unit_registry), progress)


def base_of(catalogue: Catalogue, facts: Sequence[Fact]) -> FactBase:
    """A FactBase of some facts, with all sectors and sources, for the query and view functions."""
    return catalogue.base_without_facts()._replace(facts=tuple(facts))
