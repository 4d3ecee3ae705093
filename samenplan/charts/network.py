"""The network map: the family in the middle, the people around them, each line drawn by
whether the contact helps (solid, thick), is neutral (solid, thin) or harms (dashed): never by
colour alone, and a legend says it in words. The page lists the same people below the map;
that list is the real content, the map its picture (`<desc>` says so)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from samenplan.charts.style import BRAND, BRAND_LIGHT, CARD, HALO, HARM, INK, MUTED, WIDTH
from samenplan.charts.svg import accessible_svg, check_prefix, empty, figure, group, join, tag
from samenplan.charts.text import text_width, wrap
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import ContactEffect

__all__ = ["MapMember", "network_map"]

_CENTRE = (WIDTH / 2, 140.0)
_RING = 100.0  # distance of a person from the middle
_FAMILY_R = 34.0
_PERSON_R = 9.0
_FONT = 12.5
_LINE_HEIGHT = 14.0
_LABEL_EM = 7.0  # a name wraps at about 7 em: two lines at most
_LEGEND_TOP = 290.0
_LEGEND_ROW = 22.0
_HEIGHT = _LEGEND_TOP + 3 * _LEGEND_ROW + 6

#: how each kind of contact is drawn: stroke, width, dash pattern (None: solid)
LINE_STYLE = {
    ContactEffect.HELPS: (BRAND, 3.5, None),
    ContactEffect.NEUTRAL: (MUTED, 1.5, None),
    ContactEffect.HARMS: (HARM, 2.5, "6 4"),
}
LEGEND = {
    ContactEffect.HELPS: _("dikke lijn: het contact helpt"),
    ContactEffect.NEUTRAL: _("dunne lijn: niet goed, niet slecht"),
    ContactEffect.HARMS: _("stippellijn: het contact is niet goed"),
}


@dataclass(frozen=True)
class MapMember:
    name: str
    relation: str
    effect: str  # a ContactEffect code


def _position(index: int, count: int) -> tuple[float, float]:
    """Around the middle, evenly, starting at the top and going clockwise."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    x, y = _CENTRE
    return x + _RING * math.cos(angle), y + _RING * math.sin(angle)


def _edge(x: float, y: float) -> tuple[float, float]:
    """Where the line towards (x, y) leaves the family's circle."""
    cx, cy = _CENTRE
    distance = math.hypot(x - cx, y - cy) or 1.0
    return cx + (x - cx) * _FAMILY_R / distance, cy + (y - cy) * _FAMILY_R / distance


def _line(effect: ContactEffect, start: tuple[float, float], end: tuple[float, float]) -> Markup:
    stroke, width, dash = LINE_STYLE[effect]
    return tag("line", x1=start[0], y1=start[1], x2=end[0], y2=end[1], stroke=stroke,
               stroke_width=width, stroke_dasharray=dash, stroke_linecap="round",
               class_=f"network-line network-{effect.value}")


def _person(member: MapMember, effect: ContactEffect, x: float, y: float) -> Markup:
    """A dot and the name under it (above it for the people at the top), kept inside the
    picture: on a 360 px phone nothing may be cut off."""
    stroke, _width, _dash = LINE_STYLE[effect]
    dot = tag("circle", cx=x, cy=y, r=_PERSON_R, fill=CARD, stroke=stroke, stroke_width=2.5)
    lines, _cut = wrap(member.name, _LABEL_EM, 2)
    half = max(text_width(line, _FONT) for line in lines) / 2
    label_x = min(max(x, half + 2), WIDTH - half - 2)
    if y < _CENTRE[1] - _RING / 2:  # the top: above the dot
        first_y = y - _PERSON_R - 6 - _LINE_HEIGHT * (len(lines) - 1)
    else:
        first_y = y + _PERSON_R + _FONT + 2
    texts = [
        tag("text", line, x=label_x, y=first_y + _LINE_HEIGHT * n, font_size=_FONT, fill=INK,
            text_anchor="middle", **HALO)
        for n, line in enumerate(lines)
    ]
    return group([dot, *texts], class_="network-person")


def _family(label: str) -> Markup:
    cx, cy = _CENTRE
    lines, _cut = wrap(label, 4.6, 2)
    circle = tag("circle", cx=cx, cy=cy, r=_FAMILY_R, fill=BRAND_LIGHT, stroke=BRAND, stroke_width=2)
    top = cy + 5 - 7 * (len(lines) - 1)
    texts = [tag("text", line, x=cx, y=top + 14 * n, font_size=13, font_weight="600", fill=INK,
                 text_anchor="middle") for n, line in enumerate(lines)]
    return group([circle, *texts], class_="network-family")


def _legend() -> Markup:
    rows = []
    for n, effect in enumerate(ContactEffect):
        y = _LEGEND_TOP + _LEGEND_ROW * n
        rows.append(_line(effect, (8.0, y), (40.0, y)))
        rows.append(tag("text", LEGEND[effect], x=48.0, y=y + 4.5, font_size=12.5, fill=INK))
    return group(rows, class_="network-legend")


def _summary(members: Sequence[MapMember]) -> str:
    counts = {effect: sum(1 for m in members if m.effect == effect) for effect in ContactEffect}
    return " ".join([
        _("Het gezin staat in het midden, met %(count)s mensen eromheen.") % {"count": len(members)},
        _("Het contact helpt bij %(helps)s, is niet goed en niet slecht bij %(neutral)s, "
          "en is niet goed voor het gezin bij %(harms)s.") % {
            "helps": counts[ContactEffect.HELPS], "neutral": counts[ContactEffect.NEUTRAL],
            "harms": counts[ContactEffect.HARMS]},
        _("De lijst onder de kaart noemt iedereen, met wat ze geven."),
    ])


def network_map(
    family_label: str, members: Sequence[MapMember], id_prefix: str, *, caption: str | None = None,
) -> Markup:
    """The map of `members` around `family_label`, in the order given (clockwise from the
    top). Raises ValueError for a bad `id_prefix` or an effect that is not a ContactEffect code.
    No members: one sentence instead of a map."""
    id_prefix = check_prefix(id_prefix)
    effects = []
    for member in members:
        effect = ContactEffect.parse(member.effect)
        if effect is None:
            raise ValueError(f"not a contact effect: {member.effect!r}")
        effects.append(effect)
    if not members:
        return empty(_("Er staat nog niemand op de kaart."))
    positions = [_position(n, len(members)) for n in range(len(members))]
    lines = [_line(e, _edge(*p), p) for e, p in zip(effects, positions)]
    people = [_person(m, e, *p) for m, e, p in zip(members, effects, positions)]
    body = join([group(lines, class_="network-lines"), _family(family_label),
                 group(people, class_="network-people"), _legend()])
    title = caption or _("Het netwerk van het gezin")
    svg = accessible_svg(id_prefix, _HEIGHT, title, _summary(members), body, "network")
    return figure("network", title, _("De lijst hieronder zegt hetzelfde in woorden."), svg)
