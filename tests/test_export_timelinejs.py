"""timeline --format timelinejs: TimelineJS3's JSON format, checked against its documented keys and types.

The format, as Knight Lab documents it (timeline.knightlab.com/docs/json-format.html):
- the document: `events` (required, a list of slides), `title` (a slide), `eras` (a list), `scale`
  ("human" or "cosmological");
- a slide: `start_date` (required except for the title), `end_date`, `text`, `media`, `group` (text),
  `display_date` (text), `background` (an object), `autolink` (true or false), `unique_id` (text);
- a date: `year` (required, a number), `month`, `day`, `hour`, `minute`, `second`, `millisecond` (numbers),
  `display_date`, `format` (text);
- a text: `headline` and `text`, both text (HTML allowed).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.query import chronological

from .conftest import BUNDLED
from .helpers import write_hostile_base

DOCUMENT_KEYS = {"events": list, "title": dict, "eras": list, "scale": str}
SLIDE_KEYS = {
    "start_date": dict,
    "end_date": dict,
    "text": dict,
    "media": dict,
    "group": str,
    "display_date": str,
    "background": dict,
    "autolink": bool,
    "unique_id": str,
}
DATE_NUMBERS = ("year", "month", "day", "hour", "minute", "second", "millisecond")
DATE_TEXTS = ("display_date", "format")
TEXT_KEYS = ("headline", "text")


def check_date(date: dict) -> None:
    assert set(date) <= set(DATE_NUMBERS) | set(DATE_TEXTS), date
    assert type(date["year"]) is int
    for key in DATE_NUMBERS:
        if key in date:
            assert type(date[key]) is int, (key, date)
    for key in DATE_TEXTS:
        if key in date:
            assert isinstance(date[key], str)
    assert 1 <= date.get("month", 1) <= 12 and 1 <= date.get("day", 1) <= 31
    assert "day" not in date or "month" in date  # a day only within a known month


def check_slide(slide: dict, *, title: bool = False) -> None:
    assert set(slide) <= set(SLIDE_KEYS), slide.keys()
    for key, kind in SLIDE_KEYS.items():
        if key in slide:
            assert isinstance(slide[key], kind), key
    if not title:
        assert "start_date" in slide
    for key in ("start_date", "end_date"):
        if key in slide:
            check_date(slide[key])
    assert set(slide["text"]) <= set(TEXT_KEYS) and all(isinstance(v, str) for v in slide["text"].values())


def check_document(document: dict) -> None:
    assert set(document) <= set(DOCUMENT_KEYS) and "events" in document
    for key, kind in DOCUMENT_KEYS.items():
        if key in document:
            assert isinstance(document[key], kind), key
    assert document.get("scale", "human") in ("human", "cosmological")
    check_slide(document["title"], title=True)
    for slide in document["events"]:
        check_slide(slide)


def precision_of(date: dict) -> str:
    return "day" if "day" in date else "month" if "month" in date else "year"


class Elements(HTMLParser):
    """The tags and the text of an HTML fragment."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def bundled():
    return load([BUNDLED]).base


def timeline_of(run, *args: str) -> dict:
    result = run(*args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    check_document(document)
    return document


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_one_event_per_dated_fact_at_its_own_precision(run, bundled, lang):
    document = timeline_of(run, "--lang", lang, "timeline", "--format", "timelinejs")
    dated, undated = chronological(bundled.facts)
    assert [event["unique_id"] for event in document["events"]] == [fact.id for fact in dated]
    assert undated and not {fact.id for fact in undated} & {e["unique_id"] for e in document["events"]}
    for event, fact in zip(document["events"], dated, strict=True):
        if fact.period is not None:
            start, end = fact.period.start, fact.period.end
            assert precision_of(event["end_date"]) == end.precision.value
            assert event["end_date"]["year"] == end.year
        else:
            start = fact.date
            assert "end_date" not in event
        assert precision_of(event["start_date"]) == start.precision.value
        assert (event["start_date"]["year"], event["start_date"].get("month"), event["start_date"].get("day")) == (
            start.year,
            start.month,
            start.day,
        )
        sector = bundled.sector(fact.sector)
        headline = Elements(event["text"]["headline"])
        assert headline.tags == []
        expected = {"zh": fact.title, "en": fact.title_en, "both": f"{fact.title} / {fact.title_en}"}[lang]
        assert "".join(headline.text) == expected
        group = {"zh": sector.name, "en": sector.name_en, "both": f"{sector.name} / {sector.name_en}"}[lang]
        assert event["group"] == group
        body = Elements(event["text"]["text"])
        assert set(body.tags) == {"p"}
        if lang != "zh":
            assert fact.summary_en in "".join(body.text)
        if lang != "en":
            assert fact.summary in "".join(body.text)
        assert fact.source.section in body.text[-1]  # the credit line closes the text
    title = "".join(Elements(document["title"]["text"]["text"]).text)
    without_date = [fact for fact in undated if fact.as_of is None]
    assert str(len(dated)) in title and str(len(without_date)) in title


def test_the_credit_line_names_the_source(run, bundled):
    document = timeline_of(run, "--lang", "en", "timeline", "--format", "timelinejs")
    source = bundled.sources[0]
    credit = Elements(document["events"][0]["text"]["text"]).text[-1]
    assert credit.startswith("Source: ") and source.outlet_en in credit and source.title_en in credit


def test_hostile_titles_are_escaped_text(run, tmp_path):
    directory = write_hostile_base(tmp_path / "hostile")
    document = timeline_of(run, "--facts", str(directory), "timeline", "--format", "timelinejs")
    assert document["events"]
    headlines = []
    for event in document["events"]:
        headline = Elements(event["text"]["headline"])
        assert headline.tags == []  # <b>html</b> in a title stays text
        headlines.append("".join(headline.text))
        assert set(Elements(event["text"]["text"]).tags) == {"p"}
    assert any("<b>html</b>" in headline for headline in headlines)
    assert not any("\x1b" in headline or "\u202e" in headline for headline in headlines)


def test_written_to_a_json_file_and_refused_elsewhere(run, tmp_path):
    target = tmp_path / "timeline.json"
    result = run("timeline", "--format", "timelinejs", "-o", str(target))
    assert result.exit_code == 0, result.output
    check_document(json.loads(target.read_text(encoding="utf-8")))
    assert run("stats", "--format", "timelinejs").exit_code == 2
    assert run("timeline", "--format", "timelinejs", "--chart").exit_code == 2
    assert run("timeline", "--format", "timelinejs", "--fields", "id").exit_code == 2
    nothing = run("timeline", "--format", "timelinejs", "--from", "1990", "--to", "1991")
    assert nothing.exit_code == 1 and nothing.stdout == ""


def test_the_check_rejects_what_timelinejs_would_not_read():
    good = {"events": [{"start_date": {"year": 2024}, "text": {"headline": "h"}}], "title": {"text": {"text": "t"}}}
    check_document(good)
    for bad in (
        {"events": [{"start_date": {"year": "2024"}, "text": {}}], "title": {"text": {}}},
        {"events": [{"start_date": {"year": 2024, "day": 3}, "text": {}}], "title": {"text": {}}},
        {"events": [{"text": {}}], "title": {"text": {}}},
        {"events": [{"start_date": {"year": 2024}, "text": {}, "credit": "x"}], "title": {"text": {}}},
    ):
        with pytest.raises(AssertionError):
            check_document(bad)


def write_standing_base(directory):
    """Valid sectors and sources, and three facts: one dated, one standing (as of 2025), one without a date."""
    import shutil

    from .conftest import VALID
    from .tomlwrite import facts_document

    directory.mkdir(parents=True, exist_ok=True)
    for name in ("sectors.toml", "sources.toml"):
        shutil.copy(VALID / name, directory / name)
    common = {
        "sector": "industry",
        "summary": "摘要",
        "summary_en": "Summary",
        "places": [],
        "organisations": [],
        "tags": [],
        "source": {"id": "test-source", "section": "导语"},
    }
    facts = [
        {**common, "id": "dated", "title": "有日期", "title_en": "Dated", "date": "2024-08"},
        {**common, "id": "standing", "title": "现状", "title_en": "Standing", "as_of": "2025"},
        {**common, "id": "undated", "title": "无日期", "title_en": "Undated"},
    ]
    (directory / "facts.toml").write_text(facts_document(facts), encoding="utf-8")
    return directory


def test_standing_facts_are_not_events(run, tmp_path):
    directory = write_standing_base(tmp_path / "standing")
    document = timeline_of(run, "--facts", str(directory), "--lang", "en", "timeline", "--format", "timelinejs")
    assert [event["unique_id"] for event in document["events"]] == ["dated"]
    assert document["events"][0]["start_date"] == {"year": 2024, "month": 8}
    title = "".join(Elements(document["title"]["text"]["text"]).text)
    assert "1 standing facts" in title and "1 facts without a date" in title
