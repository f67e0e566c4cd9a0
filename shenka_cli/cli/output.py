"""The one place command output is written: to standard output, or atomically to --output."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from shenka_cli.core.errors import NoMatch, ShenkaError
from shenka_cli.present.document import Document
from shenka_cli.render import RECORD_FORMATS, Format, renderer

# The format an --output file's extension names, when --format is not given.
EXTENSIONS = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".md": "markdown",
    ".markdown": "markdown",
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
}
STDOUT = "-"

_state = {"started": False}


def reset() -> None:
    """Forget any output written by an earlier command run in this process."""
    _state["started"] = False


def started() -> bool:
    """Whether this run has begun writing its output (a command that fails after that cannot start over)."""
    return _state["started"]


def destination(format: Format, output: Path | None) -> tuple[Format, Path | None]:
    """The format and file to write: `-o -` is standard output; without --format, the file's extension
    names the format (stats.csv is CSV); an explicit --format that contradicts the extension is an error."""
    if output is None or str(output) == STDOUT:
        return format, None
    named = EXTENSIONS.get(output.suffix.lower())
    if named is None:
        return format, output
    if named not in {member.value for member in Format}:
        raise ShenkaError(
            f"{output.name}: shenka cannot write {named} yet", hint="choose another extension or give --format"
        )
    if not _format_given():
        return Format(named), output
    if format.value != named:
        raise ShenkaError(
            f"--format {format.value} contradicts the extension of {output.name} ({named})",
            hint=f"leave out --format, or use --format {named}, or name the file for {format.value}",
        )
    return format, output


def _format_given() -> bool:
    """Whether --format was typed (rather than left at its default)."""
    from typer._click.core import ParameterSource
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None or "format" not in ctx.params:
        return False
    return ctx.get_parameter_source("format") not in (ParameterSource.DEFAULT, None)


def emit(
    document: Document,
    format: Format,
    output: Path | None,
    force: bool,
    *,
    empty: str | None = None,
    fields: str | None = None,
) -> None:
    """Render and write once (JSON Lines: line by line). With `empty` set and nothing to show, exit 1 (as grep
    does) with that message. `fields` is the --fields text: the keys or columns to keep, in order.

    An empty result still writes '[]' in JSON and the header in CSV, so scripts get valid output.
    """
    format, output = destination(format, output)
    if fields is not None:
        document = _narrow(document, fields, format)
    nothing = (
        empty is not None and not any(listing.rows for listing in document.listings) and not document.json_records()
    )
    if nothing and format in (Format.TABLE, Format.MARKDOWN, Format.SVG, Format.HTML):
        raise NoMatch(empty)  # type: ignore[arg-type]
    if format is Format.TABLE and (output is not None or not _is_terminal()):
        from shenka_cli.render.plain import render_plain

        rendered = render_plain(document)  # one line per row, for pipes, files and grep
    else:
        rendered = renderer(format)(document)
    _state["started"] = True
    if format in RECORD_FORMATS:
        from shenka_cli.cli.console import source_script

        with source_script():  # the JSON contract keeps the source's own text, whatever --script says
            _write(rendered, output, force, format)
    else:
        _write(rendered, output, force, format)
    if nothing:
        raise NoMatch(empty)  # type: ignore[arg-type]


def _write(rendered: object, output: Path | None, force: bool, format: Format) -> None:
    """Write a rendered document: lines as they come, text, or a Rich renderable."""
    if isinstance(rendered, Iterator):
        if output is not None:
            write_file(output, "".join(rendered), force=force)
        else:
            from shenka_cli.cli.console import write_lines

            write_lines(rendered)
    elif output is not None:
        text = rendered if isinstance(rendered, str) else _plain_text(rendered)
        write_file(output, text, force=force, bom=format is Format.CSV)
    elif isinstance(rendered, str):
        from shenka_cli.cli.console import write_text

        write_text(rendered)
    else:
        from shenka_cli.cli.console import make_console

        make_console().print(rendered)


def emit_text(text: str, output: Path | None, force: bool) -> None:
    """Write text made for one format (a whole document) to standard output or to --output."""
    if output is None or str(output) == STDOUT:
        from shenka_cli.cli.console import write_text

        write_text(text)
    else:
        write_file(output, text, force=force)


def _narrow(document: Document, fields: str, format: Format) -> Document:
    """The document with only the --fields keys (record formats) or columns (the others)."""
    from shenka_cli.present.fields import parse_fields, select_columns, select_records
    from shenka_cli.render import RECORD_FORMATS

    chosen = parse_fields(fields)
    if format in RECORD_FORMATS:
        return select_records(document, chosen)
    return select_columns(document, chosen, primary_only=format is Format.CSV)


CHART_FORMATS = (Format.TABLE, Format.SVG, Format.HTML)


def emit_chart(
    chart: object,
    format: Format,
    output: Path | None,
    force: bool,
    *,
    empty: str | None = None,
    fields: str | None = None,
) -> None:
    """A chart (a Rich renderable, or None when there is nothing to draw): on the terminal, as plain text in
    an --output file, or as an SVG or HTML picture. Other formats, and --fields, are usage errors: a chart is
    not data."""
    if fields is not None:
        raise ShenkaError("--fields selects fields of data; --chart draws a picture", hint="use one or the other")
    format, output = destination(format, output)
    if format not in CHART_FORMATS:
        raise ShenkaError(
            f"--chart draws a picture: it goes with --format table, svg or html, not {format.value}",
            hint="leave out --chart for the data as " + format.value,
        )
    if chart is None:
        raise NoMatch(empty or "nothing to draw")
    if format is Format.TABLE:
        if output is not None:
            write_file(output, _plain_text(chart), force=force)
        else:
            from shenka_cli.cli.console import make_console

            make_console().print(chart)
        return
    if format is Format.SVG:
        from shenka_cli.render.svg import svg_of

        text = svg_of(chart)
    else:
        from shenka_cli.render.html import html_of

        text = html_of(chart)
    if output is not None:
        write_file(output, text, force=force)
    else:
        from shenka_cli.cli.console import write_text

        write_text(text)


def _is_terminal() -> bool:
    import sys

    return sys.stdout.isatty()


def _plain_text(renderable: object) -> str:
    from shenka_cli.cli.console import render_to_text

    return render_to_text(renderable, width=int(os.environ.get("COLUMNS", "0") or 0) or 120)


def write_file(path: Path, text: str, *, force: bool, bom: bool = False) -> None:
    """Write through a temporary file in the same directory, flushed, synced and renamed into place.

    An interrupted write leaves any existing file exactly as it was. Without force, an existing file
    is never replaced (checked by the final link, so a file created meanwhile is not overwritten).
    """
    from shenka_cli.text.safety import visible_line

    shown = visible_line(str(path))
    if path.exists() and not force:
        raise ShenkaError(f"{shown} already exists", hint="use --force to overwrite it")
    if path.is_dir():
        raise ShenkaError(f"{shown} is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    from shenka_cli.cli.console import in_script

    data = ("\ufeff" + in_script(text) if bom else in_script(text)).encode("utf-8")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise ShenkaError(f"cannot write {shown}: {error.strerror or error}") from None
    try:
        os.fchmod(descriptor, _mode_for(path))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    except FileExistsError:
        raise ShenkaError(f"{shown} already exists", hint="use --force to overwrite it") from None
    except OSError as error:
        raise ShenkaError(f"cannot write {shown}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _mode_for(path: Path) -> int:
    """A replaced file keeps its permissions; a new one gets the usual ones (0666 less the umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
