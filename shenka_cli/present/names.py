"""Names of things in the chosen language: sources and their sections, authors, gazetteer entities.

English text shows Chinese only as the original, in parentheses after the English; `both` shows the two.
"""

from __future__ import annotations

import re

from shenka_cli.core.model import Author, Citation, Entity, Sector, Source

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_chinese(text: str) -> bool:
    """Text with at least one Chinese character, or with no letters at all (a number, an id)."""
    return _HAN.search(text) is not None or not re.search(r"[A-Za-z]", text)


def bilingual(lang: str, zh: str, en: str | None) -> str:
    """zh in Chinese (an original with no Chinese, an English source's title, marked as the original); the English
    (or, lacking one, the original in parentheses) in English; both for both."""
    if lang == "zh":
        return zh if is_chinese(zh) or not zh else f"（原文：{zh}）"
    if lang == "en":
        return en if en else f"({zh})"
    return f"{zh} ({en})" if en and en != zh else zh


def author_text(author: Author, lang: str) -> str:
    """谢青芸 (记者) / Xie Qingyun, reporter / 谢青芸 Xie Qingyun (记者, reporter)."""
    if lang == "zh":
        name = bilingual("zh", author.name, None)
        return f"{name} ({bilingual('zh', author.role, None)})" if author.role else name
    name_en = author.name_en or f"({author.name})"
    role_en = author.role_en or (f"({author.role})" if author.role else None)
    if lang == "en":
        return f"{name_en}, {role_en}" if role_en else name_en
    roles = ", ".join(part for part in (author.role, author.role_en) if part)
    names = " ".join(part for part in (author.name, author.name_en) if part)
    return f"{names} ({roles})" if roles else names


def authors_text(source: Source, lang: str) -> str:
    joiner = "、" if lang == "zh" else "; "
    return joiner.join(author_text(author, lang) for author in source.authors)


def section_text(source: Source | None, ref: str, lang: str) -> str:
    """A cited section by its name in the language (the reference as written when the source lacks it)."""
    section = source.section(ref) if source is not None else None
    if section is None:
        return ref if lang != "en" or ref.isascii() else f"({ref})"
    return bilingual(lang, section.name, section.name_en)


def source_title(source: Source, lang: str) -> str:
    return bilingual(lang, source.title, source.title_en)


def outlet_text(source: Source, lang: str) -> str:
    return bilingual(lang, source.outlet, source.outlet_en)


def citation_text(citation: Citation, source: Source | None, lang: str) -> str:
    """`source-id, section` with the section in the chosen language, and the note if any."""
    text = f"{citation.id}, {section_text(source, citation.section, lang)}"
    return f"{text} ({citation.note})" if citation.note else text


def entity_text(entity: Entity | str, lang: str) -> str:
    """An entity's name in the language; a name the gazetteer does not know is shown as written."""
    if isinstance(entity, str):
        return entity if lang != "en" or entity.isascii() else f"({entity})"
    return bilingual(lang, entity.name, entity.name_en)


def sector_name(sector: Sector | None, sector_id: str, lang: str, joiner: str = " ") -> str:
    """A sector by its name in the language (民生 / Livelihood / 民生 Livelihood); an unknown one by its id."""
    if sector is None:
        return sector_id
    if lang == "zh":
        return sector.name
    return sector.name_en if lang == "en" else f"{sector.name}{joiner}{sector.name_en}"
