"""The self-sufficiency heat map: a cell per domain and meting with its number (never colour
alone), a title and a desc that state the counts, a table as text alternative."""
from __future__ import annotations

import re
from datetime import date

import pytest

from samenplan.charts.selfreliance import FILLS, self_reliance_heat_map
from tests.unit.test_charts import SVG, parse, text_alternative, the_svg

DOMAINS = ["Financiën", "Geestelijke gezondheid", "Sociaal-emotionele ondersteuning"]
METINGEN = [(date(2026, 9, 1), "Start, 1-9-2026"), (date(2026, 11, 17), "Evaluatie, 17-11-2026")]
LEVELS = [[2, 3], [2, 4], [None, 5]]
LEGEND = ["acuut", "niet", "beperkt", "voldoende", "volledig"]


def chart(levels=LEVELS, metingen=METINGEN):
    return self_reliance_heat_map(DOMAINS, metingen, levels, "zr", caption="Sandra", legend=LEGEND)


def test_every_cell_holds_its_number_and_an_unscored_one_a_dash():
    svg = the_svg(parse(chart()))
    cells = [r for r in svg.iter(f"{SVG}rect") if (r.get("class") or "").startswith("cell")]
    assert len(cells) == 6
    numbers = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "cell-number"]
    assert numbers == ["2", "3", "2", "4", "5"]
    assert any(t.text == "–" for t in svg.iter(f"{SVG}text"))
    fills = {r.get("class"): r.get("fill") for r in cells}
    assert fills["cell cell-2"] == FILLS[2][0] and fills["cell cell-none"] == "#ffffff"


def test_title_desc_and_text_alternative():
    figure = parse(chart())
    svg = the_svg(figure)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Sandra"
    desc = svg.find(f"{SVG}desc").text
    assert "1-9-2026 was het op 2 leefgebieden nog niet voldoende" in desc
    assert "17-11-2026, op 1" in desc and "4 en 5 is voldoende" in desc
    alt = text_alternative(figure)
    assert "Sociaal-emotionele ondersteuning – 5" in alt and "Financiën 2 3" in alt
    assert "Start, 1-9-2026" in alt


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("level", sorted(FILLS))
def test_numbers_contrast_with_their_cell(level):
    fill, ink = FILLS[level]
    light, dark = sorted((_luminance(fill), _luminance(ink)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5


def test_no_inline_style_and_well_formed():
    html = str(chart())
    assert "style=" not in html and "<script" not in html
    tags = re.findall(r"<[^>]+>", re.sub(r'"[^"]*"', '""', html))
    assert not [t for t in tags if re.search(r"\son\w+=", t)]  # no onload= & co.
    parse(chart())  # well-formed XML


def test_no_metingen_is_a_sentence_and_bad_input_is_refused():
    assert "Nog geen metingen." in str(chart(levels=[[], [], []], metingen=[]))
    with pytest.raises(ValueError):
        chart(levels=[[0, 3], [2, 4], [None, 5]])
    with pytest.raises(ValueError):
        chart(levels=[[6, 3], [2, 4], [None, 5]])
    with pytest.raises(ValueError):
        chart(levels=[[2], [2, 4], [None, 5]])
    with pytest.raises(ValueError):
        self_reliance_heat_map(DOMAINS, METINGEN, LEVELS, "1x", caption="S", legend=LEGEND)
