"""How far a long cache build (or `shenka validate`) has got, on standard error while it is a terminal.

A first run over many files takes a while (a minute at 100,000 facts): after a second of silence one status line
counts the files done, rewritten in place at most ten times a second and erased before any output is written.
Nothing is said to a pipe or a file, so scripts and logs never see it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from typing import IO

from shenka_cli.cli.console import in_script
from shenka_cli.present.messages import message

ERASE_LINE = "\r\x1b[K"  # back to the start of the line, then clear it


class BuildProgress:
    """A store.Progress that draws one status line on a terminal once the work has lasted `delay` seconds."""

    def __init__(
        self,
        lang: str,
        stream: IO[str] | None = None,
        *,
        what: str = "building-cache",
        delay: float = 1.0,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._lang = lang
        self._what = what  # the key of its message in present/messages.py, told `done` and `total`
        self._delay = delay
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._drawn_at: float | None = None
        isatty = getattr(self._stream, "isatty", None)
        self._enabled = bool(isatty and isatty())

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        now = self._clock()
        if now - self._started < self._delay:
            return
        if self._drawn_at is not None and now - self._drawn_at < self._interval and done < total:
            return
        text = "shenka: " + message(self._lang, self._what, done=f"{done:,}", total=f"{total:,}")
        line = self._fitted(text, f"shenka: {done:,}/{total:,}")
        if line:
            self._write(ERASE_LINE + line)
            self._drawn_at = now

    def close(self) -> None:
        """Erase the status line, if one was drawn."""
        if self._drawn_at is not None:
            self._write(ERASE_LINE)
            self._drawn_at = None

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()  # however the work ended: the line never stays under an error message

    def _fitted(self, text: str, short: str) -> str:
        """The line, or its short form, or as much of that as fits the terminal: a line that wrapped could not be
        erased (the last column is left free, where some terminals wrap at once)."""
        import shutil

        from shenka_cli.text.width import screen_width

        columns = 0
        with contextlib.suppress(AttributeError, OSError, ValueError):
            columns = os.get_terminal_size(self._stream.fileno()).columns
        if columns <= 0:  # not a terminal, or one that does not say its size: COLUMNS, else 80
            columns = shutil.get_terminal_size().columns
        room = columns - 1
        for candidate in (text, short):
            if screen_width(candidate) <= room:
                return candidate
        while short and screen_width(short) > room:
            short = short[:-1]
        return short

    def _write(self, text: str) -> None:
        try:
            self._stream.write(in_script(text))
            self._stream.flush()
        except (OSError, UnicodeEncodeError, ValueError):
            self._enabled = False  # a status line is never worth failing a run for
