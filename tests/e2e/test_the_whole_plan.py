"""The whole gezinsplan on a phone (issue 11): the network map, the plan for when things go less
well, the veiligheidsplan, the joint analysis, the team and the contact card.

1. Sandra, on her phone (360x740), adds a neighbour to the network map: name, relation, who he
   matters to, what kind of information it is (she picks it: nothing is chosen in advance),
   that the contact helps and what he gives. The map (the SVG) and the list under it name him.
   Then she adds a line to the plan for when things go less well ("Als het minder goed gaat"):
   "Wie we bellen", the neighbour with his phone number; it is in that list on the plan, as a
   `tel:` link. Oma Riet then logs in on her own phone: on the veiligheidsplan she sees the item
   she is named in ("Noah kan altijd oma Riet bellen") and no other item ("Als mama ziek is,
   komt tante Kim"), on the plan page she sees Sandra's new line, but not Sandra's health lines
   of the relapse plan (`gezondheid`) nor Sandra's address (`verblijfplaats`).
2. Fatima (casusregisseur, password and TOTP), on her phone, goes through the joint analysis:
   one answer to "Wat gaat er goed?" about Lisa, then on to the next question. The answer is in
   the plan's "Wat gaat goed"; the team page marks her as casusregisseur with a `tel:` link; the
   contact card on the plan's first screen gives her phone number.

No screen scrolls sideways at 360 px; the conftest fails a test on console errors, CSP
violations and 5xx answers. Screenshots go to test-artifacts/ for a human to look at.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_no_sideways_scroll, log_in, open_plan, shoot, sub_menu
from tests.support.people import FATIMA, RIET, SANDRA

pytestmark = pytest.mark.e2e

NEIGHBOUR = "Henk Bos"
NEIGHBOUR_NOTE = "Brengt Noah op maandag naar school."
RELAPSE_LINE = "Henk Bos, de buurman"
RELAPSE_PHONE = "06 98765432"

RIETS_ITEM = "Noah kan altijd oma Riet bellen"
OTHER_ITEM = "Als mama ziek is, komt tante Kim"
SANDRAS_HEALTH_LINES = ("Sandra slaapt slecht en blijft in bed.",
                        "Sandra belt oma Riet en gaat naar de huisarts.")
ADDRESS = "Merelstraat 7"

STRENGTH = "Lisa helpt Noah elke ochtend met aankleden."
FATIMA_NAME = "Fatima El Amrani"
FATIMA_PHONE = "020 123 45 67"


# --- helpers ---------------------------------------------------------------------------------

def pick_category(page: Page, label: str) -> None:
    """Choose "Wat voor informatie is dit?" by its words, and wait for "Zichtbaar voor" to
    follow (htmx asks the server) before anything else happens on the form."""
    category = page.get_by_label("Wat voor informatie is dit?")
    expect(category).to_have_value("")  # nothing chosen in advance (DESIGN.md §3)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/zichtbaar")):
        category.select_option(label=label)


# --- the tests -------------------------------------------------------------------------------

def test_sandra_adds_a_neighbour_and_a_relapse_line_and_riet_sees_only_her_part(
    new_phone_context, browser_problems, artifacts,
):
    sandra = new_phone_context().new_page()
    log_in(sandra, SANDRA)
    open_plan(sandra)
    plan_url = sandra.url

    # --- the network map: Sandra adds the neighbour
    sub_menu(sandra, "Netwerk")
    expect(sandra.get_by_role("heading", level=1, name="Ons netwerk")).to_be_visible()
    network_map = sandra.get_by_role("img", name=re.compile(r"^Het netwerk van het gezin"))
    expect(network_map).to_have_accessible_name(re.compile(r"met 3 mensen eromheen"))
    assert_no_sideways_scroll(sandra)
    sandra.get_by_role("link", name="Iemand toevoegen").click()
    expect(sandra.get_by_role("heading", level=1, name="Iemand toevoegen aan het netwerk")).to_be_visible()
    assert_no_sideways_scroll(sandra)

    sandra.get_by_label("Naam").fill(NEIGHBOUR)
    sandra.get_by_label("Wie is het voor jullie?").fill("buurman")
    who = sandra.get_by_role("group", name="Voor wie in het gezin is deze persoon belangrijk?")
    who.get_by_label("Sandra").check()
    who.get_by_label("Noah").check()
    pick_category(sandra, "Algemeen")
    expect(sandra.locator("#zichtbaar-concept")).to_contain_text("Riet Jansen")
    sandra.get_by_role("group", name="Helpt het contact?").get_by_label("Het contact helpt").check()
    sandra.get_by_role("group", name="Wat geeft deze persoon nu?").get_by_label("Praktisch").check()
    sandra.get_by_role("group", name="Wat zou deze persoon kunnen geven?").get_by_label("Emotioneel").check()
    sandra.get_by_label(
        "Wat doet deze persoon, of wat zou hij of zij kunnen doen? (mag leeg)").fill(NEIGHBOUR_NOTE)
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "whole-plan-1-neighbour-form.png", full_page=True)
    sandra.get_by_role("button", name="Opslaan").click()

    # back on the network page: the map and the list name him
    expect(sandra.get_by_role("heading", level=1, name="Ons netwerk")).to_be_visible()
    expect(network_map).to_have_accessible_name(re.compile(r"met 4 mensen eromheen"))
    expect(network_map.locator("g.network-person", has_text=NEIGHBOUR)).to_have_count(1)
    card = sandra.locator("ul.network-list > li.card", has=sandra.get_by_role(
        "heading", level=3, name=f"{NEIGHBOUR} (buurman)"))
    expect(card).to_have_count(1)
    expect(card.locator("p.flash[role=status]")).to_have_text("Opgeslagen.")
    expect(card).to_contain_text("Het contact helpt")
    expect(card).to_contain_text("Belangrijk voor: Sandra, Noah")
    expect(card).to_contain_text("Geeft nu: Praktisch")
    expect(card).to_contain_text("Zou kunnen geven: Emotioneel")
    expect(card).to_contain_text(NEIGHBOUR_NOTE)
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "whole-plan-2-network.png", full_page=True)

    # --- the plan for when things go less well: whom we call, with his number
    sub_menu(sandra, "Plan")
    relapse = sandra.locator("section#sectie-terugvalpreventie")
    expect(relapse.get_by_role("heading", level=2, name="Als het minder goed gaat")).to_be_visible()
    # "Toevoegen", and for a screen reader which section (in a visually hidden span)
    relapse.get_by_role("link", name=re.compile(r"^Toevoegen\W+Als het minder goed gaat$")).click()
    expect(sandra.get_by_role("heading", level=1, name="Als het minder goed gaat: toevoegen")).to_be_visible()
    assert_no_sideways_scroll(sandra)

    sandra.get_by_role("group", name="Wat voor regel is dit?").get_by_label("Wie we bellen").check()
    sandra.get_by_label("Wat wil je opschrijven?").fill(RELAPSE_LINE)
    sandra.get_by_label("Telefoonnummer (mag leeg)").fill(RELAPSE_PHONE)
    about = sandra.get_by_role("group", name="Over wie gaat dit?")
    expect(about.get_by_label("Sandra")).to_be_checked()  # about herself, to begin with
    about.get_by_label("Noah").check()
    pick_category(sandra, "Algemeen")
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "whole-plan-3-relapse-form.png", full_page=True)
    sandra.get_by_role("button", name="Opslaan").click()

    expect(sandra.get_by_role("heading", level=1, name=re.compile(r"^Plan van"))).to_be_visible()
    whom = relapse.get_by_role("list", name="Wie we bellen")
    line = whom.get_by_role("listitem").filter(has_text=RELAPSE_LINE)
    expect(line).to_have_count(1)
    expect(line.locator("p.flash[role=status]")).to_have_text("Opgeslagen. Het staat in het plan.")
    call = line.get_by_role("link", name=f"Bel {RELAPSE_PHONE}")
    expect(call).to_have_attribute("href", "tel:0698765432")
    # the lines that were there stay, each in its own list
    expect(whom.get_by_role("listitem")).to_have_count(3)
    expect(relapse.get_by_role("list", name="Waaraan we merken dat het minder gaat")).to_contain_text(
        SANDRAS_HEALTH_LINES[0])
    line.scroll_into_view_if_needed()
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "whole-plan-4-relapse-saved.png")

    # --- oma Riet, on her own phone
    riet = new_phone_context().new_page()
    log_in(riet, RIET)
    open_plan(riet)
    assert riet.url.split("?")[0].split("#")[0] == plan_url.split("?")[0].split("#")[0]
    sub_menu(riet, "Veiligheidsplan")
    expect(riet.get_by_role("heading", level=1, name="Veiligheidsplan")).to_be_visible()
    items = riet.locator("section#afspraken article.safety-item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(RIETS_ITEM)
    expect(items.first.get_by_text("Riet Jansen ziet dit")).to_be_visible()
    expect(riet.locator("main")).not_to_contain_text(OTHER_ITEM)
    expect(riet.locator("main")).not_to_contain_text("tante Kim")
    assert_no_sideways_scroll(riet)
    shoot(riet, artifacts, "whole-plan-5-riet-safety.png", full_page=True)

    sub_menu(riet, "Plan")
    expect(riet.get_by_role("heading", level=1, name=re.compile(r"^Plan van"))).to_be_visible()
    # what she may see is there: her item in the safety card, whom to call, Sandra's new line
    riet_safety = riet.locator("section#sectie-veiligheidsplan")
    expect(riet_safety).to_contain_text(RIETS_ITEM)
    expect(riet_safety).not_to_contain_text(OTHER_ITEM)
    riet_relapse = riet.locator("section#sectie-terugvalpreventie")
    riet_whom = riet_relapse.get_by_role("list", name="Wie we bellen")
    expect(riet_whom).to_contain_text(RELAPSE_LINE)
    expect(riet_whom).to_contain_text("Oma Riet, de moeder van Sandra")
    # and what she may not: Sandra's health lines, and her address
    main = riet.locator("main")
    for health_line in SANDRAS_HEALTH_LINES:
        expect(main).not_to_contain_text(health_line)
    expect(riet_relapse.get_by_role("list", name="Waaraan we merken dat het minder gaat")).to_have_count(0)
    expect(riet_relapse.get_by_role("list", name="Wat we dan doen")).to_have_count(0)
    expect(main).not_to_contain_text(ADDRESS)
    expect(main).not_to_contain_text("Voorbeeldstad")
    assert_no_sideways_scroll(riet)
    shoot(riet, artifacts, "whole-plan-6-riet-plan.png", full_page=True)


def test_fatima_goes_through_the_analysis_and_the_team_and_contact_card_name_her(
    page: Page, browser_problems, artifacts,
):
    log_in(page, FATIMA, browser_problems)
    open_plan(page)
    plan_url = page.url

    # --- the joint analysis, from the plan
    page.get_by_role("link", name="Samen kijken: wat gaat goed, wat zijn de zorgen?").click()
    expect(page.get_by_role("heading", level=1, name="Samen kijken naar jullie situatie")).to_be_visible()
    assert re.search(r"/gezin/\d+/analyse$", page.url), page.url
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Begin", exact=True).click()
    expect(page.get_by_role(
        "heading", level=1, name="Wat gaat er goed? Waar zijn jullie blij mee of trots op?")).to_be_visible()
    expect(page.get_by_text("Vraag 1 van 5")).to_be_visible()
    assert_no_sideways_scroll(page)

    form = page.locator("article#nieuw-stuk")
    expect(form.get_by_role("heading", level=2, name="Wat gaat goed: toevoegen")).to_be_visible()
    form.get_by_label("Wat wil je opschrijven?").fill(STRENGTH)
    form.get_by_role("group", name="Over wie gaat dit?").get_by_label("Lisa").check()
    pick_category(page, "Algemeen")
    shoot(page, artifacts, "whole-plan-7-analysis-form.png", full_page=True)
    form.get_by_role("button", name="Opslaan").click()

    # saved at once, shown on the step itself
    expect(page.get_by_role("heading", level=2, name="Dit is al opgeschreven")).to_be_visible()
    answer = page.locator("article.section-entry", has_text=STRENGTH)
    expect(answer).to_have_count(1)
    expect(answer.locator("p.flash[role=status]")).to_have_text("Opgeslagen. Het staat in het plan.")
    expect(answer).to_contain_text("Over: Lisa")
    assert_no_sideways_scroll(page)

    # on to the next question
    page.get_by_role("navigation", name="Vragen").get_by_role("link", name="Volgende vraag").click()
    expect(page.get_by_role("heading", level=1, name="Waar maken jullie je zorgen over?")).to_be_visible()
    expect(page.get_by_text("Vraag 2 van 5")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(STRENGTH)
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "whole-plan-8-analysis-next.png", full_page=True)

    # --- the answer is in the plan's "Wat gaat goed"
    page.get_by_role("link", name="Alle vragen").click()
    page.get_by_role("link", name="Terug naar het plan").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Plan van"))).to_be_visible()
    assert page.url.split("#")[0] == plan_url.split("#")[0]
    strengths = page.locator("section#sectie-wat_gaat_goed")
    expect(strengths.get_by_role("heading", level=2, name="Wat gaat goed")).to_be_visible()
    entry = strengths.locator("article.section-entry", has_text=STRENGTH)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Over: Lisa")
    expect(strengths).to_contain_text("Oma Riet helpt veel. Lisa kan goed tekenen.")  # the demo's stays

    # --- the contact card on the plan's first screen: her one phone number
    card = page.locator("section#contactkaart")
    expect(card.get_by_role("heading", level=2, name="Wie kun je bellen?")).to_be_in_viewport()
    chair = card.locator("dt", has_text=re.compile(r"^Je vaste hulpverlener$")).locator(
        "xpath=following-sibling::dd[1]")
    expect(chair).to_contain_text(FATIMA_NAME)
    chair_call = chair.get_by_role("link", name=FATIMA_PHONE)
    expect(chair_call).to_have_attribute("href", re.compile(r"^tel:\+?0?\d+"))
    assert chair_call.get_attribute("href").endswith("201234567"), chair_call.get_attribute("href")
    strengths.scroll_into_view_if_needed()
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "whole-plan-9-plan-strengths.png")

    # --- the team: Fatima is the casusregisseur, with a tel: link
    sub_menu(page, "Team")
    expect(page.get_by_role("heading", level=1, name="Het team")).to_be_visible()
    line = page.locator("li.team-line", has=page.get_by_role(
        "heading", level=3, name=re.compile(f"^{FATIMA_NAME}")))
    expect(line).to_have_count(1)
    expect(line.get_by_role("heading", level=3)).to_have_text(
        re.compile(rf"^{FATIMA_NAME}\s+casusregisseur$"))
    expect(line.locator(".badge")).to_have_text("casusregisseur")
    expect(page.locator("li.team-line .badge", has_text="casusregisseur")).to_have_count(1)  # only her
    team_call = line.get_by_role("link", name=FATIMA_PHONE)
    expect(team_call).to_have_attribute("href", re.compile(r"^tel:"))
    assert team_call.get_attribute("href").endswith("201234567"), team_call.get_attribute("href")
    expect(line).to_contain_text("Sociaal Wijkteam Noord")
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "whole-plan-10-team.png", full_page=True)
