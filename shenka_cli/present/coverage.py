"""The document `shenka coverage` shows: each figure and date of a text, and the facts that cover it."""

from __future__ import annotations

from collections.abc import Sequence

from shenka_cli.core.coverage import DATE, KINDS, ORDINAL, QUANTITY, Coverage, coverage_record, summary
from shenka_cli.present.document import Cell, Column, Document, Listing, Row
from shenka_cli.present.views import AS_WRITTEN, pick

KIND_WORDS = {QUANTITY: ("数量", "quantity"), ORDINAL: ("序数", "ordinal"), DATE: ("日期", "date")}
GROUPS = {
    QUANTITY: ("数量", "Quantities"),
    ORDINAL: ("序数与周年", "Ordinals and anniversaries"),
    DATE: ("日期", "Dates"),
}
NOT_COVERED = ("未覆盖", "not covered")


def covered_text(entry: Coverage, lang: str) -> str:
    """The facts covering a figure, or 'not covered' with the facts that only share its number."""
    if entry.covered_by:
        return ", ".join(entry.covered_by)
    text = pick(lang, *NOT_COVERED, joiner=" / ")
    if entry.same_number:
        ids = ", ".join(entry.same_number)
        text += pick(lang, f"（相同数字见 {ids}）", f" (same number in {ids})", joiner=" ")
    return text


def summary_note(entries: Sequence[Coverage], lang: str) -> str:
    total, covered, uncovered = summary(entries)
    same = sum(1 for entry in entries if not entry.covered_by and entry.same_number)
    zh = f"共 {total} 个数字，已覆盖 {covered} 个，未覆盖 {uncovered} 个"
    en = f"{total} figures, {covered} covered, {uncovered} not covered"
    if same:
        zh += f"（其中 {same} 个的相同数字见于无关事实）"
        en += f" ({same} with the same number in unrelated facts)"
    return pick(lang, zh + "。", en, joiner=" ")


def coverage_document(entries: Sequence[Coverage], source_name: str, lang: str, *, machine: bool = False) -> Document:
    """The coverage listing, grouped by kind (quantities, ordinals and anniversaries, dates), and its records.

    For machines (CSV) the kind is its key (quantity, ordinal, date) and the covering ids and the ids with the
    same number are columns of their own, whatever the language.
    """
    columns = [
        Column("kind", pick(lang, "类别", "Kind")),
        Column("text", pick(lang, *AS_WRITTEN)),
        Column("line", pick(lang, "行", "Line"), numeric=True),
        Column("context", pick(lang, "上下文（原文）", "Context (original)")),
        Column("covered_by", pick(lang, "覆盖事实 ID", "Covered by (fact IDs)")),
    ]
    if machine:
        columns.append(Column("same_number_in", "same_number_in"))
    ordered = sorted(entries, key=lambda entry: (KINDS.index(entry.found.kind), entry.found.start))
    rows = []
    for entry in ordered:
        kind = entry.found.kind
        cells: dict[str, Cell] = {
            "line": entry.found.line,
            "kind": kind if machine else pick(lang, *KIND_WORDS[kind], joiner=" / "),
            "text": entry.found.text,
            "context": entry.found.context,
            "covered_by": ", ".join(entry.covered_by) if machine else covered_text(entry, lang),
        }
        if machine:
            cells["same_number_in"] = ", ".join(entry.same_number)
        rows.append(Row(cells, group=pick(lang, *GROUPS[kind])))
    listing = Listing(
        pick(lang, f"“{source_name}”中的数字", f"Figures in “{source_name}”"),
        tuple(columns),
        tuple(rows),
        note=summary_note(entries, lang),
        empty_message=pick(lang, "没有找到数字或日期", "no figures or dates found"),
    )
    return Document((listing,), [coverage_record(entry) for entry in ordered])
