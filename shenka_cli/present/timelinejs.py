"""The timeline in TimelineJS3's JSON format (Knight Lab): a title slide and one event per dated fact.

The format (timeline.knightlab.com/docs/json-format.html): an object with `title` (a slide), `events` (slides)
and `scale` ("human"). A slide has `start_date` and optionally `end_date` (date objects: `year`, and `month`
and `day` only when known, each a number, plus `display_date`), `text` (`headline` and `text`, both read as
HTML), `group` (slides of a group share a row, labelled with it), `unique_id` and `media`.

Each date keeps its own precision: a fact of 2024-08 has year and month and no invented day. A period has an
end_date. A fact without a date or period, and a standing fact (true "as of" a date rather than an event of
it), is not an event; the title slide counts them. TimelineJS reads headline and text as HTML, so all
data is HTML-escaped. The source is the credit line: TimelineJS's own `credit` belongs to a media item, which
needs the address of a picture or page, and facts have none, so the credit closes the event's text instead.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from shenka_cli.core.model import Fact, FactBase, FuzzyDate, Period
from shenka_cli.present.views import pick, show_when
from shenka_cli.text.safety import visible

SCALE = "human"


def _escaped(text: str) -> str:
    """Data as HTML text: visible (no control characters) and escaped."""
    return html.escape(visible(text), quote=False)


def date_object(date: FuzzyDate, display: str | None = None) -> dict[str, Any]:
    """A TimelineJS date at the date's own precision: year, then month and day only when known."""
    value: dict[str, Any] = {"year": date.year}
    if date.month is not None:
        value["month"] = date.month
    if date.day is not None:
        value["day"] = date.day
    if display is not None:
        value["display_date"] = display
    return value


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{_escaped(text)}</p>" for text in texts if text)


def _credit(fact: Fact, base: FactBase, lang: str) -> str:
    source = base.source(fact.source.id)
    if source is None:
        cited = fact.source.id
    else:
        outlet = pick(lang, source.outlet, source.outlet_en or source.outlet, " / ")
        cited = f"{outlet}: {pick(lang, source.title, source.title_en, ' / ')}"
        if source.date is not None:
            cited += f" ({source.date.iso})"
    label = pick(lang, "来源", "Source", " / ")
    return f'<p class="credit">{_escaped(label)}: {_escaped(cited)}, {_escaped(fact.source.section)}</p>'


def event(fact: Fact, base: FactBase, lang: str) -> dict[str, Any]:
    """One dated fact as a TimelineJS event."""
    when = fact.when
    assert when is not None
    display = show_when(when, lang)
    slide: dict[str, Any]
    if isinstance(when, Period):
        slide = {"start_date": date_object(when.start), "end_date": date_object(when.end)}
    else:
        slide = {"start_date": date_object(when)}
    slide["display_date"] = display
    summary = [fact.summary] if lang == "zh" else [fact.summary_en] if lang == "en" else [fact.summary, fact.summary_en]
    slide["text"] = {
        "headline": _escaped(pick(lang, fact.title, fact.title_en, " / ")),
        "text": _paragraphs(*summary) + _credit(fact, base, lang),
    }
    sector = base.sector(fact.sector)
    slide["group"] = _escaped(pick(lang, sector.name, sector.name_en, " / ") if sector else fact.sector)
    slide["unique_id"] = fact.id
    return slide


def timelinejs(base: FactBase, dated: Sequence[Fact], not_events: Sequence[Fact], lang: str) -> dict[str, Any]:
    """The TimelineJS3 document of the dated facts (in order), with a title slide that counts the facts left
    off: standing facts (true as of a date) and facts without a date."""
    zh = f"{len(dated)} 条有日期的事实，每条注明出处。"
    en = f"{len(dated)} dated facts, each cited to its source."
    standing = sum(1 for fact in not_events if fact.as_of is not None)
    undated = len(not_events) - standing
    if standing:
        zh += f"{standing} 条截至某时的现状不是某一时刻的事件，未列入。"
        en += f" {standing} standing facts (true as of a date) are not events and are left off."
    if undated:
        zh += f"另有 {undated} 条事实没有日期，不列为事件。"
        en += f" {undated} facts without a date are not events and are left off."
    title = {
        "text": {
            "headline": _escaped(pick(lang, "深圳对口援疆喀什时间线", "Shenzhen's counterpart aid to Kashgar", " / ")),
            "text": _paragraphs(*([zh] if lang == "zh" else [en] if lang == "en" else [zh, en])),
        },
    }
    return {"title": title, "events": [event(fact, base, lang) for fact in dated], "scale": SCALE}
