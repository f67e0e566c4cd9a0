"""Running work on every core: forked workers, each inheriting what the caller set up before it forked them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any


def workers() -> int:
    """How many processes may share the work: the cores this process may use, where fork is available."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def in_parallel(function: Callable[[Any], Any], items: Sequence[Any], ahead: int) -> Iterator[Any]:
    """function over items, in order: by forked workers when several cores are free, else here. At most `ahead`
    results wait to be taken (each item given to a worker on its own), so that memory stays flat however much
    faster the workers are than the caller."""
    count = min(workers(), len(items))
    if count < 2:
        yield from map(function, items)
        return
    import multiprocessing
    from collections import deque

    pool = multiprocessing.get_context("fork").Pool(count, initializer=_leave_interrupts_to_the_parent)
    pending: deque[Any] = deque()
    interrupted = False
    try:
        pending.extend(pool.apply_async(function, (item,)) for item in items[:ahead])
        for item in items[ahead:]:
            result = pending.popleft().get()
            pending.append(pool.apply_async(function, (item,)))
            yield result
        while pending:
            yield pending.popleft().get()
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        # Pool.terminate() while its task thread is still feeding the workers can hang for good (it joins that
        # thread, blocked writing to workers it has just killed): seen once in a build that stopped early to start
        # again (pipeline.NeedsTables). So a pool left early finishes the few tasks given out, then is closed; only
        # Ctrl-C terminates it.
        if interrupted:
            pool.terminate()
        else:
            for waiting in pending:
                waiting.wait()
            pool.close()
        pool.join()


def _leave_interrupts_to_the_parent() -> None:
    """In a worker: Ctrl-C (sent to the whole process group) is left to the run's own process, which stops the
    pool; the workers end without a traceback of their own."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def spans_by_size(sizes: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """[start, stop) spans of consecutive items, each closed by the item that brings its size to `limit` (the last
    one by the last item): work for one worker at a time."""
    spans: list[tuple[int, int]] = []
    start = size = 0
    for index, item_size in enumerate(sizes):
        size += item_size
        if size >= limit or index == len(sizes) - 1:
            spans.append((start, index + 1))
            start, size = index + 1, 0
    return spans
