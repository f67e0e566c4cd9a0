"""The one place command output is written: to standard output, or atomically to --output."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

from shenka_cli.core.errors import NoMatch, ShenkaError
from shenka_cli.present.document import Document
from shenka_cli.render import RECORD_FORMATS, Format, renderer, streamer

if TYPE_CHECKING:
    from rich.console import RenderableType

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
    nothing = empty is not None and not any(listing.rows for listing in document.listings)
    nothing = nothing and not document.has_records()
    if nothing and format in (Format.TABLE, Format.MARKDOWN, Format.SVG, Format.HTML):
        raise NoMatch(empty or "")
    if format in RECORD_FORMATS:
        from shenka_cli.cli.console import source_script

        with source_script():  # the JSON contract keeps the source's own text, whatever --script says
            _render_and_write(document, format, output, force)
    else:
        _render_and_write(document, format, output, force)
    if nothing:
        raise NoMatch(empty or "")


def _render_and_write(document: Document, format: Format, output: Path | None, force: bool) -> None:
    """Stream the formats that can be written as their rows are read; render the others whole, then write."""
    stream = streamer(format, piped=output is not None or not _is_terminal())
    if stream is not None:
        if output is not None:
            write_file(output, stream(document), force=force, bom=format is Format.CSV)
        else:
            _write_stream(stream(document))
        return
    rendered = renderer(format)(document)
    _state["started"] = True
    if output is not None:
        text = rendered if isinstance(rendered, str) else _plain_text(rendered)
        write_file(output, text, force=force)
        return
    with _to_stdout():
        if isinstance(rendered, str):
            from shenka_cli.cli.console import write_text

            write_text(rendered)
        else:
            from shenka_cli.cli.console import make_console

            make_console().print(rendered)


FIRST_WRITE = 65536
"""Output is held back until this many characters are ready (or the end): an error found before then (a damaged
cache row) leaves standard output untouched, so the command can run again cleanly."""


WRITE_BLOCK = 65536


def _write_stream(chunks: Iterator[str | bytes]) -> None:
    """Write text (and records kept as UTF-8 bytes) to standard output as they come, after the first
    FIRST_WRITE characters; straight to the byte buffer when the output is UTF-8."""
    with _to_stdout():
        _write_chunks(chunks)


@contextlib.contextmanager
def _to_stdout() -> Iterator[None]:
    """Writing to standard output: a reader that went away ends the run quietly (closed_pipe), a device that takes
    nothing more is one error message (_unwritable)."""
    try:
        yield
    except OSError as error:
        stdout_failed(error)


def stdout_failed(error: OSError) -> NoReturn:
    """Standard output took nothing more: a reader that went away ends the run quietly (closed_pipe), any other
    failure is one error message (_unwritable)."""
    if isinstance(error, BrokenPipeError):
        closed_pipe()
    _unwritable(error)


def closed_pipe() -> NoReturn:
    """The reader went away: stop quietly (no traceback, no message), with status 141."""
    import typer

    from shenka_cli.cli.status import ExitCode

    _drop_the_rest()
    raise typer.Exit(int(ExitCode.CLOSED_PIPE))


def _unwritable(error: OSError) -> NoReturn:
    """Standard output takes nothing more (a full disk, a device error): one error message, status 2."""
    _drop_the_rest()
    raise ShenkaError(
        f"cannot write to standard output: {error.strerror or error}",
        hint="check where the output goes (a full disk?), or write it with --output FILE",
    ) from None


def _drop_the_rest() -> None:
    """Point standard output at the null device, so that Python's final flush of what is left does not fail
    again (the Python documentation's advice for SIGPIPE, "Note on SIGPIPE")."""
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _write_chunks(chunks: Iterator[str | bytes]) -> None:
    import sys

    from shenka_cli.cli.console import in_script, write_text

    held: list[str | bytes] = []
    size = 0
    for chunk in chunks:
        held.append(chunk)
        size += len(chunk)
        if size >= FIRST_WRITE:
            break
    _state["started"] = True
    out = sys.stdout
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    raw = getattr(out, "buffer", None) if encoding == "utf8" else None
    if raw is None:
        for chunk in itertools.chain(held, chunks):
            write_text(chunk.decode("utf-8") if isinstance(chunk, bytes) else chunk, out, flush=False)
        out.flush()
        return
    out.flush()
    # Records kept by the store (bytes) are JSON, which keeps the source's own script: never converted. Chunks are
    # gathered into blocks of about WRITE_BLOCK bytes, one write each (standard output may be unbuffered).
    block: list[bytes] = []
    size = 0
    widened = False
    for chunk in itertools.chain(held, chunks):
        data = chunk if isinstance(chunk, bytes) else in_script(chunk).encode("utf-8", "replace")
        block.append(data)
        size += len(data)
        if size >= WRITE_BLOCK:
            if not widened:  # an output of more than a block: to a pipe, it gets a larger one (core/pipes.py)
                _widen_pipe(raw)
                widened = True
            raw.write(b"".join(block))
            block, size = [], 0
    raw.write(b"".join(block))
    raw.flush()


def _widen_pipe(stream: IO[bytes]) -> None:
    """The pipe standard output writes to, if it is one, widened (core/pipes.py): a 300 MB timeline through `cat`
    took 1.1 s, 0.8 s with the larger pipe."""
    from shenka_cli.core.pipes import widen

    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):  # not a file (a test's captured output)
        return
    widen(descriptor)


def emit_text(text: str, output: Path | None, force: bool) -> None:
    """Write text made for one format (a whole document) to standard output or to --output."""
    if output is None or str(output) == STDOUT:
        from shenka_cli.cli.console import write_text

        with _to_stdout():
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
    chart: RenderableType | None,
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

            with _to_stdout():
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


def _plain_text(renderable: RenderableType) -> str:
    from shenka_cli.cli.console import render_to_text, text_width

    return render_to_text(renderable, width=text_width())


def write_file(path: Path, text: str | Iterable[str | bytes], *, force: bool, bom: bool = False) -> None:
    """Write text (or a stream of it) atomically (text/files.py); an existing file is only replaced with force."""
    from shenka_cli.cli.console import in_script
    from shenka_cli.text.files import write_atomically
    from shenka_cli.text.safety import visible_line

    shown = visible_line(str(path))
    if path.exists() and not force:
        raise ShenkaError(f"{shown} already exists", hint="use --force to overwrite it")
    if path.is_dir():
        raise ShenkaError(f"{shown} is a directory")
    chunks = [text] if isinstance(text, str) else text
    data = itertools.chain(
        ["\ufeff".encode()] if bom else [],
        (chunk if isinstance(chunk, bytes) else in_script(chunk).encode("utf-8") for chunk in chunks),
    )
    try:
        write_atomically(path, data, replace=force)
    except FileExistsError:
        raise ShenkaError(f"{shown} already exists", hint="use --force to overwrite it") from None
    except OSError as error:
        raise ShenkaError(f"cannot write {shown}: {error.strerror or error}") from None
