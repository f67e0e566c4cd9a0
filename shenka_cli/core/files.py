"""The fact files under the given paths and their identities: one listing and one stat per file.

A clean check of a large base is a stat per file and nothing more, so the identities are kept as one array of
integers (size, mtime, ctime and inode of each file, in order) that a snapshot compares with its own in one go;
FileIdentity tuples are made only for a build.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Sequence
from functools import partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import NamedTuple

from shenka_cli.core.errors import Problem

FIELDS = 4  # size, mtime_ns, ctime_ns, inode


class FileIdentity(NamedTuple):
    """What a clean check compares: a file whose identity is unchanged is trusted (unless racy)."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


class Listing(NamedTuple):
    """The files found, in order, and the problems of the paths that were not files."""

    paths: list[str]
    numbers: array[int]  # FIELDS integers per file
    problems: list[Problem]

    def identities(self) -> list[FileIdentity]:
        numbers = self.numbers
        return [
            FileIdentity(path, *numbers[index * FIELDS : index * FIELDS + FIELDS])
            for index, path in enumerate(self.paths)
        ]

    def path_bytes(self) -> bytes:
        """The paths as bytes (any name the system allows), for a snapshot to keep and compare."""
        return "\0".join(self.paths).encode("utf-8", "surrogateescape")

    def stamp(self) -> bytes:
        """The identities as bytes, for a snapshot to keep and compare."""
        return self.numbers.tobytes()

    @classmethod
    def from_bytes(cls, path_bytes: bytes, stamp: bytes) -> Listing:
        """The listing of path_bytes() and stamp() (no problems: a listing with problems is not passed on)."""
        numbers: array[int] = array("q")
        numbers.frombytes(stamp)
        paths = path_bytes.decode("utf-8", "surrogateescape").split("\0") if path_bytes else []
        return cls(paths, numbers, [])

    def latest_mtime_ns(self) -> int:
        return max(self.numbers[1::FIELDS], default=0)

    def mtime_ns(self, index: int) -> int:
        return self.numbers[index * FIELDS + 1]

    def extended(self, paths: Sequence[Path]) -> Listing:
        """This listing with more files after it (the bundled files), each stat'ed."""
        numbers = array("q", self.numbers)
        for path in paths:
            _add(numbers, os.stat(path))
        return Listing([*self.paths, *map(str, paths)], numbers, self.problems)


_IDENTITY = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")  # FIELDS, in order


def _add(numbers: array[int], info: os.stat_result) -> None:
    numbers.extend(_IDENTITY(info))


def scan(paths: Sequence[Path]) -> Listing:
    """The *.toml files under the given files and directories in name order, as core.paths.fact_files lists them."""
    found: list[str] = []
    numbers: array[int] = array("q")
    problems: list[Problem] = []
    for path in paths:
        name = str(path)
        try:
            if os.path.isdir(name):
                _scan_directory(name, found, numbers, problems)
            elif os.path.isfile(name):
                found.append(name)
                _add(numbers, os.stat(name))
            else:
                problems.append(Problem(name, None, "no such file or directory"))
        except OSError as error:
            problems.append(Problem(name, None, f"cannot be read: {error.strerror or error}"))
    return Listing(found, numbers, problems)


def _scan_directory(directory: str, found: list[str], numbers: array[int], problems: list[Problem]) -> None:
    if os.stat not in os.supports_dir_fd or os.listdir not in os.supports_fd:
        names = sorted(name for name in os.listdir(directory) if name.endswith(".toml") and not name.startswith("."))
        _add_files(directory, names, lambda name, full: os.stat(full), found, numbers, problems)
        return
    # Each file is stat'ed relative to the open directory, which spares the kernel the walk down its path.
    descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        names = sorted(name for name in os.listdir(descriptor) if name.endswith(".toml") and not name.startswith("."))
        if not _add_regular_files(directory, names, descriptor, found, numbers):
            stat_at = partial(os.stat, dir_fd=descriptor)
            _add_files(directory, names, lambda name, full: stat_at(name), found, numbers, problems)
    finally:
        os.close(descriptor)


def _add_regular_files(
    directory: str, names: list[str], descriptor: int, found: list[str], numbers: array[int]
) -> bool:
    """The common case in one pass with no Python call per file but the stat: every name a regular file. False
    (and nothing added) when one is not, or cannot be stat'ed, for _add_files to say which."""
    try:
        infos = [os.stat(name, dir_fd=descriptor) for name in names]
    except OSError:
        return False
    if not all(map(S_ISREG, map(attrgetter("st_mode"), infos))):
        return False
    prefix = os.path.join(directory, "")
    found.extend([prefix + name for name in names])
    numbers.extend(chain.from_iterable(map(_IDENTITY, infos)))
    return True


def _add_files(
    directory: str,
    names: list[str],
    stat_of: Callable[[str, str], os.stat_result],
    found: list[str],
    numbers: array[int],
    problems: list[Problem],
) -> None:
    for name in names:
        full = os.path.join(directory, name)
        try:
            info = stat_of(name, full)
        except OSError:
            problems.append(Problem(full, None, "cannot be read (a broken or looping symbolic link?)"))
            continue
        if S_ISREG(info.st_mode):
            found.append(full)
            _add(numbers, info)
        elif S_ISDIR(info.st_mode):
            problems.append(Problem(full, None, "is a directory, not a fact file; skipped", warning=True))
        else:
            problems.append(Problem(full, None, "cannot be read (a broken or looping symbolic link?)"))
