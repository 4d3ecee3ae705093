"""Server-rendered SVG charts: what every chart shares (well-formed, labelled, escaped, no inline
styles, numbers in words) and that the package stays pure. The helpers here serve the tests of
each chart too (test_charts_ladder.py, test_charts_t_score.py, test_charts_scaling.py)."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from markupsafe import Markup

import samenplan.charts
from samenplan.charts import gas_ladder, scaling_trends, t_score_line

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script> & \'Oma\''

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
    """The charts import and render outside Flask (no app, no request)."""
    code = (
        "from datetime import date\n"
        "from samenplan.charts import gas_ladder, t_score_line, scaling_trends\n"
        "print(gas_ladder({0: 'doel'}, 0, -1, 'a'))\n"
        "print(t_score_line([], 'b'))\n"
        "print(scaling_trends([('A', [(date(2026, 1, 1), 4)])], 'c', 'Voortgang'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert ">nu<" in done.stdout and "Nog geen scores." in done.stdout and "Voortgang" in done.stdout


PURE = ("__future__", "collections", "dataclasses", "datetime", "math", "re", "markupsafe",
        "samenplan.charts", "samenplan.domain")


@pytest.mark.parametrize("module", sorted(Path(samenplan.charts.__file__).parent.glob("*.py")),
                         ids=lambda path: path.name)
def test_the_package_is_pure(module):
    """No module of samenplan/charts imports Flask, flask-babel, the database or a feature."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    imported += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported
    for name in imported:
        assert any(name == ok or name.startswith(ok + ".") for ok in PURE), name
