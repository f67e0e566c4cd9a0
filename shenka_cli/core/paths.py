"""Where fact files are: the bundled base, SHENKA_FACTS, and the *.toml files under given paths."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from shenka_cli.core.errors import Problem

FACTS_ENV = "SHENKA_FACTS"
BUNDLED = "bundled"  # what --facts takes for the bundled facts


def bundled_facts_dir() -> Path:
    """The facts shipped in the wheel, or the repository's facts/ in an editable install."""
    from importlib.resources import files

    package = Path(str(files("shenka_cli")))
    shipped = package / "_facts"
    return shipped if shipped.is_dir() else package.parent / "facts"


def default_facts_dirs() -> list[Path]:
    """SHENKA_FACTS (one or more directories separated by os.pathsep) or the bundled facts."""
    env = os.environ.get(FACTS_ENV, "")
    dirs = [Path(part) for part in env.split(os.pathsep) if part]
    return dirs or [bundled_facts_dir()]


def fact_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """The *.toml files under the given files and directories, in name order, with problems for bad paths."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            if path.is_dir():
                entries = sorted(path.iterdir(), key=lambda p: p.name)
                for entry in entries:
                    if entry.name.startswith(".") or entry.suffix != ".toml":
                        continue
                    if entry.is_file():
                        files.append(entry)
                    elif entry.is_dir():
                        problems.append(
                            Problem(str(entry), None, "is a directory, not a fact file; skipped", warning=True)
                        )
                    else:
                        problems.append(
                            Problem(str(entry), None, "cannot be read (a broken or looping symbolic link?)")
                        )
            elif path.is_file():
                files.append(path)
            else:
                problems.append(Problem(str(path), None, "no such file or directory"))
        except OSError as error:
            problems.append(Problem(str(path), None, f"cannot be read: {error.strerror or error}"))
    return files, problems


def cache_dir() -> Path:
    """shenka's directory in the user cache ($XDG_CACHE_HOME, or ~/.cache)."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "shenka"


def default_files(paths: Sequence[Path]) -> list[Path]:
    """The bundled files that may supply what the given paths do not define (none when they include them)."""
    bundled = bundled_facts_dir().resolve()
    if any(path.resolve() == bundled or bundled in path.resolve().parents for path in paths):
        return []
    files, _ = fact_files([bundled])
    return files
