"""Typer wiring only: the app, its global options and one small module per command."""

from __future__ import annotations


def main() -> None:
    from shenka_cli.cli.app import app

    app(prog_name="shenka")
