"""The curation commands: coverage (which figures of a source the facts hold) and new (a fact skeleton, or a
gazetteer entry's)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shenka_cli.cli.context import settings
from shenka_cli.cli.options import (
    FieldsOption,
    ForceOption,
    FormatOption,
    OutputOption,
    complete_sector,
    find_sector,
)
from shenka_cli.core.model import EntityCategory
from shenka_cli.render import Format

if TYPE_CHECKING:
    from shenka_cli.core.errors import Problem
    from shenka_cli.core.loader import FileContent
    from shenka_cli.core.model import FactBase


def coverage(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE.txt",
            help="A UTF-8 text (an article, a report; '-' for standard input) to find figures and dates in.",
            show_default=False,
        ),
    ],
    source_id: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="ID",
            help="The text is this source (an id; `shenka sources` lists them): only the facts citing it count.",
        ),
    ] = None,
    format: FormatOption = Format.TABLE,
    fields: FieldsOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Check that the facts hold every figure and date of a source text; list the ones they miss.

    Finds quantities (2023人, 8.4亿元, 7-10天, 千万亩), ordinals (第十一批, 首届, 70周年) and dates (2024年9月20日).

    Each is shown with its sentence and the facts that cover it: a fact holds the same figure (value, unit and
    qualifier) or date, and speaks of the same thing (the label of its statistic, or its title or summary for a
    date, shares a word with the sentence; or the text is the fact's source). A fact that only holds the same
    number is listed apart ("same number in …") and does not cover the figure.

    Exit status 1 when a figure is not covered, so a curator can run it in CI.

    One source at a time: [bold]--source ID[/bold] checks the text against the facts citing that source only.

    Example: [bold]shenka coverage docs/sample-article.txt --format markdown[/bold]
    """
    from shenka_cli.cli.context import catalogue
    from shenka_cli.cli.output import destination, emit
    from shenka_cli.core.coverage import cover, find_all, summary
    from shenka_cli.core.errors import NoMatch
    from shenka_cli.core.query import Filters
    from shenka_cli.present.coverage import coverage_document

    format, output = destination(format, output)
    text, name = _read_source(source)
    found = catalogue(ctx)
    facts = found.select(Filters(source=source_id))
    entries = cover(
        find_all(text), facts, sources=found.sources, text=text, source_ids=(source_id,) if source_id else ()
    )
    document = coverage_document(entries, name, settings(ctx).lang, machine=format is Format.CSV)
    emit(document, format, output, force, fields=fields)
    total, _, uncovered = summary(entries)
    if uncovered:
        raise NoMatch(
            f"{uncovered} of {total} figures not covered by the facts",
            hint="add a fact or statistic for each one not covered (shenka new --from-figure …), or a word of its "
            "sentence to the label of the statistic that holds it",
        )


def _read_source(path: Path) -> tuple[str, str]:
    """The text of SOURCE and the name to show; any problem reading it is a usage error."""
    import sys

    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.core.loader import decode
    from shenka_cli.text.safety import visible_line

    shown = visible_line(str(path))
    if str(path) == "-":
        data, shown = sys.stdin.buffer.read(), "(standard input)"
    else:
        if path.is_dir():
            raise ShenkaError(f"{shown} is a directory, expected a text file")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ShenkaError(f"{shown}: no such file") from None
        except OSError as error:
            raise ShenkaError(f"cannot read {shown}: {error.strerror or error}") from None
    text, problem = decode(data, shown)
    if problem is not None or text is None:
        message = problem.message if problem else "cannot be read"
        raise ShenkaError(f"{shown}: {message}", hint=problem.hint if problem else None)
    return text, shown if str(path) == "-" else path.name


class NewKind(StrEnum):
    """What `shenka new` scaffolds: a fact, or an entry of the gazetteer."""

    FACT = "fact"
    PLACE = "place"
    ORGANISATION = "organisation"
    PERSON = "person"


def new(
    ctx: typer.Context,
    what: Annotated[
        NewKind,
        typer.Argument(
            metavar="fact|place|organisation|person",
            help="What to scaffold: a fact (the default) or a gazetteer entry.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = NewKind.FACT,
    sector: Annotated[
        str | None,
        typer.Option(
            "--sector",
            metavar="SECTOR",
            help="The new fact's sector: its id or either of its names (required for a fact).",
            autocompletion=complete_sector,
        ),
    ] = None,
    fact_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="The new fact's or entry's id (default: new-fact, new-place…, or new-fact-2… when that is taken).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            dir_okay=False,
            help="Append it to this fact file (created if missing); refused if the file would not stay valid.",
        ),
    ] = None,
    from_figure: Annotated[
        str | None,
        typer.Option(
            "--from-figure",
            metavar="FIGURE",
            help="Fill in one statistic of a new fact from a written figure: 8.4亿元, 1000余个, 7-10天, 第四届.",
        ),
    ] = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            metavar="PLACE",
            help="A new place's containing place, or where a new organisation is based: any name or alias.",
        ),
    ] = None,
) -> None:
    """Print a commented skeleton of a new fact or gazetteer entry, or append it to a fact file.

    Every field is there with its allowed values: replace the 待填写/TODO placeholders (errors until you do),
    then run shenka validate. [bold]shenka new place[/bold], [bold]new organisation[/bold] and [bold]new
    person[/bold] scaffold an entry of the gazetteer.

    With -o the file is replaced (atomically) only if the fact base gains no problem by it.

    Example: [bold]shenka new --sector industry --from-figure 8.4亿元 -o my-facts/industry.toml[/bold]

    A place within Kashgar Prefecture: [bold]shenka new place --id shufu-county --within 喀什地区[/bold]
    """
    if what is not NewKind.FACT:
        _new_entity(ctx, EntityCategory(what.value), fact_id, output, within, sector=sector, figure=from_figure)
        return
    _new_fact(ctx, sector, fact_id, output, from_figure, within)


def _new_fact(
    ctx: typer.Context,
    sector: str | None,
    fact_id: str | None,
    output: Path | None,
    from_figure: str | None,
    within: str | None,
) -> None:
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.core.figures import FigureError, parse_figure
    from shenka_cli.present.scaffold import DEFAULT_ID, fact_skeleton

    if sector is None:
        raise ShenkaError("missing option --sector (a new fact needs one)", hint="e.g. shenka new --sector livelihood")
    if within is not None:
        raise ShenkaError("--within goes with a new place or organisation", hint="a fact lists its places")
    output = _check_id(fact_id, output)
    figure = None
    if from_figure is not None:
        try:
            figure = (from_figure.strip(), parse_figure(from_figure))
        except FigureError as error:
            raise ShenkaError(f"--from-figure: {error}") from None

    contents, path_problems, base = _fact_base(ctx)
    sector = find_sector(base.sectors, sector)
    if not base.sources:
        raise ShenkaError("the fact base has no sources", hint="add a [[source]] table to sources.toml first")
    taken = {fact.id: str(fact.location) for fact in base.facts}
    chosen = _free_id(fact_id, DEFAULT_ID, taken, output, "fact")
    tags = sorted({tag for fact in base.facts for tag in fact.tags})
    _write_or_append(
        fact_skeleton(chosen, sector, base.sectors, base.sources, tags, figure), chosen, output, contents, path_problems
    )


def _new_entity(
    ctx: typer.Context,
    category: EntityCategory,
    entity_id: str | None,
    output: Path | None,
    within: str | None,
    *,
    sector: str | None,
    figure: str | None,
) -> None:
    """`shenka new place|organisation|person`: a gazetteer entry's skeleton, printed or appended."""
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.core.gazetteer import Gazetteer
    from shenka_cli.present.scaffold import entity_skeleton

    for option, value in (("--sector", sector), ("--from-figure", figure)):
        if value is not None:
            raise ShenkaError(f"{option} goes with a new fact, not a {category.value}")
    if within is not None and category is EntityCategory.PERSON:
        raise ShenkaError("--within goes with a new place or organisation, not a person")
    output = _check_id(entity_id, output)
    contents, path_problems, base = _fact_base(ctx)
    gazetteer = Gazetteer(base.entities)
    parent = None
    if within is not None:
        found = gazetteer.resolve(EntityCategory.PLACE, within)
        if found is None:
            close = gazetteer.suggestions(EntityCategory.PLACE, within)
            hint = "did you mean " + " or ".join(close) + "?" if close else "`shenka places` lists them"
            raise ShenkaError(f"--within {within!r}: no place of that name", hint=hint)
        parent = found.id
    taken = {entity.id: str(entity.location) for entity in gazetteer.of(category)}
    chosen = _free_id(entity_id, f"new-{category.value}", taken, output, category.value)
    kinds = sorted({entity.kind for entity in gazetteer.of(category) if entity.kind})
    _write_or_append(
        entity_skeleton(category, chosen, parent, kinds), chosen, output, contents, path_problems, category.value
    )


def _check_id(wanted: str | None, output: Path | None) -> Path | None:
    """A usage error for an --id that is not a slug, or an -o FILE not named .toml; the output (`-o -`: None)."""
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.text.slug import SLUG

    if output is not None and str(output) == "-":
        output = None  # standard output, as in most Unix tools
    if wanted is not None and not SLUG.match(wanted):
        raise ShenkaError(f"--id {wanted!r}: expected a slug of lowercase letters, digits and hyphens (my-fact-2)")
    if output is not None:
        _check_target(output)
    return output


def _fact_base(ctx: typer.Context) -> tuple[list[FileContent], list[Problem], FactBase]:
    """The files of the fact base in use, read (valid or not), and the base they make."""
    from shenka_cli.core.loader import assemble, read_path
    from shenka_cli.core.paths import default_facts_dirs, fact_files

    files, path_problems = fact_files(settings(ctx).fact_paths() or default_facts_dirs())
    contents = [read_path(path) for path in files]
    return contents, path_problems, assemble(contents, path_problems).base


def _free_id(wanted: str | None, default: str, taken: dict[str, str], output: Path | None, table: str) -> str:
    """The id asked for, unless the fact base or the target file has it already; else the first free default."""
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.present.scaffold import free_id
    from shenka_cli.text.safety import visible_line

    if output is not None:
        for raw_id in _ids_in(output, table):  # every id of the target's tables, valid or not
            taken.setdefault(raw_id, visible_line(str(output)))
    if wanted is not None and wanted in taken:
        raise ShenkaError(
            f"{table} id {wanted!r} already exists, at {taken[wanted]}",
            hint="choose another --id, or leave --id out for a free one",
        )
    return wanted or free_id(default, set(taken))


def _write_or_append(
    skeleton: str,
    item_id: str,
    output: Path | None,
    contents: list[FileContent],
    path_problems: list[Problem],
    table: str = "fact",
) -> None:
    if output is None:
        from shenka_cli.cli.console import write_text

        write_text(skeleton)
        return
    _append(output, skeleton, item_id, contents, path_problems, table)


def _ids_in(path: Path, table: str = "fact") -> list[str]:
    """The ids of the [[table]]s of a fact file, as written; none when it is missing or unreadable."""
    from shenka_cli.core.loader import decode, parse_toml

    try:
        data = path.read_bytes()
    except OSError:
        return []
    text, _ = decode(data, str(path))
    document, _ = parse_toml(text, str(path)) if text is not None else (None, None)
    tables = document.get(table, []) if isinstance(document, dict) else []
    tables = tables if isinstance(tables, list) else []
    return [table["id"] for table in tables if isinstance(table, dict) and isinstance(table.get("id"), str)]


def _same_file(path: str, target: Path) -> bool:
    try:
        return Path(path).resolve() == target.resolve()
    except OSError:
        return False


def _check_target(path: Path) -> None:
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.text.safety import visible_line

    shown = visible_line(str(path))
    if path.suffix != ".toml":
        raise ShenkaError(f"{shown}: a fact file's name ends in .toml (other files are not read as facts)")
    if path.is_dir():
        raise ShenkaError(f"{shown} is a directory, expected a fact file")


def _append(
    target: Path,
    skeleton: str,
    fact_id: str,
    contents: list[FileContent],
    path_problems: list[Problem],
    table: str = "fact",
) -> None:
    """Append the skeleton of a [[fact]] (or another table) to the target file, if the whole fact base then has
    no problem it lacked before."""
    import sys
    from collections import Counter

    from shenka_cli.cli.console import write_text
    from shenka_cli.cli.output import write_file
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.core.loader import assemble, decode, parse_toml, read_file_content
    from shenka_cli.core.textcheck import PLACEHOLDER_MESSAGE
    from shenka_cli.text.safety import visible, visible_line

    shown = visible_line(str(target))
    old = _read_target(target)
    if old is not None:
        text, problem = decode(old, str(target))
        if text is not None:
            _, problem = parse_toml(text, str(target))
        if problem is not None:
            raise ShenkaError(
                f"{shown} cannot be read, so nothing was appended: {visible(str(problem))}",
                hint=f"fix it first (shenka validate {shown})",
            )
    old_text = old.decode("utf-8") if old is not None else ""  # a byte-order mark is kept as it was
    newline = "\r\n" if "\r\n" in old_text else "\n"
    separator = ""
    if old_text.strip("\ufeff"):
        separator = ("" if old_text.endswith("\n") else newline) + newline
    new_text = old_text + separator + skeleton.replace("\n", newline)

    others = [content for content in contents if not _same_file(content.path, target)]
    before = assemble([*others, *([read_file_content(old, str(target))] if old is not None else [])], path_problems)
    after = assemble([*others, read_file_content(new_text.encode("utf-8"), str(target))], path_problems)

    def key(problem: Problem) -> tuple:
        return (problem.path, problem.message, problem.fact, problem.field)

    def counted(problems: list[Problem]) -> Counter:
        """Errors other than the skeleton's own placeholders, which the curator fills in next."""
        return Counter(key(p) for p in problems if not p.message.startswith(PLACEHOLDER_MESSAGE))

    added = counted(after.errors) - counted(before.errors)
    if added or not _defines(after.base, table, fact_id):
        new_problems = [p for p in after.errors if key(p) in added] or after.errors
        listing = "\n".join(visible_line(str(problem)) for problem in new_problems[:10])
        raise ShenkaError(
            f"appending the {table} to {shown} would add problems, so the file was left untouched:\n{listing}",
            hint="choose another --id or fix the fact base, then try again",
        )
    if _read_target(target) != old:
        raise ShenkaError(f"{shown} changed while the {table} was being added; nothing was written", hint="try again")
    try:  # a symbolic link to a fact file: append to the file it points to, and keep the link
        destination = target.resolve(strict=True) if target.is_symlink() else target
    except (OSError, RuntimeError):
        raise ShenkaError(f"{shown} is a broken or looping symbolic link") from None
    try:  # the help promises a missing file is created: its directory too (my-facts/livelihood.toml)
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ShenkaError(f"cannot create the directory of {shown}: {error.strerror or error}") from None
    write_file(destination, new_text, force=True)
    line = (old_text + separator).count("\n") + skeleton[: skeleton.index(f"[[{table}]]")].count("\n") + 1
    write_text(
        f"shenka: appended {table} {fact_id!r} to {shown}:{line}; fill in the blanks, then run shenka validate\n",
        sys.stderr,
    )


def _defines(base: FactBase, table: str, item_id: str) -> bool:
    """Whether the fact base holds the fact (or gazetteer entry) of that table and id."""
    if table == "fact":
        return base.fact(item_id) is not None
    return any(entity.category.value == table and entity.id == item_id for entity in base.entities)


def _read_target(path: Path) -> bytes | None:
    """The target's bytes, or None when it does not exist yet."""
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.text.safety import visible_line

    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ShenkaError(f"cannot read {visible_line(str(path))}: {error.strerror or error}") from None
