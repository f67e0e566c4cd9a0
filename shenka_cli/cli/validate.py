"""shenka validate: check fact files and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shenka_cli.cli.context import settings


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Fact files or directories (default: the fact base in use).", show_default=False),
    ] = None,
) -> None:
    """Check fact files and report every problem, with file, line, fact and field.

    Exit status: 0 when clean, 1 when problems were found, 2 for usage errors.

    Example: [bold]shenka validate ~/my-facts[/bold]
    """
    from shenka_cli.cli.console import write_text
    from shenka_cli.core.loader import load
    from shenka_cli.text.safety import visible_line

    for path in paths or []:
        if not path.exists() and not path.is_symlink():
            raise typer.BadParameter(f"{visible_line(str(path))}: no such file or directory", param_hint="PATH")
    result = load(paths or settings(ctx).fact_paths())
    lines = [visible_line(str(problem)) for problem in result.problems]
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    base = result.base
    summary = (
        f"{result.files} files, {len(base.facts)} facts, {len(base.stats)} statistics, "
        f"{errors} problems, {warnings} warnings"
    )
    write_text("\n".join([*lines, summary]) + "\n")
    raise typer.Exit(1 if errors else 0)
