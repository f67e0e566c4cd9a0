"""Pipes with room: a writer and its reader each work in long stretches instead of taking turns every 64 KiB."""

from __future__ import annotations

PIPE_BUFFER = 1 << 20  # the most Linux gives an unprivileged process by default (/proc/sys/fs/pipe-max-size)


def widen(descriptor: int) -> None:
    """Ask for a buffer of PIPE_BUFFER bytes for the pipe a descriptor writes to (64 KiB by default on Linux). Where
    that cannot be done (not Linux, not a pipe, more than this user may have), it stays as it is."""
    try:
        import fcntl

        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, PIPE_BUFFER)
    except (ImportError, AttributeError, OSError):
        pass
