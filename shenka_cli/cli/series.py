"""shenka series: each measure's values across the years, every point cited, the flags spelt out."""

from __future__ import annotations

from typing import Annotated

import typer

from shenka_cli.cli.context import catalogue, settings
from shenka_cli.cli.options import FieldsOption, ForceOption, FormatOption, OutputOption
from shenka_cli.cli.output import destination
from shenka_cli.render import Format


def complete_measure(ctx: typer.Context, incomplete: str) -> list[str]:
    from shenka_cli.cli.options import _completion_catalogue

    found = _completion_catalogue(ctx)
    measures = found.base_without_facts().measures if found else ()
    return [measure.id for measure in measures if measure.id.startswith(incomplete)]


def series(
    ctx: typer.Context,
    measure: Annotated[
        str | None,
        typer.Argument(
            metavar="MEASURE",
            help="A measure, by its id or either of its names (aid-funds-cumulative, 累计投入援疆资金); "
            "default: every measure.",
            autocompletion=complete_measure,
            show_default=False,
        ),
    ] = None,
    chart: Annotated[
        bool,
        typer.Option("--chart", help="Draw each series as bars in time order (with --format table, svg or html)."),
    ] = False,
    format: FormatOption = Format.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Each measure's values in time order: date, value, qualifier, the fact and every source citing it.

    Flags what a careful reader must know: sources that give different values for the same date, a
    cumulative total that goes down, and values in units that cannot be compared (人 people, 人次
    person-trips), which are shown as separate series, never joined.

    Example: [bold]shenka series aid-funds-cumulative[/bold] · as bars: [bold]shenka series --chart[/bold]
    """
    from shenka_cli.core.query import Filters
    from shenka_cli.core.series import build_series, find_measure
    from shenka_cli.present.series import series_document

    format, output = destination(format, output)
    facts_of = catalogue(ctx)
    base = facts_of.base_without_facts()
    lang = settings(ctx).lang
    chosen = find_measure(base.measures, measure).id if measure is not None else None
    found = build_series(base.measures, facts_of.each(Filters()), chosen)
    empty = f"no dated value of measure {chosen!r}" if chosen else "no statistic names a measure"
    if chart:
        from shenka_cli.cli.output import emit_chart
        from shenka_cli.present.series_chart import series_chart

        drawn = series_chart(found, base.units, lang)
        emit_chart(drawn if drawn.bars else None, format, output, force, empty=empty, fields=fields)
        return
    from shenka_cli.cli.output import emit

    document = series_document(base, found, lang, machine=format is Format.CSV)
    if not any(series.points for series in found):
        document = document._replace(records=[])
    emit(document, format, output, force, empty=empty, fields=fields)
