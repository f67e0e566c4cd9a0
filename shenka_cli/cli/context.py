"""What every command needs from the global options: where the facts are and which language to show."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from shenka_cli.errors import InvalidFactBase, ShenkaError

if TYPE_CHECKING:
    from shenka_cli.model import FactBase

BUNDLED = "bundled"


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"
    BOTH = "both"


@dataclass(slots=True)
class Settings:
    facts: list[str]
    lang: Lang = Lang.ZH

    def fact_paths(self) -> list[Path] | None:
        """The directories given with --facts ('bundled' names the bundled base), or None for the default."""
        from shenka_cli.loader import bundled_facts_dir

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


def load_base(ctx: typer.Context) -> FactBase:
    """The valid fact base, or InvalidFactBase (exit 2) listing its errors."""
    from shenka_cli.store import load_fact_base

    result = load_fact_base(settings(ctx).fact_paths())
    if result.errors:
        raise InvalidFactBase(result.problems)
    return result.base
