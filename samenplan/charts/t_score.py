"""The plan's Kiresuk-Sherman T-score over time: one line, 50 ("doelen gehaald") marked."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup

from samenplan.charts.axes import Frame, point_label, series_line, spaced
from samenplan.charts.style import BRAND, CARD, INK, WIDTH
from samenplan.charts.svg import (
    accessible_svg, check_prefix, data_table, empty, figure, group, join, tag,
)
from samenplan.charts.text import long_date
from samenplan.domain.i18n import _

__all__ = ["t_score_line"]

_T_MIN, _T_MAX, _T_EXPECTED = 20.0, 80.0, 50.0
_HEIGHT = 204.0
_FRAME = Frame(
    left=34.0, right=WIDTH - 76.0, top=24.0, bottom=_HEIGHT - 36.0, low=_T_MIN, high=_T_MAX,
    inset=(16, 16),
)


def round_half_up(value: float) -> int:
    """Round half up (52.5 -> 53), as people expect; Python's round() goes to even."""
    return math.floor(value + 0.5)


def _check(points: Sequence[tuple[date, float]]) -> None:
    for day, score in points:
        if not isinstance(day, date):
            raise ValueError(f"each point needs a date, got {day!r}")
        is_number = isinstance(score, int | float) and not isinstance(score, bool)
        if not is_number or not math.isfinite(score):
            raise ValueError(f"a T-score must be a finite number, got {score!r}")


def _reference() -> Markup:
    """The dashed line at 50, labelled "gehaald" at the right (GAS level 0 is the goal
    reached, so T = 50 is every goal reached on average)."""
    y = _FRAME.y(_T_EXPECTED)
    line = tag(
        "line", x1=_FRAME.left, y1=y, x2=_FRAME.right, y2=y, stroke=INK, stroke_width=1.5,
        stroke_dasharray="6 4",
    )
    label = tag(
        "text", _("gehaald"), x=WIDTH - 1.0, y=y + 4.5, font_size=13.5,
        font_weight="600", fill=INK, text_anchor="end", class_="reference-label",
    )
    return group([line, label], class_="reference")


def _line(ordered: Sequence[tuple[date, float]], xs: Mapping[date, float]) -> Markup:
    """The line through the scores, a dot for each, and their values where they fit."""
    coords = [(xs[d], _FRAME.y(s)) for d, s in ordered]
    parts = [series_line(coords, BRAND, 3)] if len(coords) > 1 else []
    keep = spaced([x for x, _y in coords], 24)
    for i, ((_day, score), (x, y)) in enumerate(zip(ordered, coords)):
        parts.append(
            tag("circle", cx=x, cy=y, r=5.5, fill=BRAND, stroke=CARD, stroke_width=2,
                class_="point")
        )
        if i in keep:
            label_y = y - 11 if y - 11 - 12 >= 0 else y + 22
            parts.append(point_label(str(round_half_up(score)), x, label_y, "middle"))
    return join(parts)


def _summary(ordered: Sequence[tuple[date, float]]) -> str:
    """The ``<desc>``: what 50 means, the last score, and how it compares with the one before."""
    last_day, last_score = ordered[-1]
    now = round_half_up(last_score)
    sentences = [
        _("50 is: gemiddeld zijn de doelen gehaald. Hoger is meer dan de doelen, lager is nog niet "
          "gehaald."),
        _("De laatste score is %(score)s, op %(date)s.")
        % {"score": now, "date": long_date(last_day)},
    ]
    if len(ordered) > 1:
        before = round_half_up(ordered[-2][1])
        if now > before:
            sentences.append(_("Dat is hoger dan de keer ervoor (%(score)s).") % {"score": before})
        elif now < before:
            sentences.append(_("Dat is lager dan de keer ervoor (%(score)s).") % {"score": before})
        else:
            sentences.append(_("Dat is hetzelfde als de keer ervoor."))
    return " ".join(sentences)


def t_score_line(
    points: Sequence[tuple[date, float]],
    id_prefix: str,
    *,
    caption: str | None = None,
) -> Markup:
    """The plan's Kiresuk-Sherman T-score over time, y axis 20..80, a line at 50 ("doelen gehaald").

    `points` are (date of the evaluation, T-score); they are sorted by date. Each point is
    labelled with its rounded score; dates on the x axis read "d-m". A score outside 20..80 is
    drawn at the edge, its label still says the real score. One point gives a single dot; no
    points gives the sentence "Nog geen scores." instead of a chart.

    Raises ValueError for a bad `id_prefix` or a score that is not a finite number.
    """
    id_prefix = check_prefix(id_prefix)
    _check(points)
    if not points:
        return empty(_("Nog geen scores."))
    ordered = sorted(points, key=lambda p: p[0])
    days = [d for d, _s in ordered]
    xs = _FRAME.x_positions(days)
    body = join([
        _FRAME.value_axis(range(int(_T_MIN), int(_T_MAX) + 1, 10), no_line=_T_EXPECTED),
        _reference(),
        _FRAME.date_axis(days, xs),
        _line(ordered, xs),
    ])
    title = caption or _("Score van het plan door de tijd")
    svg = accessible_svg(id_prefix, _HEIGHT, title, _summary(ordered), body, "t-score")
    rows = [[long_date(d), str(round_half_up(s))] for d, s in ordered]
    table = data_table(_("Alle scores"), [_("Datum"), _("Score")], rows)
    return figure("t-score", title, _("50 is: gemiddeld zijn de doelen gehaald. Hoger is beter."), svg, table)
