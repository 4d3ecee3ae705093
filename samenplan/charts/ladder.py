"""The GAS ladder of one goal: five rungs, +2 at the top, the level reached now highlighted."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from samenplan.charts.style import BRAND, BRAND_LIGHT, CARD, INK, LINE, MUTED, WIDTH
from samenplan.charts.svg import (
    accessible_svg, check_prefix, data_table, figure, group, join, num, tag,
)
from samenplan.charts.text import MINUS, text_width, wrap
from samenplan.domain.gas import LEVEL_LABELS, LEVELS, STEP_WORDS
from samenplan.domain.i18n import _

__all__ = ["gas_ladder"]

_FONT = 15.0
_LINE = 19.5
_PAD = 9.0
_TAGS = 26.0  # height of the line with the "nu" / "begin" pills
_GAP = 8.0
_MAX_LINES = 4
_RAIL_LEFT, _RAIL_RIGHT = 16.0, 52.0  # the number boxes sit between the two rails
_RUNG_X = 60.0
_RUNG_TEXT_X = _RUNG_X + 10
_RUNG_TEXT_WIDTH = WIDTH - 2 - _RUNG_TEXT_X - 8
_STEP_HEIGHT = 32.0

_MISSING = _("(nog niet beschreven)")
_NOW = _("nu")
_START = _("begin")


def _check_level(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise ValueError(f"{name} must be a GAS level from -2 to 2 or None, got {value!r}")
    return value


def signed(level: int) -> str:
    """A GAS level as people write it: +2, +1, 0, −1, −2."""
    if level > 0:
        return f"+{level}"
    if level < 0:
        return f"{MINUS}{-level}"
    return "0"


@dataclass
class _Rung:
    """One level of the ladder, laid out: its text in lines, its pills, its height."""

    level: int
    text: str  # the description, stripped; "" when there is none
    is_current: bool
    is_baseline: bool
    heading: str = ""  # a family's ladder: the step in words ("Doel gehaald") above the text
    lines: list[str] = field(init=False)
    truncated: bool = field(init=False)

    def __post_init__(self) -> None:
        if self.text:
            self.lines, self.truncated = wrap(self.text, _RUNG_TEXT_WIDTH / _FONT, _MAX_LINES)
        else:
            self.lines, self.truncated = [_MISSING], False

    @property
    def shown(self) -> str:
        return self.text or _MISSING

    @property
    def tags(self) -> list[tuple[str, str]]:
        """The pills: (word, kind)."""
        tags = [(_NOW, "current")] if self.is_current else []
        if self.is_baseline:
            tags.append((_START, "baseline"))
        return tags

    @property
    def content_height(self) -> float:
        return ((len(self.lines) + (1 if self.heading else 0)) * _LINE
                + (_TAGS if self.tags else 0))

    @property
    def height(self) -> float:
        return max(2 * _PAD + self.content_height, 46.0)

    @property
    def classes(self) -> str:
        sign = "plus" if self.level > 0 else "min" if self.level < 0 else "nul"
        flags = {"current": self.is_current, "baseline": self.is_baseline, "missing": not self.text}
        names = ["rung", f"rung-{sign}{abs(self.level)}"]
        return " ".join(names + [name for name, on in flags.items() if on])

    @property
    def status(self) -> str:
        """"nu", "begin", both or nothing: for the text alternative."""
        if self.is_current and self.is_baseline:
            return _("nu en begin")
        return _NOW if self.is_current else _START if self.is_baseline else ""


def _description(levels: Mapping[int, str | None], level: int) -> str:
    raw = levels.get(level)
    return str(raw).strip() if raw is not None else ""


def _pill(x: float, y: float, text: str, kind: str) -> tuple[Markup, float]:
    """A rounded label ("nu", "begin") with its top-left at (x, y); returns it and its width."""
    width = text_width(text, 13) + 18
    if kind == "current":
        rect = tag("rect", x=x, y=y, width=width, height=21.0, rx=10.5, fill=BRAND)
        colour = CARD
    else:
        rect = tag(
            "rect", x=x + 0.75, y=y + 0.75, width=width - 1.5, height=19.5, rx=9.75,
            fill=CARD, stroke=MUTED, stroke_width=1.5, stroke_dasharray="4 2",
        )
        colour = INK
    label = tag(
        "text", text, x=x + width / 2, y=y + 15.0, text_anchor="middle",
        font_size=13, font_weight="700", fill=colour,
    )
    return group([rect, label], class_=f"chart-pill chart-pill-{kind}"), width


def _step(rung: _Rung, y: float) -> list[Markup]:
    """The number box left of the rung, and for the current level an arrow pointing at it."""
    now = rung.is_current
    box_y = y + (rung.height - _STEP_HEIGHT) / 2
    parts = [
        tag(
            "rect", x=_RAIL_LEFT, y=box_y, width=_RAIL_RIGHT - _RAIL_LEFT, height=_STEP_HEIGHT,
            rx=6, fill=BRAND if now else CARD, stroke=BRAND if now else MUTED,
            stroke_width=2, class_="rung-step",
        ),
        tag(
            "text", signed(rung.level), x=(_RAIL_LEFT + _RAIL_RIGHT) / 2, y=box_y + 22,
            text_anchor="middle", font_size=17, font_weight="700",
            fill=CARD if now else INK, class_="rung-level",
        ),
    ]
    if now:
        mid = box_y + _STEP_HEIGHT / 2
        parts.append(
            tag("polygon", points=f"1,{num(mid - 8)} 12,{num(mid)} 1,{num(mid + 8)}",
                fill=BRAND, class_="rung-marker")
        )
    return parts


def _words(rung: _Rung, y: float) -> list[Markup]:
    """The pills and the description, centred when the rung is taller than its text."""
    parts = []
    top = y + (rung.height - rung.content_height) / 2
    if rung.tags:
        x = _RUNG_TEXT_X - 2
        for word, kind in rung.tags:
            pill, width = _pill(x, top, word, kind)
            parts.append(pill)
            x += width + 6
        top += _TAGS
    if rung.heading:
        parts.append(tag("text", rung.heading, x=_RUNG_TEXT_X, y=top + 15, font_size=_FONT,
                         font_weight="700", fill=INK, class_="rung-step-words"))
        top += _LINE
    tspans = join(
        tag("tspan", line, x=_RUNG_TEXT_X, y=top + 15 + i * _LINE)
        for i, line in enumerate(rung.lines)
    )
    parts.append(
        tag(
            "text", tspans, font_size=_FONT, fill=INK if rung.text else MUTED,
            class_="rung-text" if rung.text else "rung-text rung-missing",
        )
    )
    return parts


def _draw(rung: _Rung, y: float) -> Markup:
    """One rung with its top at `y`."""
    now = rung.is_current
    parts = [tag("title", f"{signed(rung.level)}: {rung.text}")] if rung.truncated else []
    parts.append(
        tag(
            "rect", x=_RUNG_X, y=y + 1.5, width=WIDTH - 1.5 - _RUNG_X, height=rung.height - 3,
            rx=8, fill=BRAND_LIGHT if now else CARD, stroke=BRAND if now else LINE,
            stroke_width=3 if now else 1.5, class_="rung-box",
        )
    )
    return group([*parts, *_step(rung, y), *_words(rung, y)], class_=rung.classes)


def _rails(height: float) -> Markup:
    return join(
        tag(
            "line", x1=x, y1=2.0, x2=x, y2=height - 2, stroke=LINE, stroke_width=4,
            stroke_linecap="round", class_="rail",
        )
        for x in (_RAIL_LEFT + 4, _RAIL_RIGHT - 4)
    )


def _summary(rungs: Mapping[int, _Rung], current: int | None, baseline: int | None,
             for_family: bool, start: str = "") -> str:
    """The ``<desc>``: where the family is now and where it began, in words (a family's
    in the steps' words, without level numbers)."""
    if current is None:
        sentences = [_("Er is nog geen stap gekozen.") if for_family
                     else _("Er is nog geen niveau gekozen.")]
    elif for_family:
        sentences = [_("Nu: %(step)s. %(text)s.")
                     % {"step": STEP_WORDS[current], "text": rungs[current].shown.rstrip(".")}]
    else:
        sentences = [_("Nu op niveau %(level)s: %(text)s.")
                     % {"level": signed(current), "text": rungs[current].shown.rstrip(".")}]
    start = start.strip()
    if baseline is not None and not for_family:
        sentences.append(_("Begonnen op niveau %(level)s: %(text)s.")
                         % {"level": signed(baseline),
                            "text": (start or rungs[baseline].shown).rstrip(".")})
    elif baseline is not None or start:
        sentences.append(_("Bij de start: %(text)s.")
                         % {"text": (start or rungs[baseline].shown).rstrip(".")})
    if for_family:
        sentences.append(_("De bovenste stap is het beste. In het midden staat het doel."))
    else:
        sentences.append(
            _("Niveau +2 is het beste, niveau %(level)s het minst goed; 0 is het doel gehaald.")
            % {"level": signed(-2)}
        )
    return " ".join(sentences)


def _alternative(rungs: Mapping[int, _Rung], for_family: bool) -> Markup:
    """The table of all levels; and all text in a fold-out when some of it was cut off. A
    family's table names each step in words; a professional's by number and the guideline's
    name."""
    rows = [
        [STEP_WORDS[r.level] if for_family else f"{signed(r.level)}: {LEVEL_LABELS[r.level]}",
         r.shown, r.status]
        for r in rungs.values()
    ]
    table = data_table(
        _("Alle stappen naar het doel") if for_family else _("Alle niveaus van de ladder"),
        [_("Stap") if for_family else _("Niveau"), _("Beschrijving"), _("Nu of begin")], rows,
    )
    if not any(r.truncated for r in rungs.values()):
        return table
    items = join(tag("dt", STEP_WORDS[r.level] if for_family else signed(r.level))
                 + tag("dd", r.shown) for r in rungs.values())
    summary = tag("summary", _("Lees alle tekst"))
    return table + tag("details", summary + tag("dl", items), class_="chart-more")


def gas_ladder(
    levels: Mapping[int, str | None],
    current: int | None,
    baseline: int | None,
    id_prefix: str,
    *,
    caption: str | None = None,
    for_family: bool = False,
    start: str = "",
) -> Markup:
    """The five-level GAS ladder of one goal, +2 at the top, −2 at the bottom.

    `levels` maps a level (−2..+2) to its description; a missing or blank description shows
    "(nog niet beschreven)". `current` (the level reached now) is highlighted: class
    "current", an arrow and a "nu" label; `baseline` (where the family started) gets a dashed
    "begin" label. Either may be None. Long descriptions wrap to four lines and are then cut
    off with "…"; the text alternative (and a "Lees alle tekst" fold-out) has them in full.
    `caption` replaces the default figcaption ("Ladder van dit doel"; a family's: "Stappen
    naar het doel"). `for_family`: the text alternative names the steps in words ("Doel
    gehaald"), never by GAS number (DESIGN §7), and each rung has its step in words above its
    description. `start`: the start situation in words (the guideline's ladder has it apart
    from the five levels), for the text alternative.

    Raises ValueError for a bad `id_prefix` or a `current`/`baseline` outside −2..+2.
    """
    id_prefix = check_prefix(id_prefix)
    current = _check_level(current, "current")
    baseline = _check_level(baseline, "baseline")
    rungs = {
        level: _Rung(level, _description(levels, level), level == current, level == baseline,
                      heading=STEP_WORDS[level] if for_family else "")
        for level in sorted(LEVELS, reverse=True)
    }
    drawn, y = [], 2.0
    for rung in rungs.values():
        drawn.append(_draw(rung, y))
        y += rung.height + _GAP
    height = y - _GAP + 2
    title = caption or (_("Stappen naar het doel") if for_family else _("Ladder van dit doel"))
    desc = _summary(rungs, current, baseline, for_family, start or "")
    svg = accessible_svg(id_prefix, height, title, desc, _rails(height) + join(drawn), "gas")
    if current is None:
        hint = _("Boven is beter.")
    else:
        hint = (_("Boven is beter. De stap met \u201cnu\u201d is waar jullie nu staan.") if for_family
                else _("Boven is beter. Het niveau met \u201cnu\u201d is waar jullie nu staan."))
    return figure("gas", title, hint, svg, _alternative(rungs, for_family))
