"""The charts' size and colours: SVG presentation attributes, not CSS (the CSP forbids ``style=``).

The colours are those of the custom properties of ``static/css/samenplan.css``.
"""
from __future__ import annotations

#: Width of every chart's viewBox. On a 360 px phone the chart is drawn about 290 px wide,
#: so one user unit is roughly one CSS pixel there.
WIDTH = 300

INK = "#1b1f24"
MUTED = "#4a5560"
LINE = "#d6d2c8"
GRID = "#e7e3da"
BRAND = "#0b5d6b"
BRAND_LIGHT = "#e3f0f2"
CARD = "#ffffff"

#: Labels get a white outline so a line running behind them does not hide them.
HALO = {"stroke": CARD, "stroke_width": 4, "stroke_linejoin": "round", "paint_order": "stroke"}
#: a contact that harms (network map): drawn dashed as well, never by colour alone
HARM = "#a4262c"
