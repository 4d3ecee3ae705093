"""Sandra withdraws her consent for GGZ Kompas; Daan (GGZ Kompas) loses her GGZ goal at once.

Two people on two phones (two browser contexts, 360x740): Daan, a professional who logs in with
a password and a TOTP code, sees Sandra's goal "Ik ga elke week naar mijn afspraak bij de GGZ".
Sandra opens "Wie mag wat zien" and presses "Intrekken" on "Sandra → GGZ Kompas". Daan's next
page load no longer shows the goal, and its own address answers with the Dutch 404 page, the
same page as for a goal that never existed (no difference is shown).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_sideways_scroll, goal_card, log_in, open_plan, shoot, sub_menu
from tests.support.people import DAAN, SANDRA

pytestmark = pytest.mark.e2e

GGZ_GOAL = "Ik ga elke week naar mijn afspraak bij de GGZ"


# --- the test --------------------------------------------------------------------------------

def test_revoked_consent_hides_the_goal_from_the_professional_at_once(
    new_phone_context, browser_problems, artifacts,
):
    # Daan, on his own phone, sees Sandra's GGZ goal
    daan = new_phone_context().new_page()
    log_in(daan, DAAN, browser_problems)
    open_plan(daan)
    plan_url = daan.url
    card = goal_card(daan, GGZ_GOAL)
    expect(card).to_be_visible()
    goal_url = card.get_by_role("link", name=GGZ_GOAL, exact=True).get_attribute("href")
    assert goal_url and re.search(r"/doelen/\d+$", goal_url), goal_url
    assert_no_sideways_scroll(daan)
    shoot(daan, artifacts, "consent-1-daan-before.png", full_page=True)

    # the goal's page opens for him too, before the revocation
    daan.goto(goal_url)
    expect(daan.get_by_role("heading", level=1, name=GGZ_GOAL)).to_be_visible()

    # Sandra, on her phone, withdraws her consent for GGZ Kompas
    sandra = new_phone_context().new_page()
    log_in(sandra, SANDRA)
    open_plan(sandra)
    sub_menu(sandra, "Wie mag wat zien")
    expect(sandra.get_by_role("heading", level=1, name="Wie mag wat zien")).to_be_visible()
    consent = sandra.locator("li.card.consent", has=sandra.get_by_role(
        "heading", name="Sandra → GGZ Kompas", exact=True))
    expect(consent).to_have_count(1)
    expect(consent).to_contain_text("Geldt nu.")
    consent.scroll_into_view_if_needed()
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "consent-2-sandra-before.png")

    revoke = consent.get_by_role("link", name=re.compile(r"^Intrekken"))
    expect(revoke).to_have_count(1)
    revoke.click()  # asked once, in the card
    expect(consent).to_contain_text("Weet je het zeker?")
    consent.get_by_role("button", name=re.compile(r"^Ja, intrekken")).click()
    expect(sandra.locator("p.flash[role=status]")).to_contain_text("De toestemming is ingetrokken.")
    expect(consent).to_contain_text("Ingetrokken")
    expect(consent).to_have_class(re.compile(r"\bstate-ingetrokken\b"))
    expect(consent.get_by_role("link", name=re.compile(r"^Intrekken"))).to_have_count(0)
    expect(consent.get_by_role("button", name=re.compile(r"^Ongedaan maken"))).to_have_count(1)
    consent.scroll_into_view_if_needed()
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "consent-3-sandra-revoked.png")

    # Daan's next page load: the goal is gone from the plan ...
    daan.goto(plan_url)
    expect(daan.get_by_role("heading", level=1, name=re.compile(r"^Plan van"))).to_be_visible()
    expect(goal_card(daan, GGZ_GOAL)).to_have_count(0)
    expect(daan.get_by_text(GGZ_GOAL)).to_have_count(0)
    shoot(daan, artifacts, "consent-4-daan-after.png", full_page=True)

    # ... and its own address gives the Dutch "not found" page (the 404 is expected)
    browser_problems.allow(r"status of 404")
    response = daan.goto(goal_url)
    assert response is not None and response.status == 404
    expect(daan.get_by_role("heading", level=1, name="Niet gevonden")).to_be_visible()
    expect(daan.get_by_text("Deze pagina bestaat niet (meer), of je mag hem niet (meer) zien.")).to_be_visible()
    expect(daan.get_by_text(GGZ_GOAL)).to_have_count(0)
    assert_no_sideways_scroll(daan)
    shoot(daan, artifacts, "consent-5-daan-404.png")
