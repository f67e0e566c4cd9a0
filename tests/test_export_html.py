"""report --format html: one page holding what the Markdown briefing holds, with the timeline and figures drawn,
all data as text, nothing fetched. (tests/test_browser_report.py opens it in a real browser.)"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.model import Qualifier, StatKind
from shenka_cli.core.query import chronological
from shenka_cli.present.html_report import anchor, build_html_report
from shenka_cli.render.report import markdown_report

from .conftest import BUNDLED
from .mdparse import markdown_blocks
from .test_export_offline import fetched
from .test_report import write_hostile_base


class Page(HTMLParser):
    """The elements of a page: (tag, attributes, text inside) for each, and every open tag in document order."""

    VOID = {"meta", "br", "img", "link", "input", "hr", "rect", "circle", "line", "path"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []
        self.open: list[list] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append([tag, dict(attrs), ""])

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element[2] += data

    def all(self, tag: str, **attrs: str) -> list[list]:
        return [e for e in self.elements if e[0] == tag and all(e[1].get(k) == v for k, v in attrs.items())]

    def by_id(self, ident: str) -> list:
        found = [e for e in self.elements if e[1].get("id") == ident]
        assert len(found) == 1, ident
        return found[0]


@pytest.fixture(scope="module")
def base():
    return load([BUNDLED]).base


def markdown_headings(markdown: str, level: str) -> list[str]:
    return [text for kind, text in markdown_blocks(markdown, fences=True) if kind == level]


def is_subsequence(part: list, whole: list) -> bool:
    remaining = iter(whole)
    return all(any(item == candidate for candidate in remaining) for item in part)


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_the_page_holds_the_markdown_briefing(base, lang):
    text = build_html_report(base, lang)
    page = Page(text)
    blocks = markdown_blocks(markdown_report(base, lang), fences=True)
    page_headings = [(e[0], e[2]) for e in page.elements if e[0] in ("h1", "h2", "h3")]
    assert is_subsequence([(kind, t) for kind, t in blocks if kind in ("h1", "h2", "h3")], page_headings)
    paragraphs = {e[2] for e in page.all("p")}
    assert all(t in paragraphs for kind, t in blocks if kind == "p")
    cells = [e[2] for e in page.elements if e[0] in ("th", "td")]
    markdown_cells = [
        cell.replace("\n", "") for kind, rows in blocks if kind == "table" for row in rows for cell in row
    ]
    assert is_subsequence(markdown_cells, cells)
    assert [kind for kind, _ in blocks if kind == "fence"] == ["fence"]  # the Mermaid timeline, drawn instead:
    assert "```" not in text and "mermaid" not in text and page.all("svg", **{"class": "timeline"})
    assert page.all("html")[0][1]["lang"] == ("en" if lang == "en" else "zh-Hans")


def test_sections_contents_and_fact_anchors(base):
    page = Page(build_html_report(base, "en"))
    sections = [element[1]["id"] for element in page.all("section")]
    sector_ids = [
        anchor("sector", sector.id) for sector in base.sectors if any(f.sector == sector.id for f in base.facts)
    ]
    assert sections == ["sources", "headline", "series", "timeline", "charts", *sector_ids, "index"]
    links = [
        element[1]["href"] for element in page.elements if element[0] == "a" and element[2] and "href" in element[1]
    ]
    for section in sections:
        assert f"#{section}" in links
    for fact in base.facts:
        heading = page.by_id(anchor("fact", fact.id))
        assert heading[0] == "h3" and heading[2] == fact.title_en


def test_the_timeline_has_one_mark_per_dated_fact_at_its_precision(base):
    page = Page(build_html_report(base, "zh"))
    dated, undated = chronological(base.facts)
    marks = page.all("a", **{"class": "mark"})
    assert [mark[1]["data-fact"] for mark in marks] == [fact.id for fact in dated]
    for mark, fact in zip(marks, dated, strict=True):
        expected = "period" if fact.period else fact.date.precision.value
        assert mark[1]["data-precision"] == expected
        assert mark[1]["href"] == "#" + anchor("fact", fact.id)
    without_date = {fact.title for fact in undated if fact.as_of is None}
    apart = [li[2] for li in page.elements if li[0] == "li" and li[2] in without_date]
    assert set(apart) == without_date  # listed apart from the axis (a title may recur)
    shown = "".join(element[2] for element in page.elements)
    assert all(fact.title in shown for fact in undated if fact.as_of is not None)  # standing facts: shown, not marked


def test_every_quantity_is_a_bar_and_lower_bounds_are_marked(base):
    page = Page(build_html_report(base, "en"))
    bars = [element for element in page.all("g") if "bar" in element[1].get("class", "").split()]
    quantities = [stat for stat in base.stats if stat.kind is StatKind.QUANTITY]
    assert len(bars) == len(quantities)
    lower = [bar for bar in bars if "lower-bound" in bar[1]["class"]]
    assert len(lower) == sum(1 for stat in quantities if stat.qualifier is Qualifier.MORE_THAN) > 0
    assert all("more than" in bar[2] for bar in lower)  # the figure reads "more than 1,000", never as exact
    chinese = [bar for bar in Page(build_html_report(base, "zh")).all("g") if "lower-bound" in bar[1].get("class", "")]
    assert len(chinese) == len(lower) and all(">" in bar[2] for bar in chinese)  # in Chinese: "> 1,000 个"


def test_hostile_data_is_text(tmp_path):
    base = load([write_hostile_base(tmp_path / "hostile")]).base
    text = build_html_report(base, "en")
    page = Page(text)
    assert not page.all("script") and not page.all("b") and not page.all("link")
    allowed = "html head meta title style body main header nav ol ul li a section h1 h2 h3 p div table thead tbody"
    allowed += " tr th td br figure figcaption svg g text rect circle line path span"
    assert {e[0] for e in page.elements} <= set(allowed.split())
    shown = " ".join(e[2] for e in page.all("h3"))
    assert "<b>html</b>" in shown and "[bold]x[/]" in shown
    assert "\x1b" not in text and "\u202e" not in text
    assert fetched(text) == []


def test_the_command_writes_the_page(run, tmp_path):
    result = run("--lang", "en", "report", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and fetched(result.stdout) == []
    target = tmp_path / "briefing.html"
    assert run("report", "-o", str(target)).exit_code == 0  # the extension names the format
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run("report", "--format", "csv").exit_code == 2
    assert run("report", "-o", str(tmp_path / "briefing.csv")).exit_code == 2
    markdown = run("report")
    assert markdown.exit_code == 0 and markdown.stdout.startswith("# ")


def test_the_readme_shows_the_briefing_as_a_browser_draws_it():
    from .conftest import REPO

    assert "![the HTML briefing's timeline in Chromium](docs/briefing-timeline-en.png)" in (
        REPO / "README.md"
    ).read_text(encoding="utf-8")
    assert (REPO / "docs" / "briefing-timeline-en.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_standing_facts_are_listed_apart_from_the_time_axis(tmp_path):
    from .test_export_timelinejs import write_standing_base

    base = load([write_standing_base(tmp_path / "standing")]).base
    page = Page(build_html_report(base, "en"))
    assert [mark[1]["data-fact"] for mark in page.all("a", **{"class": "mark"})] == ["dated"]
    standing = page.all("ul", **{"class": "standing"})
    undated = page.all("ul", **{"class": "undated"})
    assert len(standing) == len(undated) == 1
    assert "Standing" in standing[0][2] and "2025" in standing[0][2] and "Undated" in undated[0][2]
    assert "Standing" not in undated[0][2]
