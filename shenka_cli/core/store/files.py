"""The fact files under the given paths and their identities, one stat per file (os.scandir)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from shenka_cli.core.errors import Problem


class FileIdentity(NamedTuple):
    """What a clean check compares: a file whose identity is unchanged is trusted (unless racy)."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str, info: os.stat_result) -> FileIdentity:
        return cls(path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def scan(paths: Sequence[Path]) -> tuple[list[FileIdentity], list[Problem]]:
    """The *.toml files under the given files and directories in name order, as core.paths.fact_files lists them."""
    found: list[FileIdentity] = []
    problems: list[Problem] = []
    for path in paths:
        name = str(path)
        try:
            if path.is_dir():
                with os.scandir(name) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
                for entry in entries:
                    if entry.name.startswith(".") or not entry.name.endswith(".toml"):
                        continue
                    full = entry.path  # the directory as given, joined to the name
                    if entry.is_file():
                        found.append(FileIdentity.of(full, entry.stat()))
                    elif entry.is_dir():
                        problems.append(Problem(full, None, "is a directory, not a fact file; skipped", warning=True))
                    else:
                        problems.append(Problem(full, None, "cannot be read (a broken or looping symbolic link?)"))
            elif path.is_file():
                found.append(FileIdentity.of(name, os.stat(name)))
            else:
                problems.append(Problem(name, None, "no such file or directory"))
        except OSError as error:
            problems.append(Problem(name, None, f"cannot be read: {error.strerror or error}"))
    return found, problems
