"""shenka report: the briefing parses into its sections and tables, its Mermaid timeline follows the grammar
whatever the titles hold, every fact is cited, and the same facts give the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from shenka_cli.core.gazetteer import gazetteer_for
from shenka_cli.core.loader import load
from shenka_cli.core.model import EntityCategory, StatKind
from shenka_cli.core.query import chronological
from shenka_cli.present.report import headline
from shenka_cli.render.report import mermaid_text
from shenka_cli.text.safety import UNSAFE, visible

from .conftest import BUNDLED
from .helpers import HOSTILE_TITLES, write_hostile_base
from .mdparse import markdown_blocks


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    return write_hostile_base(tmp_path / "hostile")


def of_kind(blocks, kind):
    return [content for found, content in blocks if found == kind]


def tables_after(blocks, heading: str) -> list[list[list[str]]]:
    """The tables between a heading and the next heading of the same or a higher level."""
    tables = []
    level = None
    for kind, content in blocks:
        if level is None:
            if kind in ("h1", "h2", "h3") and content == heading:
                level = kind
            continue
        if kind in ("h1", "h2", "h3") and kind <= level:
            break
        if kind == "table":
            tables.append(content)
    return tables


def mermaid_of(markdown: str) -> str:
    fences = [content for kind, content in markdown_blocks(markdown, fences=True) if kind == "fence"]
    assert len(fences) == 1
    info, text = fences[0]
    assert info == "mermaid"
    return text


def check_event(event: str) -> None:
    assert event.strip(), "an event must not be empty"
    assert ": " not in event and ";" not in event and "#" not in event, event
    assert ":" not in event, event  # there is no escape for ':' at all: it must never reach the diagram


def check_mermaid_line(line: str) -> str | None:
    """Check one line of a timeline diagram against the grammar's rules; return the event it holds, if any."""
    assert line == line.rstrip() and line.startswith("    "), repr(line)
    assert not UNSAFE.search(line) and "\r" not in line and "\t" not in line, repr(line)
    assert "```" not in line and "%%" not in line and "<" not in line and ">" not in line, line
    body = line.strip()
    if body.startswith("title "):
        assert not set(body[len("title ") :]) & set(":;#"), line
        return None
    if body.startswith("section "):
        assert ":" not in body and "#" not in body, line
        return None
    if body.startswith(": "):
        check_event(body[2:])
        return body[2:]
    period, separator, event = body.partition(" : ")
    assert separator, f"not a period line: {line!r}"
    assert period and ":" not in period and "#" not in period, line
    check_event(event)
    return event


def check_mermaid(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines[0] == "timeline"
    assert sum(1 for line in lines if line.strip().startswith("title ")) == 1
    events = [check_mermaid_line(line) for line in lines[1:]]
    return [event for event in events if event is not None]


# --- the Mermaid timeline ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_mermaid_lines_follow_the_timeline_grammar_with_hostile_titles(run, hostile_dir, lang):
    result = run("--facts", str(hostile_dir), "--lang", lang, "report")
    assert result.exit_code == 0, result.output
    events = check_mermaid(mermaid_of(result.stdout))
    dated, _ = chronological(load([hostile_dir]).base.facts)
    assert len(events) == len(dated)
    pick = {"zh": lambda f: f.title, "en": lambda f: f.title_en, "both": lambda f: f"{f.title} / {f.title_en}"}[lang]
    assert events == [mermaid_text(pick(fact), fact.id) for fact in dated]
    joined = "\n".join(events)
    for literal in ("[bold]x[/]", "\\x1b[31mred", "\\u202ebidi", "\\x7f", "pipe | and || double", "colon： in"):
        if lang != "en" or literal != "colon： in":
            assert literal in joined


def test_mermaid_periods_and_continuations(run, hostile_dir):
    text = mermaid_of(run("--facts", str(hostile_dir), "report").stdout)
    lines = text.splitlines()
    assert lines[1].strip().startswith("title ")
    sections = [line.strip() for line in lines if line.strip().startswith("section ")]
    assert sections == ["section 2010", "section 2023", "section 2024"]
    assert any(line.strip().startswith(": ") for line in lines), "facts of one date share a period"
    assert any(line.strip().startswith("2010 – 2025 : ") for line in lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: b", "a： b"),
        ("x;y#z", "x；y＃z"),
        ("one\ntwo\r\nthree\rfour\tfive", "one two three four five"),
        ("  padded  ", "padded"),
        ("%%{init}%%", "％％｛init｝％％"),
        ("<b>&amp;</b>", "＜b＞＆amp；＜/b＞"),
        ("```", "｀｀｀"),
        ("\x1b[31m", "\\x1b[31m"),
        ("\u2028", "\\u2028"),
        ("", "…"),
        (" \n ", "…"),
    ],
)
def test_mermaid_text(text, expected):
    assert mermaid_text(text) == expected


# --- structure ---------------------------------------------------------------------------------------------

SECTIONS = {
    "zh": ["来源", "主要数字", "序列", "时间线", "总体", "产业", "民生", "文旅", "交往交流交融", "地点与机构索引"],
    "en": [
        "Sources",
        "Headline figures",
        "Series",
        "Timeline",
        "Overview",
        "Industry",
        "Livelihood",
        "Culture and tourism",
        "Exchange",
        "Index of places and organisations",
    ],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_parses_into_its_headings_and_tables(run, lang):
    base = load([BUNDLED]).base
    result = run("--lang", lang, "report")
    assert result.exit_code == 0, result.output
    blocks = markdown_blocks(result.stdout, fences=True)
    assert blocks[0][0] == "h1" and of_kind(blocks, "h1") == [blocks[0][1]]
    assert of_kind(blocks, "h2") == SECTIONS[lang]
    title = (lambda fact: fact.title) if lang == "zh" else (lambda fact: fact.title_en)
    assert {title(fact) for fact in base.facts} <= set(of_kind(blocks, "h3"))

    named = [SECTIONS[lang][index] for index in (0, 1, 3)]  # sources, headline figures, timeline (not series)
    sources, headline_, timeline = (tables_after(blocks, heading)[0] for heading in named)
    assert [row[0] for row in sources[1:]] == [source.id for source in base.sources]
    first = base.sources[0].id
    assert sources[1][-1] == str(sum(1 for fact in base.facts if any(c.id == first for c in fact.sources)))
    assert len(headline_) - 1 == 8
    dated, undated = chronological(base.facts)
    assert [row[3] for row in timeline[1:]] == [fact.id for fact in dated]
    assert [row[1] for row in timeline[1:]] == [title(fact) for fact in dated]
    for row, fact in zip(timeline[1:], dated, strict=True):
        for citation in fact.sources:  # every citation, in order
            section = base.source(citation.id).section(citation.section)
            name = section.name if lang == "zh" else section.name_en or f"({section.name})"
            assert f"{citation.id}, {name}" in row[4]
        assert row[4].startswith(f"{fact.source.id}, ")

    for sector, heading in zip(base.sectors, SECTIONS[lang][4:9], strict=True):
        stats = [stat for fact in base.facts if fact.sector == sector.id for stat in fact.stats]
        tables = tables_after(blocks, heading)
        assert len(tables) == (1 if stats else 0)
        if stats:
            assert sorted(row[0] for row in tables[0][1:]) == sorted(
                stat.label if lang == "zh" else stat.label_en for stat in stats
            )

    # The index names each entity of the gazetteer by its name in the language, with the facts that name it.
    gazetteer = gazetteer_for(base.entities)

    def naming(category: EntityCategory) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for fact in base.facts:
            for ref in fact.entity_refs(category):
                entity = gazetteer.resolve(category, ref)
                found.setdefault(entity.name if lang == "zh" else entity.name_en, set()).add(fact.id)
        return found

    places, organisations = tables_after(blocks, SECTIONS[lang][-1])
    for table, category in ((places, EntityCategory.PLACE), (organisations, EntityCategory.ORGANISATION)):
        expected = naming(category)
        assert {row[0] for row in table[1:]} == set(expected)
        for row in table[1:]:
            ids = row[2].split(", ")
            assert ids == sorted(expected[row[0]])
            assert row[1] == str(len(ids))


def test_every_fact_is_cited_to_its_source_and_section(run):
    base = load([BUNDLED]).base
    paragraphs = of_kind(markdown_blocks(run("report").stdout, fences=True), "p")
    for fact in base.facts:
        cited = [p for p in paragraphs if p.endswith(f"ID: {fact.id}")]
        assert len(cited) == 1, fact.id
        section = base.source(fact.source.id).section(fact.source.section)
        assert f"出处：{fact.source.id}, {section.name}" in cited[0]


def test_both_languages(run):
    base = load([BUNDLED]).base
    blocks = markdown_blocks(run("--lang", "both", "report").stdout, fences=True)
    assert "来源 / Sources" in of_kind(blocks, "h2")
    paragraphs = of_kind(blocks, "p")
    fact = base.fact("pengcheng-lab-kashgar-node")
    assert f"{fact.title} / {fact.title_en}" in of_kind(blocks, "h3")
    assert fact.summary in paragraphs and fact.summary_en in paragraphs
    timeline = tables_after(blocks, "时间线 / Timeline")[0]
    assert timeline[0][:3] == ["日期 / Date", "标题", "Title"]


def test_hostile_data_shows_literally(run, hostile_dir):
    result = run("--facts", str(hostile_dir), "--lang", "both", "report")
    assert result.exit_code == 0, result.output
    assert not {char for char in UNSAFE.findall(result.stdout) if char not in "\n"}
    blocks = markdown_blocks(result.stdout, fences=True)  # fails on any data interpreted as Markdown
    headings = of_kind(blocks, "h3")
    for title in HOSTILE_TITLES:
        shown = visible(" ".join(title.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
        assert any(shown in heading for heading in headings), title
    places = tables_after(blocks, "地点与机构索引 / Index of places and organisations")[0]
    assert "地点: [bold]x[/] and [link=http://example.com]y[/link]" in [row[0] for row in places]


def test_the_same_facts_give_the_same_bytes(run, tmp_path, monkeypatch):
    first = run("report").stdout
    monkeypatch.setenv("SHENKA_CACHE", "0")
    assert run("report").stdout == first
    output = tmp_path / "briefing.md"
    assert run("report", "-o", str(output)).exit_code == 0
    assert output.read_bytes() == first.encode("utf-8")
    assert run("report", "-o", str(output)).exit_code == 2
    assert run("report", "-o", str(output), "--force").exit_code == 0
    assert output.read_bytes() == first.encode("utf-8")


def test_filters(run):
    result = run("--lang", "en", "report", "--sector", "livelihood", "--from", "2024")
    assert result.exit_code == 0, result.output
    blocks = markdown_blocks(result.stdout, fences=True)
    assert of_kind(blocks, "h2") == ["Sources", "Headline figures", "Timeline", "Livelihood", SECTIONS["en"][-1]]
    assert "Filters: sector Livelihood; from 2024." in of_kind(blocks, "p")[0]
    assert run("report", "--from", "2030").exit_code == 1
    assert run("report", "--sector", "nope").exit_code == 2
    assert run("report", "--from", "2024-13").exit_code == 2


def test_headline_prefers_money_and_people_and_one_of_each_other_unit():
    stats = load([BUNDLED]).base.stats
    chosen = headline(stats)
    measures = [stat.measure for stat in chosen]
    assert measures[:3] == ["aid-funds-cumulative", "cadres-sent-cumulative", "aid-projects-cumulative"]
    assert len(set(filter(None, measures))) == len([m for m in measures if m])  # one figure per measure
    rest = [stat.unit for stat in chosen[3:]]
    assert rest == sorted(rest, key=lambda unit: {"元": 0, "人": 1}.get(unit, 2))  # money, people, then others
    assert all(rest.count(unit) <= 2 for unit in ("元", "人"))
    assert all(rest.count(unit) == 1 for unit in rest if unit not in ("元", "人"))
    assert all(stat.kind is StatKind.QUANTITY for stat in chosen)
