"""One series as inline SVG for the HTML briefing: its values on a time axis, joined in time order.

Pure. A point stands over its date (the middle of its day, month or year); an exact value is a filled dot, a
lower bound ("more than") an open dot with an arrow pointing up, an "about" value an open dot; a range is a
vertical bar from its low to its high end. Each point links to its fact in the page and carries its date,
figure, fact and sources as a tooltip. Data is made visible and XML-escaped (svg_charts.xml_text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from shenka_cli.core.model import Qualifier, Source
from shenka_cli.core.series import Point, Series
from shenka_cli.present.series import point_date, sources_text
from shenka_cli.present.svg_charts import FONT, WIDTH, xml_text
from shenka_cli.present.views import show_value
from shenka_cli.render.table import format_number

HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 110.0, 30.0, 28.0, 34.0
COLOUR = "#1f6fb2"
MUTED = "#6b6b6b"


def _middle(point: Point) -> dt.date:
    first, last = point.date.first_day, point.date.last_day
    return first + (last - first) / 2


def _top(points: Sequence[Point]) -> float:
    highest = max(float(point.high if point.high is not None else point.value or point.low or 0) for point in points)
    return highest * 1.15 or 1.0


def series_svg(series: Series, sources: Sequence[Source], lang: str, label: str) -> str:
    """The series' points on a time axis; '' when it has none."""
    points = series.points
    if not points:
        return ""
    first_year = min(point.date.first_day.year for point in points)
    last_year = max(point.date.last_day.year for point in points)
    origin = dt.date(first_year, 1, 1).toordinal()
    span = dt.date(last_year + 1, 1, 1).toordinal() - origin
    top = _top(points)
    by_id = {source.id: source for source in sources}

    def x(day: dt.date) -> float:
        return LEFT + (day.toordinal() - origin) / span * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - value / top * (HEIGHT - TOP - BOTTOM)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="series" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{xml_text(label)}" font-size="{FONT}">'
    ]
    base = HEIGHT - BOTTOM
    parts.append(f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{MUTED}"/>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{MUTED}"/>')
    for value in ticks(top):
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + FONT * 0.35:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{xml_text(format_number(value))}</text>"
        )
        parts.append(f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" class="grid"/>')
    step = max(1, -(-(last_year - first_year + 1) // 12))
    for year in range(first_year, last_year + 2):
        at = x(dt.date(year, 1, 1))
        parts.append(f'<line x1="{at:.1f}" y1="{base}" x2="{at:.1f}" y2="{base + 5}" stroke="{MUTED}"/>')
        if year <= last_year and (year - first_year) % step == 0:
            middle = x(dt.date(year, 7, 1))
            parts.append(f'<text x="{middle:.1f}" y="{base + 20}" text-anchor="middle" class="year">{year}</text>')
    line = " ".join(f"{x(_middle(point)):.1f},{y(float(point.value or point.low or 0)):.1f}" for point in points)
    if len(points) > 1:
        parts.append(f'<polyline points="{line}" fill="none" stroke="{COLOUR}" stroke-width="1.5" opacity="0.5"/>')
    for point in points:
        parts.append(_point(point, x(_middle(point)), y, by_id, lang))
    parts.append("</svg>")
    return "".join(parts)


def ticks(top: float) -> list[int]:
    """Round values for the vertical axis, from 0 up to below `top`: steps of 1, 2 or 5 times a power of ten."""
    import math

    if top <= 0:
        return [0]
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= raw)
    return [int(step * index) for index in range(int(top // step) + 1)]


def _point(point: Point, at: float, y, sources: dict[str, Source], lang: str) -> str:
    value = float(point.value if point.value is not None else point.low or 0)
    kind = {Qualifier.MORE_THAN: "lower-bound", Qualifier.ABOUT: "about", Qualifier.RANGE: "range"}.get(
        point.qualifier, "exact"
    )
    tip = f"{point_date(point, lang)}: {point.written} ({show_value(point)}) · {point.fact_id} · "  # type: ignore[arg-type]
    tip += sources_text(point, sources, lang)
    shapes = []
    if point.qualifier is Qualifier.RANGE:
        low, high = y(float(point.low or 0)), y(float(point.high or 0))
        shapes.append(
            f'<line x1="{at:.1f}" y1="{low:.1f}" x2="{at:.1f}" y2="{high:.1f}" stroke="{COLOUR}" stroke-width="6"/>'
        )
        value = float(point.high or 0)
    elif point.qualifier in (Qualifier.MORE_THAN, Qualifier.ABOUT):
        shapes.append(
            f'<circle cx="{at:.1f}" cy="{y(value):.1f}" r="5" fill="#fff" stroke="{COLOUR}" stroke-width="2"/>'
        )
        if point.qualifier is Qualifier.MORE_THAN:
            tip_y = y(value) - 22
            arrow = f"M{at:.1f},{y(value) - 6:.1f} V{tip_y:.1f} M{at - 4:.1f},{tip_y + 5:.1f} L{at:.1f},{tip_y:.1f} "
            arrow += f"L{at + 4:.1f},{tip_y + 5:.1f}"
            shapes.append(f'<path d="{arrow}" fill="none" stroke="{COLOUR}" stroke-width="1.5"/>')
    else:
        shapes.append(f'<circle cx="{at:.1f}" cy="{y(value):.1f}" r="5" fill="{COLOUR}"/>')
    figure = show_value(point)  # type: ignore[arg-type]
    if point.qualifier is Qualifier.MORE_THAN:
        figure = "≥ " + figure.removeprefix("> ")
    from shenka_cli.present.svg_charts import text_width

    if at + 8 + text_width(figure) > WIDTH - 4:
        shapes.append(f'<text x="{at - 8:.1f}" y="{y(value) - 8:.1f}" text-anchor="end">{xml_text(figure)}</text>')
    else:
        shapes.append(f'<text x="{at + 8:.1f}" y="{y(value) - 8:.1f}">{xml_text(figure)}</text>')
    return (
        f'<a href="#fact-{xml_text(point.fact_id)}" class="point {kind}" data-fact="{xml_text(point.fact_id)}">'
        f"<title>{xml_text(tip)}</title>{''.join(shapes)}</a>"
    )
