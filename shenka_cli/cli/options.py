"""Options shared by the listing commands: output format and file, filters, completion of ids."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shenka_cli.core.errors import ShenkaError
from shenka_cli.render import Format

if TYPE_CHECKING:
    from shenka_cli.core.model import Fact, FuzzyDate, Sector
    from shenka_cli.core.query import Filters


def _completion_catalogue(ctx: typer.Context):
    """The fact base for shell completion, or None: completion must never fail loudly, nor keep a Tab waiting for
    a cache build (store.at_once)."""
    from shenka_cli.cli.context import Settings, open_facts
    from shenka_cli.core.store import at_once

    try:
        facts = ctx.find_root().params.get("facts") or []
        paths = Settings(facts=list(facts)).fact_paths()
        return open_facts(paths) if at_once(paths) else None
    except Exception:  # noqa: BLE001 - completion is best effort
        return None


def _all_facts(ctx: typer.Context) -> Iterator[Fact]:
    from shenka_cli.core.query import Filters

    found = _completion_catalogue(ctx)
    return found.each(Filters()) if found else iter(())


def complete_sector(ctx: typer.Context, incomplete: str) -> list[str]:
    found = _completion_catalogue(ctx)
    return [s.id for s in found.sectors if s.id.startswith(incomplete)] if found else []


def complete_fact(ctx: typer.Context, incomplete: str) -> list[str]:
    found = _completion_catalogue(ctx)
    return [fact_id for fact_id in found.ids() if fact_id.startswith(incomplete)] if found else []


def complete_place(ctx: typer.Context, incomplete: str) -> list[str]:
    places = sorted({place for fact in _all_facts(ctx) for place in fact.places})
    return [place for place in places if place.startswith(incomplete)]


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    found = _completion_catalogue(ctx)
    return [tag for tag in found.tags() if tag.startswith(incomplete)] if found else []


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, markdown, csv, json, jsonl (JSON Lines), svg or html.",
        case_sensitive=False,
    ),
]


class TimelineFormat(StrEnum):
    """timeline's formats: every Format (tests/test_docs.py checks that none is missing), and the TimelineJS3
    JSON that only a timeline has."""

    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    SVG = "svg"
    HTML = "html"
    TIMELINEJS = "timelinejs"


TimelineFormatOption = Annotated[
    TimelineFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, markdown, csv, json, jsonl, svg, html, or timelinejs (TimelineJS3's JSON).",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to FILE instead of standard output (atomically).", metavar="FILE", dir_okay=False
    ),
]
FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        help="Only these keys (json, jsonl) or columns (csv, table…), in this order, e.g. --fields id,title,date.",
        metavar="KEY,KEY…",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")]


def find_sector(sectors: Sequence[Sector], wanted: str) -> str:
    """The id of the sector named by its id or either of its names (any case), or a usage error."""
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.text.suggest import closest

    folded = wanted.strip().casefold()
    for sector in sectors:
        if folded in (sector.id.casefold(), sector.name.casefold(), sector.name_en.casefold()):
            return sector.id
    names = {sector.id: sector.id for sector in sectors} | {s.name_en.casefold(): s.id for s in sectors}
    close = closest(folded, names)
    known = ", ".join(f"{s.id} ({s.name}, {s.name_en})" for s in sectors) or "none defined"
    hint = (f"did you mean {names[close[0]]}? " if close else "") + f"sectors: {known}"
    raise ShenkaError(f"unknown sector {wanted!r}", hint=hint)


def sector_callback(ctx: typer.Context, value: str | None) -> str | None:
    """--sector and the SECTOR argument: an id or either name, resolved to the id."""
    if value is None or ctx.resilient_parsing:
        return value
    from shenka_cli.cli.context import catalogue

    return find_sector(catalogue(ctx).sectors, value)


def tag_callback(ctx: typer.Context, value: str | None) -> str | None:
    """--tag: a tag in use (any case), or a usage error naming the closest tags and listing them all."""
    if value is None or ctx.resilient_parsing:
        return value
    from shenka_cli.cli.context import catalogue
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.text.suggest import closest

    tags = catalogue(ctx).tags()
    if value in tags:
        return value
    same = [tag for tag in tags if tag.casefold() == value.strip().casefold()]
    if same:
        return same[0]
    close = closest(value.casefold(), tags, 3, cutoff=0.5)
    hint = (f"did you mean {' or '.join(close)}? " if close else "") + "tags: " + (", ".join(tags) or "none")
    raise ShenkaError(f"unknown tag {value!r}", hint=hint)


SECTOR_HELP = "Only this sector, by its id or either name (livelihood, 民生, Livelihood)."
SectorOption = Annotated[
    str | None,
    typer.Option(
        "--sector", help=SECTOR_HELP, metavar="SECTOR", autocompletion=complete_sector, callback=sector_callback
    ),
]
PlaceOption = Annotated[
    str | None,
    typer.Option(
        "--place",
        help="Only facts naming this place or a place within it: any name or alias, Chinese or English "
        "(Kashgar, kashi, 喀什, 塔县, Taxkorgan).",
        metavar="PLACE",
        autocompletion=complete_place,
    ),
]
OrganisationOption = Annotated[
    str | None,
    typer.Option(
        "--organisation",
        help="Only facts naming this organisation: any name or alias (Peng Cheng Laboratory, 鹏城实验室, BGI).",
        metavar="NAME",
    ),
]
PersonOption = Annotated[
    str | None,
    typer.Option(
        "--person", help="Only facts naming this person: any name or alias, Chinese or English.", metavar="NAME"
    ),
]
SourceOption = Annotated[
    str | None,
    typer.Option("--source", help="Only facts citing this source (an id; `shenka sources` lists them).", metavar="ID"),
]
TAG_HELP = "Only facts with this tag (an unknown tag is an error that lists the tags in use)."
TagOption = Annotated[
    str | None,
    typer.Option("--tag", help=TAG_HELP, metavar="TAG", autocompletion=complete_tag, callback=tag_callback),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="From this date on: 2024, 2024-08 or 2024-08-09 (a standing fact counts at its as-of date).",
        metavar="DATE",
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        help="Up to this date: 2024, 2024-08 or 2024-08-09 (the whole month or year; a standing fact counts "
        "at its as-of date).",
        metavar="DATE",
    ),
]


def filters(
    sector: str | None,
    place: str | None,
    tag: str | None,
    start: str | None,
    end: str | None,
    *,
    organisation: str | None = None,
    person: str | None = None,
    source: str | None = None,
) -> Filters:
    """The Filters the options describe; a bad date, or --from after --to, is a usage error naming the option."""
    from shenka_cli.core.query import Filters

    first, last = _bound(start, "--from"), _bound(end, "--to")
    if first is not None and last is not None and first.first_day > last.last_day:
        raise ShenkaError(f"--from {first.iso} is after --to {last.iso}")
    return Filters(
        sector=sector,
        place=place,
        tag=tag,
        start=first,
        end=last,
        organisation=organisation,
        person=person,
        source=source,
    )


def _bound(text: str | None, option: str) -> FuzzyDate | None:
    from shenka_cli.core.errors import BadDate
    from shenka_cli.core.query import parse_bound

    try:
        return parse_bound(text) if text else None
    except BadDate as bad:
        raise ShenkaError(f"{option} {bad.message}") from None
