"""Text in a chart: how wide it is, wrapping it into lines, dates as people write them."""
from __future__ import annotations

from datetime import date

__all__ = ["ELLIPSIS", "MINUS", "em_width", "long_date", "short_date", "text_width", "wrap"]

MINUS = "\u2212"  # a real minus sign, not a hyphen
ELLIPSIS = "\u2026"

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


def text_width(text: str, font_size: float) -> float:
    """Estimated width of `text` in user units at `font_size`."""
    return em_width(text) * font_size


def short_date(day: date) -> str:
    """"d-m", for an axis."""
    return f"{day.day}-{day.month}"


def long_date(day: date) -> str:
    """"d-m-yyyy", for sentences and the text alternative."""
    return f"{day.day}-{day.month}-{day.year}"


def _hyphenate(word: str, max_em: float) -> tuple[list[str], str]:
    """`word` cut into lines of at most `max_em` ending in "-", and the rest that fits a line."""
    pieces = []
    while em_width(word) > max_em:
        cut = 1
        while cut < len(word) and em_width(word[: cut + 1] + "-") <= max_em:
            cut += 1
        pieces.append(word[:cut] + "-")
        word = word[cut:]
    return pieces, word


def _cut_off(lines: list[str], max_em: float, max_lines: int) -> list[str]:
    """The first `max_lines` of `lines`, the last one ending in "…" within `max_em`."""
    lines = lines[:max_lines]
    last = lines[-1].rstrip(" ,.;:-")
    while last and em_width(last + ELLIPSIS) > max_em:
        last = last[:-1].rstrip(" ,.;:-")
    lines[-1] = last + ELLIPSIS
    return lines


def wrap(text: str, max_em: float, max_lines: int) -> tuple[list[str], bool]:
    """`text` in lines of at most `max_em` wide (see em_width), at most `max_lines` of them.

    Breaks between words; a word wider than a line is split with a hyphen. When the text
    needs more lines, the last line ends in "…" and the second value is True.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        pieces, word = _hyphenate(word, max_em)
        if pieces:
            if current:
                lines.append(current)
                current = ""
            lines.extend(pieces)
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
    return _cut_off(lines, max_em, max_lines), True
