"""Write a synthetic fact base of N facts that passes `shenka validate`.

    python bench/generate.py N OUTDIR [--seed S] [--per-file 1000]

The facts are made from the bundled facts' own vocabulary: Chinese summaries are split into clauses at
，。；and recombined, English summaries into sentences; titles, places, organisations, people, tags and
statistic labels are drawn from those in facts/. Dates of every form are spread over 2010-2025, and every
statistic's text, value, unit and qualifier agree. Every place, organisation and person the text names (as
the bundled gazetteer knows them) is listed, as in the bundled facts, so the base validates without warnings.
About 1% of the facts mention 白内障 (cataract); no other fact does. The output depends only on N, the seed
and the bundled facts. The bundled sectors.toml and sources.toml are copied; the facts go to facts-0001.toml,
facts-0002.toml, … (per_file facts each).
"""

from __future__ import annotations

import argparse
import calendar
import random
import re
import shutil
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent.parent / "facts"
CATARACT_ZH = "白内障"
CATARACT_EN = "cataract"
YEARS = (2010, 2025)
SECTOR_WEIGHTS = {"livelihood": 35, "culture": 25, "industry": 20, "exchange": 10, "overview": 10}

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}
_ESCAPES.update({c: f"\\u{c:04x}" for c in [*range(0x20), 0x7F] if c not in _ESCAPES})
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_CN_DIGITS = "零一二三四五六七八九"
_EN_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z'‘(])")
_ZH_CLAUSE = re.compile(r"[，。；]")


def q(text: str) -> str:
    """A TOML basic string."""
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_ESCAPES)
    return '"' + text + '"'


def qlist(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(q(item) for item in items) + "]"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals: 4 → 四, 11 → 十一, 20 → 二十, 35 → 三十五."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


@dataclass
class Vocabulary:
    """What the bundled facts say, cut into reusable pieces."""

    clauses: list[str] = field(default_factory=list)
    cataract_clauses: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    cataract_sentences: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    cataract_titles: list[str] = field(default_factory=list)
    titles_en: list[str] = field(default_factory=list)
    cataract_titles_en: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    sector_tags: dict[str, list[str]] = field(default_factory=dict)
    sector_section: dict[str, str] = field(default_factory=dict)
    stat_labels: list[tuple[str, str, str, str]] = field(default_factory=list)  # label, label_en, unit, kind
    cataract_stat_labels: list[tuple[str, str, str, str]] = field(default_factory=list)
    source_id: str = ""
    photo_section: str | None = None


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def _en_title_variants(title: str) -> list[str]:
    variants = [title, f"{title} in Kashgar", f"{title} with Shenzhen's aid", f"{title}, Shenzhen-Kashgar aid"]
    return [v for v in variants if 60 <= len(v) <= 100]


def load_vocabulary(facts_dir: Path = BUNDLED) -> Vocabulary:
    facts: list[dict] = []
    sources: list[dict] = []
    for path in sorted(facts_dir.glob("*.toml")):
        with path.open("rb") as handle:
            document = tomllib.load(handle)
        facts.extend(document.get("fact", []))
        sources.extend(document.get("source", []))
    v = Vocabulary()
    for fact in facts:
        for clause in _ZH_CLAUSE.split(fact["summary"]):
            clause = clause.strip()
            if len(clause) >= 4:
                (v.cataract_clauses if CATARACT_ZH in clause else v.clauses).append(clause)
                if CATARACT_ZH not in clause and 15 <= len(clause) <= 30:
                    v.titles.append(clause)
        for sentence in _EN_SENTENCE.split(fact["summary_en"]):
            sentence = sentence.strip()
            if 20 <= len(sentence) <= 330:
                is_cataract = CATARACT_EN in sentence.lower()
                (v.cataract_sentences if is_cataract else v.sentences).append(sentence)
        (v.cataract_titles if CATARACT_ZH in fact["title"] else v.titles).append(fact["title"])
        variants = _en_title_variants(fact["title_en"])
        (v.cataract_titles_en if CATARACT_EN in fact["title_en"].lower() else v.titles_en).extend(variants)
        v.places.extend(fact.get("places", []))
        v.organisations.extend(fact.get("organisations", []))
        v.people.extend(fact.get("people", []))
        v.sector_tags.setdefault(fact["sector"], []).extend(t for t in fact.get("tags", []) if t != "photo-caption")
        citation = fact.get("source") or fact["sources"][0]
        v.source_id = v.source_id or citation["id"]
        if citation["id"] == v.source_id:
            if "photo-caption" in fact.get("tags", []):
                v.photo_section = citation["section"]
            else:
                v.sector_section.setdefault(fact["sector"], citation["section"])
        for stat in fact.get("stat", []):
            entry = (stat["label"], stat["label_en"], stat["unit"], stat.get("kind", "quantity"))
            is_cataract = CATARACT_ZH in stat["label"] or CATARACT_EN in stat["label_en"].lower()
            (v.cataract_stat_labels if is_cataract else v.stat_labels).append(entry)
    v.titles = _unique(t for t in v.titles if 15 <= len(t) <= 30)
    v.titles_en = _unique(v.titles_en)
    for name in ("places", "organisations", "people", "stat_labels", "cataract_stat_labels"):
        setattr(v, name, _unique(getattr(v, name)))
    v.sector_tags = {sector: sorted(set(tags)) for sector, tags in v.sector_tags.items()}
    v.cataract_titles_en = v.cataract_titles_en or v.titles_en
    v.cataract_titles = v.cataract_titles or v.titles
    if not (v.clauses and v.cataract_clauses and v.sentences and v.cataract_sentences and v.titles and v.titles_en):
        raise SystemExit(f"the facts in {facts_dir} do not hold enough text to build synthetic facts from")
    return v


class FactWriter:
    """Builds the TOML text of one synthetic fact at a time."""

    def __init__(self, vocabulary: Vocabulary, rng: random.Random, sectors: list[str]) -> None:
        self.v, self.rng = vocabulary, rng
        self.gazetteer = bundled_gazetteer()
        self.sectors = [s for s in sectors if s in SECTOR_WEIGHTS] or sectors
        self.weights = [SECTOR_WEIGHTS.get(s, 10) for s in self.sectors]

    # --- text -------------------------------------------------------------------------------------------

    def summary_zh(self, cataract: bool) -> str:
        rng, target = self.rng, self.rng.randint(80, 150)
        parts = [rng.choice(self.v.cataract_clauses)] if cataract else []
        length = sum(len(p) + 1 for p in parts)
        tries = 0
        while length < target and tries < 50:
            tries += 1
            clause = rng.choice(self.v.clauses)
            if length + len(clause) + 1 <= 150:
                parts.insert(rng.randrange(len(parts) + 1), clause)
                length += len(clause) + 1
        text = ""
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            text += part + ("。" if last else rng.choices(("，", "；", "。"), (8, 1, 2))[0])
        return text

    def summary_en(self, cataract: bool) -> str:
        rng = self.rng
        parts = [rng.choice(self.v.cataract_sentences)] if cataract else []
        length = sum(len(p) + 1 for p in parts)
        tries = 0
        while length < 200 and tries < 50:
            tries += 1
            sentence = rng.choice(self.v.sentences)
            if length + len(sentence) + 1 <= 350:
                parts.insert(rng.randrange(len(parts) + 1), sentence)
                length += len(sentence) + 1
        return " ".join(parts)

    # --- dates ------------------------------------------------------------------------------------------

    def when(self) -> list[str]:
        rng, roll = self.rng, self.rng.random()
        year = rng.randint(*YEARS)
        month = rng.randint(1, 12)
        if roll < 0.5:
            day = rng.randint(1, calendar.monthrange(year, month)[1])
            return [f'date = "{year}-{month:02d}-{day:02d}"']
        if roll < 0.7:
            lines = [f'date = "{year}-{month:02d}"']
            if rng.random() < 0.05:
                lines.append(f"date_inferred = {q(f'“本月” (this month) in a report written in {year}-{month:02d}')}")
            return lines
        if roll < 0.8:
            lines = [f'date = "{year}"']
            if rng.random() < 0.4:
                reason = rng.choice(
                    (
                        f"“今年” (this year) in an article written in {year}",
                        f"“近年来” (in recent years): holds as of the article, written in {year}; no start given",
                        f"“截至目前” (as of now): the article was written in {year}",
                        f"“如今” (now): the state at the time of the article, written in {year}",
                    )
                )
                lines.append(f"date_inferred = {q(reason)}")
            return lines
        if roll < 0.9:
            start_year = rng.randint(YEARS[0], YEARS[1] - 1)
            end_year = rng.randint(start_year + 1, YEARS[1])
            start = f"{start_year}-{month:02d}" if rng.random() < 0.3 else str(start_year)
            end = f"{end_year}-{rng.randint(1, 12):02d}" if rng.random() < 0.2 else str(end_year)
            inner = f'start = "{start}", end = "{end}"'
            if rng.random() < 0.5:
                reason = f"“以来” (since {start_year}): counted up to the article, written in {end_year}"
                inner += f", end_inferred = {q(reason)}"
            return [f"period = {{ {inner} }}"]
        return []

    # --- statistics -------------------------------------------------------------------------------------

    def figure(self, unit: str, kind: str) -> tuple[str, list[str], str | None]:
        """(text, the value or low/high lines, qualifier) of a figure in this unit that all agree."""
        rng = self.rng
        if kind == "ordinal":
            if unit == "周年":
                n = rng.randint(1, 80)
                return f"{n}周年", [f"value = {n}"], None
            if rng.random() < 0.2:
                return f"首{unit}", ["value = 1"], None
            n = rng.randint(1, 30)
            return f"第{chinese_number(n)}{unit}", [f"value = {n}"], None
        word = unit
        if unit == "人":
            word = rng.choices(("人", "名", "位"), (5, 4, 1))[0]
        roll = rng.random()
        if unit == "元" and roll < 0.6:
            tenths, magnitude, scale = rng.randint(11, 999), *rng.choice((("万", 10**3), ("亿", 10**7)))
            number = f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)
            return f"{number}{magnitude}元", [f"value = {tenths * scale}"], "exact"
        if roll < 0.45:
            n = rng.choice((rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 999), rng.randint(1000, 9999)))
            return f"{n}{word}", [f"value = {n}"], "exact"
        if roll < 0.6:
            n = rng.randint(1, 99) * rng.choice((10, 100))
            return f"{n}{rng.choice('余多')}{word}", [f"value = {n}"], "more_than"
        if roll < 0.7:
            n = rng.randint(1, 99) * rng.choice((1, 10, 100))
            text = rng.choice((f"约{n}{word}", f"近{n}{word}", f"{n}{word}左右"))
            return text, [f"value = {n}"], "about"
        if roll < 0.8:
            low = rng.randint(1, 20)
            high = low + rng.randint(1, 10)
            text = f"{low}{rng.choice(('-', '-', '至', '~'))}{high}{word}"
            return text, [f"low = {low}", f"high = {high}"], "range"
        if roll < 0.9:
            tenths = rng.randint(11, 99)
            number = f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)
            return f"{number}万{word}", [f"value = {tenths * 1000}"], "exact"
        if roll < 0.95:
            n = rng.randint(1, 9)
            return f"{n}万余{word}", [f"value = {n * 10000}"], "more_than"
        n = rng.randint(2, 9)
        numeral = "两" if n == 2 else _CN_DIGITS[n]
        return f"{numeral}{word}", [f"value = {n}"], "exact"

    def stat(self, cataract: bool) -> str:
        rng = self.rng
        pool = self.v.cataract_stat_labels if cataract and self.v.cataract_stat_labels else self.v.stat_labels
        label, label_en, unit, kind = rng.choice(pool)
        text, values, qualifier = self.figure(unit, kind)
        lines = ["", "[[fact.stat]]", f"label = {q(label)}", f"label_en = {q(label_en)}", f"text = {q(text)}"]
        lines += values
        lines.append(f"unit = {q(unit)}")
        if qualifier:
            lines.append(f'qualifier = "{qualifier}"')
        if kind == "ordinal":
            lines.append('kind = "ordinal"')
        roll = rng.random()
        if roll < 0.12:
            year = rng.randint(*YEARS)
            lines.append(f'as_of = "{year}"')
            if rng.random() < 0.4:
                lines.append(f"as_of_inferred = {q(f'“目前” (now): the article was written in {year}')}")
        elif roll < 0.16:
            start = rng.randint(YEARS[0], YEARS[1] - 1)
            lines.append(f'as_of = {{ start = "{start}", end = "{rng.randint(start + 1, YEARS[1])}" }}')
        return "\n".join(lines)

    # --- one fact ---------------------------------------------------------------------------------------

    def fact(self, number: int, cataract: bool) -> str:
        rng, v = self.rng, self.v
        sector = rng.choices(self.sectors, self.weights)[0]
        title = rng.choice(v.cataract_titles if cataract and rng.random() < 0.5 else v.titles)
        title_en = rng.choice(v.cataract_titles_en if cataract else v.titles_en)
        slug = "-".join(re.findall(r"[a-z0-9]+", title_en.lower())[:4]) or "fact"
        places = rng.sample(v.places, rng.randint(0, 2))
        if rng.random() < 0.6:
            places.insert(0, rng.choice(("喀什", "喀什市")))
        places = _unique(places)
        organisations = rng.sample(v.organisations, rng.choices((0, 1, 2), (3, 5, 2))[0])
        people = rng.sample(v.people, 1) if v.people and rng.random() < 0.1 else []
        sector_tags = v.sector_tags.get(sector) or sorted({t for ts in v.sector_tags.values() for t in ts})
        tags = rng.sample(sector_tags, min(len(sector_tags), rng.randint(0, 3)))
        if cataract and "medicine" not in tags:
            tags.append("medicine")
        section = v.sector_section.get(sector) or next(iter(v.sector_section.values()))
        if v.photo_section and rng.random() < 0.03:
            section = v.photo_section
            tags.append("photo-caption")
        summary, summary_en = self.summary_zh(cataract), self.summary_en(cataract)
        named = {"places": places, "organisations": organisations, "people": people}
        for text, english in ((title, False), (summary, False), (title_en, True), (summary_en, True)):
            for mention in self.gazetteer.mentions(text, english=english):
                entity = mention.entities[0]
                named[f"{entity.category.plural}"].append(entity.name)
        places, organisations, people = (_unique(names) for names in named.values())
        lines = [
            "",
            "[[fact]]",
            f'id = "synthetic-{number:06d}-{slug}"',
            f'sector = "{sector}"',
            f"title = {q(title)}",
            f"title_en = {q(title_en)}",
            f"summary = {q(summary)}",
            f"summary_en = {q(summary_en)}",
            *self.when(),
            f"places = {qlist(places)}",
            f"organisations = {qlist(organisations)}",
            f"people = {qlist(people)}",
            f"tags = {qlist(tags)}",
            f"source = {{ id = {q(v.source_id)}, section = {q(section)} }}",
        ]
        stats = [self.stat(cataract) for _ in range(rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0])]
        return "\n".join(lines + stats) + "\n"


def bundled_gazetteer():  # noqa: ANN201 (shenka's Gazetteer, imported only when generating)
    """The places, organisations and people of the bundled facts, as shenka reads them."""
    from shenka_cli.core.gazetteer import Gazetteer
    from shenka_cli.core.loader import load

    return Gazetteer(load([BUNDLED]).base.entities)


def generate(n: int, out: Path, seed: int = 1, per_file: int = 1000) -> None:
    """Write sectors.toml, sources.toml and n synthetic facts (per_file to a file) to out."""
    if n < 0 or per_file < 1:
        raise ValueError("n must be >= 0 and per_file >= 1")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("facts-[0-9]*.toml"):
        stale.unlink()
    for name in ("sectors.toml", "sources.toml"):
        shutil.copyfile(BUNDLED / name, out / name)
    with (BUNDLED / "sectors.toml").open("rb") as handle:
        sectors = [sector["id"] for sector in tomllib.load(handle)["sector"]]
    rng = random.Random(seed)
    writer = FactWriter(load_vocabulary(), rng, sectors)
    cataract = set(rng.sample(range(1, n + 1), max(1, round(n / 100)))) if n else set()
    header = f"# Synthetic facts written by bench/generate.py (seed {seed}) from the bundled facts' vocabulary.\n"
    for file_number, first in enumerate(range(1, n + 1, per_file), start=1):
        chunk = [writer.fact(i, i in cataract) for i in range(first, min(first + per_file, n + 1))]
        (out / f"facts-{file_number:04d}.toml").write_text(header + "".join(chunk), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, metavar="N", help="number of facts")
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="directory to write (created if missing)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--per-file", type=int, default=1000, help="facts per file (default 1000)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.n, args.outdir, seed=args.seed, per_file=args.per_file)
    files = -(-args.n // args.per_file)
    print(f"wrote {args.n} facts in {files} files to {args.outdir} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
