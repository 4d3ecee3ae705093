"""The SVG builder: escaped attributes and text, self-closed empty elements, the accessible
wrapper and the text alternative."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from samenplan.charts.svg import (
    accessible_svg, attrs, check_prefix, data_table, empty, figure, group, num, points, tag,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_an_empty_element_is_self_closed_and_content_is_escaped():
    assert tag("circle", cx=1) == Markup('<circle cx="1"/>')
    assert tag("text", "<b> & 'x'") == Markup("<text>&lt;b&gt; &amp; &#39;x&#39;</text>")
    assert tag("text", Markup("<tspan>a</tspan>")) == Markup("<text><tspan>a</tspan></text>")
    assert tag("desc", "") == Markup("<desc></desc>")


def test_attribute_names_values_and_leaving_out():
    assert attrs(class_="a", stroke_width=1.5, aria_hidden="true") == Markup(
        ' class="a" stroke-width="1.5" aria-hidden="true"'
    )
    assert attrs(stroke_dasharray=None, hidden=False, x=0) == Markup(' x="0"')
    assert attrs(title='" onload="alert(1)') == Markup(' title="&#34; onload=&#34;alert(1)"')


def test_numbers_have_at_most_one_decimal():
    assert [num(v) for v in (2.0, 2.25, 2.35, -0.04, 17)] == ["2", "2.2", "2.4", "-0", "17"]
    assert tag("rect", x=3.0, y=1.26) == Markup('<rect x="3" y="1.3"/>')
    assert points([(1.0, 2.5), (3, 4.04)]) == "1,2.5 3,4"


def test_group():
    assert group([tag("line"), "<"], class_="g") == Markup('<g class="g"><line/>&lt;</g>')


@pytest.mark.parametrize("prefix", ["", "1abc", 'x" onload="alert(1)', "a b", None, 3])
def test_check_prefix_refuses(prefix):
    with pytest.raises(ValueError):
        check_prefix(prefix)


def test_check_prefix_accepts():
    assert check_prefix("doel-7_ladder") == "doel-7_ladder"


def test_accessible_svg_is_labelled_by_its_title_and_desc():
    svg = ET.fromstring(str(accessible_svg("p", 120.5, "T <i>", "D & d", tag("g"), "kind")))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img" and svg.get("focusable") == "false"
    assert svg.get("aria-labelledby") == "p-title p-desc"
    assert svg.get("viewBox") == "0 0 300 120.5"
    assert "chart-svg-kind" in svg.get("class").split()
    assert [(el.tag, el.get("id"), el.text) for el in svg][:2] == [
        (f"{SVG}title", "p-title", "T <i>"), (f"{SVG}desc", "p-desc", "D & d"),
    ]


def test_figure_has_its_caption_and_hint_first():
    html = figure("k", "Cap <b>", "Hint", tag("p", "x"))
    element = ET.fromstring(str(html))
    assert element.get("class") == "chart chart-k"
    caption = element.find("figcaption")
    assert caption.text == "Cap <b>" and caption.find("span[@class='chart-hint']").text == "Hint"
    assert element[1].tag == "p"
    assert ET.fromstring(str(figure("k", "Cap", None))).find("figcaption/span") is None


def test_data_table_is_visually_hidden_with_row_headers():
    wrapper = ET.fromstring(str(data_table("Alles", ["A", "B"], [["r1", "<1>"], ["r2", "2"]])))
    assert wrapper.get("class") == "sr-only"
    table = wrapper.find("table")
    assert table.find("caption").text == "Alles"
    assert [th.get("scope") for th in table.find("thead/tr")] == ["col", "col"]
    rows = table.findall("tbody/tr")
    assert [(r[0].tag, r[0].get("scope"), r[0].text, r[1].tag, r[1].text) for r in rows] == [
        ("th", "row", "r1", "td", "<1>"), ("th", "row", "r2", "td", "2"),
    ]


def test_empty_is_a_sentence():
    assert empty("Niets <hier>.") == Markup('<p class="empty chart-empty">Niets &lt;hier&gt;.</p>')
