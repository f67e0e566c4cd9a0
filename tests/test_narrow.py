"""Narrow terminals: in a pseudo-terminal 60, 80 and 120 columns wide, ids, dates, written figures and numbers
are never broken across lines, no line is wider than the terminal, and long titles wrap instead."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from shenka_cli.render.table import format_number
from shenka_cli.render.wrap import break_points, units
from shenka_cli.text.width import screen_width

from .conftest import as_seen

SHENKA = Path(sys.executable).parent / "shenka"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WIDTHS = (60, 80, 120)
INFERRED = {"zh": "推断", "en": "inferred"}


def in_terminal(width: int, *args: str) -> str:
    """What shenka shows on a terminal `width` columns wide (a pseudo-terminal, as `script` gives)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    env = {**os.environ, "COLUMNS": str(width), "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [str(SHENKA), *args], stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return ANSI.sub("", as_seen(b"".join(chunks).decode("utf-8"))).replace("\r", "")


def shown_when(iso: str | None, inferred: bool, lang: str) -> str | None:
    if not iso:
        return None
    text = " – ".join(iso.split("/"))
    return f"{text} ({INFERRED[lang]})" if inferred else text


def fact_tokens(command: list[str], lang: str, *, dates: bool = True) -> set[str]:
    records = json.loads(subprocess.run([str(SHENKA), *command, "--format", "json"], capture_output=True).stdout)
    tokens = set()
    for record in records:
        tokens.add(record["id"])
        period = record["period"]
        iso = record["date"] or (f"{period['start']}/{period['end']}" if period else None)
        if dates:
            tokens.add(shown_when(iso, record["date_inferred"], lang))
    return tokens - {None}


def stat_tokens(lang: str) -> set[str]:
    records = json.loads(subprocess.run([str(SHENKA), "stats", "--format", "json"], capture_output=True).stdout)
    tokens = set()
    for record in records:
        tokens |= {record["fact"], record["text"], shown_when(record["as_of"], record["as_of_inferred"], lang)}
        if lang == "zh":  # the number in base units; English writes the figure in words (below)
            for number in (record["value"], record["low"], record["high"]):
                if number is not None:
                    tokens.add(format_number(number))
    if lang == "en":
        from shenka_cli.core.loader import load
        from shenka_cli.present.figures import Units

        base = load().base
        tokens |= {Units(base.units).english_figure(stat) for stat in base.stats}
    return tokens - {None}


def assert_within(text: str, width: int) -> None:
    for line in text.splitlines():
        assert screen_width(line) <= width, line


@pytest.fixture(scope="module", autouse=True)
def needs_shenka():
    if not SHENKA.exists():
        pytest.skip("shenka is not installed beside the test interpreter")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stats_never_break_ids_figures_numbers_or_dates(width, lang):
    text = in_terminal(width, "--lang", lang, "stats")
    assert_within(text, width)
    missing = sorted(token for token in stat_tokens(lang) if token not in text)
    assert missing == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "command", [["timeline", "--undated"], ["sectors", "livelihood"], ["search", "喀什", "--limit", "0"]]
)
def test_fact_listings_never_break_ids_or_dates(width, lang, command):
    text = in_terminal(width, "--lang", lang, *command)
    assert_within(text, width)
    shows_dates = command[0] != "search"  # search shows ids and snippets, no dates
    missing = sorted(token for token in fact_tokens(command, lang, dates=shows_dates) if token not in text)
    assert missing == []


@pytest.mark.parametrize("width", WIDTHS)
def test_show_keeps_the_id_and_figures_and_wraps_the_summary(width):
    text = in_terminal(width, "show", "kashgar-light-journey-cataract")
    assert_within(text, width)
    for token in ("kashgar-light-journey-cataract", "990余名", "2023 – 2025 (推断)", "> 990"):
        assert token in text
    assert "“喀什光明行”" in text  # quotes stay with what they quote


def test_the_chinese_timeline_gives_the_title_the_room():
    text = in_terminal(120, "timeline")
    header = next(line for line in text.splitlines() if line.startswith("日期"))
    date_column = header.index("标题")
    title_column = header.index("领域") - date_column
    assert title_column > date_column
    assert "2010年以来深圳对口援疆喀什总体情况" in text  # a short title on one line


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("完成投资8.4亿元，带动1000余个项目", ["8.4亿元，", "1000余个"]),
        ("2024年9月20日晚，音乐剧首演", ["2024年9月20日"]),
        ("see kashgar-light-journey-cataract (inferred).", ["kashgar-light-journey-cataract", "(inferred)."]),
        ("深圳“光明行”为990余名群众做手术", ["“光", "990余名"]),
        ("2010 – 2025 (推断)", ["(推断)"]),
    ],
)
def test_units_are_never_split(text, whole):
    found = units(text)
    assert "".join(found) == text
    for unit in whole:
        assert unit in found
    for width in (8, 12, 20):
        lines = [text[start:end] for start, end in break_points(text, width)]
        assert all(screen_width(line) <= width for line in lines)
        for unit in whole:
            assert screen_width(unit) > width or any(unit in line for line in lines)
