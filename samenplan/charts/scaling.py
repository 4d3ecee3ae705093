"""Answers to one scaling question (0-10) over time: one line per respondent."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup

from samenplan.charts.axes import Frame, point_label, series_line
from samenplan.charts.style import BRAND, CARD, INK, WIDTH
from samenplan.charts.svg import (
    SVG_NS, accessible_svg, check_prefix, data_table, empty, figure, group, join, num, tag,
)
from samenplan.charts.text import long_date
from samenplan.domain.i18n import _
from samenplan.domain.scaling import SCORE_MAX, SCORE_MIN, trend, validate_score

__all__ = ["SERIES_STYLES", "scaling_trends"]

#: Per series: colour, dash pattern, marker shape. Lines differ by dash AND marker, so
#: colour is never the only difference.
SERIES_STYLES: tuple[tuple[str, str | None, str], ...] = (
    (BRAND, None, "circle"),
    ("#b3390b", "8 4", "square"),
    ("#5b3fa0", "2 3", "triangle"),
    (INK, "10 3 2 3", "diamond"),
    ("#8a4b00", "5 2", "triangle-down"),
    ("#1f6f3d", "1 4", "cross"),
)

#: Corners of the polygon markers, in units of the marker size.
_POLYGONS = {
    "triangle": ((0, -1.2), (1.15, 0.85), (-1.15, 0.85)),
    "triangle-down": ((0, 1.2), (1.15, -0.85), (-1.15, -0.85)),
    "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
}

_HEIGHT = 214.0
_FRAME = Frame(
    left=30.0, right=WIDTH - 46.0, top=12.0, bottom=_HEIGHT - 36.0, low=SCORE_MIN, high=SCORE_MAX,
    inset=(12, 10),
)

#: A respondent that has answered: (index among those drawn, name, answers by date).
Drawn = tuple[int, str, list[tuple[date, int]]]


def _style(index: int) -> tuple[str, str | None, str]:
    return SERIES_STYLES[index % len(SERIES_STYLES)]


def _marker(shape: str, x: float, y: float, colour: str, size: float = 5.0) -> Markup:
    s = size
    common = {
        "fill": colour, "stroke": CARD, "stroke_width": 1.5, "class_": f"marker marker-{shape}",
    }
    if shape == "circle":
        return tag("circle", cx=x, cy=y, r=s, **common)
    if shape == "square":
        return tag("rect", x=x - s * 0.9, y=y - s * 0.9, width=s * 1.8, height=s * 1.8, **common)
    if shape in _POLYGONS:
        corners = " ".join(f"{num(x + dx * s)},{num(y + dy * s)}" for dx, dy in _POLYGONS[shape])
        return tag("polygon", points=corners, **common)
    # cross: two strokes, no fill
    d = s * 0.95
    return tag(
        "path",
        d=f"M{num(x - d)},{num(y - d)}L{num(x + d)},{num(y + d)}"
        f"M{num(x - d)},{num(y + d)}L{num(x + d)},{num(y - d)}",
        fill="none", stroke=colour, stroke_width=3, stroke_linecap="round",
        class_="marker marker-cross",
    )


def _legend(drawn: Sequence[Drawn]) -> Markup:
    """The names under the chart, each after a small picture of its line (hidden from screen
    readers: the table says it all)."""
    items = []
    for index, name, _answers in drawn:
        colour, dash, shape = _style(index)
        line = tag(
            "line", x1=1.0, y1=8.0, x2=35.0, y2=8.0, stroke=colour, stroke_width=2.5,
            stroke_dasharray=dash,
        )
        icon = tag(
            "svg", line + _marker(shape, 18, 8, colour), xmlns=SVG_NS, viewBox="0 0 36 16",
            width="36", height="16", aria_hidden="true", focusable="false", class_="legend-icon",
        )
        items.append(tag("li", icon + tag("span", name)))
    return tag("ul", join(items), class_="chart-legend", aria_hidden="true")


def _spread(ys: list[float], min_gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart (keeping their order) so none are closer than `min_gap`."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [ys[i] for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + min_gap)
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [p - overflow for p in placed]
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - min_gap)
    placed = [max(p, low) for p in placed]
    result = [0.0] * len(ys)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


def _clean(
    series: Sequence[tuple[str, Sequence[tuple[date, int]]]],
) -> list[tuple[str, list[tuple[date, int]]]]:
    """Every respondent's name and checked answers, by date."""
    cleaned = []
    for name, answers in series:
        checked = []
        for day, score in answers:
            if not isinstance(day, date):
                raise ValueError(f"each answer needs a date, got {day!r}")
            checked.append((day, validate_score(score)))
        cleaned.append((str(name), sorted(checked, key=lambda a: a[0])))
    return cleaned


def _lines(drawn: Sequence[Drawn], xs: Mapping[date, float]) -> Markup:
    """A line with markers per respondent, and each line's latest answer at the right."""
    parts: list[Markup] = []
    ends: list[tuple[int, float, int]] = []
    for index, name, answers in drawn:
        colour, dash, shape = _style(index)
        # a small sideways shift per line, so equal answers on the same day stay visible
        shift = (index - (len(drawn) - 1) / 2) * min(3.0, 12.0 / len(drawn))
        coords = [(xs[d] + shift, _FRAME.y(s)) for d, s in answers]
        line = [series_line(coords, colour, 2.5, dash)] if len(coords) > 1 else []
        markers = [_marker(shape, x, y, colour) for x, y in coords]
        parts.append(group([tag("title", name), *line, *markers], class_=f"series series-{index}"))
        ends.append((index, coords[-1][1], answers[-1][1]))
    label_ys = _spread([y for _i, y, _s in ends], 17, _FRAME.top + 2, _FRAME.bottom - 2)
    for (index, _y, score), y in zip(ends, label_ys):
        colour, _dash, shape = _style(index)
        marker = _marker(shape, _FRAME.right + 10, y, colour, 4.5)
        label = point_label(str(score), _FRAME.right + 19, y + 5)
        parts.append(group([marker, label], class_=f"latest latest-{index}"))
    return join(parts)


def _table(cleaned: Sequence[tuple[str, list[tuple[date, int]]]], question_label: str) -> Markup:
    """Everyone's answers, the latest with its trend; "nog geen antwoord" for who has none."""
    trend_words = {
        "omhoog": _("omhoog"),
        "omlaag": _("omlaag"),
        "gelijk": _("gelijk"),
        "nieuw": _("eerste keer"),
    }
    rows = []
    for name, answers in cleaned:
        if answers:
            history = ", ".join(f"{long_date(d)}: {s}" for d, s in answers)
            went = trend_words[trend([s for _d, s in answers])]
            last = _("%(score)s (%(trend)s)") % {"score": answers[-1][1], "trend": went}
        else:
            history, last = _("nog geen antwoord"), ""
        rows.append([name, history, last])
    return data_table(
        _("%(question)s: alle antwoorden") % {"question": question_label},
        [_("Naam"), _("Antwoorden"), _("Laatste")],
        rows,
    )


def scaling_trends(
    series: Sequence[tuple[str, Sequence[tuple[date, int]]]],
    id_prefix: str,
    question_label: str,
) -> Markup:
    """Answers to one scaling question (0-10) over time, one line per respondent.

    `series` holds (name, [(date, score), ...]) per respondent; `question_label` is e.g.
    "Voortgang". Lines differ by colour, dash pattern and marker shape; a legend under the
    chart names them, and the latest value of each line is labelled at its right end. A
    respondent without answers is left out of the chart but named in the text alternative.
    Without any answers the result is the sentence "Nog geen antwoorden." instead of a chart.

    Raises ValueError for a bad `id_prefix` or a score outside 0..10.
    """
    id_prefix = check_prefix(id_prefix)
    cleaned = _clean(series)
    drawn = [(i, name, answers) for i, (name, answers) in enumerate(c for c in cleaned if c[1])]
    if not drawn:
        return empty(_("Nog geen antwoorden."))
    days = [d for _i, _n, answers in drawn for d, _s in answers]
    xs = _FRAME.x_positions(days)
    body = join([
        _FRAME.value_axis(range(SCORE_MIN, SCORE_MAX + 1, 2), no_line=SCORE_MIN),
        _FRAME.date_axis(days, xs),
        _lines(drawn, xs),
    ])
    title = _("%(question)s door de tijd") % {"question": question_label}
    latest = "; ".join(f"{name}: {answers[-1][1]}" for _i, name, answers in drawn)
    desc = " ".join([
        _("Cijfers van 0 tot en met 10, per persoon."),
        _("Laatste cijfers: %(list)s.") % {"list": latest},
    ])
    svg = accessible_svg(id_prefix, _HEIGHT, title, desc, body, "scaling")
    hint = _("0 is heel laag, 10 is heel hoog.")
    return figure("scaling", title, hint, svg, _legend(drawn), _table(cleaned, question_label))
