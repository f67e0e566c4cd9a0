"""Options shared by the listing commands: output format and file, filters, completion of ids."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shenka_cli.render import Format


def _completion_catalogue(ctx: typer.Context):
    """The fact base for shell completion, or None: completion must never fail loudly."""
    from shenka_cli.cli.context import Settings, open_facts

    try:
        facts = ctx.find_root().params.get("facts") or []
        return open_facts(Settings(facts=list(facts)).fact_paths())
    except Exception:  # noqa: BLE001 - completion is best effort
        return None


def _all_facts(ctx: typer.Context) -> list:
    from shenka_cli.core.query import Filters

    found = _completion_catalogue(ctx)
    return found.select(Filters()) if found else []


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
    return sorted({tag for fact in _all_facts(ctx) for tag in fact.tags if tag.startswith(incomplete)})


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, markdown, csv, json, jsonl (JSON Lines), svg or html.",
        case_sensitive=False,
    ),
]
# timeline's formats: every format, and the TimelineJS3 JSON that only a timeline has.
TimelineFormat = StrEnum(  # type: ignore[misc]
    "TimelineFormat", {**{member.name: member.value for member in Format}, "TIMELINEJS": "timelinejs"}
)
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
SectorOption = Annotated[
    str | None, typer.Option("--sector", help="Only this sector (an id).", autocompletion=complete_sector)
]
PlaceOption = Annotated[
    str | None,
    typer.Option("--place", help="Only facts naming this place (or part of its name).", autocompletion=complete_place),
]
TagOption = Annotated[str | None, typer.Option("--tag", help="Only facts with this tag.", autocompletion=complete_tag)]
FromOption = Annotated[
    str | None, typer.Option("--from", help="From this date on: 2024, 2024-08 or 2024-08-09.", metavar="DATE")
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to", help="Up to this date: 2024, 2024-08 or 2024-08-09 (the whole month or year).", metavar="DATE"
    ),
]


def filters(sector: str | None, place: str | None, tag: str | None, start: str | None, end: str | None):
    """The Filters the options describe; bad dates are usage errors."""
    from shenka_cli.core.query import Filters, parse_bound

    return Filters(
        sector=sector,
        place=place,
        tag=tag,
        start=parse_bound(start, "--from") if start else None,
        end=parse_bound(end, "--to") if end else None,
    )
