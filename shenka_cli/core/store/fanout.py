"""A long listing made on every core: this process makes the first chunk of its items while forked children start,
each of which then makes every n-th chunk of the rest, and takes the chunks back in order, so that it only has to
show them.

A search that lists tens of thousands of hits spends most of its time finding and cutting out each hit's match
(about 15 µs a hit), one hit after another, while the other cores wait. Here each child opens the snapshot on its
own connection (a connection is never carried across a fork), makes the chunks it is given and writes each one back
through its own pipe, marshalled (plain tuples of strings and numbers: nothing a reader could run). The parent reads
the pipes in turn, so the items come out in the order of the chunks, the first ones while the last are still
being made; a pipe that is full holds its child back.

A child that cannot do its part (it finds another snapshot in the cache, the database is damaged, anything else)
stops, and the parent makes that chunk and every later one itself, as it would have without children: the output is
the same either way, and a damaged database is reported by the parent as usual. Children never write to standard
output or error, and end with os._exit; when the parent goes away first (its reader closed the pipe), their next
write fails and they end too.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any

_FRAME = struct.Struct("<Q")  # the length of one marshalled chunk
_FAILED = 0xFFFF_FFFF_FFFF_FFFF  # a frame length that says the child stopped

Chunk = list[tuple[Any, ...]]


def processes() -> int:
    """How many children may make chunks: the cores this process may use, where fork is available."""
    from shenka_cli.core.parallel import workers

    return workers()


def ordered(
    chunks: int,
    start: Callable[[range], Callable[[int], Chunk]],
    fallback: Callable[[int], Chunk],
    count: int,
) -> Iterator[Chunk]:
    """Chunks 0 to `chunks` - 1, in order: the first made here (while the children start), each later one by one
    of `count` children, in turn. A child calls start(its chunks) once, for the function that makes one chunk,
    then makes them; `fallback` makes a chunk here, for every chunk from the first one a child could not make."""
    children: list[tuple[int, Any]] = []
    count = min(count, chunks - 1)  # no child without a chunk to make
    try:
        for index in range(count):
            child = _fork(range(1 + index, chunks, count), start, [pipe.fileno() for _, pipe in children])
            if child is None:  # each child's chunks are set: without all of them, none
                _stop(children)
                children = []
                break
            children.append(child)
        for chunk in range(chunks):
            made = _read(children[(chunk - 1) % count][1]) if children and chunk > 0 else None
            if made is None:
                if chunk > 0:
                    _stop(children)
                    children = []
                made = fallback(chunk)
            yield made
    finally:
        _stop(children)


def _fork(
    mine: range, start: Callable[[range], Callable[[int], Chunk]], others: Sequence[int]
) -> tuple[int, Any] | None:
    """Start a child making the chunks `mine`: (its pid, the reading end of its pipe), or None when no process can
    be forked. The pipe is widened (core/pipes.py: about two chunks of hits), so that a child can make its next
    chunk while the last one waits to be read. The child closes the reading ends of the pipes of those started
    before it (`others`), so that each pipe has one reader, the parent."""
    from shenka_cli.core.pipes import widen

    read, write = os.pipe()
    widen(write)
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:
        _child(mine, start, [read, *others], write)
    os.close(write)
    return pid, os.fdopen(read, "rb")


def _child(mine: range, start: Callable[[range], Callable[[int], Chunk]], unread: list[int], write: int) -> None:
    """Make the chunks `mine`, write each to the pipe, and leave without running anything of the parent's (no
    clean-up, no buffered output flushed)."""
    status = 1
    try:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_DFL)
        for descriptor in unread:
            os.close(descriptor)
        quiet = os.open(os.devnull, os.O_RDWR)  # a reader of the run's output waits for no child of it
        for standard in (0, 1, 2):
            os.dup2(quiet, standard)
        with open(write, "wb") as pipe:
            try:
                make = start(mine)
                for chunk in mine:
                    data = marshal.dumps(make(chunk))
                    pipe.write(_FRAME.pack(len(data)) + data)
                    pipe.flush()
            except Exception:
                pipe.write(_FRAME.pack(_FAILED))
                pipe.flush()
                raise
        status = 0
    finally:
        os._exit(status)


def _read(pipe: Any) -> Chunk | None:
    """The next chunk a child wrote, or None when it stopped (or went away)."""
    try:
        header = pipe.read(_FRAME.size)
        if len(header) != _FRAME.size:
            return None
        (size,) = _FRAME.unpack(header)
        if size == _FAILED:
            return None
        data = pipe.read(size)
        if len(data) != size:
            return None
        made: Chunk = marshal.loads(data)
        return made
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _stop(children: Sequence[tuple[int, Any]]) -> None:
    """End the children (those done already have ended) and close their pipes."""
    import signal

    for pid, pipe in children:
        with contextlib.suppress(OSError):
            pipe.close()
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
