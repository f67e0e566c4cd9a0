"""Pinyin matching: an ASCII term spelled as whole toneless syllables of consecutive Chinese characters."""

# Rather than converting every field with lazy_pinyin (about 14 µs a character), each term is split into syllables
# once and becomes a regex whose syllables are classes of the characters read that way, heteronyms included.

from __future__ import annotations

import functools
import re
import unicodedata

MAX_SPELLINGS = 64
_LONGEST_SYLLABLE = 6
_SEPARATORS = re.compile(r"[\s'’\-]+")


def _toneless(reading: str) -> str:
    """A tone-marked reading as plain ASCII letters, with ü written v as pypinyin's Style.NORMAL does."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def syllable_chars() -> dict[str, str]:
    """Each toneless syllable and the characters that can be read as it, from the user cache when it is there.

    The table comes from pypinyin's dictionary; a copy in the cache directory, keyed on that dictionary's file,
    lets later runs answer pinyin queries without importing pypinyin at all.
    """
    import json

    cached = _cached_table_path()
    if cached is not None:
        try:
            with cached.open("rb") as handle:
                table = json.loads(handle.read())
            if isinstance(table, dict) and all(isinstance(chars, str) for chars in table.values()):
                return table
        except (OSError, ValueError):
            pass
    table = _build_syllable_chars()
    if cached is not None:
        _save(cached, json.dumps(table, ensure_ascii=False).encode())
    return table


def _cached_table_path():
    """Where the syllable table is cached, keyed on pypinyin's dictionary file; None if pypinyin is missing."""
    import importlib.util
    import os

    from shenka_cli.core.paths import cache_dir

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    try:
        info = os.stat(os.path.join(os.path.dirname(spec.origin), "pinyin_dict.py"))
    except OSError:
        return None
    return cache_dir() / f"pinyin-{info.st_size:x}-{info.st_mtime_ns:x}.json"


def _save(path, data: bytes) -> None:
    """Write atomically; a cache that cannot be written is simply not written."""
    import contextlib
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pinyin-")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(NameError, OSError):
            os.unlink(temporary)


def _build_syllable_chars() -> dict[str, str]:
    """The table built from pypinyin's per-character dictionary (lü also under lu, as often typed)."""
    from pypinyin.pinyin_dict import pinyin_dict

    toneless: dict[str, str] = {}
    chars: dict[str, dict[str, None]] = {}
    for codepoint, readings in pinyin_dict.items():
        char = chr(codepoint)
        for reading in readings.split(","):
            syllable = toneless.get(reading)
            if syllable is None:
                syllable = toneless[reading] = _toneless(reading)
            chars.setdefault(syllable, {})[char] = None
            if "v" in syllable:
                chars.setdefault(syllable.replace("v", "u"), {})[char] = None
    return {syllable: "".join(found) for syllable, found in chars.items()}


@functools.cache
def _syllable_regex(syllable: str) -> str:
    """A regex for one character read as `syllable`: one class (with the astral characters in it, it scans
    three times faster than a class of the others beside a lookahead for the astral range)."""
    return f"[{re.escape(''.join(syllable_chars()[syllable]))}]"


def spellings(word: str, syllables: dict[str, str] | set[str], limit: int = MAX_SPELLINGS) -> list[tuple[str, ...]]:
    """Every way (at most `limit`) to split an ASCII word into known syllables."""

    @functools.cache
    def tails(position: int) -> tuple[tuple[str, ...], ...]:
        if position == len(word):
            return ((),)
        found: list[tuple[str, ...]] = []
        for end in range(position + 1, min(len(word), position + _LONGEST_SYLLABLE) + 1):
            syllable = word[position:end]
            if syllable in syllables:
                found.extend((syllable, *rest) for rest in tails(end))
                if len(found) >= limit:
                    break
        return tuple(found[:limit])

    return list(tails(0))


def split_term(term: str) -> list[str] | None:
    """The ASCII-letter parts of a folded term split at spaces, apostrophes and hyphens, or None if it has others."""
    parts = [part for part in _SEPARATORS.split(term.replace("ü", "v")) if part]
    if not parts or not all(part.isascii() and part.isalpha() for part in parts):
        return None
    return parts


def term_spellings(term: str, syllables: dict[str, str] | set[str]) -> list[tuple[str, ...]] | None:
    """Every way (at most MAX_SPELLINGS) to read a folded ASCII term as a run of known syllables, or None."""
    parts = split_term(term)
    if parts is None:
        return None
    combined: list[tuple[str, ...]] = [()]
    for part in parts:
        options = spellings(part, syllables)
        combined = [head + tail for head in combined for tail in options][:MAX_SPELLINGS]
        if not combined:
            return None
    return combined


@functools.lru_cache(maxsize=256)
def pinyin_pattern(term: str) -> re.Pattern[str] | None:
    """A compiled regex for Chinese text whose pinyin spells the folded term syllable by syllable, or None."""
    combined = term_spellings(term, syllable_chars())
    if combined is None:
        return None
    alternatives = ["".join(_syllable_regex(syllable) for syllable in spelling) for spelling in combined]
    return re.compile("|".join(alternatives))
