"""Scaling trends: a line per respondent that differs by more than colour, latest values
labelled apart, names escaped, every answer in the text alternative."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from markupsafe import Markup

from samenplan.charts import scaling_trends
from tests.unit.test_charts import EVIL, SERIES, SVG, parse, text_alternative, the_svg

def series_groups(figure: ET.Element) -> list[ET.Element]:
    return [g for g in the_svg(figure).iter(f"{SVG}g") if "series" in (g.get("class") or "").split()]


def test_scaling_one_line_per_respondent_not_by_colour_alone():
    many = [(f"Persoon {i}", [(date(2026, 1, 1), i), (date(2026, 2, 1), i + 1)]) for i in range(6)]
    figure = parse(scaling_trends(many, "s", "Motivatie"))
    groups = series_groups(figure)
    assert len(groups) == 6
    dashes = [g.find(f"{SVG}polyline").get("stroke-dasharray") for g in groups]
    markers = [
        next(el.get("class") for el in g if "marker" in (el.get("class") or "")) for g in groups
    ]
    assert len(set(dashes)) == 6  # None (solid) counts as one pattern
    assert len(set(markers)) == 6
    legend = figure.find("ul[@class='chart-legend']")
    assert ["".join(li.itertext()) for li in legend] == [name for name, _points in many]


def test_scaling_latest_values_labelled():
    figure = parse(scaling_trends(SERIES, "s", "Voortgang"))
    latest = [g for g in the_svg(figure).iter(f"{SVG}g") if (g.get("class") or "").startswith("latest")]
    assert [g.find(f"{SVG}text").text for g in latest] == ["6", "7"]
    ys = [float(g.find(f"{SVG}text").get("y")) for g in latest]
    assert ys[1] < ys[0]  # 7 is drawn higher than 6


def test_scaling_equal_latest_values_do_not_overlap():
    same = [("A", [(date(2026, 1, 1), 5)]), ("B", [(date(2026, 1, 1), 5)]), ("C", [(date(2026, 1, 1), 5)])]
    latest = [g for g in the_svg(parse(scaling_trends(same, "s", "Voortgang"))).iter(f"{SVG}g")
              if (g.get("class") or "").startswith("latest")]
    ys = sorted(float(g.find(f"{SVG}text").get("y")) for g in latest)
    assert all(b - a >= 16 for a, b in zip(ys, ys[1:]))


def test_scaling_values_in_text_alternative():
    figure = parse(scaling_trends(SERIES + [("Oma", [])], "s", "Voortgang"))
    alt = text_alternative(figure)
    for words in ("Sanne", "12-1-2026: 3", "2-3-2026: 5", "20-4-2026: 6", "6 (omhoog)",
                  "Ahmed (wijkteam)", "7 (omhoog)", "Oma", "nog geen antwoord"):
        assert words in alt
    assert len(series_groups(figure)) == 2  # Oma has no line
    desc = the_svg(figure).find(f"{SVG}desc").text
    assert "Sanne: 6" in desc and "Ahmed (wijkteam): 7" in desc
    assert "Voortgang" in the_svg(figure).find(f"{SVG}title").text


def test_scaling_escapes_names_and_question():
    html = str(scaling_trends([(EVIL, [(date(2026, 1, 1), 4)])], "s", "<b>Voortgang</b>"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html
    figure = parse(Markup(html))
    assert EVIL in text_alternative(figure)
    assert EVIL in "".join(figure.find("ul[@class='chart-legend']").itertext())
    assert "<b>Voortgang</b>" in "".join(figure.find("figcaption").itertext())


def test_scaling_empty_is_a_sentence():
    for empty in ([], [("Sanne", [])]):
        html = str(scaling_trends(empty, "s", "Voortgang"))
        assert "<svg" not in html
        assert parse(Markup(html)).text == "Nog geen antwoorden."


@pytest.mark.parametrize("bad", [-1, 11, 5.5, "x"])
def test_scaling_refuses_bad_scores(bad):
    with pytest.raises(ValueError):
        scaling_trends([("A", [(date(2026, 1, 1), bad)])], "s", "Voortgang")
