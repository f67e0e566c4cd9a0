"""Fact files → tomli → validation → model.

Each file is parsed on its own into a FileContent (its sectors, sources, facts and problems), which is a
pure function of the file's bytes and name, so it can be cached per file. Checks that span files
(duplicate ids, unknown sectors and sources) run afterwards, in `assemble`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from shenka_cli.core.errors import Problem, errors_only
from shenka_cli.core.lines import LineIndex
from shenka_cli.core.model import Entity, EntityCategory, Fact, FactBase, Location, Measure, Sector, Source, Unit
from shenka_cli.core.paths import default_facts_dirs, default_files, fact_files
from shenka_cli.core.schema import read_fact, read_sector
from shenka_cli.core.schema_tables import entity_reader, read_measure, read_source, read_unit
from shenka_cli.text.safety import unsafe_characters
from shenka_cli.text.suggest import closest

if TYPE_CHECKING:
    from shenka_cli.core.gazetteer import Gazetteer

FULL_WIDTH_HINTS = {
    "＝": "＝ is a full-width equals sign typed with a Chinese input method; use =",
    "“": '“ ” are Chinese quotation marks; TOML strings need ASCII " quotes',
    "”": '“ ” are Chinese quotation marks; TOML strings need ASCII " quotes',
    "‘": "‘ ’ are Chinese quotation marks; TOML strings need ASCII ' or \" quotes",
    "［": "［ ］ are full-width brackets; use [ ]",
    "，": "， is a full-width comma; use ,",
    "：": "： is a full-width colon; TOML uses = between key and value",
}


TABLES = ("sector", "source", "place", "organisation", "person", "unit", "measure", "fact")
READERS = {
    "sector": read_sector,
    "source": read_source,
    "place": entity_reader(EntityCategory.PLACE),
    "organisation": entity_reader(EntityCategory.ORGANISATION),
    "person": entity_reader(EntityCategory.PERSON),
    "unit": read_unit,
    "measure": read_measure,
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
    entities: tuple[Entity, ...] = ()
    units: tuple[Unit, ...] = ()
    unit_lines: tuple[int | None, ...] = ()
    measures: tuple[Measure, ...] = ()
    measure_lines: tuple[int | None, ...] = ()


@dataclass(slots=True)
class LoadResult:
    base: FactBase
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)


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
        if key not in TABLES:
            guess = closest(key, TABLES)
            problems.append(
                Problem(
                    path,
                    lines.key(key, 0),
                    f"unknown top-level key {key!r}; expected [[fact]], [[sector]], [[source]], [[place]], "
                    "[[organisation]], [[person]], [[unit]] or [[measure]]",
                    hint=f"did you mean [[{guess[0]}]]?" if guess else None,
                )
            )
    read = {name: _read_tables(document, name, path, lines, reader, problems) for name, reader in READERS.items()}
    facts, _ = _read_tables(document, "fact", path, lines, read_fact, problems)
    entities = tuple(entity for name in ("place", "organisation", "person") for entity in read[name][0])
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
        path,
        tuple(read["sector"][0]),
        tuple(read["source"][0]),
        tuple(facts),
        tuple(problems),
        tuple(read["sector"][1]),
        tuple(read["source"][1]),
        entities,
        tuple(read["unit"][0]),
        tuple(read["unit"][1]),
        tuple(read["measure"][0]),
        tuple(read["measure"][1]),
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
        return _unreadable(path, error)
    return read_file_content(data, str(path))


def _unreadable(path: Path, error: OSError) -> FileContent:
    return FileContent(str(path), problems=(Problem(str(path), None, f"cannot be read: {error.strerror or error}"),))


PARALLEL_BYTES = 2_000_000  # less than this is not worth starting workers for


def read_paths(paths: Iterable[Path], progress: Callable[[int, int], None] | None = None) -> list[FileContent]:
    """Each file read, parsed and checked on its own (read_path), in order: on every core when there is much.
    `progress` is told (files parsed, files in all) as they come."""
    read: list[tuple[bytes, str] | FileContent] = []
    for path in paths:
        try:
            read.append((path.read_bytes(), str(path)))
        except OSError as error:
            read.append(_unreadable(path, error))
    parsed = parse_files([item for item in read if isinstance(item, tuple)])
    contents: list[FileContent] = []
    for item in read:
        contents.append(item if isinstance(item, FileContent) else next(parsed))
        if progress is not None:
            progress(len(contents), len(read))
    return contents


def parse_files(files: Sequence[tuple[bytes, str]]) -> Iterator[FileContent]:
    """Each file's bytes parsed and checked on its own (read_file_content), in order, on every core when there is
    much to parse."""
    if sum(len(data) for data, _ in files) < PARALLEL_BYTES:
        return map(_parse, files)
    from itertools import chain

    from shenka_cli.core.parallel import in_parallel, spans_by_size

    spans = spans_by_size([len(data) for data, _ in files], PARSED_TOGETHER)
    groups = [files[start:stop] for start, stop in spans]
    return chain.from_iterable(in_parallel(_parse_group, groups, ahead=4))


PARSED_TOGETHER = 250_000  # bytes of files a worker parses at a time: the results waiting here stay few


def _parse(item: tuple[bytes, str]) -> FileContent:
    return read_file_content(*item)


def _parse_group(items: Sequence[tuple[bytes, str]]) -> list[FileContent]:
    return [read_file_content(*item) for item in items]


def assemble(
    contents: Iterable[FileContent], extra_problems: Iterable[Problem] = (), defaults: Iterable[FileContent] = ()
) -> LoadResult:
    """Join per-file contents into one fact base and run the checks that span files.

    `defaults` (the bundled files) supply the sectors, sources, gazetteer categories, units and measures
    that the given files do not define; their facts and problems are not used.
    """
    contents = list(contents)
    problems = list(extra_problems)
    registry = Registry.of(contents, problems, defaults)
    facts: dict[str, Fact] = {}
    for content in contents:
        for fact in content.facts:
            if duplicate(facts, fact.id, fact.location, problems) is None:
                facts[fact.id] = fact
    checks = registry.checks(problems)
    for fact in facts.values():
        checks.fact(fact, problems)
    return LoadResult(checks.base._replace(facts=tuple(facts.values())), problems, len(contents))


def duplicate(seen: dict[str, Any], fact_id: str, location: Location, problems: list[Problem]) -> Location | None:
    """Where a fact with this id was first defined, with a problem, if one of `seen` (by id) was; else None."""
    first = seen.get(fact_id)
    if first is None:
        return None
    where = first if isinstance(first, Location) else first.location
    problems.append(
        Problem(location.path, location.line, f"duplicate fact id, first defined at {where}", fact=fact_id, field="id")
    )
    return where


class Checks(NamedTuple):
    """What checking a fact against the rest of the fact base needs: its tables (no facts) and gazetteer."""

    base: FactBase
    gazetteer: Gazetteer
    strict: dict[EntityCategory, bool]
    unit_names: frozenset[str]

    def fact(self, fact: Fact, problems: list[Problem]) -> None:
        from shenka_cli.core.checks import check_fact

        check_fact(fact, self.base, self.gazetteer, self.strict, self.unit_names, problems)


class Registry:
    """The named tables of a fact base by kind, each id once (a later duplicate is a problem)."""

    @classmethod
    def of(cls, contents: Iterable[FileContent], problems: list[Problem], defaults: Iterable[FileContent]) -> Registry:
        """The tables of the files, in order (each file's own problems added to `problems` before those its tables
        raise), with what they lack taken from the `defaults`."""
        registry = cls()
        for content in contents:
            problems.extend(content.problems)
            registry.add(content, problems)
        registry.own = registry.kinds()
        borrowed = cls()
        for content in defaults:
            borrowed.add(content, [])
        registry.borrow(borrowed, registry.own)
        return registry

    def checks(self, problems: list[Problem]) -> Checks:
        """The checks of the fact base as a whole (problems added), and what checking each fact needs."""
        from shenka_cli.core.checks import check_gazetteer
        from shenka_cli.core.gazetteer import Gazetteer

        if not self.sectors:
            problems.append(Problem("(fact base)", None, "no [[sector]] tables found (expected a sectors.toml)"))
        if not self.sources:
            problems.append(Problem("(fact base)", None, "no [[source]] tables found (expected a sources.toml)"))
        base = FactBase(
            sectors=self.values(self.sectors),
            sources=self.values(self.sources),
            facts=(),
            entities=tuple(self.entities.values()),
            units=self.values(self.units),
            measures=self.values(self.measures),
        )
        gazetteer = Gazetteer(base.entities)
        check_gazetteer(gazetteer, [] if not self.own & set(EntityCategory) else problems)
        strict = {category: category in self.own for category in EntityCategory}
        unit_names = frozenset(name for unit in base.units for name in (unit.id, *unit.aliases))
        return Checks(base, gazetteer, strict, unit_names)

    def __init__(self) -> None:
        self.own: set[str] = set()
        self.sectors: dict[str, tuple[Sector, Location]] = {}
        self.sources: dict[str, tuple[Source, Location]] = {}
        self.entities: dict[tuple[EntityCategory, str], Entity] = {}
        self.units: dict[str, tuple[Unit, Location]] = {}
        self.measures: dict[str, tuple[Measure, Location]] = {}

    @staticmethod
    def values(registry: dict) -> tuple:
        return tuple(item for item, _ in registry.values())

    def add(self, content: FileContent, problems: list[Problem]) -> None:
        def located(line: int | None) -> Location:
            return Location(content.path, line or 0)

        for sector, line in zip(content.sectors, content.sector_lines, strict=True):
            _add_unique(self.sectors, sector.id, sector, located(line), "sector", problems)
        for source, line in zip(content.sources, content.source_lines, strict=True):
            _add_unique(self.sources, source.id, source, located(line), "source", problems)
        for unit, line in zip(content.units, content.unit_lines, strict=True):
            _add_unique(self.units, unit.id, unit, located(line), "unit", problems)
        for measure, line in zip(content.measures, content.measure_lines, strict=True):
            _add_unique(self.measures, measure.id, measure, located(line), "measure", problems)
        for entity in content.entities:
            first = self.entities.get((entity.category, entity.id))
            if first is None:
                self.entities[(entity.category, entity.id)] = entity
            else:
                problems.append(
                    Problem(
                        entity.location.path,
                        entity.location.line or None,
                        f"duplicate {entity.category.value} id {entity.id!r}, first defined at {first.location}",
                        field="id",
                    )
                )

    def kinds(self) -> set[str]:
        found = {name for name in ("sectors", "sources", "units", "measures") if getattr(self, name)}
        return found | {category for category, _ in self.entities}

    def borrow(self, other: Registry, own: set[str]) -> None:
        """Take from `other` every kind of table this registry does not define itself (the gazetteer as one)."""
        for name in ("sectors", "sources", "units", "measures"):
            if name not in own:
                setattr(self, name, getattr(other, name))
        if not any(category for category, _ in self.entities):
            # The gazetteer is borrowed whole or not at all: its organisations name its places.
            self.entities.update(other.entities)


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


def read_default(path: Path) -> FileContent:
    """A bundled file's registry tables, without its facts or problems."""
    from dataclasses import replace

    return replace(read_path(path), facts=(), problems=())


def load(paths: Sequence[Path] | None = None, progress: Callable[[int, int], None] | None = None) -> LoadResult:
    """Load and validate the fact base from files and directories (default: SHENKA_FACTS or bundled); `progress`
    hears how many files are parsed (read_paths)."""
    chosen = list(paths) if paths else default_facts_dirs()
    files, problems = fact_files(chosen)
    defaults = (read_default(path) for path in default_files(chosen))
    return assemble(read_paths(files, progress), problems, defaults)
