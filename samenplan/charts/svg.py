"""A small builder for the charts' markup: elements, groups, the accessible wrapper.

Every value is escaped (``Markup.format`` escapes whatever is not already ``Markup``); an element
without content is self-closed, so the output stays well-formed XML. Keyword attributes drop a
trailing ``_`` (``class_``) and turn ``_`` into ``-`` (``stroke_width``); ``None`` and ``False``
leave the attribute out; a float is written with at most one decimal.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from samenplan.charts.style import WIDTH

__all__ = [
    "SVG_NS", "accessible_svg", "attrs", "check_prefix", "data_table", "empty", "figure",
    "group", "join", "num", "points", "tag",
]

SVG_NS = "http://www.w3.org/2000/svg"

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def check_prefix(id_prefix: str) -> str:
    """`id_prefix` when it can start the ids of a chart; ValueError otherwise."""
    if not isinstance(id_prefix, str) or not _ID_PREFIX.match(id_prefix):
        raise ValueError(
            "id_prefix must start with a letter and hold only letters, digits, '-' and '_', "
            f"got {id_prefix!r}"
        )
    return id_prefix


def num(value: float) -> str:
    """A coordinate for an attribute: at most one decimal, no trailing '.0'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def points(coords: Iterable[tuple[float, float]]) -> str:
    """The `points` of a polyline or polygon: "x,y x,y …"."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in coords)


def attrs(**attributes: object) -> Markup:
    """Attributes, escaped; trailing '_' is dropped (class_) and '_' becomes '-'."""
    parts = []
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = num(value)
        parts.append(Markup(' {}="{}"').format(Markup(name), value))
    return Markup("").join(parts)


def tag(name: str, content: object = None, **attributes: object) -> Markup:
    """An element; without content it is self-closed, so the output stays well-formed XML."""
    if content is None:
        return Markup("<{}{}/>").format(Markup(name), attrs(**attributes))
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), attrs(**attributes), content)


def join(parts: Iterable[object]) -> Markup:
    """`parts` one after the other; text among them is escaped."""
    return Markup("").join(parts)


def group(parts: Iterable[object], **attributes: object) -> Markup:
    """A ``<g>`` around `parts`."""
    return tag("g", join(parts), **attributes)


def accessible_svg(
    id_prefix: str, height: float, title: str, desc: str, body: Markup, kind: str
) -> Markup:
    """An ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``."""
    title_id = f"{id_prefix}-title"
    desc_id = f"{id_prefix}-desc"
    return tag(
        "svg",
        join([tag("title", title, id=title_id), tag("desc", desc, id=desc_id), body]),
        xmlns=SVG_NS,
        class_=f"chart-svg chart-svg-{kind}",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        viewBox=f"0 0 {WIDTH} {num(height)}",
        width="100%",
        preserveAspectRatio="xMidYMin meet",
        focusable="false",
    )


def figure(kind: str, caption: str, hint: str | None, *parts: Markup) -> Markup:
    """The ``<figure>`` of a chart: a ``<figcaption>`` (with an optional hint), then `parts`."""
    caption_html = escape(caption)
    if hint:
        caption_html += tag("span", hint, class_="chart-hint")
    content = join([tag("figcaption", caption_html), *parts])
    return tag("figure", content, class_=f"chart chart-{kind}")


def data_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Markup:
    """The text alternative: a small table for screen readers (visually hidden).

    The first cell of a row is its header (``<th scope="row">``).
    """
    head = tag("tr", join(tag("th", header, scope="col") for header in headers))
    body = join(
        tag("tr", tag("th", row[0], scope="row") + join(tag("td", cell) for cell in row[1:]))
        for row in rows
    )
    table = tag(
        "table",
        tag("caption", caption) + tag("thead", head) + tag("tbody", body),
        class_="chart-data",
    )
    # .sr-only goes on a wrapper: a table does not shrink to .sr-only's 1px width and would
    # make the page scroll sideways.
    return tag("div", table, class_="sr-only")


def empty(sentence: str) -> Markup:
    """What a chart without data shows instead: one sentence."""
    return tag("p", sentence, class_="empty chart-empty")
