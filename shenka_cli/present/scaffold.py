"""The skeleton `shenka new` prints: a [[fact]] with every field, commented with its allowed values (or a
gazetteer entry: `shenka new place`).

The placeholders are non-empty text, and the source is a real source of the fact base, so the skeleton
is a valid fact as it stands (facts/README.md is the reference for the fields); a curator replaces the
待填写/TODO values and uncomments the optional fields the source supports. No I/O here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from shenka_cli.core.figures import ParsedFigure
from shenka_cli.core.model import EntityCategory, Qualifier, Sector, Source
from shenka_cli.text.width import screen_width

DEFAULT_ID = "new-fact"
COMMENT_COLUMN = 36
PLACEHOLDER_SECTION = "待填写：章节"
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):  # pragma: no cover - parse_figure gives finite numbers
        raise ValueError(value)
    return repr(value)


def free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or wanted-2, wanted-3…, whichever is not taken yet."""
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def _line(code: str, comment: str | None = None) -> str:
    if comment is None:
        return code
    padding = max(COMMENT_COLUMN - screen_width(code), 1)
    return f"{code}{' ' * padding}# {comment}"


def _wrapped(lead: str, items: Sequence[str], width: int = 100) -> list[str]:
    """Comment lines listing items, wrapped at about `width` columns."""
    if not items:
        return []
    lines, current = [], lead
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if current != lead and screen_width(current) + 1 + screen_width(piece) > width:
            lines.append(current.rstrip())
            current = "#   "
        current += ("" if current.endswith((" ", "#   ")) else " ") + piece
    lines.append(current)
    return lines


def _source_lines(sources: Sequence[Source], limit: int = 10) -> list[str]:
    """One comment per source: its id and its sections (section names quoted, so nothing in them can break TOML)."""
    lines = []
    for source in sources[:limit]:
        sections = [toml_string(section.id) for section in source.sections]
        lines += _wrapped(f"# source {source.id}: sections ", sections or ["any text"])
    if len(sources) > limit:
        lines.append(
            f"# … and {len(sources) - limit} more sources (shenka validate lists them when a reference is wrong)"
        )
    return lines


QUALIFIERS = "exact | more_than (余, 多, 逾, 超, 上万) | about (约, 近, 左右) | less_than (不到, 不足) | range"


def stat_lines(text: str, figure: ParsedFigure) -> list[str]:
    """One [[fact.stat]] filled in from a written figure."""
    lines = [
        _line("[[fact.stat]]", "a statistic of this fact; add more [[fact.stat]] tables for more figures"),
        _line('label = "待填写：统计项"', "required: what is counted, in Chinese"),
        _line('label_en = "TODO: statistic"', "required: the same in English"),
        _line(f"text = {toml_string(text)}", "required: the figure exactly as the source writes it"),
    ]
    if figure.qualifier is Qualifier.RANGE:
        assert figure.low is not None and figure.high is not None
        lines += [
            _line(f"low = {toml_number(figure.low)}", "a range: its low end, in base units"),
            _line(f"high = {toml_number(figure.high)}", "and its high end"),
        ]
    else:
        assert figure.value is not None
        lines.append(_line(f"value = {toml_number(figure.value)}", "the number in base units (8.4亿元 → 840000000)"))
    lines += [
        _line(f"unit = {toml_string(figure.unit)}", "required: the measure word (名 and 位 are stored as 人)"),
        _line(f'qualifier = "{figure.qualifier.value}"', QUALIFIERS),
        _line(f'kind = "{figure.kind.value}"', "quantity | ordinal (第十一批, 第四届, 首届, 70周年)"),
        _line('# as_of = "2025"', "optional: the date or period the figure holds for; default: the fact's"),
        _line('# as_of_inferred = "…"', "optional: why, when as_of was worked out from 目前, 截至目前…"),
    ]
    return lines


def _stat_example() -> list[str]:
    return [
        "# Statistics: zero or more; `shenka new --from-figure 8.4亿元` fills one in. For example:",
        "# [[fact.stat]]",
        '# label = "完成投资"                  # required: what is counted, in Chinese',
        '# label_en = "Investment completed"   # required: the same in English',
        '# text = "8.4亿元"                    # required: the figure exactly as the source writes it',
        "# value = 840000000                  # the number in base units; a range has low and high instead",
        '# unit = "元"                         # required: the measure word (名 and 位 are stored as 人)',
        '# qualifier = "exact"                # ' + QUALIFIERS,
        '# kind = "quantity"                  # quantity | ordinal (第十一批, 第四届, 首届, 70周年)',
        '# as_of = "2025"                     # optional: the date or period the figure holds for',
    ]


def fact_skeleton(
    fact_id: str,
    sector: str,
    sectors: Sequence[Sector],
    sources: Sequence[Source],
    tags_in_use: Sequence[str] = (),
    figure: tuple[str, ParsedFigure] | None = None,
) -> str:
    """The commented skeleton of one fact (ending with a newline); valid TOML and a valid fact as it stands."""
    source = sources[0] if sources else None
    source_id = source.id if source else "待填写"
    section = source.sections[0].id if source and source.sections else PLACEHOLDER_SECTION
    lines = [
        "# New fact: replace every 待填写/TODO value, uncomment the optional fields the source supports,",
        "# then run `shenka validate`. Field reference: facts/README.md.",
        "[[fact]]",
        _line(f"id = {toml_string(fact_id)}", "required: a slug (a-z, 0-9, -), unique across all fact files"),
        _line(f"sector = {toml_string(sector)}", "required: one of " + ", ".join(s.id for s in sectors)),
        _line('title = "待填写：标题"', "required: the title, in Chinese"),
        _line('title_en = "TODO: title"', "required: the title in English"),
        _line('summary = "待填写：摘要"', "required: what the source says, in Chinese"),
        _line('summary_en = "TODO: summary"', "required: the same in English"),
        _line('# date = "2025"', 'optional: "YYYY", "YYYY-MM" or "YYYY-MM-DD", as precise as the source'),
        _line('# date_inferred = "…"', "optional: why, when the date comes from 今年, 截至目前, 近年来…"),
        _line('# period = { start = "2010", end = "2025" }', "optional, instead of date; start_inferred/end_inferred"),
        _line('# as_of = "2025"', "optional, instead of date or period: holds as of (近年来, 截至目前)"),
        _line("places = []", 'optional: place ids or names, e.g. ["kashgar-city"] or ["喀什市"]'),
        _line("organisations = []", "optional: organisations named"),
        _line("people = []", "optional: people named"),
        _line("tags = []", "optional: lowercase slugs, e.g. first, medicine (see the tags in use below)"),
        _line(
            f"source = {{ id = {toml_string(source_id)}, section = {toml_string(section)} }}",
            "required: a source id and one of its sections",
        ),
        *_wrapped("# tags in use: ", list(tags_in_use)),
        *_source_lines(sources),
    ]
    if figure is not None:
        lines += ["", *stat_lines(*figure)]
    else:
        lines += ["", *_stat_example()]
    return "\n".join(lines) + "\n"


# Gazetteer entries: `shenka new place|organisation|person`.

ENTITY_LEADS = {
    EntityCategory.PLACE: "the place containing it",
    EntityCategory.ORGANISATION: "the place it is based in",
}


def entity_skeleton(
    category: EntityCategory, entity_id: str, within: str | None = None, kinds_in_use: Sequence[str] = ()
) -> str:
    """The commented skeleton of one [[place]], [[organisation]] or [[person]] (ending with a newline).

    Its placeholder names hold the id, so two new entries never claim the same name: `shenka validate` reports
    only the placeholders still to fill in.
    """
    what = category.value
    lines = [
        f"# New {what}: replace every 待填写/TODO value (or remove an optional field), then run `shenka validate`.",
        "# Format: facts/README.md, Gazetteer. Facts name it by its id or by any of its names and aliases.",
        f"[[{what}]]",
        _line(f"id = {toml_string(entity_id)}", f"required: a slug (a-z, 0-9, -), unique among the {category.plural}"),
        _line(f"name = {toml_string(f'待填写：{entity_id}的中文名称')}", "required: the Chinese name, as written"),
        _line(
            f"name_en = {toml_string(f'TODO: English name of {entity_id}')}",
            "required: official English name, else the press's form, else pinyin",
        ),
        _line("aliases = []", "optional: pinyin, other romanisations, short and long forms: 塔县, Tashkurgan"),
    ]
    if category is EntityCategory.PLACE:
        from shenka_cli.core.schema_tables import PLACE_KINDS

        lines.append(_line('kind = "TODO: kind"', "required: " + ", ".join(PLACE_KINDS)))
    elif category is EntityCategory.ORGANISATION:
        lines.append(_line('kind = "TODO: kind"', "optional: free text, English, lowercase, e.g. company, hospital"))
        lines += _wrapped("# kinds in use: ", [toml_string(kind) for kind in kinds_in_use])
    else:
        lines += [
            _line(f"description = {toml_string(f'待填写：{entity_id}是谁')}", "optional: who this is, in Chinese"),
            _line(f"description_en = {toml_string(f'TODO: who {entity_id} is')}", "optional: the same in English"),
        ]
    if category in ENTITY_LEADS:
        key = "within" if category is EntityCategory.PLACE else "based_in"
        comment = f"optional: {ENTITY_LEADS[category]}, a place id (shenka places lists them)"
        if within is not None:
            lines.append(_line(f"{key} = {toml_string(within)}", comment))
        else:
            lines.append(_line(f'# {key} = "kashgar-prefecture"', comment))
    return "\n".join(lines) + "\n"
