"""Helpers that several test modules share (test modules never import one another)."""

from __future__ import annotations

import shutil
from pathlib import Path

from shenka_cli.core.loader import load

from .conftest import VALID
from .tomlwrite import facts_document

# The keys of the JSON contract (README.md), in order.
FACT_KEYS = [
    "id",
    "sector",
    "date",
    "date_precision",
    "date_inferred",
    "date_inferred_reason",
    "period",
    "as_of",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "places",
    "organisations",
    "people",
    "tags",
    "source",
    "sources",
    "entities",
    "stats",
]

STAT_KEYS = [
    "fact",
    "sector",
    "label",
    "label_en",
    "text",
    "text_en",
    "value",
    "low",
    "high",
    "unit",
    "unit_en",
    "qualifier",
    "as_of",
    "as_of_inferred",
    "kind",
]

# Every listing command, with the arguments that give it something to list from the bundled facts.
LISTING_COMMANDS = [
    ["timeline"],
    ["timeline", "--undated"],
    ["search", "白内障"],
    ["sectors"],
    ["sectors", "livelihood"],
    ["stats"],
    ["show", "pengcheng-lab-kashgar-node"],
    ["places"],
    ["organisations", "--sector", "industry"],
    ["people"],
    ["tags"],
    ["series"],
    ["sources"],
]

HOSTILE_TITLES = [
    "colon: in the middle and at the end:",
    "semicolon; and a second;one",
    "# hash at the start and #inside",
    "new\nline and\r\nwindows and\rreturn",
    "```fence``` and ~~~tilde~~~",
    "pipe | and || double",
    "[bold]x[/] and [link=http://example.com]y[/link]",
    "\x1b[31mred\x1b[0m escape",
    "%% a Mermaid comment and %%{init: {}}%%",
    "<b>html</b> &amp; entity #35; and {braces}",
    "title looks like a keyword",
    "section looks like one too",
    "\u202ebidi override and DEL \x7f",
    ":;#",
]


def write_hostile_base(directory: Path) -> Path:
    """A fact directory (the valid sectors and sources) whose facts have hostile titles, names and labels.

    Several facts share a date, so the Mermaid timeline has continuation events; one has a period."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("sectors.toml", "sources.toml"):
        shutil.copy(VALID / name, directory / name)
    dates = ["2024", "2024", "2024-08", "2023-04-05"]
    facts = []
    for index, title in enumerate(HOSTILE_TITLES):
        fact = {
            "id": f"hostile-{index:02d}",
            "sector": ("industry", "livelihood", "overview")[index % 3],
            "title": title,
            "title_en": f"EN {title}",
            "summary": f"摘要 {title}",
            "summary_en": f"Summary {title}",
            "places": [f"地点: {title}", "喀什市"],
            "organisations": [f"机构 | {title}"],
            "tags": [],
            "source": {"id": "test-source", "section": ("导语", "强产业促发展", "固民生增福祉")[index % 3]},
            "stat": [
                {"label": f"指标 {title}", "label_en": f"Label {title}", "text": "11家", "value": 11, "unit": "家"}
            ],
        }
        if index == 4:
            fact["period"] = {"start": "2010", "end": "2025"}
        elif index % 5 != 3:
            fact["date"] = dates[index % len(dates)]
        facts.append(fact)
    (directory / "hostile.toml").write_text(facts_document(facts), encoding="utf-8")
    loaded = load([directory])
    assert loaded.errors == [], loaded.errors
    return directory
