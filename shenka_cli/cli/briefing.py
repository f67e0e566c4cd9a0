"""shenka report: the facts as one Markdown briefing."""

from __future__ import annotations

import typer

from shenka_cli.cli.context import base_of, catalogue, settings
from shenka_cli.cli.options import (
    ForceOption,
    FromOption,
    OutputOption,
    PlaceOption,
    SectorOption,
    TagOption,
    ToOption,
    filters,
)


def report(
    ctx: typer.Context,
    sector: SectorOption = None,
    place: PlaceOption = None,
    tag: TagOption = None,
    start: FromOption = None,
    end: ToOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """A Markdown briefing: sources, headline figures, a Mermaid timeline, each sector's facts, an index.

    Every fact is cited to its source and section. The global --lang zh|en|both picks the language.

    Example: [bold]shenka --lang en report --from 2024 -o briefing.md[/bold]
    """
    from shenka_cli.cli.console import write_text
    from shenka_cli.cli.output import write_file
    from shenka_cli.core.errors import NoMatch
    from shenka_cli.present.report import build_report

    chosen = filters(sector, place, tag, start, end)
    facts_of = catalogue(ctx)
    facts = facts_of.select(chosen)
    if not facts:
        raise NoMatch("no fact matches these filters")
    text = build_report(base_of(facts_of, facts), settings(ctx).lang, chosen)
    if output is not None and str(output) != "-":
        write_file(output, text, force=force)
    else:
        write_text(text)
