"""The GAS ladder: five rungs top-down, the current level and the baseline marked, text that
wraps and is complete in the text alternative."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from samenplan.charts import em_width, gas_ladder
from tests.unit.test_charts import EVIL, LADDER, SVG, parse, text_alternative, the_svg

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



def test_a_familys_ladder_names_the_steps_in_words():
    """DESIGN §7: a family reads "Doel gehaald", never a GAS level number or "niveau"."""
    figure = parse(gas_ladder(LADDER, current=0, baseline=-1, id_prefix="l", for_family=True))
    table = text_alternative(figure)
    for words in ("Veel meer dan het doel", "Meer dan het doel", "Doel gehaald",
                  "Op weg, maar nog niet gehaald", "Het gaat slechter dan bij de start"):
        assert words in table, words
    assert "Niveau" not in table and "+2" not in table
    desc = "".join(the_svg(figure).find(f"{SVG}desc").itertext())
    assert desc.startswith("Nu: Doel gehaald.") and "niveau" not in desc.lower()
    assert "Bij de start:" in desc
    assert "".join(figure.find("figcaption").itertext()).startswith("Stappen naar het doel")


def test_a_professionals_ladder_has_the_guidelines_names_by_number():
    table = text_alternative(parse(gas_ladder(LADDER, current=0, baseline=-1, id_prefix="l")))
    assert "0: het doel gehaald" in table and "−2: slechter dan bij de start" in table
    assert "+2: veel meer dan het doel" in table


def test_a_familys_rungs_carry_the_step_in_words_and_the_start_in_the_summary():
    figure = parse(gas_ladder(LADDER, current=0, baseline=-1, id_prefix="l", for_family=True,
                              start="Kevin gaat nooit naar school"))
    headings = ["".join(t.itertext()) for t in the_svg(figure).iter(f"{SVG}text")
                if t.get("class") == "rung-step-words"]
    assert headings == ["Veel meer dan het doel", "Meer dan het doel", "Doel gehaald",
                        "Op weg, maar nog niet gehaald", "Het gaat slechter dan bij de start"]
    desc = "".join(the_svg(figure).find(f"{SVG}desc").itertext())
    assert "Bij de start: Kevin gaat nooit naar school." in desc
    # a professional's ladder has no such line: the number says it
    plain = parse(gas_ladder(LADDER, current=0, baseline=-1, id_prefix="l"))
    assert not [t for t in the_svg(plain).iter(f"{SVG}text") if t.get("class") == "rung-step-words"]
