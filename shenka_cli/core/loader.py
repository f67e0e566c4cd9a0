"""Fact files → tomli → validation → model.

Each file is parsed on its own into a FileContent (its sectors, sources, facts and problems), which is a
pure function of the file's bytes and name, so it can be cached per file. Checks that span files
(duplicate ids, unknown sectors and sources) run afterwards, in `assemble`.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shenka_cli.core.errors import Problem
from shenka_cli.core.model import Fact, FactBase, Location, Sector, Source
from shenka_cli.core.paths import default_facts_dirs, fact_files
from shenka_cli.core.schema import read_fact, read_sector, read_source
from shenka_cli.text.safety import unsafe_characters

FULL_WIDTH_HINTS = {
    "＝": "＝ is a full-width equals sign typed with a Chinese input method; use =",
    "“": '“ ” are Chinese quotation marks; TOML strings need ASCII " quotes',
    "”": '“ ” are Chinese quotation marks; TOML strings need ASCII " quotes',
    "‘": "‘ ’ are Chinese quotation marks; TOML strings need ASCII ' or \" quotes",
    "［": "［ ］ are full-width brackets; use [ ]",
    "，": "， is a full-width comma; use ,",
    "：": "： is a full-width colon; TOML uses = between key and value",
}


@dataclass(frozen=True, slots=True)
class FileContent:
    path: str
    sectors: tuple[Sector, ...] = ()
    sources: tuple[Source, ...] = ()
    facts: tuple[Fact, ...] = ()
    problems: tuple[Problem, ...] = ()
    sector_lines: tuple[int | None, ...] = ()
    source_lines: tuple[int | None, ...] = ()


@dataclass(slots=True)
class LoadResult:
    base: FactBase
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


def decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a file (a byte-order mark is dropped), or the problem that prevents it."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, Problem(path, line, "the file contains NUL bytes: it is not a text file")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        try:
            data.decode("gb18030")
            hint = "the file looks like GBK/GB18030; save it as UTF-8"
        except UnicodeDecodeError:
            pass
        return None, Problem(
            path, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})", hint=hint
        )


def parse_toml(text: str, path: str) -> tuple[dict | None, Problem | None]:
    import tomli

    try:
        return tomli.loads(text), None
    except tomli.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        message = getattr(error, "msg", str(error))
        column = getattr(error, "colno", None)
        if column:
            message = f"{message} (column {column})"
        return None, Problem(path, line, f"TOML syntax error: {message}", hint=_syntax_hint(text, line))
    except RecursionError:
        return None, Problem(path, None, "the file nests arrays or tables too deeply to read")


def _syntax_hint(text: str, line: int | None) -> str | None:
    if line is None:
        return None
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', "", source_line)
    for char, hint in FULL_WIDTH_HINTS.items():
        if char in outside_strings:
            return hint
    return None


class LineIndex:
    """Finds the line of a [[table]] header or a key in the raw text (tomli does not report them).

    Header lines are found in one pass (every fact needs its line); key lines only when a problem asks.
    """

    HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z_.]+(?:[ \t]*\.[ \t]*[A-Za-z_]+)*)[ \t]*\]\]", re.MULTILINE)
    KEY = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)[ \t]*=", re.MULTILINE)

    def __init__(self, text: str) -> None:
        self.text = text
        self.headers: dict[str, list[int]] = {}
        self.all_headers: list[int] = []
        line, position = 1, 0
        for match in self.HEADER.finditer(text):
            line += text.count("\n", position, match.start())
            position = match.start()
            self.headers.setdefault(re.sub(r"\s", "", match.group(1)), []).append(line)
            self.all_headers.append(line)
        self.last_line = text.count("\n") + 1
        self._keys: dict[str, list[int]] | None = None

    def header(self, name: str, index: int, after: int = 0, before: int | None = None) -> int | None:
        lines = self.headers.get(name, [])
        position = bisect.bisect_right(lines, after) + index
        if position >= len(lines) or (before is not None and lines[position] >= before):
            return None
        return lines[position]

    def block_end(self, start: int) -> int:
        position = bisect.bisect_right(self.all_headers, start)
        return self.all_headers[position] if position < len(self.all_headers) else self.last_line + 1

    def key(self, name: str, start: int | None, end: int | None = None) -> int | None:
        """The first line after `start` and before `end` (default: the next header) that sets `name`."""
        if start is None:
            return None
        if self._keys is None:
            self._keys = {}
            line, position = 1, 0
            for match in self.KEY.finditer(self.text):
                line += self.text.count("\n", position, match.start())
                position = match.start()
                self._keys.setdefault(match.group(1), []).append(line)
        end = end if end is not None else self.block_end(start)
        lines = self._keys.get(name, [])
        position = bisect.bisect_right(lines, start)
        return lines[position] if position < len(lines) and lines[position] < end else start


def read_file_content(data: bytes, path: str) -> FileContent:
    """Parse and validate one file on its own."""
    text, problem = decode(data, path)
    if problem or text is None:
        return FileContent(path, problems=(problem,) if problem else ())
    document, problem = parse_toml(text, path)
    if problem or document is None:
        return FileContent(path, problems=(problem,) if problem else ())
    problems: list[Problem] = []
    lines = LineIndex(text)
    if not document:
        problems.append(Problem(path, None, "the file is empty: expected [[fact]], [[sector]] or [[source]] tables"))
        return FileContent(path, problems=tuple(problems))
    for key in document:
        if key not in ("fact", "sector", "source"):
            guess = difflib.get_close_matches(key, ["fact", "sector", "source"], n=1)
            problems.append(
                Problem(
                    path,
                    lines.key(key, 0),
                    f"unknown top-level key {key!r}; expected [[fact]], [[sector]] or [[source]]",
                    hint=f"did you mean [[{guess[0]}]]?" if guess else None,
                )
            )
    sectors, sector_lines = _read_tables(document, "sector", path, lines, read_sector, problems)
    sources, source_lines = _read_tables(document, "source", path, lines, read_source, problems)
    facts, _ = _read_tables(document, "fact", path, lines, read_fact, problems)
    warned = {problem.line for problem in problems if problem.warning}
    problems.extend(
        Problem(
            path,
            line,
            f"contains the invisible or control character {name}",
            hint="remove it; shenka shows it escaped",
            warning=True,
        )
        for line, name in unsafe_characters(text)
        if line not in warned
    )
    return FileContent(
        path, tuple(sectors), tuple(sources), tuple(facts), tuple(problems), tuple(sector_lines), tuple(source_lines)
    )


def _read_tables(document: dict, name: str, path: str, lines: LineIndex, reader, problems: list[Problem]):
    raw = document.get(name, [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        problems.append(Problem(path, lines.key(name, 0), f"{name!r} must be an array of tables, written [[{name}]]"))
        return [], []
    items, item_lines = [], []
    for index, table in enumerate(raw):
        line = lines.header(name, index)
        item = reader(table, path, line, lines, problems)
        if item is not None:
            items.append(item)
            item_lines.append(line)
    return items, item_lines


def read_path(path: Path) -> FileContent:
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileContent(
            str(path), problems=(Problem(str(path), None, f"cannot be read: {error.strerror or error}"),)
        )
    return read_file_content(data, str(path))


def assemble(contents: Iterable[FileContent], extra_problems: Iterable[Problem] = ()) -> LoadResult:
    """Join per-file contents into one fact base and run the checks that span files."""
    contents = list(contents)
    problems = list(extra_problems)
    sectors: dict[str, tuple[Sector, Location]] = {}
    sources: dict[str, tuple[Source, Location]] = {}
    facts: dict[str, Fact] = {}
    for content in contents:
        problems.extend(content.problems)
        for sector, line in zip(content.sectors, content.sector_lines, strict=True):
            _add_unique(sectors, sector.id, sector, Location(content.path, line or 0), "sector", problems)
        for source, line in zip(content.sources, content.source_lines, strict=True):
            _add_unique(sources, source.id, source, Location(content.path, line or 0), "source", problems)
    for content in contents:
        for fact in content.facts:
            if fact.id in facts:
                first = facts[fact.id].location
                problems.append(
                    Problem(
                        fact.location.path,
                        fact.location.line,
                        f"duplicate fact id, first defined at {first}",
                        fact=fact.id,
                        field="id",
                    )
                )
                continue
            facts[fact.id] = fact
            _check_references(fact, sectors, sources, problems)
    if not sectors:
        problems.append(Problem("(fact base)", None, "no [[sector]] tables found (expected a sectors.toml)"))
    if not sources:
        problems.append(Problem("(fact base)", None, "no [[source]] tables found (expected a sources.toml)"))
    base = FactBase(
        sectors=tuple(sector for sector, _ in sectors.values()),
        sources=tuple(source for source, _ in sources.values()),
        facts=tuple(facts.values()),
    )
    return LoadResult(base, problems, len(contents))


def _add_unique(registry: dict, key: str, item, location: Location, kind: str, problems: list[Problem]) -> None:
    if key in registry:
        problems.append(
            Problem(
                location.path,
                location.line or None,
                f"duplicate {kind} id {key!r}, first defined at {registry[key][1]}",
                field="id",
            )
        )
    else:
        registry[key] = (item, location)


def _check_references(fact: Fact, sectors: dict, sources: dict, problems: list[Problem]) -> None:
    where = fact.location
    if fact.sector not in sectors:
        problems.append(
            Problem(
                where.path,
                where.line,
                f"unknown sector {fact.sector!r}",
                fact=fact.id,
                field="sector",
                hint=_choices(fact.sector, sectors),
            )
        )
    source = sources.get(fact.source.id)
    if source is None:
        problems.append(
            Problem(
                where.path,
                where.line,
                f"unknown source {fact.source.id!r}",
                fact=fact.id,
                field="source.id",
                hint=_choices(fact.source.id, sources),
            )
        )
    elif source[0].sections and fact.source.section not in source[0].sections:
        problems.append(
            Problem(
                where.path,
                where.line,
                f"section {fact.source.section!r} is not a section of {source[0].id!r}",
                fact=fact.id,
                field="source.section",
                hint="one of: " + ", ".join(source[0].sections),
            )
        )


def _choices(value: str, known: dict) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    listing = ", ".join(sorted(known)) or "none defined"
    return f"did you mean {close[0]!r}? known: {listing}" if close else f"known: {listing}"


def load(paths: Sequence[Path] | None = None) -> LoadResult:
    """Load and validate the fact base from files and directories (default: SHENKA_FACTS or bundled)."""
    files, problems = fact_files(list(paths) if paths else default_facts_dirs())
    return assemble((read_path(path) for path in files), problems)
