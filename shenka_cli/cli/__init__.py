"""Typer wiring only: the app, its global options and one small module per command."""

from __future__ import annotations


def main() -> None:
    import sys

    for stream in (sys.stdout, sys.stderr):
        # A terminal or file that cannot encode Chinese gets replacement characters, not UnicodeEncodeError.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    from shenka_cli.cli.app import app

    app(prog_name="shenka")
