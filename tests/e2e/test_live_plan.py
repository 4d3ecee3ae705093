"""The live plan (issue 11 item 9), in two browsers at phone width.

Mark has the plan open and is typing a new action under goal 1 when Sandra, on her own phone,
writes what goes well for the children. Within 20 seconds (the plan polls every 20) Mark's page
says something changed and offers to refresh, and what he was typing is still there. Then
Sandra changes something Mark may not see (her address, which she hid from him): his plan says
nothing, because nothing he may see changed.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_sideways_scroll, goal_card, log_in, open_plan, shoot
from tests.support.people import MARK, SANDRA

pytestmark = pytest.mark.e2e

GOAL_1 = "We hebben elke avond rust in huis"
CHANGED = "Er is iets veranderd in het plan."
POLL = 20_000  # ms: the plan's hx-trigger="every 20s"


def test_an_open_plan_learns_of_a_change_and_keeps_what_is_being_typed(
        new_phone_context, artifacts, browser_problems):
    mark = new_phone_context().new_page()
    log_in(mark, MARK)
    open_plan(mark)
    card = goal_card(mark, GOAL_1)
    card.get_by_text("Actie toevoegen").click()
    typing = "Ik bel Lisa op woensdag na school"
    card.get_by_label("Wat gaat er gebeuren?").fill(typing)
    expect(mark.locator("#plan-veranderd-melding")).to_have_count(0)

    sandra = new_phone_context().new_page()
    log_in(sandra, SANDRA)
    open_plan(sandra)
    section = sandra.locator("section", has=sandra.get_by_role("heading", name="Wat gaat goed"))
    section.get_by_role("link", name=re.compile(r"^Toevoegen")).click()
    sandra.get_by_label("Wat wil je opschrijven?").fill("Noah en Lisa spelen samen buiten.")
    for name in ("Lisa", "Noah"):
        sandra.get_by_label(name, exact=True).check()
    sandra.get_by_label("Wat voor informatie is dit?").select_option("algemeen")
    sandra.get_by_role("button", name="Opslaan", exact=True).click()
    expect(sandra.get_by_text("Noah en Lisa spelen samen buiten.")).to_be_visible()

    notice = mark.locator("#plan-veranderd-melding")
    expect(notice).to_contain_text(CHANGED, timeout=POLL + 10_000)
    expect(card.get_by_label("Wat gaat er gebeuren?")).to_have_value(typing)  # nothing lost
    assert_no_sideways_scroll(mark)
    shoot(mark, artifacts, "live-1-mark-told.png", full_page=True)

    mark.locator("#plan-vernieuwen").click()
    expect(mark.get_by_text("Noah en Lisa spelen samen buiten.")).to_be_visible()
    expect(mark.locator("#plan-veranderd-melding")).to_have_count(0)


def test_a_change_the_reader_may_not_see_leaves_the_open_plan_quiet(
        new_phone_context, browser_problems):
    mark = new_phone_context().new_page()
    log_in(mark, MARK)
    open_plan(mark)

    sandra = new_phone_context().new_page()
    log_in(sandra, SANDRA)
    open_plan(sandra)
    address = sandra.locator("article.section-entry", has_text="Merelstraat 7")
    address.get_by_role("link", name=re.compile(r"^Aanpassen")).click()
    sandra.get_by_label("Wat wil je opschrijven?").fill("Merelstraat 9, 9999 ZZ Voorbeeldstad")
    sandra.get_by_role("button", name="Opslaan", exact=True).click()
    expect(sandra.get_by_text("Merelstraat 9, 9999 ZZ Voorbeeldstad")).to_be_visible()

    mark.wait_for_timeout(POLL + 5_000)  # one poll at least has been answered since
    expect(mark.locator("#plan-veranderd-melding")).to_have_count(0)
    expect(mark.get_by_text("Merelstraat")).to_have_count(0)
