"""The gazetteer's listings: places, organisations and people, and the tags, each with its number of facts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer

from shenka_cli.cli.context import catalogue, settings
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
    ToOption,
    filters,
)
from shenka_cli.cli.output import destination
from shenka_cli.core.model import EntityCategory
from shenka_cli.core.query import Filters
from shenka_cli.render import Format

if TYPE_CHECKING:
    from shenka_cli.core.model import Fact
    from shenka_cli.core.store import Catalogue


def places(
    ctx: typer.Context,
    sector: SectorOption = None,
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
    """The places of the gazetteer, each under the place containing it, with the facts naming it.

    Two counts: the facts naming the place itself, and those naming it or any place within it. With
    filters, only the places of the facts they keep (and the places containing those).

    Example: [bold]shenka --lang en places --format markdown[/bold]
    """
    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    _entities(ctx, EntityCategory.PLACE, chosen, format, fields, output, force)


def organisations(
    ctx: typer.Context,
    sector: SectorOption = None,
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
    """The organisations of the gazetteer, with their kind, where they are based and the facts naming each.

    With filters, only the organisations the facts they keep name.

    Example: [bold]shenka organisations --sector industry --format csv -o organisations.csv[/bold]
    """
    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    _entities(ctx, EntityCategory.ORGANISATION, chosen, format, fields, output, force)


def people(
    ctx: typer.Context,
    sector: SectorOption = None,
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
    """The people of the gazetteer, with who they are and the facts naming each.

    With filters, only the people the facts they keep name.

    Example: [bold]shenka --lang both people[/bold]
    """
    chosen = filters(sector, place, tag, start, end, organisation=organisation, person=person, source=source)
    _entities(ctx, EntityCategory.PERSON, chosen, format, fields, output, force)


def tags(
    ctx: typer.Context,
    sector: SectorOption = None,
    place: PlaceOption = None,
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
    """The tags in use, most used first, with their numbers of facts in each sector.

    Example: [bold]shenka tags --place Taxkorgan[/bold]
    """
    from shenka_cli.cli.output import emit
    from shenka_cli.core.tally import tag_counts, tag_counts_of
    from shenka_cli.present.entities import tags_document

    format, output = destination(format, output)
    chosen = filters(sector, place, None, start, end, organisation=organisation, person=person, source=source)
    facts_of = catalogue(ctx)
    lang = settings(ctx).lang
    if chosen == Filters():  # every fact: their tag columns tell, without decoding them
        counts = tag_counts_of(facts_of.tagged(), facts_of.sectors)
    else:
        counts = tag_counts(_facts(facts_of, chosen), facts_of.sectors)
    document = tags_document(counts, facts_of.sectors, lang, machine=format is Format.CSV)
    emit(document, format, output, force, empty=document.listings[0].empty_message, fields=fields)


def _entities(ctx: typer.Context, category: EntityCategory, chosen: Filters, format, fields, output, force) -> None:
    """List one category of the gazetteer with the counts of the facts the filters keep."""
    from shenka_cli.cli.output import emit
    from shenka_cli.core.gazetteer import gazetteer_for
    from shenka_cli.core.tally import entity_counts
    from shenka_cli.present.entities import entities_document

    format, output = destination(format, output)
    facts_of = catalogue(ctx)
    gazetteer = gazetteer_for(facts_of.base_without_facts().entities)
    counts = entity_counts(gazetteer, _facts(facts_of, chosen), category, everything=chosen == Filters())
    document = entities_document(counts, gazetteer, category, settings(ctx).lang, machine=format is Format.CSV)
    emit(document, format, output, force, empty=document.listings[0].empty_message, fields=fields)


def _facts(facts_of: Catalogue, chosen: Filters) -> Iterator[Fact]:
    """Every fact the filters keep (undated and standing ones too), read from the store one at a time."""
    return facts_of.timeline(chosen, True).facts()
