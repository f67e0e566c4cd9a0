"""Typer wiring only: the app, its global options and one small module per command."""

from __future__ import annotations

from typing import NoReturn

# Python looks for reference cycles after every 700 new container objects; a broad listing makes a few for each of
# up to 100,000 rows, and the first run tens of thousands of parsed facts. Less often: at 100,000 facts, the piped
# table of `search kashi --limit 0` took 2.13 s and then 2.02 s, its JSON 0.99 s and then 0.89 s (medians of 3).
COLLECT_AFTER = (100_000, 50, 100)


def main() -> None:
    try:
        _main()
    except KeyboardInterrupt:  # Ctrl-C before a command runs (a command's own is handled in cli/app.py)
        _leave(130)


def _main() -> None:
    import gc
    import os
    import sys

    gc.set_threshold(*COLLECT_AFTER)  # cycles are still collected, and the forked workers and children inherit it
    _note_interrupts()
    from shenka_cli.cli.arguments import COMMANDS, GLOBAL_VALUE_OPTIONS, hoist_global_options
    from shenka_cli.core.preload import start

    # A large fact directory is scanned on the other core while Typer loads.
    start(hoist_global_options(sys.argv[1:], COMMANDS), os.environ, GLOBAL_VALUE_OPTIONS)
    _buffer_unbuffered_stdout()
    for stream in (sys.stdout, sys.stderr):
        # A terminal or file that cannot encode Chinese gets replacement characters, not UnicodeEncodeError.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    from shenka_cli.cli.app import app

    try:
        app(prog_name="shenka")
    except SystemExit as leaving:
        _leave(leaving.code)
    _leave(0)


def _note_interrupts() -> None:
    """Ctrl-C raises KeyboardInterrupt as ever, and is noted too: one that stops an SQL function of the store's is
    otherwise taken by SQLite for the statement's error (core/store/sql.py INTERRUPTED). Left alone when ignored
    (a job started in the background)."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        from shenka_cli.core.store.sql import note_interrupt

        signal.signal(signal.SIGINT, note_interrupt)


def _leave(code: object) -> NoReturn:
    """End the run once everything is written, without Python's clean-up of its modules and objects, which a run
    that read a large base pays for in tens of milliseconds (Instagram's servers skip it the same way, with
    os._exit at exit). Nothing is left to finish: the commands write and close their files and commit the cache;
    under a profiler or a coverage tool, which write their results at exit, the run ends as Python ends it."""
    import os
    import sys

    from shenka_cli.cli.status import ExitCode

    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"), as Python reports it
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away before the last of the output
        code = int(ExitCode.CLOSED_PIPE)
    except (OSError, ValueError):
        raise SystemExit(code) from None  # what could not be written is reported by Python at exit, as before
    sys.stderr.flush()
    if sys.gettrace() is not None or sys.getprofile() is not None:
        raise SystemExit(code)  # a profiler or coverage tool writes what it measured at exit
    os._exit(code)


def _buffer_unbuffered_stdout() -> None:
    """Under python -u or PYTHONUNBUFFERED, standard output writes straight to its file, and a write the system
    takes only in part (a pipe whose reader went away) loses the rest without an error. A buffered writer in
    between writes everything or raises, as usual; the text layer still passes each write through at once."""
    import io
    import sys

    stdout = sys.stdout
    raw = getattr(stdout, "buffer", None)
    if not isinstance(stdout, io.TextIOWrapper) or not isinstance(raw, io.FileIO):
        return
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=stdout.encoding,
        errors=stdout.errors,
        newline=None,
        line_buffering=stdout.line_buffering,
        write_through=True,
    )
