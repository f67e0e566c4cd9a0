"""shenka validate: check fact files and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shenka_cli.cli.context import settings

if TYPE_CHECKING:
    from shenka_cli.core.loader import LoadResult


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Fact files or directories (default: the fact base in use).", show_default=False),
    ] = None,
) -> None:
    """Check fact files and report every problem, with file, line, fact and field.

    Exit status: 0 when clean, 1 when problems were found, 2 for usage errors.

    A directory of facts that defines no sectors and no sources (only [[fact]] tables, as `shenka new` writes)
    is checked against the bundled sectors and sources.

    Example: [bold]shenka validate my-facts[/bold]
    """
    from shenka_cli.cli.console import write_text
    from shenka_cli.core.loader import load
    from shenka_cli.text.safety import visible_line

    for path in paths or []:
        if not path.exists() and not path.is_symlink():
            raise typer.BadParameter(f"{visible_line(str(path))}: no such file or directory", param_hint="PATH")
    from shenka_cli.cli.progress import BuildProgress

    with BuildProgress(settings(ctx).lang, what="reading-files") as progress:
        result = load(paths or settings(ctx).fact_paths(), progress)
    note = None
    if paths and not result.base.sectors and not result.base.sources:
        result = _beside_bundled(paths)
        note = "(no sectors or sources defined there: checked against the bundled ones)"
    lines = [visible_line(str(problem)) for problem in result.problems]
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    base = result.base
    counts = (
        (result.files, "file"),
        (len(base.facts), "fact"),
        (len(base.stats), "statistic"),
        (errors, "problem"),
        (warnings, "warning"),
    )
    summary = ", ".join(f"{count} {noun}{'' if count == 1 else 's'}" for count, noun in counts)
    write_text("\n".join([*lines, summary, *([note] if note else [])]) + "\n")
    raise typer.Exit(1 if errors else 0)


def _beside_bundled(paths: list[Path]) -> LoadResult:
    """The user's facts loaded beside the bundled base; only their own files, facts and problems counted."""
    from shenka_cli.core.loader import LoadResult, load
    from shenka_cli.core.paths import bundled_facts_dir, fact_files

    bundled = bundled_facts_dir()
    bundled_files = {str(path) for path in fact_files([bundled])[0]}
    combined = load([bundled, *paths])
    own_facts = tuple(fact for fact in combined.base.facts if fact.location.path not in bundled_files)
    problems = [problem for problem in combined.problems if problem.path not in bundled_files]
    return LoadResult(combined.base._replace(facts=own_facts), problems, combined.files - len(bundled_files))
