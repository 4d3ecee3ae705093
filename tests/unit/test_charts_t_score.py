"""The T-score over time: points by date, rounded labels, the line at 50, the text alternative."""
from __future__ import annotations

from datetime import date

import pytest
from markupsafe import Markup

from samenplan.charts import t_score_line
from tests.unit.test_charts import SVG, T_POINTS, parse, text_alternative, the_svg

def test_t_score_points_labels_and_dates():
    figure = parse(t_score_line(T_POINTS, "t"))
    svg = the_svg(figure)
    assert len(svg.findall(f".//{SVG}circle[@class='point']")) == 3
    assert svg.find(f".//{SVG}polyline") is not None
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "point-label"]
    assert labels == ["38", "45", "53"]  # sorted by date, rounded half up (52.5 -> 53)
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "axis-label"]
    assert {"12-1", "2-3", "20-4"} <= set(axis)
    assert {"20", "50", "80"} <= set(axis)
    points = svg.findall(f".//{SVG}circle[@class='point']")
    xs = [float(c.get("cx")) for c in points]
    assert xs == sorted(xs)


def test_t_score_reference_line_at_50():
    svg = the_svg(parse(t_score_line(T_POINTS, "t")))
    reference = svg.find(f".//{SVG}g[@class='reference']")
    # T = 50 is every goal at GAS level 0, which the guideline calls "het doel gehaald"
    assert reference.find(f"{SVG}text").text == "gehaald"
    line = reference.find(f"{SVG}line")
    assert line.get("y1") == line.get("y2")
    y_of = {t.text: float(t.get("y")) for t in svg.iter(f"{SVG}text") if t.get("class") == "axis-label"}
    assert abs(float(line.get("y1")) + 4.5 - y_of["50"]) < 0.2


def test_t_score_values_in_text_alternative():
    figure = parse(t_score_line(T_POINTS, "t"))
    alt = text_alternative(figure)
    for words in ("12-1-2026", "38", "2-3-2026", "45", "20-4-2026", "53"):
        assert words in alt
    desc = the_svg(figure).find(f"{SVG}desc").text
    assert "53" in desc and "hoger" in desc


def test_t_score_one_point_is_a_single_dot():
    svg = the_svg(parse(t_score_line([(date(2026, 3, 2), 50.0)], "t")))
    assert len(svg.findall(f".//{SVG}circle")) == 1
    assert svg.find(f".//{SVG}polyline") is None


def test_t_score_empty_is_a_sentence():
    html = str(t_score_line([], "t"))
    assert "<svg" not in html
    assert parse(Markup(html)).text == "Nog geen scores."


def test_t_score_outside_the_axis_is_drawn_at_the_edge_with_its_real_value():
    figure = parse(t_score_line([(date(2026, 1, 1), 86.4), (date(2026, 2, 1), 12.0)], "t"))
    svg = the_svg(figure)
    ys = [float(c.get("cy")) for c in svg.findall(f".//{SVG}circle[@class='point']")]
    height = float(svg.get("viewBox").split()[3])
    assert all(0 < y < height for y in ys)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "point-label"]
    assert labels == ["86", "12"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "50", None])
def test_t_score_refuses_non_numbers(bad):
    with pytest.raises(ValueError):
        t_score_line([(date(2026, 1, 1), bad)], "t")

