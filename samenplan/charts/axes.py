"""What the line charts share: the plot area, the axes, a line through points, point labels."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from samenplan.charts.style import GRID, HALO, INK, MUTED
from samenplan.charts.svg import group, join, points, tag
from samenplan.charts.text import short_date

__all__ = ["Frame", "axis_label", "point_label", "series_line", "spaced"]


def spaced(xs: Sequence[float], min_gap: float) -> set[int]:
    """Indexes of `xs` (ascending) to label, the last always, so labels never overlap."""
    chosen: set[int] = set()
    last_x = math.inf
    for i in range(len(xs) - 1, -1, -1):
        if last_x - xs[i] >= min_gap:
            chosen.add(i)
            last_x = xs[i]
    return chosen


def axis_label(text: str, x: float, y: float, anchor: str) -> Markup:
    """A number or date along an axis."""
    return tag(
        "text", text, x=x, y=y, text_anchor=anchor, font_size=13, fill=MUTED, class_="axis-label"
    )


def point_label(text: str, x: float, y: float, anchor: str | None = None) -> Markup:
    """The value of a point, bold, with a halo so a line behind it does not hide it."""
    return tag(
        "text", text, x=x, y=y, text_anchor=anchor, font_size=15, font_weight="700", fill=INK,
        class_="point-label", **HALO,
    )


def series_line(
    coords: Iterable[tuple[float, float]], colour: str, width: float, dash: str | None = None
) -> Markup:
    """The line through the points of one series."""
    return tag(
        "polyline", points=points(coords), fill="none", stroke=colour, stroke_width=width,
        stroke_dasharray=dash, stroke_linejoin="round", class_="series-line",
    )


@dataclass(frozen=True)
class Frame:
    """The plot area of a line chart: values from `low` (at `bottom`) to `high` (at `top`),
    dates from left to right, with the first and last date `inset` from the edges."""

    left: float
    right: float
    top: float
    bottom: float
    low: float
    high: float
    inset: tuple[float, float]

    def y(self, value: float) -> float:
        """Where `value` is drawn; a value outside low..high at the edge."""
        clamped = min(max(value, self.low), self.high)
        share = (clamped - self.low) / (self.high - self.low)
        return self.bottom - share * (self.bottom - self.top)

    def x_positions(self, days: Sequence[date]) -> dict[date, float]:
        """x for each date: by time, or in the middle when there is only one date."""
        left, right = self.left + self.inset[0], self.right - self.inset[1]
        unique = sorted(set(days))
        if len(unique) == 1:
            return {unique[0]: (left + right) / 2}
        first, last = unique[0], unique[-1]
        span = (last - first).days
        return {day: left + (right - left) * (day - first).days / span for day in unique}

    def value_axis(self, values: Iterable[int], no_line: float) -> Markup:
        """A grid line (except at `no_line`) and a label for each of `values`."""
        parts: list[Markup] = []
        for value in values:
            y = self.y(value)
            if value != no_line:
                parts.append(
                    tag(
                        "line", x1=self.left, y1=y, x2=self.right, y2=y, stroke=GRID,
                        stroke_width=1, class_="grid",
                    )
                )
            parts.append(axis_label(str(value), self.left - 6, y + 4.5, "end"))
        return join(parts)

    def date_axis(self, days: Sequence[date], xs: Mapping[date, float]) -> Markup:
        """The x axis along the bottom: a tick for each date, labels where they fit."""
        y = self.bottom
        unique = sorted(set(days))
        positions = [xs[d] for d in unique]
        keep = spaced(positions, 38)
        labels = [
            axis_label(short_date(day), positions[i], y + 18, "middle")
            for i, day in enumerate(unique)
            if i in keep
        ]
        ticks = [
            tag("line", x1=x, y1=y, x2=x, y2=y + 5, stroke=MUTED, stroke_width=1) for x in positions
        ]
        axis = tag("line", x1=self.left, y1=y, x2=self.right, y2=y, stroke=MUTED, stroke_width=1.5)
        return group([axis, *ticks, *labels], class_="axis axis-x")
