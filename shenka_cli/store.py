"""Where commands get the fact base from (the per-file cache comes here)."""

from __future__ import annotations

from pathlib import Path

from shenka_cli.loader import LoadResult, load


def load_fact_base(paths: list[Path] | None) -> LoadResult:
    return load(paths)
