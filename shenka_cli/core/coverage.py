"""Find the figures and dates of a Chinese (or mixed) text and match them against the fact base. No I/O.

Finding is two steps: a regular expression proposes candidate spans (a number, optional magnitude and
qualifiers, a known measure word), then `parse_figure`, the parser validation uses, reads each one, so a
figure the finder reports is exactly a figure a fact's `text` can hold.

What is a figure, and what is not:

- quantities: Arabic or Chinese numerals followed by a known measure word (2023人, 1000余个, 8.4亿元,
  2.5万台, 7-10天, 千万亩, 两批, 6批次, 两年多);
- ordinals: 第 + number + measure word (第十一批, 第四届), 首届/首批/首期/首轮, anniversaries (70周年);
- dates: 2024年9月20日, 2023年4月, 2010年 (years 1900–2099; also 二〇二四年 and year-less 9月20日). A date is
  never also reported as a figure (2024年 is a date, 两年多 is a duration);
- not figures: codes and grades (5G, 5A, 4A级, 二级甲等: no measure word follows), 首个/首家/首次 (a
  "first of its kind", which facts record as the tag `first`), a lone 一 before a measure word (the
  indefinite article: 一个新台阶, 一家亲), fixed expressions (IDIOMS), numbers inside titles of works
  (《…》) and inside short quoted names (“五分钟社会救援圈”; quoted speech, which has punctuation, is
  searched), and a bare magnitude with no measure word (3万: the figure grammar cannot store it).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from shenka_cli.core.figures import (
    DIGITS,
    MAGNITUDES,
    FigureError,
    ParsedFigure,
    chinese_numeral,
    parse_figure,
    same_number,
)
from shenka_cli.core.model import Fact, FuzzyDate, Period, Qualifier, StatKind, When

QUANTITY, ORDINAL, DATE = "quantity", "ordinal", "date"
KINDS = (QUANTITY, ORDINAL, DATE)

# Measure words and units that make a number a figure. Longest first in the pattern, so 批次 wins over 批.
# Left out on purpose: 级 and 等 (grades), 期 and 节 (phase and festival names: 二期工程, 五一节) except
# after 第/首, 门 and 头 (三门峡, 两头), 日 and 月 on their own (dates), bare 万/亿 (no measure word).
_MEASURE_TEXT = (
    "人次 人 名 位 个月 个 家 户 元 美元 港元 台 套 辆 架 艘 座 所 校 项 次 批次 批 届 轮 倍 % ％ "
    "天 年 周年 周 小时 分钟 岁 亩 公顷 平方米 平方公里 公里 千米 米 吨 公斤 千克 种 类 款 件 条 部 "
    "场 处 支 队 本 册 篇 首 张 床 株 棵 只 匹 村 乡 镇 县 县市 区 省"
)
MEASURE_WORDS = tuple(_MEASURE_TEXT.split())
ORDINAL_ONLY = ("期", "节", "级")  # measure words read only after 第 (第二期, 第三节, 第一级)
FIRST_EDITION = ("届", "批", "期", "轮")  # 首届, 首批, 首期, 首轮 are ordinals; 首个, 首家, 首次 are not
TIME_UNITS = ("年", "天", "个月", "周", "小时", "分钟")  # may take 多 after the unit: 两年多

# Expressions whose numerals are not figures. A candidate overlapping one of them is dropped.
IDIOMS = (
    "一家亲",
    "一大批",
    "进一步",
    "一系列",
    "唯一",
    "新一轮",
    "一体化",
    "万千",
    "两地",
    "千家万户",
    "百家",
    "万众一心",
    "一带一路",
    "十四五",
    "千年古城",
    "千百年",
    "百年未有",
    "三个代表",
    "两个维护",
    "两个确立",
    "四个意识",
    "四个自信",
    "五湖四海",
    "四面八方",
    "千方百计",
    "一国两制",
    "两岸",
    "三农",
    "两会",
    "一心一意",
    "九牛一毛",
)

# 约 and 近 mean "about" only when they are not the end of a word (签约3家企业, 最近5年); likewise 超 and 上.
NOT_A_PREFIX = {
    "约": "签合预邀特公条节制履违相誓契盟婚",
    "近": "最附邻临靠贴亲就",
    "超": "高赶",
    "上": "线以之场马加向往北会晚早身面路网台手",
}

_CN = "零〇一二两三四五六七八九十百千万亿"
_AR = "0-9０-９"
_ARABIC = rf"(?<![{_AR}.．A-Za-zＡ-Ｚａ-ｚ])[{_AR}]+(?:,[{_AR}]{{3}})*(?:[.．][{_AR}]+)?(?![.．][{_AR}])"
_CHINESE = rf"(?<![{_CN}])[{_CN}]{{1,12}}(?:点[〇零一二两三四五六七八九]{{1,6}})?"
_MAG = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
_SIDE = rf"(?:{_ARABIC}|{_CHINESE})[余多]?(?:{_MAG})?[余多]?"
_DASH = r"\s*[-~～—–至到]\s*"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


_FIGURE_RE = re.compile(
    rf"(?:(?P<prefix>大约|将近|约|近|第|超过|逾|超|不到|不足)|(?P<vague>[上数几])(?=[十百千万亿]))?"
    rf"(?P<number>{_SIDE}(?:{_DASH}{_SIDE})?)"
    rf"(?P<unit>{_alternation(MEASURE_WORDS + ORDINAL_ONLY)})(?P<trail>多)?(?P<suffix>左右)?"
    rf"|(?P<first>首(?:{_alternation(FIRST_EDITION)}))"
    rf"|(?P<percent>(?:(?P<pprefix>大约|将近|约|近|超过|逾|超|不到|不足))?百分之(?:{_ARABIC}|{_CHINESE}))"
)
_YEAR = rf"(?:[{_AR}]{{4}}|[〇零一二三四五六七八九]{{4}})"
_MONTH = rf"(?:[{_AR}]{{1,2}}|十[一二]?|[一二三四五六七八九])"
_DAY = rf"(?:[{_AR}]{{1,2}}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_DATE_RE = re.compile(
    rf"(?<![{_AR}A-Za-z.．{_CN}])(?:(?P<year1>{_YEAR})\s*(?P<dash>[-~～—–至到])\s*)?"
    rf"(?P<year>{_YEAR})\s*年(?!多|左右)(?:\s*(?P<month>{_MONTH})\s*月(?:\s*(?P<day>{_DAY})\s*[日号])?)?"
)
_MONTH_DAY_RE = re.compile(rf"(?<![{_AR}年{_CN}])(?P<month>{_MONTH})\s*月\s*(?P<day>{_DAY})\s*[日号]")
# Titles of works, and short quoted names: quoted speech has punctuation and is searched.
_NAME_RE = re.compile(r"《[^《》\n]{0,80}》|“[^“”\n，。！？；：,!?;]{1,24}”|「[^「」\n，。！？；：]{1,24}」")
_SENTENCE_END = "。！？；!?;\n"
_CLOSING = "”’」』）)"
CONTEXT_CHARS = 40


class Found(NamedTuple):
    """A figure or date of the text: where it is, what it says, and the sentence around it."""

    kind: str  # quantity, ordinal or date
    text: str  # as written
    start: int
    end: int
    line: int
    context: str
    figure: ParsedFigure | None = None
    date: tuple[int | None, int | None, int | None] | None = None  # (year, month, day); year None if not given

    @property
    def date_iso(self) -> str | None:
        """The date at its precision: 2024, 2023-04, 2024-09-20, or --09-20 without a year."""
        if self.date is None:
            return None
        year, month, day = self.date
        parts = [f"{year:04d}" if year is not None else "-"]
        if month is not None:
            parts.append(f"{month:02d}")
        if day is not None:
            parts.append(f"{day:02d}")
        return "-".join(parts)


class Coverage(NamedTuple):
    found: Found
    covered_by: tuple[str, ...]  # facts that hold the figure and agree with its context
    same_number: tuple[str, ...] = ()  # facts that hold the same number but speak of something else


def _number(text: str) -> int:
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    if all(char in DIGITS for char in text) and len(text) == 4:  # 二〇二四: digit by digit
        return int("".join(str(DIGITS[char]) for char in text))
    return chinese_numeral(text)


class _Layout:
    """Line starts and sentence ends of a text, for locating found figures in O(log n) each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.sentence_ends = [match.start() for match in re.finditer(f"[{_SENTENCE_END}]", text)]

    def line(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """[left, right) of the sentence holding [start, end): from after one end mark to the next."""
        before = bisect.bisect_left(self.sentence_ends, start)
        left = self.sentence_ends[before - 1] + 1 if before else 0
        after = bisect.bisect_left(self.sentence_ends, end)
        right = self.sentence_ends[after] if after < len(self.sentence_ends) else len(self.text)
        return left, right

    def found(self, kind: str, start: int, end: int, **parsed: Any) -> Found:
        text = self.text
        context = context_of(text, start, end, self.sentence(start, end))
        return Found(kind, text[start:end], start, end, self.line(start), context, **parsed)


class _Mask:
    """Which characters of a text are taken (by a date, a name, an idiom): overlap tests in O(span)."""

    def __init__(self, size: int) -> None:
        self.taken = bytearray(size)

    def add(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.taken[start:end])


def _mask_names_and_idioms(text: str, mask: _Mask) -> None:
    for match in _NAME_RE.finditer(text):
        mask.add(*match.span())
    for idiom in IDIOMS:
        start = text.find(idiom)
        while start >= 0:
            mask.add(start, start + len(idiom))
            start = text.find(idiom, start + 1)


def context_of(text: str, start: int, end: int, sentence: tuple[int, int] | None = None) -> str:
    """The sentence around [start, end), cut to about CONTEXT_CHARS characters centred on it, on one line."""
    if sentence is None:
        sentence = _Layout(text).sentence(start, end)
    left, right = sentence
    width = CONTEXT_CHARS
    prefix = suffix = ""
    if right - left > width:
        room = max(width - (end - start), 0)
        cut_left = max(left, start - room // 2)
        cut_right = min(right, max(end, cut_left + width))
        cut_left = max(left, min(cut_left, cut_right - width))
        prefix = "…" if cut_left > left else ""
        suffix = "…" if cut_right < right else ""
        left, right = cut_left, cut_right
    while left < start and (text[left].isspace() or (not prefix and text[left] in _CLOSING)):
        left += 1  # and the closing quote of the sentence before: ！”
    while right > end and text[right - 1].isspace():
        right -= 1
    return prefix + " ".join(text[left:right].split()) + suffix


def _real_date(year: int | None, month: int | None, day: int | None) -> bool:
    import datetime as dt

    if month is not None and not 1 <= month <= 12:
        return False
    try:
        dt.date(year if year is not None else 2000, month or 1, day or 1)  # 2000: a leap year, for 2月29日
    except ValueError:
        return False
    return year is None or 1900 <= year <= 2099


def _find_dates(layout: _Layout, mask: _Mask) -> list[Found]:
    text = layout.text
    found: list[Found] = []
    for match in _DATE_RE.finditer(text):
        year = _number(match.group("year"))
        month = _number(match.group("month")) if match.group("month") else None
        day = _number(match.group("day")) if match.group("day") else None
        if not _real_date(year, month, day):
            continue
        start = match.start()
        if match.group("year1"):
            first = _number(match.group("year1"))
            if _real_date(first, None, None):
                found.append(layout.found(DATE, *match.span("year1"), date=(first, None, None)))
            start = match.start("year")
        found.append(layout.found(DATE, start, match.end(), date=(year, month, day)))
        mask.add(*match.span())
    for match in _MONTH_DAY_RE.finditer(text):
        month, day = _number(match.group("month")), _number(match.group("day"))
        if not mask.overlaps(*match.span()) and _real_date(None, month, day):
            found.append(layout.found(DATE, *match.span(), date=(None, month, day)))
            mask.add(*match.span())
    return found


def _find_figures(layout: _Layout, mask: _Mask) -> list[Found]:
    text = layout.text
    found: list[Found] = []
    for match in _FIGURE_RE.finditer(text):
        start, end = match.span()
        if match.group("percent") is not None:
            prefix = match.group("pprefix")
            if prefix in NOT_A_PREFIX and start and text[start - 1] in NOT_A_PREFIX[prefix]:
                start += len(prefix)
        elif match.group("first") is None:
            prefix = match.group("prefix") or match.group("vague")
            if prefix in NOT_A_PREFIX and start and text[start - 1] in NOT_A_PREFIX[prefix]:
                start = match.start("number")  # 签约, 最近, 线上: part of a word, not a qualifier
                prefix = None
            if match.group("trail") and match.group("unit") not in TIME_UNITS:
                end = match.start("trail")  # 100人多次: the 多 belongs to 多次
            if prefix != "第":
                if match.group("unit") in ORDINAL_ONLY:
                    continue
                if re.fullmatch(r"一[余多]?", match.group("number")):
                    continue  # the indefinite article: 一个新台阶, 一家亲
            if match.group("unit") == "个" and text.startswith("多月", match.end("unit")):
                continue  # 两个多月: a duration the figure grammar cannot read
        if mask.overlaps(start, end):
            continue
        try:
            figure = parse_figure(unicodedata.normalize("NFKC", text[start:end]).replace(",", ""))
        except FigureError:
            continue
        kind = ORDINAL if figure.kind is StatKind.ORDINAL else QUANTITY
        found.append(layout.found(kind, start, end, figure=figure))
    return found


def find_dates(text: str) -> list[Found]:
    """Every date: 2024年9月20日, 2023年4月, 2010年, 2010-2025年 (two dates), 二〇二四年, 9月20日."""
    return sorted(_find_dates(_Layout(text), _Mask(len(text))), key=lambda item: item.start)


def find_all(text: str) -> list[Found]:
    """The figures and dates of a text, in text order; a date is never also a figure. English lines are read
    by coverage_en."""
    from shenka_cli.core.coverage_en import find_english

    layout, mask = _Layout(text), _Mask(len(text))
    dates = _find_dates(layout, mask)
    _mask_names_and_idioms(text, mask)
    figures = _find_figures(layout, mask)
    return sorted([*dates, *figures, *find_english(text, layout, mask)], key=lambda item: item.start)


# Matching against the fact base.
#
# A figure is covered by a fact when the fact holds it (a statistic with the same value, unit, qualifier and
# kind, or the same written form; a date at the same precision) AND the fact is about what the text says
# there: the fact cites this very text as its source (the text contains the source's title), or the words
# around the figure share a word with the matching statistic's label (for a date: the fact's title or
# summary). A word is a pair of adjacent Chinese characters or an English word of three letters or more;
# words common to many facts (喀什, 深圳, 援疆…) do not count. A fact that holds the number but agrees in
# nothing else is reported apart, as "same number in", and does not cover the figure.

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_ASCII_WORD = re.compile(r"[a-z]{3,}")
COMMON_SHARE = 0.15  # a word in more than this share of the facts (and at least 3) is too common to count
_DASHES = re.compile(r"[\s\-—–―]+")


def words(text: str) -> set[str]:
    """The words of a text: pairs of adjacent Chinese characters, and lowercase English words (3+ letters)."""
    found: set[str] = set()
    for run in _CJK_RUN.findall(text):
        found.update(run[index : index + 2] for index in range(len(run) - 1))
    found.update(_ASCII_WORD.findall(text.lower()))
    return found


def _fact_text(fact: Fact) -> str:
    return " ".join((fact.title, fact.title_en, fact.summary, fact.summary_en))


def common_words(facts: Sequence[Fact]) -> set[str]:
    """Words too common in these facts to show that a text and a fact speak of the same thing."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for fact in facts:
        counts.update(words(_fact_text(fact)))
    limit = max(3, COMMON_SHARE * len(facts))
    return {word for word, count in counts.items() if count > limit}


def sources_of_text(text: str, sources: Iterable[Any]) -> set[str]:
    """Ids of the sources this text is: its opening contains the source's title (spaces and dashes aside)."""
    opening = _DASHES.sub("", text[:2000])
    found = set()
    for source in sources:
        title = _DASHES.sub("", source.title)
        if len(title) >= 6 and title in opening:
            found.add(source.id)
    return found


def _same_figure(figure: ParsedFigure, written: str, stat) -> bool:
    if stat.kind is not figure.kind:
        return False
    if unicodedata.normalize("NFKC", "".join(stat.written.split())) == unicodedata.normalize(
        "NFKC", "".join(written.split())
    ):
        return True
    if figure.unit == "" and stat.qualifier is figure.qualifier and figure.qualifier is not Qualifier.RANGE:
        return same_number(stat.value, figure.value)  # English: the words after the number name the unit
    if stat.unit != figure.unit or stat.qualifier is not figure.qualifier:
        return False
    if figure.qualifier is Qualifier.RANGE:
        return same_number(stat.low, figure.low) and same_number(stat.high, figure.high)
    return same_number(stat.value, figure.value)


def _date_parts(when: When | None) -> list[tuple[int, int | None, int | None]]:
    if when is None:
        return []
    dates = [when.start, when.end] if isinstance(when, Period) else [when]
    return [(date.year, date.month, date.day) for date in dates if isinstance(date, FuzzyDate)]


def _fact_dates(fact: Fact) -> set[tuple[int, int | None, int | None]]:
    dates = set(_date_parts(fact.when))
    for stat in fact.stats:
        dates.update(_date_parts(stat.as_of))
    return dates


def _same_date(date: tuple[int | None, int | None, int | None], known: set[tuple[int, int | None, int | None]]):
    year, month, day = date
    if year is None:
        return any(other[1:] == (month, day) for other in known)
    return date in known


def _holders(item: Found, facts: Sequence[Fact], dates: list[set]) -> list[tuple[Fact, str]]:
    """The facts that hold a figure or date, each with the text its context must agree with."""
    if item.date is not None:
        return [
            (fact, _fact_text(fact)) for fact, known in zip(facts, dates, strict=True) if _same_date(item.date, known)
        ]
    assert item.figure is not None
    holders = []
    for fact in facts:
        labels = [f"{stat.label} {stat.label_en}" for stat in fact.stats if _same_figure(item.figure, item.text, stat)]
        if labels:
            holders.append((fact, " ".join(labels)))
    return holders


def cover(
    found: Iterable[Found],
    facts: Sequence[Fact],
    *,
    sources: Iterable[Any] = (),
    text: str = "",
    source_ids: Iterable[str] = (),
) -> list[Coverage]:
    """Each figure with the facts that cover it and, apart, the facts that only hold the same number.

    `source_ids` names sources the text is known to be (besides those whose title it opens with)."""
    facts = list(facts)
    dates = [_fact_dates(fact) for fact in facts]
    common = common_words(facts)
    own_sources = (sources_of_text(text, sources) if text else set()) | set(source_ids)
    result = []
    for item in found:
        around = words(item.context.replace(item.text, " ")) - common
        covered: list[str] = []
        same: list[str] = []
        for fact, about in _holders(item, facts, dates):
            agrees = any(citation.id in own_sources for citation in fact.sources) or bool(around & words(about))
            (covered if agrees else same).append(fact.id)
        result.append(Coverage(item, tuple(dict.fromkeys(covered)), tuple(dict.fromkeys(same))))
    return result


def coverage_record(entry: Coverage) -> dict[str, Any]:
    """One figure in the JSON contract of `shenka coverage`."""
    item, figure = entry.found, entry.found.figure
    return {
        "kind": item.kind,
        "text": item.text,
        "value": item.date_iso if figure is None else figure.value if figure.qualifier is not Qualifier.RANGE else None,
        "low": figure.low if figure else None,
        "high": figure.high if figure else None,
        "unit": figure.unit if figure else None,
        "qualifier": figure.qualifier.value if figure else None,
        "context": item.context,
        "line": item.line,
        "covered_by": list(entry.covered_by),
        "same_number_in": list(entry.same_number),
    }


def summary(entries: Sequence[Coverage]) -> tuple[int, int, int]:
    """(figures, covered, not covered)."""
    covered = sum(1 for entry in entries if entry.covered_by)
    return len(entries), covered, len(entries) - covered
