"""The explorer commands: timeline, search, sectors, stats and show."""

from __future__ import annotations

from typing import Annotated

import typer

from shenka_cli.cli.context import base_of, catalogue, settings
from shenka_cli.cli.options import (
    FieldsOption,
    ForceOption,
    FormatOption,
    FromOption,
    OrganisationOption,
    OutputOption,
    PersonOption,
    PlaceOption,
    SectorOption,
    SourceOption,
    TagOption,
    TimelineFormat,
    TimelineFormatOption,
    ToOption,
    complete_fact,
    complete_sector,
    filters,
    sector_callback,
)
from shenka_cli.cli.output import destination
from shenka_cli.core.query import StatSort
from shenka_cli.present.messages import message
from shenka_cli.render import Format


def timeline(
    ctx: typer.Context,
    sector: SectorOption = None,
    place: PlaceOption = None,
    tag: TagOption = None,
    start: FromOption = None,
    end: ToOption = None,
    organisation: OrganisationOption = None,
    person: PersonOption = None,
    source: SourceOption = None,
    undated: Annotated[
        bool, typer.Option("--undated", help="Also list the facts the source gives no date for.")
    ] = False,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw facts per year as bars (with --format table, svg or html).")
    ] = False,
    format: TimelineFormatOption = TimelineFormat.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Events and periods in date order, by year; then the standing facts under "As of YEAR".

    Each date at the precision its source gives. A standing fact (近年来, 截至目前, a cumulative total) holds as
    of a date with no known start: it is listed apart, never as an event of that year.

    Example: [bold]shenka timeline --from 2024 --to 2025-08 --format markdown[/bold]

    Facts per year as bars: [bold]shenka timeline --chart[/bold]

    For TimelineJS: [bold]shenka --lang en timeline --format timelinejs -o timeline.json[/bold]
    """
    from shenka_cli.cli.output import emit
    from shenka_cli.present.views import timeline_document

    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    if format is TimelineFormat.TIMELINEJS:
        from shenka_cli.core.query import chronological, standing

        facts_of = catalogue(ctx)
        facts = facts_of.select(chosen)
        dated, without_date = chronological(facts)
        not_events = [*standing(facts), *without_date]
        _timelinejs(base_of(facts_of, facts), dated, not_events, settings(ctx).lang, output, force, chart, fields)
        return
    written, output = destination(Format(format.value), output)
    if chart:
        from shenka_cli.cli.output import emit_chart
        from shenka_cli.core.query import chronological
        from shenka_cli.present.charts import timeline_chart

        dated, without_date = chronological(catalogue(ctx).select(chosen))
        drawn = timeline_chart(dated, settings(ctx).lang, undated=len(without_date))
        emit_chart(
            drawn if drawn.bars else None,
            written,
            output,
            force,
            empty=message(settings(ctx).lang, "no-dated-fact"),
            fields=fields,
        )
        return
    facts_of = catalogue(ctx)
    found = facts_of.timeline(chosen, undated)
    document = timeline_document(
        found, settings(ctx).lang, show_undated=undated, machine=written is Format.CSV, sectors=facts_of.sectors
    )
    emit(document, written, output, force, empty=message(settings(ctx).lang, "no-fact"), fields=fields)


def _timelinejs(base, dated, not_events, lang, output, force: bool, chart: bool, fields: str | None) -> None:
    """The timeline as TimelineJS3 JSON, to standard output or --output (whatever its extension)."""
    from shenka_cli.cli.output import emit_text
    from shenka_cli.core.errors import NoMatch, ShenkaError
    from shenka_cli.present.timelinejs import timelinejs
    from shenka_cli.render.timelinejs import render_timelinejs

    if chart or fields is not None:
        raise ShenkaError("--format timelinejs writes a whole TimelineJS document: no --chart or --fields")
    if not dated:
        raise NoMatch(message(lang, "no-dated-fact"))
    emit_text(render_timelinejs(timelinejs(base, dated, not_events, lang)), output, force)


def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            help="Words to find; every word must match: Chinese in either script, English in any form, "
            "pinyin with or without tones (kashi, kā shí, ka1 shi2)."
        ),
    ],
    sector: SectorOption = None,
    place: PlaceOption = None,
    tag: TagOption = None,
    start: FromOption = None,
    end: ToOption = None,
    organisation: OrganisationOption = None,
    person: PersonOption = None,
    source: SourceOption = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=0, help="Show at most N best matches (0: all); a note says how many more."),
    ] = 50,
    format: FormatOption = Format.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Find facts by keyword in Chinese (any substring, either script), English or pinyin, best matches first.

    Example: [bold]shenka search 白内障[/bold] (or 白內障, cataracts, baineizhang, bái nèi zhàng); every match:
    [bold]--limit 0[/bold]

    With no match, exit status 1 and the closest words of the facts: [bold]shenka search hosptal[/bold]
    """
    from shenka_cli.cli.output import emit
    from shenka_cli.core.errors import NoMatch, ShenkaError
    from shenka_cli.core.search import entity_names, parse_query
    from shenka_cli.present.views import search_document

    terms = [term for word in query for term in word.split()]
    parsed = parse_query(terms)
    if not parsed.terms:
        raise ShenkaError("nothing to search for", hint="give at least one word, e.g. shenka search 喀什")
    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    facts_of = catalogue(ctx)
    found = facts_of.search(chosen, terms, limit)
    document = search_document(found, settings(ctx).lang)
    try:
        empty = message(settings(ctx).lang, "no-search-match", terms=" ".join(terms))
        emit(document, format, output, force, empty=empty, fields=fields)
    except NoMatch as nothing:
        names = entity_names(facts_of.base_without_facts().entities)
        raise NoMatch(nothing.message, _did_you_mean(facts_of, chosen, parsed, names)) from None
    if found.total > found.shown:
        from shenka_cli.cli.console import note

        note(message(settings(ctx).lang, "more-matches", more=found.total - found.shown, shown=found.shown))


HINT_WORDS_FROM = 2000
"""A did-you-mean hint takes its words from at most this many facts (evenly spread over a larger base)."""


def _did_you_mean(facts_of, chosen, parsed, names) -> str | None:
    """The closest words of the facts for the terms that match nothing on their own."""
    from shenka_cli.core.search.suggest import did_you_mean, searched_texts

    alone = [facts_of.search(chosen, [term.typed], 1).total > 0 for term in parsed.terms]
    if all(alone):
        return "no fact has all of these words; try fewer"
    return did_you_mean(parsed.terms, searched_texts(facts_of.sample(chosen, HINT_WORDS_FROM), names), alone)


def sectors(
    ctx: typer.Context,
    sector: Annotated[
        str | None,
        typer.Argument(
            metavar="SECTOR",
            help="A sector, by its id or either of its names: show its facts and statistics.",
            autocompletion=complete_sector,
            callback=sector_callback,
            show_default=False,
        ),
    ] = None,
    place: PlaceOption = None,
    tag: TagOption = None,
    start: FromOption = None,
    end: ToOption = None,
    organisation: OrganisationOption = None,
    person: PersonOption = None,
    source: SourceOption = None,
    format: FormatOption = Format.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """One row per sector: names, counts, date span and headline figures; or one sector in full.

    Example: [bold]shenka sectors[/bold] · [bold]shenka sectors livelihood --format markdown[/bold]
    """
    from shenka_cli.cli.output import emit
    from shenka_cli.core.query import sector_summaries
    from shenka_cli.present.names import sector_name
    from shenka_cli.present.views import sector_document, sectors_document

    format, output = destination(format, output)
    facts_of = catalogue(ctx)
    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    lang = settings(ctx).lang
    if sector is None:
        from shenka_cli.present.figures import Lexicon

        tables = facts_of.base_without_facts()  # the summaries read the facts one at a time
        document = sectors_document(sector_summaries(tables, facts_of.each(chosen)), lang, Lexicon.of(tables))
        emit(document, format, output, force, fields=fields)
    else:
        facts = facts_of.select(chosen)
        base = base_of(facts_of, facts)
        document = sector_document(base, sector, facts, lang, machine=format is Format.CSV)
        emit(
            document,
            format,
            output,
            force,
            empty=message(lang, "no-sector-fact", sector=sector_name(base.sector(sector), sector, lang)),
            fields=fields,
        )


def stats(
    ctx: typer.Context,
    sector: SectorOption = None,
    place: PlaceOption = None,
    tag: TagOption = None,
    start: FromOption = None,
    end: ToOption = None,
    organisation: OrganisationOption = None,
    person: PersonOption = None,
    source: SourceOption = None,
    sort: Annotated[
        StatSort,
        typer.Option(
            "--sort", help="Order within each unit: unit (source order), value, date or sector.", case_sensitive=False
        ),
    ] = StatSort.UNIT,
    chart: Annotated[
        bool,
        typer.Option("--chart", help="Draw the quantities as bars, one group per unit (--format table, svg or html)."),
    ] = False,
    format: FormatOption = Format.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Every statistic: as written, in base units, with unit, qualifier and date, grouped by unit.

    Example: [bold]shenka stats --sector livelihood --sort value --format csv -o stats.csv[/bold]

    The quantities as bars, one group per unit: [bold]shenka stats --chart --sort value[/bold]
    """
    from shenka_cli.cli.output import emit
    from shenka_cli.present.views import stats_document

    format, output = destination(format, output)
    facts_of = catalogue(ctx)
    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    if chart:
        from shenka_cli.cli.output import emit_chart
        from shenka_cli.core.query import statistics
        from shenka_cli.present.charts import stats_chart

        facts = facts_of.select(chosen)
        base = base_of(facts_of, facts)

        from shenka_cli.present.figures import Units

        drawn = stats_chart(statistics(base, facts, sort), settings(ctx).lang, Units(base.units))
        emit_chart(
            drawn if drawn.bars else None,
            format,
            output,
            force,
            empty=message(settings(ctx).lang, "no-quantity"),
            fields=fields,
        )
        return
    from shenka_cli.present.figures import Lexicon

    lexicon = Lexicon.of(facts_of.base_without_facts())
    found = facts_of.statistics(chosen, sort)
    document = stats_document(found, settings(ctx).lang, machine=format is Format.CSV, lexicon=lexicon)
    emit(document, format, output, force, empty=message(settings(ctx).lang, "no-statistic"), fields=fields)


def show(
    ctx: typer.Context,
    fact_id: Annotated[str, typer.Argument(metavar="ID", help="The fact's id.", autocompletion=complete_fact)],
    format: FormatOption = Format.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """One fact in full, in both languages, with its statistics, names and source.

    Example: [bold]shenka show pengcheng-lab-kashgar-node[/bold]
    """
    from shenka_cli.cli.output import emit
    from shenka_cli.core.query import find_fact
    from shenka_cli.present.views import show_document

    format, output = destination(format, output)
    facts_of = catalogue(ctx)
    fact = find_fact(facts_of.fact(fact_id), fact_id, lambda: _suggestions(facts_of, fact_id))
    base = base_of(facts_of, [fact])
    emit(
        show_document(base, fact, settings(ctx).lang, machine=format is Format.CSV),
        format,
        output,
        force,
        fields=fields,
    )


SUGGESTED_PER_WORD = 50


def _suggestions(facts_of, wanted: str) -> list[str]:
    """Ids to suggest for an unknown one: facts whose titles (either language), ids or names match its words,
    best first; failing that, ids spelt like it."""
    import re

    from shenka_cli.core.query import Filters, closest_ids
    from shenka_cli.core.search import search as find

    terms = [term for term in re.split(r"[-_\s]+", wanted) if term]
    by_meaning = [shown.fact_id for shown in facts_of.search(Filters(), terms, 3).listed()] if terms else []
    if not by_meaning and len(terms) > 1:  # no fact has every word: rank by each word on its own
        # The best few of each word, scored by every word (a large base has too many hits to build them all).
        ids = dict.fromkeys(
            shown.fact_id for term in terms for shown in facts_of.search(Filters(), [term], SUGGESTED_PER_WORD).listed()
        )
        facts = [fact for fact in map(facts_of.fact, ids) if fact is not None]
        scores = {fact.id: sum(hit.score for term in terms for hit in find([fact], [term])) for fact in facts}
        by_meaning = sorted(scores, key=lambda fact_id: -scores[fact_id])
    return by_meaning[:3] or closest_ids(facts_of.ids(), wanted)
