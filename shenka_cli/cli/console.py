"""The consoles of standard output and standard error, and the one place output is written.

Pictures are drawn on fixed-size consoles of their own, which no environment variable changes:
render/svg.py's recording console, and Chart.plain in present/charts.py.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

PIPE_WIDTH = 160  # for output that is not a terminal, unless COLUMNS says otherwise


def text_width() -> int:
    """The width of text for standard output: a positive COLUMNS, or the terminal's, or PIPE_WIDTH.

    The one place shenka reads it; an unusable COLUMNS (abc, -5) is ignored, as shutil does.
    """
    import shutil

    return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns


# The --script conversion of everything written, or None for the source's own text.
_script: dict[str, Callable[[str], str] | None] = {"convert": None}


def set_script(convert: Callable[[str], str] | None) -> None:
    """Write every later output through `convert` (traditional characters), or as it is (None)."""
    _script["convert"] = convert


@contextmanager
def source_script() -> Iterator[None]:
    """Write the source's own text meanwhile (the JSON contract), whatever --script says."""
    saved = _script["convert"]
    _script["convert"] = None
    try:
        yield
    finally:
        _script["convert"] = saved


def in_script(text: str) -> str:
    """The text in the script chosen with --script."""
    convert = _script["convert"]
    return text if convert is None else convert(text)


class _ScriptStream:
    """A text stream that writes through in_script (for Rich consoles)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(in_script(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def closed_pipe_ends_quietly() -> None:
    """Rich's consoles, shenka's and Typer's (help), meet a reader that went away as the rest of shenka does: a
    quiet end with status 141 (output.closed_pipe), not Rich's own status 1. Rich documents `on_broken_pipe` as the
    method to override; Typer makes its own consoles, so the class's is replaced rather than a subclass's."""
    from rich.console import Console

    Console.on_broken_pipe = _on_broken_pipe  # type: ignore[method-assign,assignment]


def _on_broken_pipe(console: Console) -> None:
    from shenka_cli.cli.output import closed_pipe

    console.quiet = True
    closed_pipe()


def make_console(file: IO[str] | None = None, *, width: int | None = None, stderr: bool = False) -> Console:
    """A console for data: no markup, emoji or highlighting; colour only on a terminal without NO_COLOR."""
    from rich.console import Console

    closed_pipe_ends_quietly()

    stream = file if file is not None else (sys.stderr if stderr else sys.stdout)
    is_terminal = stream.isatty() if hasattr(stream, "isatty") else False
    if width is None and not is_terminal:
        width = text_width()
    return Console(
        file=cast("IO[str]", _ScriptStream(stream)) if _script["convert"] is not None else stream,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")) or not is_terminal,
        force_terminal=None,
        soft_wrap=False,
        stderr=stderr,
    )


def render_to_text(renderable: RenderableType, *, width: int | None = None, color: bool = False) -> str:
    """Render a Rich renderable to text (ANSI styles only when color is true)."""
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width or 100,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        soft_wrap=False,
        legacy_windows=False,
    )
    console.print(renderable)
    return buffer.getvalue()


def write_text(text: str, stream: IO[str] | None = None, *, flush: bool = True) -> None:
    """Write text once; characters the stream cannot encode become replacement characters. Standard output that
    takes nothing more ends the run as output.stdout_failed says (quietly for a reader gone away)."""
    stream = stream if stream is not None else sys.stdout
    text = in_script(text)
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write(text.encode(encoding, "replace").decode(encoding, "replace"))
        if flush:
            stream.flush()
    except OSError as failure:
        if stream is not sys.stdout:
            raise
        from shenka_cli.cli.output import stdout_failed

        stdout_failed(failure)


def write_lines(lines: Iterable[str], stream: IO[str] | None = None) -> None:
    """Write lines as they come (a stream: memory stays flat and a reader sees the first line at once)."""
    stream = stream if stream is not None else sys.stdout
    for line in lines:
        write_text(line, stream, flush=False)
    stream.flush()


def error(message: str, hint: str | None = None) -> None:
    """One error message on standard error, sanitised: it may quote data."""
    from shenka_cli.text.safety import visible

    text = f"shenka: error: {visible(message)}\n"
    if hint:
        text += f"hint: {visible(hint)}\n"
    write_text(text, sys.stderr)


def warn(message: str) -> None:
    """One warning line on standard error, sanitised."""
    from shenka_cli.text.safety import visible_line

    write_text(f"shenka: warning: {visible_line(message)}\n", sys.stderr)


def note(message: str) -> None:
    """One line for the reader on standard error (not data: never in the output a script reads)."""
    from shenka_cli.text.safety import visible_line

    write_text(f"shenka: {visible_line(message)}\n", sys.stderr)
