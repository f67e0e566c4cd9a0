"""shenka sources: the sources the facts cite, oldest first, with their reliability and how many facts cite them."""

from __future__ import annotations

import typer

from shenka_cli.cli.context import catalogue, settings
from shenka_cli.cli.options import FieldsOption, ForceOption, FormatOption, OutputOption
from shenka_cli.cli.output import destination
from shenka_cli.render import Format


def sources(
    ctx: typer.Context,
    format: FormatOption = Format.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Every source, oldest first, with its reliability, how much of it was read and how many facts cite it.

    Each with its date (at its precision), outlet, title, language and authors.

    Example: [bold]shenka --lang en sources[/bold] · [bold]shenka sources --format csv -o sources.csv[/bold]

    One source's facts: [bold]shenka timeline --source ID[/bold]
    """
    from shenka_cli.cli.output import emit
    from shenka_cli.present.sources import sources_document

    format, output = destination(format, output)
    facts_of = catalogue(ctx)
    counts = facts_of.citing_counts()
    document = sources_document(
        facts_of.base_without_facts().sources, counts, settings(ctx).lang, machine=format is Format.CSV
    )
    emit(document, format, output, force, empty="the fact base has no sources", fields=fields)
