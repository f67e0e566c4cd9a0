"""Pictures for the HTML briefing, as inline SVG: the timeline on a time axis and each unit's figures as bars.

Pure functions from facts to SVG text. Every piece of data is made visible (no control characters) and
escaped for XML, so a title can only ever be text. Sizes are in a fixed coordinate system (viewBox); the page
scales the picture to its width.

The timeline: one row per dated fact, in date order, on an axis of years. A mark shows the fact at its own
precision: a day is a dot, a month a short bar as wide as the month, a year a pale bar as wide as the year,
a period a solid bar from its first to its last day; an inferred date has a dashed outline. Each mark links
to the fact in the page and carries its date and title as a tooltip.

The bars: one chart per unit, each to its own scale. A "more than" figure is a lower bound: its bar is
followed by an open, dashed arrow, since the true figure is larger; a range is drawn from its low to its high
end; an "about" figure is marked ≈ in its label. Ordinals (第十一批) are not quantities and are not drawn.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from shenka_cli.core.model import Fact, FuzzyDate, Period, Qualifier, Statistic, StatKind
from shenka_cli.present.figures import Units
from shenka_cli.present.views import pick, show_value, show_when
from shenka_cli.text.safety import visible_line

WIDTH = 960
ROW = 30
AXIS = 34
FONT = 13
INSIDE = 200  # a label with less room than this beside its mark goes inside it (a long period)
PALETTE = ("#1f6fb2", "#c2571a", "#2e8b57", "#8a3ffc", "#b8860b", "#d6336c", "#0f7b7b", "#5c5c5c")


def xml_text(text: str) -> str:
    """Data as SVG text content or attribute value: one visible line, XML-escaped."""
    return html.escape(visible_line(text), quote=True)


def text_width(text: str, size: float = FONT) -> float:
    """The approximate width of text: wide (CJK) characters a full em, others a little over half."""
    return sum(size if ord(char) > 0x2E7F else size * 0.56 for char in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    """Text cut with an ellipsis to fit `width`."""
    if text_width(text, size) <= width:
        return text
    kept = ""
    for char in text:
        if text_width(kept + char + "…", size) > width:
            break
        kept += char
    return kept + "…"


def sector_colours(sector_ids: Sequence[str]) -> dict[str, str]:
    """A colour for each sector, in the order given."""
    return {sector: PALETTE[index % len(PALETTE)] for index, sector in enumerate(dict.fromkeys(sector_ids))}


# The timeline.


def _span(when: FuzzyDate | Period) -> tuple[dt.date, dt.date]:
    """The first day and the day after the last day a date or period covers."""
    return when.first_day, when.last_day + dt.timedelta(days=1)


def _mark(fact: Fact, x0: float, x1: float, y: float, colour: str) -> str:
    when = fact.when
    assert when is not None
    precision = "period" if isinstance(when, Period) else when.precision.value
    dashed = ' stroke-dasharray="3 2"' if when.inferred else ""
    centre = y + ROW / 2
    if precision == "day":
        shape = (
            f'<circle cx="{(x0 + x1) / 2:.1f}" cy="{centre:.1f}" r="5.5" fill="{colour}" stroke="{colour}"{dashed}/>'
        )
    else:
        width = max(x1 - x0, 6.0)
        height = 18 if precision == "period" else 10
        opacity = {"period": "1", "month": "0.85", "year": "0.35"}[precision]
        shape = (
            f'<rect x="{x0:.1f}" y="{centre - height / 2:.1f}" width="{width:.1f}" height="{height}" rx="2" '
            f'fill="{colour}" fill-opacity="{opacity}" stroke="{colour}"{dashed}/>'
        )
    return (
        f'<a href="#fact-{xml_text(fact.id)}" class="mark" data-fact="{xml_text(fact.id)}" '
        f'data-precision="{precision}">{shape}</a>'
    )


def timeline_svg(dated: Sequence[Fact], lang: str, colours: dict[str, str], label: str) -> str:
    """The dated facts (in order) as marks on a time axis, one row each; '' when there are none."""
    spans = [_span(fact.when) for fact in dated if fact.when is not None]
    if not spans:
        return ""
    first_year = min(start.year for start, _ in spans)
    last_year = max((end - dt.timedelta(days=1)).year for _, end in spans)
    origin = dt.date(first_year, 1, 1).toordinal()
    total = dt.date(last_year + 1, 1, 1).toordinal() - origin
    left, right = 16.0, WIDTH - 16.0

    def x(day: dt.date) -> float:
        return left + (day.toordinal() - origin) / total * (right - left)

    height = AXIS + ROW * len(dated) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{xml_text(label)}" font-size="{FONT}">'
    ]
    years = last_year - first_year + 1
    step = max(1, -(-years // 16))  # at most 16 year labels
    for year in range(first_year, last_year + 2):
        at = x(dt.date(year, 1, 1))
        parts.append(f'<line x1="{at:.1f}" y1="{AXIS - 6}" x2="{at:.1f}" y2="{height}" class="grid"/>')
        if year <= last_year and (year - first_year) % step == 0:
            middle = (at + x(dt.date(year + 1, 1, 1))) / 2 if years <= 16 else at + 2
            anchor = "middle" if years <= 16 else "start"
            parts.append(f'<text x="{middle:.1f}" y="{AXIS - 12}" text-anchor="{anchor}" class="year">{year}</text>')
    for row, fact in enumerate(dated):
        when = fact.when
        assert when is not None
        start, end = _span(when)
        x0, x1 = x(start), x(end)
        y = AXIS + row * ROW
        colour = colours.get(fact.sector, PALETTE[-1])
        title = f"{show_when(when, lang)} · {pick(lang, fact.title, fact.title_en, ' / ')}"
        parts.append(f'<g class="row"><title>{xml_text(title)}</title>')
        parts.append(_mark(fact, x0, x1, y, colour))
        room_after = right - max(x1, x0 + 11) - 6
        room_before = x0 - left - 6
        baseline = y + ROW / 2 + FONT * 0.35
        if max(room_after, room_before) < INSIDE and x1 - x0 >= INSIDE:
            text = clip(title, x1 - x0 - 12)
            parts.append(f'<text x="{x0 + 6:.1f}" y="{baseline:.1f}" class="inside">{xml_text(text)}</text>')
        elif room_after >= room_before:
            text = clip(title, room_after)
            parts.append(f'<text x="{max(x1, x0 + 11) + 6:.1f}" y="{baseline:.1f}">{xml_text(text)}</text>')
        else:
            text = clip(title, room_before)
            parts.append(f'<text x="{x0 - 6:.1f}" y="{baseline:.1f}" text-anchor="end">{xml_text(text)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


# The statistics.


def _bar_span(stat: Statistic) -> tuple[float, float]:
    if stat.qualifier is Qualifier.RANGE:
        low = float(stat.low or 0)
        return low, float(stat.high if stat.high is not None else low)
    return 0.0, float(stat.value if stat.value is not None else (stat.low or 0))


def quantities_by_unit(stats: Sequence[Statistic]) -> dict[str, list[Statistic]]:
    """The quantities (not ordinals) grouped by unit, in order of first appearance."""
    groups: dict[str, list[Statistic]] = {}
    for stat in stats:
        if stat.kind is StatKind.QUANTITY:
            groups.setdefault(stat.unit, []).append(stat)
    return groups


def figure_text(stat: Statistic, lang: str, units: Units) -> str:
    """A bar's figure: in Chinese the number and unit (> 990 人), in English the figure written in English."""
    return f"{show_value(stat)} {units.name(stat.unit, 'zh')}" if lang == "zh" else units.english_figure(stat)


def bars_svg(stats: Sequence[Statistic], lang: str, label: str, units: Units | None = None) -> str:
    """One unit's figures as horizontal bars to one scale, a lower bound marked as such."""
    units = units or Units()
    label_width, figure_width = 330.0, 130.0
    left = label_width + 10
    right = WIDTH - figure_width - 10
    top = max((max(_bar_span(stat)) for stat in stats), default=0.0) or 1.0
    height = ROW * len(stats) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{xml_text(label)}" font-size="{FONT}">'
    ]
    for row, stat in enumerate(stats):
        y = 3 + row * ROW
        centre = y + ROW / 2
        baseline = centre + FONT * 0.35
        low, high = _bar_span(stat)
        x0 = left + low / top * (right - left)
        x1 = max(left + high / top * (right - left), x0 + 2)
        name = pick(lang, stat.label, stat.label_en, " / ")
        kind = {Qualifier.MORE_THAN: "lower-bound", Qualifier.RANGE: "range", Qualifier.ABOUT: "about"}.get(
            stat.qualifier, "exact"
        )
        parts.append(f'<g class="bar {kind}" data-fact="{xml_text(stat.fact_id)}">')
        tooltip = f"{name}: {figure_text(stat, lang, units)}" + (f" ({stat.written})" if lang != "zh" else "")
        parts.append(f"<title>{xml_text(tooltip)}</title>")
        shown = xml_text(clip(name, label_width))
        parts.append(f'<text x="{label_width:.1f}" y="{baseline:.1f}" text-anchor="end">{shown}</text>')
        parts.append(f'<rect x="{x0:.1f}" y="{centre - 8:.1f}" width="{x1 - x0:.1f}" height="16" class="fill"/>')
        end = x1
        if stat.qualifier is Qualifier.MORE_THAN:
            tip = min(x1 + 26, right + 8)
            parts.append(
                f'<path d="M{x1:.1f},{centre:.1f} H{tip:.1f} M{tip - 6:.1f},{centre - 5:.1f} L{tip:.1f},{centre:.1f} '
                f'L{tip - 6:.1f},{centre + 5:.1f}" class="open"/>'
            )
            end = tip
        figure = figure_text(stat, lang, units)
        parts.append(f'<text x="{end + 6:.1f}" y="{baseline:.1f}">{xml_text(figure)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
