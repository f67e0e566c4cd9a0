"""Find the figures and dates of the English lines of a text, for `shenka coverage`. No I/O.

Only lines that are mostly Latin letters are read (a Chinese line is coverage.py's). A figure is a number
(digits with thousands commas, or a number word after a qualifier) with an optional qualifier, currency sign,
scale word (million, bln) or percent, read by `parse_english_figure`, the parser validation uses for English
statistics; a bare number needs a scale, a currency, a percent, a qualifier or a word after it (127 projects).
Dates: ISO dates (2014-12-12), "Month day" and "Month year", and years 1900–2099 on their own.
Not figures: a number that is part of a word or code (Hainan's A330, 5G), "one of …" (the article).
"""

from __future__ import annotations

import re
import unicodedata

from shenka_cli.core.figures import FigureError
from shenka_cli.core.figures_en import QUALIFIERS, SCALES, WORDS, parse_english_figure

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_QUALIFIER = "|".join(sorted((word for words in QUALIFIERS.values() for word in words), key=len, reverse=True))
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_WORD = "|".join(sorted(WORDS, key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w.$€¥£-])(?:(?P<qualifier>{_QUALIFIER})\s+)?(?P<currency>[$€¥£])?"
    rf"(?:(?P<number>{_DIGITS})(?![\w.,-]*\d)|(?P<word>{_WORD})\b)"
    rf"(?:\s*(?P<scale>{_SCALE})\b)?(?P<percent>\s*(?:%|percent\b))?"
    rf"(?P<after>\s+[A-Za-z][\w-]*)?",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?![\d-])")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_DATE = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES})\.?\s+(?:(?P<day>\d{{1,2}})(?!\d)(?:,?\s+(?P<dayyear>(?:19|20)\d\d))?|(?P<year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w.,$-])(?P<year>(?:19|20)\d\d)(?![\w.,%-]*\d)(?!\s*(?:%|percent|" + _SCALE + r")\b)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
# Words after a number that do not make it a figure: "1 of its counties", "2010 to offer" (a year).
NOT_AFTER = ("of", "to", "and", "or", "the", "in", "on", "at", "by", "as")


def english_lines(text: str) -> list[tuple[int, int]]:
    """[start, end) of each line with more Latin letters than Chinese characters."""
    spans = []
    start = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if len(_LATIN.findall(body)) > len(_CJK.findall(body)):
            spans.append((start, start + len(body)))
        start += len(line)
    return spans


def find_english(text: str, layout, taken) -> list:
    """The English figures and dates of the text's English lines (coverage.Found), dates first in each span."""
    from shenka_cli.core.coverage import DATE, ORDINAL, QUANTITY, _real_date

    found = []
    for left, right in english_lines(text):
        line = text[left:right]
        for match in _ISO_DATE.finditer(line):
            parts = (int(match["year"]), int(match["month"]), int(match["day"]))
            if _real_date(*parts):
                found.append(layout.found(DATE, left + match.start(), left + match.end(), date=parts))
                taken.add(left + match.start(), left + match.end())
        for match in _MONTH_DATE.finditer(line):
            start, end = left + match.start(), left + match.end()
            if taken.overlaps(start, end):
                continue
            month = MONTHS[match["month"].lower()]
            day = int(match["day"]) if match["day"] else None
            year = match["dayyear"] or match["year"]
            when: tuple[int | None, int | None, int | None] = (int(year) if year else None, month, day)
            if _real_date(*when):
                found.append(layout.found(DATE, start, end, date=when))
                taken.add(start, end)
        for match in _YEAR.finditer(line):
            start, end = left + match.start(), left + match.end()
            if not taken.overlaps(start, end):
                found.append(layout.found(DATE, start, end, date=(int(match["year"]), None, None)))
                taken.add(start, end)
        for match in _FIGURE.finditer(line):
            figure = _figure(match)
            start = left + match.start()
            if figure[1]:
                end = left + match.end("after")
            else:
                end = left + max(match.end(group) for group in ("number", "word", "scale", "percent") if match[group])
            if figure[0] is None or taken.overlaps(start, end):
                continue
            kind = ORDINAL if figure[0].kind.value == "ordinal" else QUANTITY
            found.append(layout.found(kind, start, end, figure=figure[0]))
            taken.add(start, end)
    return found


def _figure(match: re.Match[str]):
    """The parsed figure of a candidate and whether its following word is part of it; (None, False) if none."""
    after = (match["after"] or "").strip()
    marked = any(match[group] for group in ("qualifier", "currency", "scale", "percent"))
    counted = bool(after) and after.lower() not in NOT_AFTER and not match["scale"] and not match["percent"]
    if not marked and not counted:
        return None, False
    if match["word"] and not match["qualifier"]:
        return None, False  # a number word alone: "one of its counties", "two cities"
    written = match.group(0) if counted else match.group(0)[: len(match.group(0)) - len(match["after"] or "")]
    try:
        figure = parse_english_figure(unicodedata.normalize("NFKC", written))
    except FigureError:
        return None, False
    return figure, counted
