"""--format svg and html: what the terminal shows, as a picture or a page; valid XML whatever the data holds."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree

import pytest
from rich.cells import cell_len

from shenka_cli.present.document import Column, Document, Listing, Row
from shenka_cli.render import Format, renderer
from shenka_cli.render.html import render_html
from shenka_cli.render.svg import render_svg, xml_safe
from shenka_cli.text.safety import UNSAFE

from .conftest import DATA
from .helpers import LISTING_COMMANDS as TABLE_COMMANDS
from .helpers import write_hostile_base

LISTING_COMMANDS = [*TABLE_COMMANDS, ["timeline", "--chart"], ["stats", "--chart"]]
HOSTILE_COMMANDS = [["timeline"], ["search", "标题"], ["sectors"], ["sectors", "industry"], ["stats"]]
SVG = "{http://www.w3.org/2000/svg}"
TEXT_LENGTH = r'textLength="([0-9.]+)"[^>]*>([^<]*)</text>'


def svg_text(svg: str) -> str:
    """The text an SVG shows, each line's pieces joined, non-breaking spaces as spaces."""
    root = ElementTree.fromstring(svg)
    return "".join(element.text or "" for element in root.iter(f"{SVG}text")).replace("\xa0", " ")


def html_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def raw_unsafe(text: str) -> set[str]:
    return {char for char in UNSAFE.findall(text) if char not in "\n\t"}


def test_registry():
    assert renderer(Format.SVG) is render_svg
    assert renderer(Format.HTML) is render_html


@pytest.mark.parametrize("command", LISTING_COMMANDS, ids=" ".join)
def test_every_listing_command_as_svg_and_html(run, command):
    svg = run(*command, "--format", "svg")
    assert svg.exit_code == 0, svg.output
    root = ElementTree.fromstring(svg.stdout)
    assert root.tag == f"{SVG}svg"
    assert "shenka" in svg_text(svg.stdout)
    page = run(*command, "--format", "html")
    assert page.exit_code == 0, page.output
    assert page.stdout.startswith("<!DOCTYPE html>") and "<pre" in page.stdout
    for output in (svg.stdout, page.stdout):
        assert "\x1b" not in output and not raw_unsafe(output)


def test_svg_shows_the_data(run):
    text = svg_text(run("show", "pengcheng-lab-kashgar-node", "--format", "svg").stdout)
    assert "鹏城实验室喀什网点揭牌" in text and "pengcheng-lab-kashgar-node" in text
    text = html_text(run("--lang", "en", "stats", "--chart", "--format", "html").stdout)
    assert "Key companies settled" in text and "█" in text


@pytest.mark.parametrize("command", HOSTILE_COMMANDS, ids=" ".join)
def test_hostile_data_stays_valid_xml(run, command):
    for format in ("svg", "html"):
        result = run("--facts", str(DATA / "hostile"), "--lang", "both", *command, "--format", format)
        assert result.exit_code == 0, result.output
        assert not raw_unsafe(result.stdout) and "<b>html</b>" not in result.stdout
        if format == "svg":
            svg_text(result.stdout)  # parses: valid XML


def test_hostile_data_shows_literally(run):
    svg = run("--facts", str(DATA / "hostile"), "--lang", "both", "show", "hostile-markup", "--format", "svg").stdout
    text = svg_text(svg)
    for literal in ("[bold red]x[/] 标题", "[red]org[/red]", ":thumbs_up:", "\\x1b[31mred", "<b>html</b>"):
        assert literal in text, literal
    page = html_text(
        run("--facts", str(DATA / "hostile"), "--lang", "both", "show", "hostile-markup", "--format", "html").stdout
    )
    for literal in ("[bold red]x[/] 标题", "[red]org[/red]", "<b>html</b>"):
        assert literal in page


def test_hostile_titles_and_noncharacters(run, tmp_path):
    directory = write_hostile_base(tmp_path / "hostile")
    text = (directory / "hostile.toml").read_text(encoding="utf-8")
    (directory / "hostile.toml").write_text(text.replace("pipe | and", "pipe \\uFFFE\\uFFFF | and"), encoding="utf-8")
    for command in (["timeline"], ["stats"], ["timeline", "--chart"], ["stats", "--chart"]):
        result = run("--facts", str(directory), *command, "--format", "svg")
        assert result.exit_code == 0, result.output
        shown = svg_text(result.stdout)
        assert "\ufffe" not in result.stdout and "\uffff" not in result.stdout
        if command == ["timeline"]:
            for literal in ("[bold]x[/]", "\\x1b[31mred", "<b>html</b>", "```fence```", "pipe \ufffd\ufffd |"):
                assert literal in shown, literal


def test_xml_safe():
    assert xml_safe("a\x00b\x1bc\ufffe\uffffd\ud800e") == "a\ufffdb\ufffdc\ufffd\ufffdd\ufffde"
    assert xml_safe("tab\tnew\nline\r 中文 😀") == "tab\tnew\nline\r 中文 😀"


def test_chinese_text_gets_the_width_of_its_cells():
    """Rich sizes an SVG <text> by characters (Textualize/rich#2742); wide characters must get two cells."""
    document = Document((Listing("标题", (Column("a", "中文列"),), (Row({"a": "喀什 Kashgar"}),)),))
    svg = render_svg(document)
    found = [(float(length), html.unescape(text)) for length, text in re.findall(TEXT_LENGTH, svg)]
    lengths = [(length, text) for length, text in found if text.strip()]
    char_width = 20 * 0.61  # Rich's font size and aspect ratio
    assert any(cell_len(text) > len(text) for _, text in lengths)
    for length, text in lengths:
        assert length == pytest.approx(char_width * cell_len(text)), text


def test_snapshots_are_deterministic_and_ignore_the_environment(run):
    first = run("timeline", "--format", "svg").stdout
    again = run("timeline", "--format", "svg", env={"NO_COLOR": "", "COLUMNS": "37", "TERM": "dumb"}).stdout
    assert first == again
    assert 'class="rich-terminal"' in first and "fill=" in first


def test_nothing_to_show_exits_1(run):
    for format in ("svg", "html"):
        result = run("timeline", "--from", "2030", "--format", format)
        assert result.exit_code == 1 and result.stdout == ""


def test_snapshot_to_a_file(run, tmp_path):
    output = tmp_path / "timeline.svg"
    assert run("timeline", "--format", "svg", "-o", str(output)).exit_code == 0
    ElementTree.parse(output)
    assert run("timeline", "--format", "svg", "-o", str(output)).exit_code == 2
    assert not output.read_bytes().startswith(b"\xef\xbb\xbf")
