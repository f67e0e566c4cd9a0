"""Every file shenka writes stands alone: no web font, stylesheet, script or picture is fetched from anywhere."""

from __future__ import annotations

import re

import pytest

from .conftest import REPO
from .helpers import LISTING_COMMANDS

PICTURE_COMMANDS = [*LISTING_COMMANDS, ["timeline", "--chart"], ["stats", "--chart"]]

# What would make a viewer fetch something: url(…) in CSS, @import, and src/href/action attributes that are
# addresses rather than fragments or data. XML namespaces (xmlns="http://…") name, they do not fetch.
_FETCHES = re.compile(
    r"""url\(\s*['"]?(?!\s*['"]?(?:#|data:))"""
    r"""|@import\b"""
    r"""|\b(?:src|href|xlink:href|action|srcset|poster|data)\s*=\s*['"]?\s*(?!#|data:|['"])""",
    re.IGNORECASE,
)


def fetched(text: str) -> list[str]:
    """The references in a page or picture that a browser would fetch (an address shown as text is not one)."""
    return [text[match.start() : match.start() + 80] for match in _FETCHES.finditer(text)]


def test_the_check_finds_what_rich_templates_fetch():
    from rich._export_format import CONSOLE_SVG_FORMAT

    assert fetched(CONSOLE_SVG_FORMAT)
    assert fetched('<link rel="stylesheet" href="https://cdn.example.org/x.css">')
    assert fetched("<img src=//example.org/a.png>")
    assert fetched("<style>@import 'x.css';</style>")
    assert not fetched('<svg xmlns="http://www.w3.org/2000/svg"><rect clip-path="url(#clip)"/><a href="#f1">x</a>')


@pytest.mark.parametrize("command", PICTURE_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("format", ["svg", "html"])
def test_snapshots_fetch_nothing(run, command, format):
    result = run(*command, "--format", format)
    assert result.exit_code == 0, result.output
    assert fetched(result.stdout) == []


def test_the_pictures_in_docs_fetch_nothing():
    pictures = [path for path in (REPO / "docs").iterdir() if path.suffix in (".svg", ".html")]
    assert pictures
    for path in pictures:
        assert fetched(path.read_text(encoding="utf-8")) == [], path.name
