"""Server-rendered SVG charts: well-formed, labelled, escaped, no inline styles, numbers in words."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from flask import Flask
from flask_babel import Babel
from markupsafe import Markup

from samenplan.goals.charts import em_width, gas_ladder, scaling_trends, t_score_line, wrap

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script> & \'Oma\''


@pytest.fixture(autouse=True)
def request_context():
    """gettext as in a real request: a minimal app with Babel."""
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


LADDER = {
    2: "Kevin gaat elke dag naar school.",
    1: "Kevin gaat 4 dagen per week naar school.",
    0: "Kevin gaat 3 dagen per week naar school.",
    -1: "Kevin gaat 1 of 2 dagen per week naar school.",
}

T_POINTS = [
    (date(2026, 3, 2), 44.6),
    (date(2026, 1, 12), 38.2),  # out of order on purpose
    (date(2026, 4, 20), 52.5),
]

SERIES = [
    ("Sanne", [(date(2026, 1, 12), 3), (date(2026, 3, 2), 5), (date(2026, 4, 20), 6)]),
    ("Ahmed (wijkteam)", [(date(2026, 1, 12), 2), (date(2026, 4, 20), 7)]),
]


def parse(markup: Markup) -> ET.Element:
    """The figure as XML: fails when the markup is not well-formed."""
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))


def the_svg(figure: ET.Element) -> ET.Element:
    return figure.find(f"{SVG}svg")


def text_alternative(figure: ET.Element) -> str:
    table = figure.find("div[@class='sr-only']/table")
    assert table is not None, "a visually hidden table states the numbers"
    return " ".join(" ".join(cell.itertext()) for cell in table.iter() if cell.tag in ("th", "td"))


def all_charts() -> list[Markup]:
    return [
        gas_ladder(LADDER, current=0, baseline=-1, id_prefix="c-ladder"),
        t_score_line(T_POINTS, "c-t"),
        t_score_line(T_POINTS[:1], "c-t1"),
        scaling_trends(SERIES, "c-s", "Voortgang"),
    ]


# --- common to every chart ------------------------------------------------------------------


@pytest.mark.parametrize("index", range(4))
def test_figure_with_caption_and_labelled_svg(index):
    figure = parse(all_charts()[index])
    assert figure.tag == "figure"
    assert "chart" in figure.get("class").split()
    caption = figure.find("figcaption")
    assert caption is not None and "".join(caption.itertext()).strip()

    svg = the_svg(figure)
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert svg.get("preserveAspectRatio")
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", svg.get("viewBox"))
    title_id, desc_id = svg.get("aria-labelledby").split()
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.get("id") == title_id and title.text.strip()
    assert desc.get("id") == desc_id and desc.text.strip()
    assert title_id.startswith(figure.find(f".//{SVG}title").get("id").split("-title")[0])


def test_ids_are_unique_and_use_the_prefix():
    page = "<div>" + "".join(str(chart) for chart in all_charts()) + "</div>"
    ids = [el.get("id") for el in ET.fromstring(page).iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    prefixes = {"c-ladder", "c-t", "c-t1", "c-s"}
    assert all(any(i.startswith(p + "-") for p in prefixes) for i in ids)


@pytest.mark.parametrize("index", range(4))
def test_no_inline_style_and_no_script(index):
    html = str(all_charts()[index])
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html
    assert " on" not in re.sub(r'"[^"]*"', '""', html)  # no onload= & co.


@pytest.mark.parametrize("prefix", ["", "1abc", 'x" onload="alert(1)', "a b", None])
def test_bad_id_prefix_is_refused(prefix):
    with pytest.raises(ValueError):
        gas_ladder(LADDER, 0, -1, prefix)
    with pytest.raises(ValueError):
        t_score_line(T_POINTS, prefix)
    with pytest.raises(ValueError):
        scaling_trends(SERIES, prefix, "Voortgang")


def test_renders_without_an_app():
    """charts.py imports and renders outside Flask too (gettext falls back to the Dutch text)."""
    code = (
        "from datetime import date\n"
        "from samenplan.goals.charts import gas_ladder, t_score_line, scaling_trends\n"
        "print(gas_ladder({0: 'doel'}, 0, -1, 'a'))\n"
        "print(t_score_line([], 'b'))\n"
        "print(scaling_trends([('A', [(date(2026, 1, 1), 4)])], 'c', 'Voortgang'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert ">nu<" in done.stdout and "Nog geen scores." in done.stdout and "Voortgang" in done.stdout


# --- GAS ladder -----------------------------------------------------------------------------


def rungs(figure: ET.Element) -> list[ET.Element]:
    return [g for g in the_svg(figure).iter(f"{SVG}g") if "rung" in (g.get("class") or "").split()]


def test_ladder_has_five_rungs_top_down():
    figure = parse(gas_ladder(LADDER, current=0, baseline=-1, id_prefix="l"))
    found = rungs(figure)
    assert len(found) == 5
    numbers = ["".join(g.find(f"{SVG}text[@class='rung-level']").itertext()) for g in found]
    assert numbers == ["+2", "+1", "0", "\u22121", "\u22122"]
    tops = [float(g.find(f"{SVG}rect").get("y")) for g in found]
    assert tops == sorted(tops)  # +2 at the top


def test_ladder_marks_current_and_baseline():
    figure = parse(gas_ladder(LADDER, current=1, baseline=-1, id_prefix="l"))
    by_level = dict(zip([2, 1, 0, -1, -2], rungs(figure)))
    current = [lvl for lvl, g in by_level.items() if "current" in g.get("class").split()]
    baseline = [lvl for lvl, g in by_level.items() if "baseline" in g.get("class").split()]
    assert current == [1] and baseline == [-1]
    now_rung = by_level[1]
    assert now_rung.find(f"{SVG}polygon[@class='rung-marker']") is not None
    assert "nu" in list(now_rung.itertext())
    assert "begin" in list(by_level[-1].itertext())
    assert "nu" not in list(by_level[-1].itertext())
    alt = text_alternative(figure)
    assert "nu" in alt and "begin" in alt
    desc = the_svg(figure).find(f"{SVG}desc").text
    assert "+1" in desc and "Kevin gaat 4 dagen per week naar school" in desc
    assert "\u22121" in desc


def test_ladder_current_equals_baseline():
    figure = parse(gas_ladder(LADDER, current=-1, baseline=-1, id_prefix="l"))
    rung = rungs(figure)[3]
    assert {"current", "baseline"} <= set(rung.get("class").split())
    words = list(rung.itertext())
    assert "nu" in words and "begin" in words
    assert "nu en begin" in text_alternative(figure)


def test_ladder_without_current_or_baseline():
    figure = parse(gas_ladder(LADDER, current=None, baseline=None, id_prefix="l"))
    assert not any("current" in g.get("class").split() for g in rungs(figure))
    assert "nog geen niveau" in the_svg(figure).find(f"{SVG}desc").text


def test_ladder_missing_descriptions():
    figure = parse(gas_ladder({0: "Wel beschreven", 1: "   ", -1: None}, 0, None, "l"))
    texts = ["".join(g.find(f"{SVG}text[@class='rung-text rung-missing']").itertext())
             for g in rungs(figure) if "missing" in g.get("class").split()]
    assert texts == ["(nog niet beschreven)"] * 4
    assert text_alternative(figure).count("(nog niet beschreven)") == 4


def test_ladder_long_description_wraps_and_is_complete_in_the_alternative():
    long = ("Kevin gaat drie dagen per week naar school en belt zelf de mentor als hij ziek is, "
            "en hij maakt zijn huiswerk aan de keukentafel samen met oma Truus na het eten.")
    figure = parse(gas_ladder({0: long, -1: "kort"}, 0, -1, "l"))
    rung = rungs(figure)[2]
    lines = [t.text for t in rung.iter(f"{SVG}tspan")]
    assert 2 <= len(lines) <= 4
    assert lines[-1].endswith("\u2026")
    assert all(em_width(line) * 15 <= 220 for line in lines)  # fits the rung
    assert long in text_alternative(figure)
    more = figure.find("details[@class='chart-more']")
    assert more is not None and long in "".join(more.itertext())
    assert parse(gas_ladder({0: "kort"}, 0, -1, "l")).find("details") is None


def test_ladder_escapes_descriptions():
    html = str(gas_ladder({0: EVIL, -1: EVIL}, 0, -1, "l"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    figure = parse(Markup(html))
    assert EVIL in text_alternative(figure)


@pytest.mark.parametrize("bad", [3, -3, 1.0, True, "0"])
def test_ladder_refuses_bad_levels(bad):
    with pytest.raises(ValueError):
        gas_ladder(LADDER, bad, None, "l")
    with pytest.raises(ValueError):
        gas_ladder(LADDER, None, bad, "l")


def test_wrap():
    assert wrap("een twee drie", em_width("een twee"), 3) == (["een twee", "drie"], False)
    lines, cut = wrap("een twee drie vier vijf zes", em_width("een twee"), 2)
    assert cut and len(lines) == 2 and lines[-1].endswith("\u2026")
    assert all(em_width(line) <= em_width("een twee") for line in lines)
    lines, cut = wrap("Onderwijsachterstandenbeleid", 5.0, 5)
    assert not cut and len(lines) > 1 and all(em_width(line) <= 5.0 for line in lines)
    assert "".join(line.rstrip("-") for line in lines) == "Onderwijsachterstandenbeleid"
    assert em_width("mmmm") > em_width("iiii")


# --- T-score --------------------------------------------------------------------------------


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
    assert reference.find(f"{SVG}text").text == "verwacht"
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


# --- scaling trends -------------------------------------------------------------------------


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
