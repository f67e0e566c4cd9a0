"""shenka report: the facts as one briefing, in Markdown or as a self-contained HTML page."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from shenka_cli.cli.context import base_of, catalogue, settings
from shenka_cli.cli.options import (
    ForceOption,
    FromOption,
    OrganisationOption,
    OutputOption,
    PersonOption,
    PlaceOption,
    SectorOption,
    SourceOption,
    TagOption,
    ToOption,
    filters,
)


class ReportFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"


def report(
    ctx: typer.Context,
    sector: SectorOption = None,
    place: PlaceOption = None,
    tag: TagOption = None,
    start: FromOption = None,
    end: ToOption = None,
    organisation: OrganisationOption = None,
    person: PersonOption = None,
    source: SourceOption = None,
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="markdown, or html: one self-contained page with the timeline and figures drawn.",
            case_sensitive=False,
        ),
    ] = ReportFormat.MARKDOWN,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """A briefing: sources, headline figures, a timeline, each sector's facts, an index.

    Every fact is cited to its source and section. The global --lang zh|en|both picks the language.
    As Markdown (with a Mermaid timeline), or with --format html as one page that needs no network,
    reads on a phone and prints, with the timeline and each unit's figures drawn.

    Example: [bold]shenka --lang en report --from 2024 -o briefing.md[/bold]

    As a page: [bold]shenka --lang en report --format html -o briefing.html[/bold]
    """
    from shenka_cli.cli.console import write_text
    from shenka_cli.cli.output import destination, write_file
    from shenka_cli.core.errors import NoMatch, ShenkaError
    from shenka_cli.render import Format

    chosen_format, output = destination(Format(format.value), output)
    if chosen_format not in (Format.MARKDOWN, Format.HTML):
        raise ShenkaError(
            f"a report is written as markdown or html, not {chosen_format.value}", hint="use -o FILE.md or FILE.html"
        )

    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    facts_of = catalogue(ctx)
    facts = facts_of.select(chosen)
    if not facts:
        from shenka_cli.present.messages import message

        raise NoMatch(message(settings(ctx).lang, "no-fact"))
    if chosen_format is Format.HTML:
        from shenka_cli.present.html_report import build_html_report

        text = build_html_report(base_of(facts_of, facts), settings(ctx).lang, chosen)
    else:
        from shenka_cli.render.report import markdown_report

        text = markdown_report(base_of(facts_of, facts), settings(ctx).lang, chosen)
    if output is not None:
        write_file(output, text, force=force)
    else:
        write_text(text)
