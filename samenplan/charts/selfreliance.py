"""A caregiver's self-sufficiency over time as a heat map: one row per life domain, one column
per meting, each cell coloured by its level (1-5) *and* holding the number, never colour alone;
an empty cell for a domain not scored. A legend under the grid says what each number means;
the text alternative is a table of the same numbers with the full names."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from samenplan.charts.style import CARD, INK, LINE, MUTED, WIDTH
from samenplan.charts.svg import (
    accessible_svg, check_prefix, data_table, empty, figure, group, join, tag,
)
from samenplan.charts.text import long_date, short_date, wrap
from samenplan.domain.i18n import _

__all__ = ["FILLS", "self_reliance_heat_map"]

#: level -> (cell fill, number colour); every pair has a contrast of at least 4.5:1, and the
#: light cells keep a border so they stand out from the card
FILLS = {
    1: ("#8e1b1f", CARD),
    2: ("#f4b183", INK),
    3: ("#fbe7a1", INK),
    4: ("#b7dfbf", INK),
    5: ("#1d6b40", CARD),
}

_LABEL_W = 128.0
_HEAD_H = 22.0
_ROW_H = 26.0
_FONT = 10.5
_LEGEND_ROW = 20.0
_MAX_CELL = 40.0


def _check(domains, metingen, levels) -> None:
    if len(levels) != len(domains):
        raise ValueError("one row of levels per domain")
    for row in levels:
        if len(row) != len(metingen):
            raise ValueError("one level per meting in every row")
        for level in row:
            if level is not None and level not in FILLS:
                raise ValueError(f"a level is 1-5 or None, got {level!r}")
    for day, _label in metingen:
        if not isinstance(day, date):
            raise ValueError(f"each meting needs a date, got {day!r}")


def _label(text: str, y: float) -> Markup:
    lines, _cut = wrap(text, (_LABEL_W - 6) / _FONT, 2)
    first = y + _ROW_H / 2 + 4 - (len(lines) - 1) * 6
    return join(
        tag("text", line, x=0, y=first + i * 12, font_size=_FONT, fill=INK, class_="domain-label")
        for i, line in enumerate(lines))


def _cell(level: int | None, x: float, y: float, w: float) -> Markup:
    cx, cy = x + w / 2, y + _ROW_H / 2 + 4
    if level is None:
        return join([
            tag("rect", x=x + 1, y=y + 1, width=w - 2, height=_ROW_H - 2, fill=CARD,
                stroke=LINE, stroke_width=1, class_="cell cell-none"),
            tag("text", "–", x=cx, y=cy, font_size=11, fill=MUTED, text_anchor="middle"),
        ])
    fill, ink = FILLS[level]
    return join([
        tag("rect", x=x + 1, y=y + 1, width=w - 2, height=_ROW_H - 2, fill=fill, stroke=MUTED,
            stroke_width=0.5, class_=f"cell cell-{level}"),
        tag("text", str(level), x=cx, y=cy, font_size=12, font_weight="700", fill=ink,
            text_anchor="middle", class_="cell-number"),
    ])


def _legend(words: Sequence[str], top: float) -> Markup:
    parts = []
    for i, level in enumerate(sorted(FILLS)):
        y = top + i * _LEGEND_ROW
        fill, ink = FILLS[level]
        parts += [
            tag("rect", x=0, y=y, width=22, height=16, fill=fill, stroke=MUTED, stroke_width=0.5),
            tag("text", str(level), x=11, y=y + 12, font_size=11, font_weight="700", fill=ink,
                text_anchor="middle"),
            tag("text", words[i], x=30, y=y + 12, font_size=_FONT, fill=INK),
        ]
    return group(parts, class_="legend")


def _insufficient(column: Sequence[int | None]) -> int:
    return sum(1 for level in column if level is not None and level <= 3)


def self_reliance_heat_map(
    domains: Sequence[str],
    metingen: Sequence[tuple[date, str]],
    levels: Sequence[Sequence[int | None]],
    id_prefix: str,
    *,
    caption: str,
    legend: Sequence[str],
) -> Markup:
    """The heat map: `domains` (row names, as the reader calls them), `metingen` (each its day
    and a label such as "Start, 1-10-2026", in order), `levels[row][column]` (1-5 or None),
    `legend` (the words for levels 1 to 5). No metingen: one sentence instead.

    Raises ValueError for a bad `id_prefix`, rows or columns that do not fit, a level outside
    1-5."""
    id_prefix = check_prefix(id_prefix)
    _check(domains, metingen, levels)
    if not metingen or not domains:
        return empty(_("Nog geen metingen."))
    if len(legend) != len(FILLS):
        raise ValueError("the legend names levels 1 to 5")
    width = min(_MAX_CELL, (WIDTH - _LABEL_W) / len(metingen))
    parts = []
    for j, (day, _label_text) in enumerate(metingen):
        x = _LABEL_W + j * width + width / 2
        parts.append(tag("text", short_date(day), x=x, y=_HEAD_H - 8, font_size=9.5, fill=MUTED,
                         text_anchor="middle", class_="column-label"))
    for i, name in enumerate(domains):
        y = _HEAD_H + i * _ROW_H
        parts.append(_label(name, y))
        parts += [_cell(levels[i][j], _LABEL_W + j * width, y, width)
                  for j in range(len(metingen))]
    grid_bottom = _HEAD_H + len(domains) * _ROW_H
    parts.append(_legend(legend, grid_bottom + 12))
    height = grid_bottom + 12 + len(FILLS) * _LEGEND_ROW + 4
    first = [row[0] for row in levels]
    last = [row[-1] for row in levels]
    sentences = [_("Per leefgebied het niveau bij elke meting, van 1 (%(low)s) tot 5 (%(high)s). "
                   "4 en 5 is voldoende.") % {"low": legend[0], "high": legend[-1]},
                 _("Bij de meting van %(date)s was het op %(n)s leefgebieden nog niet voldoende.")
                 % {"date": long_date(metingen[0][0]), "n": _insufficient(first)}]
    if len(metingen) > 1:
        sentences.append(_("Bij de laatste meting, van %(date)s, op %(n)s.")
                         % {"date": long_date(metingen[-1][0]), "n": _insufficient(last)})
    svg = accessible_svg(id_prefix, height, caption, " ".join(sentences),
                         group(parts, class_="heat-map"), "self-reliance")
    rows = [[name, *("–" if level is None else str(level) for level in levels[i])]
            for i, name in enumerate(domains)]
    table = data_table(caption, [_("Leefgebied"), *(label for _day, label in metingen)], rows)
    return figure("self-reliance", caption,
                  _("In elk vak staat het niveau: 1 is het zwaarst, 5 is helemaal zelf. 4 en 5 is voldoende."),
                  svg, table)
