"""What the listing commands say to the reader on standard error (nothing matches, more match, a cache being
built), in the chosen language (the data they name as given)."""

from __future__ import annotations

from shenka_cli.present.views import pick

MESSAGES = {
    "no-fact": ("没有符合筛选条件的事实", "no fact matches these filters"),
    "no-dated-fact": ("没有符合筛选条件、注明日期的事实", "no dated fact matches these filters"),
    "no-statistic": ("没有符合筛选条件的统计数据", "no statistic matches these filters"),
    "no-quantity": ("没有符合筛选条件的数量", "no quantity matches these filters"),
    "no-search-match": ("没有事实匹配“{terms}”", "no fact matches “{terms}”"),
    "no-sector-fact": (
        "领域“{sector}”中没有符合筛选条件的事实",
        "no fact of the sector {sector} matches these filters",
    ),
    "building-cache": (
        "正在建立事实缓存：已读 {done} / {total} 个文件",
        "building the fact cache: {done} of {total} files read",
    ),
    "reading-files": (
        "正在检查事实文件：已读 {done} / {total} 个文件",
        "checking the fact files: {done} of {total} files read",
    ),
    "more-matches": (
        "另有 {more} 条事实匹配（显示最佳的 {shown} 条；--limit 0 显示全部）",
        "{more} more facts match (showing the best {shown}; --limit 0 shows all)",
    ),
}


def message(lang: str, key: str, **data: object) -> str:
    """A message in the language; with both, the Chinese and then the English."""
    zh, en = (text.format(**data) for text in MESSAGES[key])
    return pick(lang, zh, en, joiner=" / ")
