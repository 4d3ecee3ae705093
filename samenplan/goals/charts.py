"""Server-rendered, accessible SVG charts: the GAS ladder, the T-score and scaling trends.

Every chart is a ``<figure>`` with a ``<figcaption>``, an inline ``<svg role="img">`` labelled by
its own ``<title>`` and ``<desc>`` (ids start with `id_prefix`), and a text alternative that
states the same numbers in words: a ``<table class="sr-only">``. No JavaScript, no chart
library, no inline ``style=`` (the strict CSP forbids it): geometry and colours are SVG
presentation attributes, the rest comes from ``static/css/samenplan.css`` (``/* charts */``).

The markup is well-formed XML (the SVG carries its namespace, void elements are closed), so
it can be checked with ``xml.etree`` and embedded in a PDF renderer later.

All user text (descriptions, names, labels) goes through ``markupsafe.escape``. Literal
Dutch text goes through flask-babel's ``gettext`` at call time; outside an app context
flask-babel falls back to the message id, so this module imports and renders without Flask.

Usage from a view or template: ``{{ gas_ladder(levels, current, baseline, "doel-7-ladder") }}``
(the result is ``Markup``; do not ``|safe`` or escape it again).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from samenplan.domain.gas import LEVEL_LABELS, LEVELS
from samenplan.domain.scaling import SCORE_MAX, SCORE_MIN, trend, validate_score

__all__ = ["gas_ladder", "scaling_trends", "t_score_line"]

SVG_NS = "http://www.w3.org/2000/svg"

#: Width of every chart's viewBox. On a 360 px phone the chart is drawn about 290 px wide,
#: so one user unit is roughly one CSS pixel there.
WIDTH = 300

# Colours, the same as the CSS custom properties of samenplan.css.
INK = "#1b1f24"
MUTED = "#4a5560"
LINE = "#d6d2c8"
GRID = "#e7e3da"
BRAND = "#0b5d6b"
BRAND_LIGHT = "#e3f0f2"
CARD = "#ffffff"

#: Labels get a white outline so a line running behind them does not hide them.
HALO = {"stroke": CARD, "stroke_width": 4, "stroke_linejoin": "round", "paint_order": "stroke"}

#: Width of characters in em, roughly those of DejaVu Sans (the widest common system-ui
#: font); other characters count as 0.62 (lower case) or 0.72 (capitals, symbols). Generous,
#: so a wrapped line never runs out of its box, whatever font the phone has.
_EM = {
    **dict.fromkeys("iljI.,:;'!|\u00b7", 0.29),
    **dict.fromkeys("ftr()[]-/\u2010", 0.4),
    " ": 0.32,
    **dict.fromkeys("sczkvxy", 0.58),
    **dict.fromkeys("0123456789", 0.64),
    "m": 0.98,
    "w": 0.83,
    "M": 0.87,
    "W": 1.0,
}


def em_width(text: str) -> float:
    """Estimated width of `text` in em (font size = 1)."""
    return sum(_EM.get(c, 0.62 if c.islower() else 0.72) for c in text)


_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
MINUS = "\u2212"  # a real minus sign, not a hyphen
ELLIPSIS = "\u2026"

# --------------------------------------------------------------------------------------------
# small helpers


def _check_prefix(id_prefix: str) -> str:
    if not isinstance(id_prefix, str) or not _ID_PREFIX.match(id_prefix):
        raise ValueError(
            "id_prefix must start with a letter and hold only letters, digits, '-' and '_', "
            f"got {id_prefix!r}"
        )
    return id_prefix


def _num(value: float) -> str:
    """A coordinate for an attribute: at most one decimal, no trailing '.0'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _round(value: float) -> int:
    """Round half up (52.5 -> 53), as people expect; Python's round() goes to even."""
    return math.floor(value + 0.5)


def _signed(level: int) -> str:
    """A GAS level as people write it: +2, +1, 0, −1, −2."""
    if level > 0:
        return f"+{level}"
    if level < 0:
        return f"{MINUS}{-level}"
    return "0"


def _short_date(day: date) -> str:
    return f"{day.day}-{day.month}"


def _long_date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _attrs(**attributes: object) -> Markup:
    """Attributes, escaped; trailing '_' is dropped (class_) and '_' becomes '-'."""
    parts = []
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = _num(value)
        parts.append(Markup(' {}="{}"').format(Markup(name), value))
    return Markup("").join(parts)


def _tag(name: str, content: object = None, **attributes: object) -> Markup:
    """An element; without content it is self-closed, so the output stays well-formed XML."""
    if content is None:
        return Markup("<{}{}/>").format(Markup(name), _attrs(**attributes))
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), _attrs(**attributes), content)


def _join(parts: Iterable[object]) -> Markup:
    return Markup("").join(escape(part) for part in parts)


def _text_width(text: str, font_size: float) -> float:
    return em_width(text) * font_size


def wrap(text: str, max_em: float, max_lines: int) -> tuple[list[str], bool]:
    """`text` in lines of at most `max_em` wide (see em_width), at most `max_lines` of them.

    Breaks between words; a word wider than a line is split with a hyphen. When the text
    needs more lines, the last line ends in "…" and the second value is True.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        while em_width(word) > max_em:
            if current:
                lines.append(current)
                current = ""
            cut = 1
            while cut < len(word) and em_width(word[: cut + 1] + "-") <= max_em:
                cut += 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if em_width(candidate) <= max_em:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, False
    lines = lines[:max_lines]
    last = lines[-1].rstrip(" ,.;:-")
    while last and em_width(last + ELLIPSIS) > max_em:
        last = last[:-1].rstrip(" ,.;:-")
    lines[-1] = last + ELLIPSIS
    return lines, True


def _svg(
    id_prefix: str,
    height: float,
    title: str,
    desc: str,
    body: Markup,
    kind: str,
) -> Markup:
    title_id = f"{id_prefix}-title"
    desc_id = f"{id_prefix}-desc"
    return _tag(
        "svg",
        Markup("").join(
            [
                _tag("title", escape(title), id=title_id),
                _tag("desc", escape(desc), id=desc_id),
                body,
            ]
        ),
        xmlns=SVG_NS,
        class_=f"chart-svg chart-svg-{kind}",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        viewBox=f"0 0 {WIDTH} {_num(height)}",
        width="100%",
        preserveAspectRatio="xMidYMin meet",
        focusable="false",
    )


def _figure(kind: str, caption: str, hint: str | None, *parts: Markup) -> Markup:
    caption_html = escape(caption)
    if hint:
        caption_html += _tag("span", escape(hint), class_="chart-hint")
    return _tag(
        "figure",
        Markup("").join([_tag("figcaption", caption_html), *parts]),
        class_=f"chart chart-{kind}",
    )


def _table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Markup:
    """The text alternative: a small table for screen readers (visually hidden)."""
    head = _tag("tr", _join(_tag("th", escape(h), scope="col") for h in headers))
    body = Markup("").join(
        _tag(
            "tr",
            _tag("th", escape(row[0]), scope="row")
            + _join(_tag("td", escape(cell)) for cell in row[1:]),
        )
        for row in rows
    )
    table = _tag(
        "table",
        _tag("caption", escape(caption)) + _tag("thead", head) + _tag("tbody", body),
        class_="chart-data",
    )
    # .sr-only goes on a wrapper: a table does not shrink to .sr-only's 1px width and would
    # make the page scroll sideways.
    return _tag("div", table, class_="sr-only")


def _empty(sentence: str) -> Markup:
    return _tag("p", escape(sentence), class_="empty chart-empty")


# --------------------------------------------------------------------------------------------
# 1. the GAS ladder

_LADDER_FONT = 15.0
_LADDER_LINE = 19.5
_LADDER_PAD = 9.0
_LADDER_TAGS = 26.0  # height of the line with the "nu" / "begin" pills
_LADDER_GAP = 8.0
_LADDER_MAX_LINES = 4
_RAIL_LEFT, _RAIL_RIGHT = 16.0, 52.0  # the number boxes sit between the two rails
_RUNG_X = 60.0
_RUNG_TEXT_X = _RUNG_X + 10
_RUNG_TEXT_WIDTH = WIDTH - 2 - _RUNG_TEXT_X - 8


def _check_level(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise ValueError(f"{name} must be a GAS level from -2 to 2 or None, got {value!r}")
    return value


def _pill(x: float, y: float, text: str, kind: str) -> tuple[Markup, float]:
    """A rounded label ("nu", "begin") with its top-left at (x, y); returns it and its width."""
    width = _text_width(text, 13) + 18
    if kind == "current":
        rect = _tag("rect", x=x, y=y, width=width, height=21.0, rx=10.5, fill=BRAND)
        colour = CARD
    else:
        rect = _tag(
            "rect", x=x + 0.75, y=y + 0.75, width=width - 1.5, height=19.5, rx=9.75,
            fill=CARD, stroke=MUTED, stroke_width=1.5, stroke_dasharray="4 2",
        )
        colour = INK
    label = _tag(
        "text", escape(text), x=x + width / 2, y=y + 15.0, text_anchor="middle",
        font_size=13, font_weight="700", fill=colour,
    )
    return _tag("g", rect + label, class_=f"chart-pill chart-pill-{kind}"), width


def gas_ladder(
    levels: Mapping[int, str | None],
    current: int | None,
    baseline: int | None,
    id_prefix: str,
    *,
    caption: str | None = None,
) -> Markup:
    """The five-level GAS ladder of one goal, +2 at the top, −2 at the bottom.

    `levels` maps a level (−2..+2) to its description; a missing or blank description shows
    "(nog niet beschreven)". `current` (the level reached now) is highlighted: class
    "current", an arrow and a "nu" label; `baseline` (where the family started) gets a dashed
    "begin" label. Either may be None. Long descriptions wrap to four lines and are then cut
    off with "…"; the text alternative (and a "Lees alle tekst" fold-out) has them in full.
    `caption` replaces the default figcaption ("Ladder van dit doel").

    Raises ValueError for a bad `id_prefix` or a `current`/`baseline` outside −2..+2.
    """
    id_prefix = _check_prefix(id_prefix)
    current = _check_level(current, "current")
    baseline = _check_level(baseline, "baseline")
    missing = _("(nog niet beschreven)")
    now_word, start_word = _("nu"), _("begin")
    max_em = _RUNG_TEXT_WIDTH / _LADDER_FONT

    rungs: list[Markup] = []
    rows: list[list[str]] = []
    full_texts: list[tuple[int, str]] = []
    any_truncated = False
    y = 2.0
    for level in sorted(LEVELS, reverse=True):
        raw = levels.get(level)
        text = str(raw).strip() if raw is not None else ""
        described = bool(text)
        lines, truncated = wrap(text, max_em, _LADDER_MAX_LINES) if described else ([missing], False)
        any_truncated = any_truncated or truncated
        is_current, is_baseline = level == current, level == baseline
        tags = [(now_word, "current")] if is_current else []
        if is_baseline:
            tags.append((start_word, "baseline"))

        content = len(lines) * _LADDER_LINE + (_LADDER_TAGS if tags else 0)
        height = max(2 * _LADDER_PAD + content, 46.0)
        classes = ["rung", f"rung-{'plus' if level > 0 else 'min' if level < 0 else 'nul'}{abs(level)}"]
        if is_current:
            classes.append("current")
        if is_baseline:
            classes.append("baseline")
        if not described:
            classes.append("missing")

        parts: list[Markup] = []
        if truncated:
            parts.append(_tag("title", escape(f"{_signed(level)}: {text}")))
        parts.append(
            _tag(
                "rect", x=_RUNG_X, y=y + 1.5, width=WIDTH - 1.5 - _RUNG_X, height=height - 3,
                rx=8, fill=BRAND_LIGHT if is_current else CARD,
                stroke=BRAND if is_current else LINE, stroke_width=3 if is_current else 1.5,
                class_="rung-box",
            )
        )
        box_h = 32.0
        box_y = y + (height - box_h) / 2
        parts.append(
            _tag(
                "rect", x=_RAIL_LEFT, y=box_y, width=_RAIL_RIGHT - _RAIL_LEFT, height=box_h, rx=6,
                fill=BRAND if is_current else CARD, stroke=BRAND if is_current else MUTED,
                stroke_width=2, class_="rung-step",
            )
        )
        parts.append(
            _tag(
                "text", escape(_signed(level)), x=(_RAIL_LEFT + _RAIL_RIGHT) / 2, y=box_y + 22,
                text_anchor="middle", font_size=17, font_weight="700",
                fill=CARD if is_current else INK, class_="rung-level",
            )
        )
        if is_current:  # the marker: an arrow pointing at the step
            mid = box_y + box_h / 2
            parts.append(
                _tag(
                    "polygon", points=f"1,{_num(mid - 8)} 12,{_num(mid)} 1,{_num(mid + 8)}",
                    fill=BRAND, class_="rung-marker",
                )
            )
        text_top = y + (height - content) / 2  # centred when the rung is taller than its text
        if tags:
            x = _RUNG_TEXT_X - 2
            for word, kind in tags:
                pill, width = _pill(x, text_top, word, kind)
                parts.append(pill)
                x += width + 6
            text_top += _LADDER_TAGS
        tspans = Markup("").join(
            _tag("tspan", escape(line), x=_RUNG_TEXT_X, y=text_top + 15 + i * _LADDER_LINE)
            for i, line in enumerate(lines)
        )
        parts.append(
            _tag(
                "text", tspans, font_size=_LADDER_FONT, fill=INK if described else MUTED,
                class_="rung-text" if described else "rung-text rung-missing",
            )
        )
        rungs.append(_tag("g", Markup("").join(parts), class_=" ".join(classes)))

        if is_current and is_baseline:
            status = _("nu en begin")
        else:
            status = now_word if is_current else start_word if is_baseline else ""
        rows.append(
            [f"{_signed(level)}: {_(LEVEL_LABELS[level])}", text if described else missing, status]
        )
        full_texts.append((level, text if described else missing))
        y += height + _LADDER_GAP
    total_height = y - _LADDER_GAP + 2

    rails = Markup("").join(
        _tag(
            "line", x1=x, y1=2.0, x2=x, y2=total_height - 2, stroke=LINE, stroke_width=4,
            stroke_linecap="round", class_="rail",
        )
        for x in (_RAIL_LEFT + 4, _RAIL_RIGHT - 4)
    )

    def described_level(level: int | None) -> str:
        text = (str(levels.get(level) or "")).strip() if level is not None else ""
        return text or missing

    summary: list[str] = []
    if current is None:
        summary.append(_("Er is nog geen niveau gekozen."))
    else:
        summary.append(
            _("Nu op niveau %(level)s: %(text)s.", level=_signed(current),
              text=described_level(current).rstrip("."))
        )
    if baseline is not None:
        summary.append(
            _("Begonnen op niveau %(level)s: %(text)s.", level=_signed(baseline),
              text=described_level(baseline).rstrip("."))
        )
    summary.append(_("Niveau +2 is het beste, niveau %(level)s het minst goed.", level=_signed(-2)))
    svg = _svg(
        id_prefix, total_height, caption or _("Ladder van dit doel"), " ".join(summary),
        rails + Markup("").join(rungs), "gas",
    )
    table = _table(
        _("Alle niveaus van de ladder"), [_("Niveau"), _("Beschrijving"), _("Nu of begin")], rows
    )
    parts = [svg, table]
    if any_truncated:
        items = Markup("").join(
            _tag("dt", escape(_signed(level))) + _tag("dd", escape(text))
            for level, text in full_texts
        )
        parts.append(
            _tag(
                "details",
                _tag("summary", escape(_("Lees alle tekst"))) + _tag("dl", items),
                class_="chart-more",
            )
        )
    if current is None:
        hint = _("Boven is beter.")
    else:
        hint = _("Boven is beter. Het niveau met \u201cnu\u201d is waar jullie nu staan.")
    return _figure("gas", caption or _("Ladder van dit doel"), hint, *parts)


# --------------------------------------------------------------------------------------------
# shared line-chart frame


def _x_positions(days: Sequence[date], left: float, right: float) -> dict[date, float]:
    """x for each date: by time, or in the middle when there is only one date."""
    unique = sorted(set(days))
    if len(unique) == 1:
        return {unique[0]: (left + right) / 2}
    first, last = unique[0], unique[-1]
    span = (last - first).days
    return {day: left + (right - left) * (day - first).days / span for day in unique}


def _spaced(xs: Sequence[float], min_gap: float) -> set[int]:
    """Indexes of `xs` (ascending) to label, the last always, so labels never overlap."""
    chosen: set[int] = set()
    last_x = math.inf
    for i in range(len(xs) - 1, -1, -1):
        if last_x - xs[i] >= min_gap:
            chosen.add(i)
            last_x = xs[i]
    return chosen


def _date_axis(
    days: Sequence[date], xs: Mapping[date, float], y: float, left: float, right: float
) -> Markup:
    unique = sorted(set(days))
    positions = [xs[d] for d in unique]
    keep = _spaced(positions, 38)
    labels = [
        _tag(
            "text", escape(_short_date(day)), x=positions[i], y=y + 18, text_anchor="middle",
            font_size=13, fill=MUTED, class_="axis-label",
        )
        for i, day in enumerate(unique)
        if i in keep
    ]
    ticks = [
        _tag("line", x1=positions[i], y1=y, x2=positions[i], y2=y + 5, stroke=MUTED, stroke_width=1)
        for i in range(len(unique))
    ]
    axis = _tag("line", x1=left, y1=y, x2=right, y2=y, stroke=MUTED, stroke_width=1.5)
    return _tag("g", axis + Markup("").join(ticks + labels), class_="axis axis-x")


# --------------------------------------------------------------------------------------------
# 2. the T-score over time

_T_MIN, _T_MAX, _T_EXPECTED = 20.0, 80.0, 50.0


def t_score_line(
    points: Sequence[tuple[date, float]],
    id_prefix: str,
    *,
    caption: str | None = None,
) -> Markup:
    """The plan's Kiresuk-Sherman T-score over time, y axis 20..80, a line at 50 ("verwacht").

    `points` are (date of the evaluation, T-score); they are sorted by date. Each point is
    labelled with its rounded score; dates on the x axis read "d-m". A score outside 20..80 is
    drawn at the edge, its label still says the real score. One point gives a single dot; no
    points gives the sentence "Nog geen scores." instead of a chart.

    Raises ValueError for a bad `id_prefix` or a score that is not a finite number.
    """
    id_prefix = _check_prefix(id_prefix)
    for day, score in points:
        if not isinstance(day, date):
            raise ValueError(f"each point needs a date, got {day!r}")
        if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
            raise ValueError(f"a T-score must be a finite number, got {score!r}")
    if not points:
        return _empty(_("Nog geen scores."))
    ordered = sorted(points, key=lambda p: p[0])
    title = caption or _("Score van het plan door de tijd")

    height = 204.0
    left, right, top, bottom = 34.0, WIDTH - 76.0, 24.0, height - 36.0
    inner_left, inner_right = left + 16, right - 16

    def y_of(score: float) -> float:
        clamped = min(max(score, _T_MIN), _T_MAX)
        return bottom - (clamped - _T_MIN) / (_T_MAX - _T_MIN) * (bottom - top)

    xs = _x_positions([d for d, _s in ordered], inner_left, inner_right)
    parts: list[Markup] = []
    for value in range(int(_T_MIN), int(_T_MAX) + 1, 10):
        y = y_of(value)
        if value != _T_EXPECTED:
            parts.append(
                _tag("line", x1=left, y1=y, x2=right, y2=y, stroke=GRID, stroke_width=1, class_="grid")
            )
        parts.append(
            _tag(
                "text", str(value), x=left - 6, y=y + 4.5, text_anchor="end", font_size=13,
                fill=MUTED, class_="axis-label",
            )
        )
    y50 = y_of(_T_EXPECTED)
    parts.append(
        _tag(
            "g",
            _tag(
                "line", x1=left, y1=y50, x2=right, y2=y50, stroke=INK, stroke_width=1.5,
                stroke_dasharray="6 4",
            )
            + _tag(
                "text", escape(_("verwacht")), x=WIDTH - 1.0, y=y50 + 4.5, font_size=13.5,
                font_weight="600", fill=INK, text_anchor="end", class_="reference-label",
            ),
            class_="reference",
        )
    )
    parts.append(_date_axis([d for d, _s in ordered], xs, bottom, left, right))

    coords = [(xs[d], y_of(s)) for d, s in ordered]
    if len(coords) > 1:
        parts.append(
            _tag(
                "polyline", points=" ".join(f"{_num(x)},{_num(y)}" for x, y in coords),
                fill="none", stroke=BRAND, stroke_width=3, stroke_linejoin="round",
                class_="series-line",
            )
        )
    keep = _spaced([x for x, _y in coords], 24)
    for i, ((day, score), (x, y)) in enumerate(zip(ordered, coords)):
        parts.append(
            _tag(
                "circle", cx=x, cy=y, r=5.5, fill=BRAND, stroke=CARD, stroke_width=2,
                class_="point",
            )
        )
        if i in keep:
            label_y = y - 11 if y - 11 - 12 >= 0 else y + 22
            parts.append(
                _tag(
                    "text", str(_round(score)), x=x, y=label_y, text_anchor="middle",
                    font_size=15, font_weight="700", fill=INK, class_="point-label", **HALO,
                )
            )

    last_day, last_score = ordered[-1]
    summary = [
        _("50 is wat we verwachten. Hoger is beter dan verwacht, lager is minder dan verwacht."),
        _("De laatste score is %(score)s, op %(date)s.", score=_round(last_score),
          date=_long_date(last_day)),
    ]
    if len(ordered) > 1:
        before = _round(ordered[-2][1])
        now = _round(last_score)
        if now > before:
            summary.append(_("Dat is hoger dan de keer ervoor (%(score)s).", score=before))
        elif now < before:
            summary.append(_("Dat is lager dan de keer ervoor (%(score)s).", score=before))
        else:
            summary.append(_("Dat is hetzelfde als de keer ervoor."))
    rows = [[_long_date(d), str(_round(s))] for d, s in ordered]
    svg = _svg(id_prefix, height, title, " ".join(summary), Markup("").join(parts), "t-score")
    table = _table(_("Alle scores"), [_("Datum"), _("Score")], rows)
    return _figure("t-score", title, _("50 is wat we verwachten. Hoger is beter."), svg, table)


# --------------------------------------------------------------------------------------------
# 3. scaling questions (0-10) per respondent over time

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


def _marker(shape: str, x: float, y: float, colour: str, size: float = 5.0) -> Markup:
    s = size
    common = {"fill": colour, "stroke": CARD, "stroke_width": 1.5, "class_": f"marker marker-{shape}"}
    if shape == "circle":
        return _tag("circle", cx=x, cy=y, r=s, **common)
    if shape == "square":
        return _tag("rect", x=x - s * 0.9, y=y - s * 0.9, width=s * 1.8, height=s * 1.8, **common)

    def polygon(*pts: tuple[float, float]) -> Markup:
        return _tag("polygon", points=" ".join(f"{_num(x + dx)},{_num(y + dy)}" for dx, dy in pts), **common)

    if shape == "triangle":
        return polygon((0, -s * 1.2), (s * 1.15, s * 0.85), (-s * 1.15, s * 0.85))
    if shape == "triangle-down":
        return polygon((0, s * 1.2), (s * 1.15, -s * 0.85), (-s * 1.15, -s * 0.85))
    if shape == "diamond":
        return polygon((0, -s * 1.3), (s * 1.3, 0), (0, s * 1.3), (-s * 1.3, 0))
    # cross: two strokes, no fill
    d = s * 0.95
    return _tag(
        "path",
        d=f"M{_num(x - d)},{_num(y - d)}L{_num(x + d)},{_num(y + d)}"
        f"M{_num(x - d)},{_num(y + d)}L{_num(x + d)},{_num(y - d)}",
        fill="none", stroke=colour, stroke_width=3, stroke_linecap="round",
        class_="marker marker-cross",
    )


def _legend_icon(index: int) -> Markup:
    colour, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
    line = _tag(
        "line", x1=1.0, y1=8.0, x2=35.0, y2=8.0, stroke=colour, stroke_width=2.5,
        stroke_dasharray=dash,
    )
    return _tag(
        "svg", line + _marker(shape, 18, 8, colour), xmlns=SVG_NS, viewBox="0 0 36 16",
        width="36", height="16", aria_hidden="true", focusable="false", class_="legend-icon",
    )


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
    id_prefix = _check_prefix(id_prefix)
    cleaned: list[tuple[str, list[tuple[date, int]]]] = []
    for name, answers in series:
        checked = []
        for day, score in answers:
            if not isinstance(day, date):
                raise ValueError(f"each answer needs a date, got {day!r}")
            checked.append((day, validate_score(score)))
        cleaned.append((str(name), sorted(checked, key=lambda a: a[0])))
    drawn = [(i, name, answers) for i, (name, answers) in enumerate(c for c in cleaned if c[1])]
    if not drawn:
        return _empty(_("Nog geen antwoorden."))

    height = 214.0
    left, right, top, bottom = 30.0, WIDTH - 46.0, 12.0, height - 36.0
    inner_left, inner_right = left + 12, right - 10

    def y_of(score: int) -> float:
        return bottom - (score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * (bottom - top)

    all_days = [d for _i, _n, answers in drawn for d, _s in answers]
    xs = _x_positions(all_days, inner_left, inner_right)
    parts: list[Markup] = []
    for value in range(SCORE_MIN, SCORE_MAX + 1):
        y = y_of(value)
        if value % 2 == 0:
            if value != SCORE_MIN:
                parts.append(
                    _tag("line", x1=left, y1=y, x2=right, y2=y, stroke=GRID, stroke_width=1, class_="grid")
                )
            parts.append(
                _tag(
                    "text", str(value), x=left - 6, y=y + 4.5, text_anchor="end", font_size=13,
                    fill=MUTED, class_="axis-label",
                )
            )
    parts.append(_date_axis(all_days, xs, bottom, left, right))

    end_labels: list[tuple[int, float, int]] = []
    for index, name, answers in drawn:
        colour, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        # a small sideways shift per line, so equal answers on the same day stay visible
        shift = (index - (len(drawn) - 1) / 2) * min(3.0, 12.0 / len(drawn))
        coords = [(xs[d] + shift, y_of(s)) for d, s in answers]
        group: list[Markup] = [_tag("title", escape(name))]
        if len(coords) > 1:
            group.append(
                _tag(
                    "polyline", points=" ".join(f"{_num(x)},{_num(y)}" for x, y in coords),
                    fill="none", stroke=colour, stroke_width=2.5, stroke_dasharray=dash,
                    stroke_linejoin="round", class_="series-line",
                )
            )
        group.extend(_marker(shape, x, y, colour) for x, y in coords)
        parts.append(_tag("g", Markup("").join(group), class_=f"series series-{index}"))
        end_labels.append((index, coords[-1][1], answers[-1][1]))

    label_ys = _spread([y for _i, y, _s in end_labels], 17, top + 2, bottom - 2)
    for (index, _y, score), label_y in zip(end_labels, label_ys):
        colour, _dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        parts.append(
            _tag(
                "g",
                _marker(shape, right + 10, label_y, colour, 4.5)
                + _tag(
                    "text", str(score), x=right + 19, y=label_y + 5, font_size=15,
                    font_weight="700", fill=INK, class_="point-label", **HALO,
                ),
                class_=f"latest latest-{index}",
            )
        )

    trend_words = {
        "omhoog": _("omhoog"),
        "omlaag": _("omlaag"),
        "gelijk": _("gelijk"),
        "nieuw": _("eerste keer"),
    }
    latest_words = [f"{name}: {answers[-1][1]}" for _i, name, answers in drawn]
    title = _("%(question)s door de tijd", question=question_label)
    desc = " ".join(
        [
            _("Cijfers van 0 tot en met 10, per persoon."),
            _("Laatste cijfers: %(list)s.", list="; ".join(latest_words)),
        ]
    )
    rows = []
    for name, answers in cleaned:
        if answers:
            history = ", ".join(f"{_long_date(d)}: {s}" for d, s in answers)
            last = _("%(score)s (%(trend)s)", score=answers[-1][1],
                     trend=trend_words[trend([s for _d, s in answers])])
        else:
            history, last = _("nog geen antwoord"), ""
        rows.append([name, history, last])
    table = _table(
        _("%(question)s: alle antwoorden", question=question_label),
        [_("Naam"), _("Antwoorden"), _("Laatste")],
        rows,
    )
    legend = _tag(
        "ul",
        Markup("").join(
            _tag("li", _legend_icon(index) + _tag("span", escape(name)))
            for index, name, _answers in drawn
        ),
        class_="chart-legend",
        aria_hidden="true",
    )
    svg = _svg(id_prefix, height, title, desc, Markup("").join(parts), "scaling")
    return _figure(
        "scaling", title, _("0 is heel laag, 10 is heel hoog."), svg, legend, table
    )
