"""The one way shenka writes a file: atomically, so a reader sees the old file or the new one, never a part."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomically(path: Path, data: bytes | Iterable[bytes], *, replace: bool = True) -> None:
    """Write through a temporary file in the same directory, flushed, synced and renamed into place.

    An interrupted write (Ctrl-C, a full disk, kill -9) leaves any existing file exactly as it was. Without
    replace, an existing file is never replaced: FileExistsError, checked by the final link, so a file
    created meanwhile survives too. A replaced file keeps its permissions. The data may come in chunks (a
    stream is written as it is produced). Raises OSError.
    """
    directory = path.parent if str(path.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(descriptor, _mode_for(path))
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
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
