"""The network map (charts/network.py): the family in the middle, each person around it, the
kind of contact drawn by line style and not only by colour, with a legend in words; well-formed,
labelled, escaped, no inline style; and a sentence instead of a map when nobody is on it."""
from __future__ import annotations

import math
import re

import pytest

from samenplan.charts import MapMember, network_map
from samenplan.charts.network import LINE_STYLE
from samenplan.domain.vocabulary import ContactEffect
from tests.unit.test_charts import EVIL, SVG, parse, the_svg

MEMBERS = [
    MapMember("Riet Jansen", "oma", "helpt"),
    MapMember("Ans Mulder", "buurvrouw", "neutraal"),
    MapMember("Karin de Boer", "tante", "schaadt"),
]


def lines(figure):
    return [el for el in the_svg(figure).iter(f"{SVG}line")
            if "network-line" in (el.get("class") or "") and "network-legend" not in (el.get("class") or "")]


def people_lines(figure):
    group = the_svg(figure).find(f".//{SVG}g[@class='network-lines']")
    return list(group.iter(f"{SVG}line"))


def test_labelled_svg_with_title_and_a_description_in_words():
    figure = parse(network_map("Jansen / de Boer", MEMBERS, "kaart"))
    svg = the_svg(figure)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id == "kaart-title"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == desc_id
    assert "met 3 mensen eromheen" in desc.text
    assert "helpt bij 1" in desc.text and "niet goed voor het gezin bij 1" in desc.text
    assert "De lijst onder de kaart" in desc.text


def test_every_person_is_named_and_the_family_is_in_the_middle():
    figure = parse(network_map("Jansen", MEMBERS, "kaart"))
    texts = " ".join("".join(t.itertext()) for t in the_svg(figure).iter(f"{SVG}text"))
    for member in MEMBERS:
        assert member.name.split()[0] in texts
    family = the_svg(figure).find(f".//{SVG}g[@class='network-family']/{SVG}circle")
    x, y = float(family.get("cx")), float(family.get("cy"))
    assert x == 150
    # each person's line starts on the family's circle and points away from it
    for line in people_lines(figure):
        x1, y1 = float(line.get("x1")), float(line.get("y1"))
        assert math.isclose(math.hypot(x1 - x, y1 - y), float(family.get("r")), abs_tol=0.2)


def test_the_kind_of_contact_is_told_by_line_style_and_in_words():
    figure = parse(network_map("Jansen", MEMBERS, "kaart"))
    drawn = people_lines(figure)
    assert [el.get("stroke-dasharray") for el in drawn] == [None, None, "6 4"]  # harms: dashed
    widths = [float(el.get("stroke-width")) for el in drawn]
    assert widths[0] > widths[1]  # helps: thicker than neutral
    legend = the_svg(figure).find(f".//{SVG}g[@class='network-legend']")
    words = " ".join("".join(t.itertext()) for t in legend.iter(f"{SVG}text"))
    assert "dikke lijn: het contact helpt" in words
    assert "stippellijn: het contact is niet goed" in words
    assert {e for e in LINE_STYLE} == set(ContactEffect)


def test_names_are_escaped_and_there_is_no_inline_style():
    html = str(network_map(EVIL, [MapMember(EVIL, EVIL, "helpt")], "kaart"))
    parse(network_map(EVIL, [MapMember(EVIL, EVIL, "helpt")], "kaart"))  # well-formed
    assert "<script" not in html
    assert "style=" not in html
    assert not re.search(r"\son\w+=", re.sub(r'"[^"]*"', '""', html))  # no onload= & co.


def test_many_people_stay_inside_the_picture():
    many = [MapMember(f"Persoon {n}", "", "helpt") for n in range(10)]
    figure = parse(network_map("Jansen", many, "kaart"))
    width, height = map(float, the_svg(figure).get("viewBox").split()[2:])
    for circle in the_svg(figure).iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cx")) <= width and 0 <= float(circle.get("cy")) <= height


def test_nobody_on_the_map_is_one_sentence():
    assert "Er staat nog niemand op de kaart." in str(network_map("Jansen", [], "kaart"))


@pytest.mark.parametrize("bad", ["", "1x", 'a" onload="x'])
def test_bad_prefix_or_effect_is_refused(bad):
    with pytest.raises(ValueError):
        network_map("Jansen", MEMBERS, bad)
    with pytest.raises(ValueError):
        network_map("Jansen", [MapMember("X", "", "soms")], "kaart")


# --- the rule behind the map's list: what someone gives now, or could give -----------------

def test_support_is_checked_against_the_vocabulary_and_given_now_wins():
    from samenplan.domain.network import UnknownSupport, split_support

    assert split_support(["emotioneel", "praktisch"], ["praktisch", "financieel"]) == (
        ["praktisch", "emotioneel"], ["financieel"])
    with pytest.raises(UnknownSupport):
        split_support(["alles"], [])
