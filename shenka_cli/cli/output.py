"""The one place command output is written: to standard output, or atomically to --output."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from shenka_cli.errors import NoMatch, ShenkaError
from shenka_cli.render import Document, Format, renderer


def emit(document: Document, format: Format, output: Path | None, force: bool, *, empty: str | None = None) -> None:
    """Render and write once. With `empty` set and nothing to show, exit 1 (as grep does) with that message.

    An empty result still writes '[]' in JSON and the header in CSV, so scripts get valid output.
    """
    nothing = empty is not None and not document.records and not any(listing.rows for listing in document.listings)
    if nothing and format in (Format.TABLE, Format.MARKDOWN):
        raise NoMatch(empty)  # type: ignore[arg-type]
    rendered = renderer(format)(document)
    if output is not None:
        text = rendered if isinstance(rendered, str) else _plain_text(rendered)
        write_file(output, text, force=force, bom=format is Format.CSV)
    elif isinstance(rendered, str):
        from shenka_cli.console import write_text

        write_text(rendered)
    else:
        from shenka_cli.console import make_console

        make_console().print(rendered)
    if nothing:
        raise NoMatch(empty)  # type: ignore[arg-type]


def _plain_text(renderable: object) -> str:
    from shenka_cli.console import render_to_text

    return render_to_text(renderable, width=int(os.environ.get("COLUMNS", "0") or 0) or 120)


def write_file(path: Path, text: str, *, force: bool, bom: bool = False) -> None:
    """Write through a temporary file in the same directory, flushed, synced and renamed into place.

    An interrupted write leaves any existing file exactly as it was. Without force, an existing file
    is never replaced (checked by the final link, so a file created meanwhile is not overwritten).
    """
    from shenka_cli.textsafety import visible_line

    shown = visible_line(str(path))
    if path.exists() and not force:
        raise ShenkaError(f"{shown} already exists", hint="use --force to overwrite it")
    if path.is_dir():
        raise ShenkaError(f"{shown} is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    data = ("\ufeff" + text if bom else text).encode("utf-8")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise ShenkaError(f"cannot write {shown}: {error.strerror or error}") from None
    try:
        os.fchmod(descriptor, 0o666 & ~_umask())
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
