"""The file scan of a large fact base, started on the other core while the command line is still being read.

A warm run of a large base spends most of its own time on one stat per file (~30 ms for 10,000 files, over half of it
Python building each stat result). Its start, before that, is spent importing Typer and reading the command line,
in one core. As git's preloadIndex spreads its lstat calls over threads, a run whose fact directory is large
forks a child at start that scans the directories the command line names (core/files.py) and passes back
the listing through a pipe, in the snapshot's own form (path bytes and the array of identities); the run takes it
where it would have scanned, if the paths are the ones it guessed and the child found no problem, and scans
itself otherwise. The listing is then the files as they were when the run started, as with any scan.

Nothing here prints; a failure of any kind means the run scans for itself.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from shenka_cli.core.files import Listing

LARGE_DIRECTORY = 32 * 1024  # bytes of directory entries: about a thousand files on ext4, where a fork pays
_HEADER = struct.Struct("<QQ")  # lengths of the path bytes and of the identities


class Preload(NamedTuple):
    paths: tuple[str, ...]
    pid: int
    descriptor: int


_started: Preload | None = None


def guessed_paths(arguments: Sequence[str], environ: Mapping[str, str], value_options: Iterable[str]) -> list[Path]:
    """The fact paths a command line names before its command (--facts, repeated), else $SHENKA_FACTS; empty
    when the options before the command are not plain global options with values (`value_options`), or name the
    bundled facts (a few files)."""
    value_options = frozenset(value_options)
    from shenka_cli.core.paths import BUNDLED, FACTS_ENV

    facts: list[str] = []
    index = 0
    while index < len(arguments) and arguments[index].startswith("-"):
        name, equals, value = arguments[index].partition("=")
        if name not in value_options:
            return []
        if not equals:
            index += 1
            if index >= len(arguments):
                return []
            value = arguments[index]
        if name == "--facts":
            facts.append(value)
        index += 1
    if not facts:
        facts = [part for part in environ.get(FACTS_ENV, "").split(os.pathsep) if part]
    if BUNDLED in facts:
        return []
    return [Path(item) for item in facts]


def _worth_it(paths: Sequence[Path]) -> bool:
    """A fork pays for a directory of about a thousand files or more, on a machine with another core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not hasattr(os, "fork") or cores < 2:
        return False
    try:
        return any(os.stat(path).st_size >= LARGE_DIRECTORY for path in paths if os.path.isdir(path))
    except OSError:
        return False


def start(arguments: Sequence[str], environ: Mapping[str, str], value_options: Iterable[str]) -> None:
    """Fork the scan of the paths a command line names (its global options first), when that pays."""
    paths = guessed_paths(arguments, environ, value_options)
    if paths and _worth_it(paths):
        fork_scan(paths)


def fork_scan(paths: Sequence[Path]) -> None:
    """Scan the paths in a child, for take(); once a process (a second call while one is pending does nothing)."""
    global _started
    if _started is not None:
        return
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return
    if pid == 0:  # the child: scan, write, and leave without running anything of the parent's
        try:
            import signal

            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.close(read)
            quiet = os.open(os.devnull, os.O_RDWR)  # a reader of the run's output waits for no child of it
            for standard in (0, 1, 2):
                os.dup2(quiet, standard)
            from shenka_cli.core.files import scan

            _write_listing(write, scan(paths))
        finally:
            os._exit(0)
    os.close(write)
    _started = Preload(tuple(map(str, paths)), pid, read)


def _write_listing(descriptor: int, listing: Listing) -> None:
    if listing.problems:  # the run scans for itself and reports them
        return
    names, numbers = listing.path_bytes(), listing.stamp()
    with open(descriptor, "wb") as pipe:
        pipe.write(_HEADER.pack(len(names), len(numbers)) + names + numbers)


def take(paths: Sequence[Path]) -> Listing | None:
    """The listing the child made of these paths, or None (another set of paths, no child, a problem found)."""
    global _started
    started, _started = _started, None
    if started is None:
        return None
    try:
        with open(started.descriptor, "rb") as pipe:
            data = pipe.read()
    except OSError:
        data = b""
    finally:
        with contextlib.suppress(OSError):
            os.waitpid(started.pid, 0)
    if tuple(map(str, paths)) != started.paths or len(data) < _HEADER.size:
        return None
    size_names, size_numbers = _HEADER.unpack_from(data)
    if len(data) != _HEADER.size + size_names + size_numbers:
        return None
    from shenka_cli.core.files import Listing

    names = data[_HEADER.size : _HEADER.size + size_names]
    return Listing.from_bytes(names, data[_HEADER.size + size_names :])
