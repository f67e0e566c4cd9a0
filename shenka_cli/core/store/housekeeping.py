"""Keeping the cache directory from growing without end: each set of fact directories gets a database of its own
(1.5 GB at 100,000 facts), so the caches of directories that are gone (a deleted clone, a generated base) and
the temporary files of builds that never finished (the process was killed) are removed after each build.

Only what is certainly shenka's and certainly of no further use goes: a database with shenka's application id
whose recorded fact paths (meta `roots`) all no longer exist, and a `.build-` file left unwritten for a day.
Anything else (another format's cache, which records no roots; a file that is not a database) is left alone.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

STALE_BUILD_SECONDS = 24 * 3600  # a build writes all the time: one untouched this long was killed


def prune(directory: Path, keep: Path) -> list[str]:
    """Remove from the cache directory the databases of fact paths that are gone and abandoned builds (never
    `keep`); the names removed. Nothing here is an error: what cannot be read or removed is left."""
    removed: list[str] = []
    now = time.time()
    try:
        with os.scandir(directory) as listing:
            entries = list(listing)
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.endswith(".sqlite3") or entry.path == str(keep):
            continue
        try:
            if name.startswith(".build-"):
                stale = now - entry.stat(follow_symlinks=False).st_mtime > STALE_BUILD_SECONDS
            else:
                stale = name.startswith("facts-") and entry.is_file(follow_symlinks=False) and _orphaned(entry.path)
            if stale:
                os.unlink(entry.path)
                removed.append(name)
        except OSError:
            continue
    return removed


def _orphaned(database: str) -> bool:
    """Whether the database is a shenka fact cache for fact paths none of which exists any more."""
    from shenka_cli.core.store.schema import APPLICATION_ID
    from shenka_cli.core.store.snapshot import uri

    try:
        connection = sqlite3.connect(uri(Path(database), "ro"), uri=True)
    except sqlite3.Error:
        return False
    try:
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
        if application_id != APPLICATION_ID:
            return False
        row = connection.execute("SELECT value FROM meta WHERE key = 'roots'").fetchone()
        roots = json.loads(row[0]) if row is not None else None
    except (sqlite3.Error, ValueError, TypeError):
        return False
    finally:
        connection.close()
    if not isinstance(roots, list) or not roots or not all(isinstance(root, str) for root in roots):
        return False
    return not any(os.path.lexists(root) for root in roots)
