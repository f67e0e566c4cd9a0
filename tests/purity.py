"""One language at a time: where shenka's output may show the other language (README, "One language at a time").

A *foreign* character is, under --lang en, a Chinese character; under --lang zh, a Latin letter of an English
word: a run of two or more letters, unless it is all capitals and at most five long (ID, AED, the A of a 5A
scenic area are written so in Chinese text too). Foreign text is allowed only in these places:

- an original: a table column whose header says so ("As written (original)", 原文), a row whose label says so
  ("Title (original)"), a JSON/CSV key of the original text (ORIGINAL_KEYS: title, summary, text…);
- an original quoted in passing: inside (…) or （…） when text of the chosen language comes before the foreign
  text in the same cell or line ("Kashgar (喀什)", "（原文：Shenzhen invests）"; "2025 (推断)" is not), or inside
  “…” when the cell or line has text of the chosen language too ("“今年” (this year) in an article");
- under --lang zh, identifiers: a column whose header has "ID", the ids of facts, sources and measures, the tags
  (slugs without a Chinese name), the program's name (shenka), URLs, `code`, --options; JSON/CSV keys of codes
  (CODE_KEYS, and every key ending in _id or _ids) and English keys (*_en and ENGLISH_KEYS).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from .mdparse import markdown_blocks

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
HAN_RUN = re.compile(HAN.pattern + "+")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"[A-Za-z]+")
ORIGINAL_MARKS = ("original", "原文")
OPENING = {"(": ")", "（": "）", "“": "”"}

# The keys of JSON records and CSV columns, by the language their values are in (README, "JSON output").
ORIGINAL_KEYS = frozenset(
    {
        "title",
        "summary",
        "label",
        "text",
        "name",
        "unit",
        "places",
        "organisations",
        "people",
        "section",
        "note",
        "snippet",
        "context",
        "aliases",
        "measure_unit",
        "units",
    }
)
ENGLISH_KEYS = frozenset({"date_inferred_reason", "text_en", "unit_en"})  # and every key ending in _en
CODE_KEYS = frozenset(
    {
        "id",
        "fact",
        "sector",
        "source",
        "sources",
        "series",
        "measure",
        "tags",
        "qualifier",
        "kind",
        "date",
        "date_precision",
        "date_inferred",
        "period",
        "start",
        "end",
        "as_of",
        "as_of_inferred",
        "stat_as_of",
        "period_start",
        "period_end",
        "first_date",
        "last_date",
        "value",
        "low",
        "high",
        "facts",
        "stats",
        "within",
        "based_in",
        "url",
        "rank",
        "line",
        "flags",
        "language",
        "scale",
        "year",
        "month",
        "day",
    }
)
"""Ids, dates, numbers and fixed code words (more_than, quantity, year): the same in every language."""


def foreign_runs(text: str, lang: str) -> list[tuple[int, int]]:
    """The spans of text in the other language: Chinese characters under en, English words under zh."""
    if lang == "en":
        return [(m.start(), m.end()) for m in HAN_RUN.finditer(text)]
    runs = []
    for match in WORD.finditer(text):
        word = match.group()
        if len(word) >= 2 and not (word.isupper() and len(word) <= 5):
            runs.append((match.start(), match.end()))
    return runs


def native(text: str, lang: str) -> bool:
    return (LATIN if lang == "en" else HAN).search(text) is not None


def _groups(text: str) -> list[tuple[int, int]]:
    """The [start, end) spans of bracketed and quoted groups, nested ones included."""
    stack: list[tuple[str, int]] = []
    spans = []
    for index, char in enumerate(text):
        if char in OPENING:
            stack.append((char, index))
        elif stack and char == OPENING[stack[-1][0]]:
            _, start = stack.pop()
            spans.append((start, index + 1))
    return spans


def unmarked(
    text: str, lang: str, allowed_tokens: Iterable[str] = (), *, after: int = 0, before: int | None = None
) -> list[str]:
    """The foreign runs of one cell or line that no mark allows (empty: the text is pure); with `after` and
    `before`, only the runs in that part of the text (the rest is the lines around it when prose wraps, there
    for the marks that open or close on them)."""
    masked = [False] * len(text)
    for start, end in _groups(text):
        runs = foreign_runs(text[start:end], lang)
        if not runs:
            continue
        if text[start] == "“":  # a quotation of the original, glossed in the same cell or line
            allowed = native(text[:start] + text[end:], lang)
        else:  # a parenthesis: the language comes first, then the original
            allowed = native(text[: start + runs[0][0]], lang)
        if allowed:
            masked[start:end] = [True] * (end - start)
    if lang == "zh":
        for pattern in (r"https?://\S+", r"`[^`]*`", r"(?<![\w-])--[a-z][a-z-]*"):
            for match in re.finditer(pattern, text):
                masked[match.start() : match.end()] = [True] * (match.end() - match.start())
        for token in allowed_tokens:
            for match in re.finditer(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text):
                masked[match.start() : match.end()] = [True] * (match.end() - match.start())
    runs = foreign_runs(text, lang)
    end_at = len(text) if before is None else before
    return [text[start:end] for start, end in runs if after <= start < end_at and not all(masked[start:end])]


def is_original(label: str) -> bool:
    return any(mark in label for mark in ORIGINAL_MARKS)


class Checker:
    """Collects the foreign text of one output that no mark allows, with where it was found."""

    def __init__(self, lang: str, ids: Iterable[str] = ()) -> None:
        self.lang = lang
        self.ids = sorted({*ids, "shenka"}, key=len, reverse=True)
        self.problems: list[str] = []
        self.originals: list[str] = []  # the text of marked originals and id columns (for svg/html)

    def text(self, text: str, where: str, previous: str = "", following: str = "") -> None:
        """One cell or line; `previous` and `following` are the lines around it when prose wraps (a mark may open
        on the line before, or close on the line after)."""
        joined = f"{previous}\n{text}\n{following}"
        after = len(previous) + 1
        tokens = self.ids if self.lang == "zh" else ()
        for run in unmarked(joined, self.lang, tokens, after=after, before=after + len(text)):
            self.problems.append(f"{where}: {run!r} in {text[:160]!r}")

    def cell(self, header: str, row_label: str, text: str, where: str) -> None:
        """A table cell: free in an original column or row, and under zh in an ID column."""
        if is_original(header) or is_original(row_label) or (self.lang == "zh" and "ID" in header):
            self.originals.append(text)
            return
        self.text(text, f"{where} [{header}]")

    # Markdown.

    def markdown(self, text: str, where: str) -> None:
        for kind, content in markdown_blocks(text, fences=True):
            if kind == "table":
                header, *rows = content
                for column in header:
                    self.text(column, f"{where} header")
                for row in rows:
                    for column, cell in zip(header, row, strict=True):
                        self.cell(column, row[0], cell, where)
            elif kind == "fence":
                info, body = content
                for line in body.splitlines():
                    # Mermaid's own keywords are syntax, not text.
                    self.text(re.sub(r"^\s*(timeline|title|section)\b", "", line), f"{where} {info} fence")
            else:
                self.text(str(content), f"{where} {kind}")

    # The plain table (the table format when piped).

    def plain(self, text: str, where: str) -> None:
        """Aligned plain text: a line of dashes under a header gives the columns; rows are the following lines
        whose column gaps are blank; everything else (titles, group lines, notes) is prose."""
        lines = text.splitlines()
        spans: list[tuple[int, int]] | None = None
        headers: list[str] = []
        prose: list[int] = []  # the prose lines, checked last with the prose lines around them (prose wraps)
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if re.fullmatch(r"-+(  -+)*", following):
                spans = [(m.start(), m.end()) for m in re.finditer(r"-+", following)]
                headers = [cell.strip() for cell in _slice(line, spans)]
                for header in headers:
                    self.text(header, f"{where} header")
                continue
            if re.fullmatch(r"-+(  -+)*", line):
                continue
            if not line.strip():
                spans = None
                continue
            cells = _slice(line, spans) if spans and _aligned(line, spans) else None
            if cells is None:
                prose.append(index)
                continue
            label = cells[0].strip()
            for header, cell in zip(headers, cells, strict=True):
                self.cell(header, label, cell.strip(), where)
        near = set(prose)
        for index in prose:
            previous = lines[index - 1] if index - 1 in near else ""
            following = lines[index + 1] if index + 1 in near else ""
            self.text(lines[index], f"{where} line", previous, following)

    # Records: JSON, JSON lines and CSV.

    def value(self, key: str, value: object, where: str, paired: frozenset[str] = frozenset()) -> None:
        """A value of a record under its key: originals, English keys and codes as README's contract has them. A key
        whose English counterpart KEY_en is in the same record (`paired`) holds the original too."""
        if isinstance(value, dict):
            pairs = frozenset(inner for inner in value if f"{inner}_en" in value)
            for inner, item in value.items():
                self.value(inner, item, f"{where}.{inner}", pairs)
        elif isinstance(value, list):
            for item in value:
                self.value(key, item, where, paired)
        elif isinstance(value, str):
            if key in ORIGINAL_KEYS or key in paired:
                self.originals.append(value)
            elif key in CODE_KEYS or key.endswith(("_id", "_ids")):
                pass
            elif key.endswith("_en") or key in ENGLISH_KEYS:
                if self.lang == "en":
                    self.text(value, where)
            else:
                self.text(value, where)

    def records(self, records: Iterable[dict], where: str) -> None:
        for number, record in enumerate(records):
            self.value("", record, f"{where} record {number}")

    def csv(self, text: str, where: str) -> None:
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            return
        keys, *data = rows
        self.records((dict(zip(keys, row, strict=True)) for row in data), where)

    # Pictures and pages: their text, against the originals the same command shows as Markdown.

    def picture(self, lines: Iterable[str], where: str, originals: Iterable[str] = ()) -> None:
        """Lines of an SVG or HTML output: a foreign run is allowed inside a mark, or as part of an original
        (a cell of an original or ID column) of the same command's Markdown output, however the picture wraps."""
        known = "\n".join(originals)
        lines = list(lines)
        tokens = self.ids if self.lang == "zh" else ()
        for index, line in enumerate(lines):
            previous = lines[index - 1] if index else ""
            following = lines[index + 1] if index + 1 < len(lines) else ""
            after = len(previous) + 1
            joined = f"{previous}\n{line}\n{following}"
            for run in unmarked(joined, self.lang, tokens, after=after, before=after + len(line)):
                if run not in known:
                    self.problems.append(f"{where}: {run!r} in {line[:160]!r}")


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _columns(line: str) -> Iterator[tuple[int, str]]:
    """Each character with the screen column it starts at."""
    column = 0
    for char in line:
        yield column, char
        column += _width(char)


def _slice(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The line cut at the columns' screen positions (the last column runs to the end of the line)."""
    cells = [""] * len(spans)
    starts = [start for start, _ in spans]
    for column, char in _columns(line):
        index = max((i for i, start in enumerate(starts) if column >= start), default=0)
        cells[index] += char
    return cells


def _aligned(line: str, spans: list[tuple[int, int]]) -> bool:
    """A row of the table: every gap between columns is blank."""
    gaps = [(end, start) for (_, end), (start, _) in zip(spans, spans[1:], strict=False)]
    in_gap = (char for column, char in _columns(line) if any(low <= column < high for low, high in gaps))
    return all(char == " " for char in in_gap)


class _Text(HTMLParser):
    """The text of an HTML or SVG document, a line at a time (block elements and <text> end lines); the text of
    <style> and <script> is not shown and is left out, as are <title> tooltips' markup around their text."""

    BREAKS = frozenset(
        {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "br", "text", "title", "figcaption", "section"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.hidden += 1
        if tag in self.BREAKS:
            self.lines.append("")
        for name, value in attrs:
            if name in ("aria-label", "alt") and value:
                self.lines.extend([value, ""])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.hidden -= 1
        if tag in self.BREAKS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            parts = data.replace("\xa0", " ").split("\n")
            self.lines[-1] += parts[0]
            self.lines.extend(parts[1:])


def page_lines(document: str) -> list[str]:
    """The lines of text an HTML page or SVG picture shows."""
    parser = _Text()
    parser.feed(document)
    return [line for line in (html.unescape(line) for line in parser.lines) if line.strip()]


def json_records(text: str) -> list[dict]:
    data = json.loads(text)
    return data if isinstance(data, list) else [data]
