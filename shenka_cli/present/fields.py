"""--fields: a document narrowed to some keys (of its records) or columns (of its listings), in the order given.

Records and listings name their fields differently (a fact record has `title` and `title_en`, a table in
English only `title_en`), so the fields are checked against what the chosen format shows. A field named
without its language suffix finds the column of the chosen language: `title` is `title_en` under --lang en.
"""

from __future__ import annotations

from collections.abc import Sequence

from shenka_cli.core.errors import ShenkaError
from shenka_cli.present.document import Document, Listing, decoded


def parse_fields(text: str) -> tuple[str, ...]:
    """KEY,KEY… as a tuple of keys, blanks dropped; nothing at all is a usage error."""
    fields = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not fields:
        raise ShenkaError("--fields: no field given", hint="e.g. --fields id,title,date")
    return fields


def _unknown(unknown: Sequence[str], valid: Sequence[str]) -> ShenkaError:
    names = ", ".join(repr(name) for name in unknown)
    return ShenkaError(f"--fields: unknown field {names}", hint="valid fields: " + ",".join(valid))


def _resolve(field: str, keys: Sequence[str]) -> str | None:
    if field in keys:
        return field
    return f"{field}_en" if f"{field}_en" in keys else None


def record_keys(document: Document) -> tuple[str, ...]:
    """The keys of the document's records: declared, or read off the first record."""
    if document.keys:
        return document.keys
    first = next(document.iter_records(), None)
    return tuple(decoded(first)) if first is not None else ()


def select_records(document: Document, fields: Sequence[str]) -> Document:
    """The document whose records hold only `fields`, in that order."""
    keys = record_keys(document)
    chosen = [_resolve(field, keys) for field in fields]
    unknown = [field for field, key in zip(fields, chosen, strict=True) if key is None]
    if unknown:
        raise _unknown(unknown, keys)
    wanted = tuple(dict.fromkeys(key for key in chosen if key is not None))
    original = document

    def records():
        for record in map(decoded, original.iter_records()):
            yield {key: record.get(key) for key in wanted}

    return document._replace(records=records, keys=wanted)


def select_columns(document: Document, fields: Sequence[str], *, primary_only: bool = False) -> Document:
    """The document whose listings show only the columns named by `fields`, in that order.

    A listing left with none of them is dropped. With `primary_only` (CSV, which holds one listing), the
    fields are checked against the primary listing alone.
    """
    considered = [document.listings[document.primary]] if primary_only else list(document.listings)
    valid = tuple(dict.fromkeys(column.key for listing in considered for column in listing.columns))
    unknown = [field for field in fields if _resolve(field, valid) is None]
    if unknown:
        raise _unknown(unknown, valid)
    listings: list[Listing] = []
    primary = 0
    for index, listing in enumerate(document.listings):
        by_key = {column.key: column for column in listing.columns}
        keys = dict.fromkeys(key for key in (_resolve(field, list(by_key)) for field in fields) if key is not None)
        if not keys:
            continue
        if index == document.primary:
            primary = len(listings)
        listings.append(listing._replace(columns=tuple(by_key[key] for key in keys)))
    return document._replace(listings=tuple(listings), primary=primary)
