"""The four renderers over hostile data: structure kept, data shown literally, nothing executed."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from shenka_cli.cli.console import render_to_text
from shenka_cli.present.document import Column, Document, Listing, Row, Span
from shenka_cli.render import Format, renderer
from shenka_cli.render.csv import render_csv
from shenka_cli.render.json import json_line, render_json
from shenka_cli.render.markdown import render_markdown
from shenka_cli.render.table import format_number, render_table
from shenka_cli.text.safety import visible

from .mdparse import markdown_blocks

LONG_CHINESE = (
    "深圳市对口支援新疆喀什地区以来累计投入援疆资金超过一百亿元实施援疆项目一千余个"
    "覆盖教育医疗产业就业基础设施和民生保障等多个领域惠及当地各族群众数以百万计"
)
HOSTILE = [
    "a|b||c",
    "back\\slash \\| and trailing\\",
    "line one\nline two",
    "windows\r\nline",
    "lone\rreturn",
    "`code` and ``more``",
    "<b>html</b> <br> <!-- comment -->",
    "[bold red]x[/]",
    "[link=http://example.com]y[/link]",
    ":smile:",
    "\x1b[31mred\x1b[0m",
    "\u202eevil",
    "C1 \x9b31m and DEL \x7f and \u2028 separator",
    "*em* _under_ **strong** ~~strike~~ ~tilde~",
    "&amp; &lt; & 5 &#42;",
    "# not a heading",
    "1. not a list",
    "- not a bullet",
    "  padded\t ",
    "![image](x.png) [link](http://example.com) <https://example.com>",
    "$x^2$ {braces} (parens) +plus !bang",
    "=SUM(A1)",
    "\ttabbed",
    "",
    LONG_CHINESE,
]
NUMBERS = [0, 1000, 840_000_000, -5, 1.5, 2.0, 0.1 + 0.2, 1e-9, None]

COLUMNS = (
    Column("id", "ID"),
    Column("amount", "Amount", numeric=True),
    Column("text", "Text | with *stars*"),
)


def hostile_rows() -> tuple[Row, ...]:
    """One row per hostile string, with a number beside it."""
    return tuple(
        Row({"id": f"r{index}", "amount": NUMBERS[index % len(NUMBERS)], "text": text})
        for index, text in enumerate(HOSTILE)
    )


def hostile_document() -> Document:
    """Listings covering titles, groups, an empty listing and notes, all with hostile text."""
    grouped = (
        Row({"id": "g1", "amount": 2019, "text": "first"}, group="2019 <i>year</i>"),
        Row({"id": "g2", "amount": 7, "text": "[red]second[/]"}, group="2019 <i>year</i>"),
        Row({"id": "g3", "amount": None, "text": "third\nline"}, group="2020 | 深圳"),
        Row({"id": "g4", "amount": -1.25, "text": None}, group=None),
    )
    return Document(
        listings=(
            Listing(
                "Facts [bold]title[/] # *x* 1. \x1b[2J", COLUMNS, hostile_rows(), note="Note: `a` | *b*\nnext \u202e"
            ),
            Listing("By year", COLUMNS, grouped),
            Listing(None, COLUMNS, (), empty_message="nothing [here] _at all_"),
            Listing("  Untitled  ", (Column("n", "N", numeric=True),), (Row({"n": 3}),)),
        ),
        records=[{"id": "r1", "text": "\x1b[31mred\x1b[0m", "nested": {"z": 1, "a": [1.5, None, "\u202e"]}}],
    )


# --- format_number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (840_000_000, "840,000,000"),
        (0, "0"),
        (-5, "-5"),
        (1.5, "1.5"),
        (2.0, "2"),
        (0.1 + 0.2, "0.3"),
        (1234567.891, "1,234,567.891"),
        (3.14159265, "3.141593"),
        (-1.25, "-1.25"),
        (-0.0, "0"),
        (1e-9, "1e-09"),
        (None, ""),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


# --- Markdown ---------------------------------------------------------------------------------------


def _cell(value) -> str:
    """What a Markdown cell should read as."""
    if value is None or isinstance(value, int | float):
        return format_number(value)
    return visible(value.replace("\r\n", "\n").replace("\r", "\n"))


def _line(text: str) -> str:
    """What a heading or paragraph should read as."""
    return visible(text.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))


def _expected_table(listing: Listing, rows) -> tuple[str, list[list[str]]]:
    header = [_line(column.header) for column in listing.columns]
    return ("table", [header] + [[_cell(row.cells.get(column.key)) for column in listing.columns] for row in rows])


def test_markdown_shows_every_cell_literally_and_keeps_structure():
    document = hostile_document()
    hostile, grouped, empty, untitled = document.listings
    rows = grouped.rows
    expected = [
        ("h2", _line(hostile.title)),
        _expected_table(hostile, hostile.rows),
        ("p", _line(hostile.note)),
        ("h2", "By year"),
        ("h3", "2019 <i>year</i>"),
        _expected_table(grouped, rows[:2]),
        ("h3", "2020 | 深圳"),
        _expected_table(grouped, rows[2:3]),
        _expected_table(grouped, rows[3:]),
        ("p", _line(empty.empty_message)),
        ("h2", "  Untitled  "),
        ("table", [["N"], ["3"]]),
    ]
    assert markdown_blocks(render_markdown(document)) == expected


def test_markdown_table_layout():
    markdown = render_markdown(hostile_document())
    assert "| --- | ---: | --- |" in markdown
    assert "| ---: |" in markdown
    assert "\x1b" not in markdown and "\u202e" not in markdown and "\r" not in markdown
    assert "&amp;amp;" in markdown
    assert markdown.endswith("|\n")
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)  # a data pipe is always escaped
            assert len(cells) == len(COLUMNS) + 2 or len(cells) == 3


def test_markdown_escapes_pipes_after_backslashes():
    document = Document((Listing(None, (Column("a", "A"), Column("b", "B")), (Row({"a": "x\\|y\\", "b": "|"}),)),))
    assert markdown_blocks(render_markdown(document)) == [("table", [["A", "B"], ["x\\|y\\", "|"]])]


def test_markdown_empty_document():
    assert render_markdown(Document(())) == ""


def test_markdown_is_written_as_its_rows_are_read():
    from shenka_cli.present.document import LazyRows
    from shenka_cli.render.markdown import stream_markdown

    columns = (Column("id", "ID"), Column("n", "N", numeric=True))
    grouped = [Row({"id": "a", "n": 1}, group="2024"), Row({"id": "b", "n": 2}, group="2024"), Row({"id": "c"})]
    read: list[str] = []

    def rows():
        for row in grouped:
            read.append(row.cells["id"])
            yield row

    document = Document((Listing("Facts", columns, LazyRows(rows), note="a note"), Listing(None, columns, ())))
    stream = stream_markdown(document)
    assert next(stream) == "## Facts"
    read.clear()
    assert [next(stream) for _ in range(4)] == ["\n\n### 2024", "\n\n| ID | N |", "\n| --- | ---: |", "\n| a | 1 |"]
    assert set(read) == {"a"}  # written before the rows after it are read (truth peeks at the first)
    rest = "".join(stream)
    whole = render_markdown(document)
    assert "## Facts\n\n### 2024\n\n| ID | N |\n| --- | ---: |\n| a | 1 |" + rest == whole
    assert [kind for kind, _ in markdown_blocks(whole)] == ["h2", "h3", "table", "table", "p", "p"]


# --- CSV ----------------------------------------------------------------------------------------------


def test_csv_header_is_column_keys_and_rows_are_in_order():
    document = hostile_document()
    text = render_csv(document)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "amount", "text"]
    assert [row[0] for row in rows[1:]] == [f"r{index}" for index in range(len(HOSTILE))]
    assert all(len(row) == 3 for row in rows)
    assert not text.startswith("\ufeff")
    assert "\r" not in text  # lines end with \n; carriage returns in data are escaped


def test_csv_numbers_stay_numbers():
    listing = Listing(
        None,
        (Column("n", "N", numeric=True), Column("t", "T")),
        (
            Row({"n": 1000, "t": "-x"}),
            Row({"n": -5, "t": "=SUM(A1)"}),
            Row({"n": 1.5, "t": "+1"}),
            Row({"n": 1e-7, "t": "@cmd"}),
            Row({"n": 1e16, "t": "\tTAB"}),
            Row({"n": None, "t": "\rCR"}),
            Row({"n": 0.1 + 0.2, "t": "-5"}),
            Row({"n": "-text in a numeric column", "t": None}),
        ),
    )
    rows = list(csv.reader(io.StringIO(render_csv(Document((listing,))))))
    assert rows[1:] == [
        ["1000", "'-x"],
        ["-5", "'=SUM(A1)"],
        ["1.5", "'+1"],
        ["0.0000001", "'@cmd"],
        ["10000000000000000", "'\tTAB"],
        ["", "\\x0dCR"],
        ["0.30000000000000004", "'-5"],
        ["'-text in a numeric column", ""],
    ]


def test_csv_text_is_visible_and_keeps_newlines():
    rows = list(csv.reader(io.StringIO(render_csv(hostile_document()))))
    texts = [row[2] for row in rows[1:]]
    assert texts[HOSTILE.index("\x1b[31mred\x1b[0m")] == "\\x1b[31mred\\x1b[0m"
    assert texts[HOSTILE.index("\u202eevil")] == "\\u202eevil"
    assert texts[HOSTILE.index("line one\nline two")] == "line one\nline two"
    assert texts[HOSTILE.index("a|b||c")] == "a|b||c"
    assert texts[HOSTILE.index(LONG_CHINESE)] == LONG_CHINESE
    assert not any("\x1b" in text or "\u202e" in text or "\x9b" in text for text in texts)


def test_csv_writes_the_primary_listing():
    first = Listing(None, (Column("a", "A"),), (Row({"a": "first"}),))
    second = Listing(None, (Column("b", "B"),), (Row({"b": "second"}),))
    assert render_csv(Document((first, second), primary=1)) == "b\nsecond\n"
    assert render_csv(Document((Listing(None, (Column("a", "A"),), ()),))) == "a\n"


# --- JSON ---------------------------------------------------------------------------------------------


def test_json_is_the_records_exactly():
    document = hostile_document()
    text = render_json(document)
    assert text.endswith("}\n]\n")
    assert json.loads(text) == document.json_records()
    assert list(json.loads(text)[0]) == ["id", "text", "nested"]
    assert list(json.loads(text)[0]["nested"]) == ["z", "a"]


def test_json_escapes_what_a_terminal_would_act_on():
    records = [{"text": "\x1b[31m \x9b31m \x7f \u202eevil \u2028 深圳", HOSTILE[0]: HOSTILE}]
    text = render_json(Document((), records=records))
    assert json.loads(text) == records
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e\u2028]", text)
    assert "深圳" in text and "\\u202e" in text and "\\u009b" in text


def test_json_copies_stored_records_and_builds_the_others_in_any_mix():
    """Records the store kept (bytes) are joined a block at a time; a block with a record built as a dict is written
    record by record: either way the same array."""
    built = [{"id": f"f{n}", "text": "深圳 \u202e", "n": n} for n in range(600)]
    stored = [json_line(record).encode() for record in built]
    mixed = [record if n % 257 else built[n] for n, record in enumerate(stored)]
    expected = render_json(Document((), records=built))
    for records in (stored, mixed):
        assert render_json(Document((), records=lambda records=records: iter(records))) == expected
    assert json.loads(expected) == built


# --- table ----------------------------------------------------------------------------------------------

BOX_AND_SPACE = re.compile(r"[\s\u2500-\u257f]")


def test_table_shows_data_literally():
    output = render_to_text(render_table(hostile_document()), width=60)
    assert "\x1b" not in output and "\u202e" not in output and "\x9b" not in output
    assert "…" not in output
    for literal in ("[bold red]x[/]", "[link=http://example.com]y[/link]", ":smile:", "<b>html</b>", "\\u202eevil"):
        assert literal in output
    assert "\\x1b[31mred\\x1b[0m" in output
    assert "Facts [bold]title[/] # *x* 1. \\x1b[2J" in output
    assert "840,000,000" in output
    assert "nothing [here] _at all_" in output
    assert "Note: `a` | *b*" in output


def test_table_wraps_long_chinese_text_without_truncating():
    columns = (Column("id", "ID"), Column("amount", "Amount", numeric=True), Column("text", "Text"))
    listing = Listing("长文", columns, (Row({"id": "r1", "amount": 840_000_000, "text": LONG_CHINESE}),))
    output = render_to_text(render_table(Document((listing,))), width=60)
    from rich.cells import cell_len

    assert all(cell_len(line) <= 60 for line in output.splitlines())
    assert len([line for line in output.splitlines() if line.strip()]) > 4  # wrapped over several lines
    assert LONG_CHINESE in BOX_AND_SPACE.sub("", output)
    assert "…" not in output


def test_table_groups_print_as_headings():
    output = render_to_text(render_table(hostile_document()), width=80)
    lines = [line.strip() for line in output.splitlines()]
    assert "2019 <i>year</i>" in lines
    assert "2020 | 深圳" in lines
    assert lines.index("2019 <i>year</i>") < lines.index("2020 | 深圳")


def test_table_highlights_map_through_escapes():
    columns = (Column("text", "Text"),)
    value = "\x1b[2Jab深圳cd"
    row = Row({"text": value}, highlights=(Span("text", 4, 8), Span("text", 100, 200)))
    output = render_to_text(render_table(Document((Listing(None, columns, (row,)),))), width=60, color=True)
    assert "\x1b[" in output and "7m" in output
    highlighted = re.findall(r"\x1b\[[0-9;]*7m(.*?)\x1b\[0m", output)
    assert highlighted == ["ab深圳"]
    assert "\\x1b[2J" in output
    assert "\x1b[2J" not in output  # the escape sequence from the data is never emitted raw


def test_table_empty_document_and_numbers():
    assert render_to_text(render_table(Document(())), width=60) == ""
    listing = Listing(None, (Column("n", "N", numeric=True),), (Row({"n": 1234.5}), Row({"n": None})))
    output = render_to_text(render_table(Document((listing,))), width=60)
    assert "1,234.5" in output


# --- registry and imports ---------------------------------------------------------------------------------


def test_registry_finds_each_renderer():
    assert renderer(Format.TABLE) is render_table
    assert renderer(Format.MARKDOWN) is render_markdown
    assert renderer(Format.CSV) is render_csv
    assert renderer(Format.JSON) is render_json


def test_text_renderers_do_not_import_rich():
    code = (
        "import sys\n"
        "import shenka_cli.render.markdown, shenka_cli.render.csv, shenka_cli.render.json\n"
        "sys.exit(any(name == 'rich' or name.startswith('rich.') for name in sys.modules))\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


SCREEN_WIDTHS = [
    ("喀什 Kashgar", 12),
    ("ＢＹＤ", 6),
    ("e\u0301", 1),  # a combining accent takes no column
    ("𠀀x", 3),
    ("—“”", 3),
    ("😀", 2),
    ("👍🏽", 2),  # a skin-tone modifier joins the emoji
    ("a\u200bb", 2),  # zero-width space
    ("\u202eabc", 3),  # a bidirectional override
    ("\u3000", 2),  # the ideographic space is wide
    ("ｱ①Ⅻ〇", 5),
    (LONG_CHINESE, 2 * len(LONG_CHINESE)),
]


@pytest.mark.parametrize(("text", "width"), SCREEN_WIDTHS)
def test_screen_width_agrees_with_what_rich_draws(text, width):
    from rich.cells import cell_len

    from shenka_cli.text.width import screen_width

    assert screen_width(text) == cell_len(text) == width


def test_screen_width_of_joined_emoji_and_the_soft_hyphen():
    """Rich's own answer for these changed between its versions (13.8 and 15): shenka keeps the newer one."""
    from shenka_cli.text.width import screen_width

    assert screen_width("👨\u200d👩\u200d👧") == 2  # one picture through zero-width joiners
    assert screen_width("\u00ad") == 1


def test_plain_tables_align_by_screen_width_one_line_per_row():
    from shenka_cli.render.plain import render_plain

    listing = Listing(
        "T",
        (Column("a", "A"), Column("n", "N", numeric=True)),
        (Row({"a": "喀什\n市", "n": 1000}), Row({"a": "x", "n": 5})),
    )
    lines = render_plain(Document((listing,))).splitlines()
    assert lines == ["T", "A" + " " * 12 + "N", "-------  -----", "喀什 市  1,000", "x" + " " * 12 + "5"]


# Markdown people can paste: only what would change the meaning is escaped.

ORDINARY = [
    "aid-programme-since-2010",
    "kashgar-light-journey-cataract",
    "8.4亿元",
    "1,000",
    "1000余个",
    "7-10天",
    "7~10天",
    "2024-08-09",
    "2010 – 2025 (推断)",
    "2010 – 2025 (inferred).",
    "title_en",
    "as_of_inferred",
    "R&D, Q&A: yes! (no?) {a} #3 +5 100% a.b e.g. 5.5",
    "深圳（喀什）——“光明行”。",
    "C++ and 1 + 1 = 2",
    "https://example.com/a_b",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_passes_unescaped(text):
    document = Document((Listing(text, (Column("a", text),), (Row({"a": text}),), note=text),))
    markdown = render_markdown(document)
    assert "\\" not in markdown
    assert markdown_blocks(markdown) == [("h2", text), ("table", [[text], [text]]), ("p", text)]


@pytest.mark.parametrize(
    "text",
    [
        "- item",
        "+ item",
        "1. first",
        "2024) year",
        "# heading",
        "###### six",
        "> quote",
        "---",
        "- - -",
        "title #",
        "_x_",
        "*x*",
        "`x`",
        "<b>x</b>",
        "[x](y)",
        "![x](y)",
        "~x~",
        "$x$",
        "&amp;",
        "&#32;",
        "a\\",
        "a\\-b",
        "x|y",
    ],
)
def test_what_would_change_the_meaning_is_escaped_and_parses_back(text):
    document = Document((Listing(text, (Column("a", text),), (Row({"a": text}),), note=text),))
    assert markdown_blocks(render_markdown(document)) == [("h2", text), ("table", [[text], [text]]), ("p", text)]


def test_real_exports_read_as_written(run):
    markdown = (
        run("timeline", "--format", "markdown").stdout + run("sectors", "livelihood", "--format", "markdown").stdout
    )
    for escaped in ("\\-", "\\.", "\\(", "\\)", "title\\_en"):
        assert escaped not in markdown
    assert "aid-programme-since-2010" in markdown and "2010 – 2025 (推断)" in markdown


@pytest.mark.parametrize("unsafe", [None, *HOSTILE])
def test_csv_and_plain_rows_are_made_visible_a_block_at_a_time_as_cell_by_cell(unsafe):
    """Blocks of rows whose text needs no escape go out as they are; a block with one hostile cell (at any place in
    it) gives what each cell made visible on its own gives."""
    from shenka_cli.render.csv import BLOCK, csv_cell
    from shenka_cli.render.plain import render_plain
    from shenka_cli.text.safety import visible_line

    columns = (Column("n", "N", numeric=True), Column("t", "T"), Column("u", "U"))
    cells = [{"n": index, "t": f"喀什 {index}", "u": None if index % 3 else "=x"} for index in range(BLOCK + 50)]
    if unsafe is not None:
        cells[BLOCK + 7]["t"] = cells[5]["u"] = unsafe
    document = Document((Listing(None, columns, tuple(Row(cell) for cell in cells)),))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["n", "t", "u"], *([csv_cell(c[k]) for k in "ntu"] for c in cells)])
    assert render_csv(document) == out.getvalue()
    shown = [{key: visible_line(value) if isinstance(value, str) else value for key, value in c.items()} for c in cells]
    seen = Document((Listing(None, columns, tuple(Row(cell) for cell in shown)),))
    assert render_plain(document) == render_plain(seen)


def test_screen_width_is_the_same_measured_first_or_again():
    from shenka_cli.text import width

    texts = [text for text, _ in SCREEN_WIDTHS] + ["喀什\u200d市", "新疆\u0301"]
    width._widths.clear()
    first = [width.screen_width(text) for text in texts]
    assert [width.screen_width(text) for text in texts] == first
    assert first[: len(SCREEN_WIDTHS)] == [expected for _, expected in SCREEN_WIDTHS]


def test_every_character_measured_without_a_look_is_wide_and_three_bytes():
    """screen_width's quick measure holds only if each character its pattern lets through is what it assumes."""
    from shenka_cli.text import width

    allowed = width._ASCII_WIDE_OR_QUOTES
    for code in range(0x80, 0x10000):
        char = chr(code)
        if 0xD800 <= code < 0xE000 or not allowed.fullmatch(char):
            continue
        assert len(char.encode()) == 3, hex(code)
        quote = char in width._NARROW_QUOTES
        assert width._char_width(char) == (1 if quote else 2), hex(code)
        assert bool(width._ASCII_OR_WIDE.fullmatch(char)) is not quote, hex(code)


def test_screen_width_measured_quickly_is_the_sum_of_its_characters():
    import random

    from shenka_cli.text import width

    pool = "abc 12,.~" + "喀什深圳援疆。、，（）「」【】　！～ｱかカ한" + width._NARROW_QUOTES + "ā·é\u0301\u200b"
    generator = random.Random(7)
    for _ in range(2000):
        text = "".join(generator.choices(pool, k=generator.randint(1, 30)))
        assert width.screen_width(text) == sum(width._char_width(char) for char in text), text
