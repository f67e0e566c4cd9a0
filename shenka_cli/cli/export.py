"""shenka export: the fact base in a form other tools open (a SQLite database for Datasette and sqlite-utils)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shenka_cli.cli.context import base_of, catalogue
from shenka_cli.cli.options import ForceOption


class ExportKind(StrEnum):
    SQLITE = "sqlite"


def metadata_path(database: Path) -> Path:
    """Where Datasette's metadata for a database goes: beside it, FILE.metadata.json."""
    return database.with_name(database.stem + ".metadata.json")


def export(
    ctx: typer.Context,
    kind: Annotated[ExportKind, typer.Argument(help="What to write: sqlite (a SQLite database).")],
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="The file to write, e.g. facts.db.", dir_okay=False, show_default=False),
    ],
    force: ForceOption = False,
) -> None:
    """Write the whole fact base as a documented SQLite database, with Datasette's metadata beside it.

    Tables for facts, statistics, sectors, sources, places, organisations and people, the tables that join
    them, a full-text index and views; FILE.metadata.json holds titles, descriptions and default facets.

    Example: [bold]shenka export sqlite facts.db && datasette facts.db -m facts.metadata.json[/bold]
    """
    import json

    from shenka_cli.cli.console import write_text
    from shenka_cli.cli.output import write_file
    from shenka_cli.core.database import datasette_metadata
    from shenka_cli.core.query import Filters

    facts_of = catalogue(ctx)
    base = base_of(facts_of, facts_of.select(Filters()))
    metadata = metadata_path(file)
    for target in (file, metadata):
        _check_target(target, force)
    _write_database(base, file, force)
    text = json.dumps(datasette_metadata(base, file.stem), ensure_ascii=False, indent=2) + "\n"
    write_file(metadata, text, force=True)
    stats = sum(len(fact.stats) for fact in base.facts)
    write_text(
        f"wrote {file} ({len(base.facts)} facts, {stats} statistics, {len(base.sectors)} sectors, "
        f"{len(base.sources)} sources) and {metadata}\n"
        f"browse it: datasette {file} -m {metadata}\n"
    )


def _check_target(path: Path, force: bool) -> None:
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.text.safety import visible_line

    if path.is_dir():
        raise ShenkaError(f"{visible_line(str(path))} is a directory")
    if path.exists() and not force:
        raise ShenkaError(f"{visible_line(str(path))} already exists", hint="use --force to overwrite it")


def _write_database(base, path: Path, force: bool) -> None:
    """Build the database in a temporary directory beside `path`, then move it into place in one step."""
    import os
    import sqlite3
    import tempfile

    from shenka_cli.core.database import write_database
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.text.safety import visible_line

    shown = visible_line(str(path))
    directory = path.parent if str(path.parent) else Path(".")
    try:
        with tempfile.TemporaryDirectory(dir=directory, prefix=f".{path.name}.") as temporary:
            built = Path(temporary) / path.name
            write_database(base, built)
            if force:
                os.replace(built, path)
            else:
                os.link(built, path)  # fails rather than replace a file created meanwhile
    except FileExistsError:
        raise ShenkaError(f"{shown} already exists", hint="use --force to overwrite it") from None
    except (OSError, sqlite3.Error) as error:
        raise ShenkaError(f"cannot write {shown}: {getattr(error, 'strerror', None) or error}") from None
