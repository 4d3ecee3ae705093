"""The live plan (issue 11 item 9), in two browsers at phone width.

Mark has the plan open and is typing a new action under goal 1 when Sandra, on her own phone,
writes what goes well for the children. Within 20 seconds (the plan polls every 20) Mark's page
says something changed and offers to refresh; 'Vernieuwen' brings in only the changed part
(the page is not loaded again), and what he was typing is still there. When Sandra changes the
very goal Mark is typing in, that goal is left as it is and the page says so. When Sandra
changes something Mark may not see (her address, which she hid from him), his plan says
nothing, because nothing he may see changed.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    assert_no_sideways_scroll, assert_same_document, goal_card, log_in, mark_page, open_plan, shoot,
)
from tests.support.people import MARK, SANDRA

pytestmark = pytest.mark.e2e

GOAL_1 = "We hebben elke avond rust in huis"
CHANGED = "Er is iets veranderd in het plan."
TYPING = "Je bent hier iets aan het typen"
POLL = 20_000  # ms: the plan's hx-trigger="every 20s"


def plan_open_as(new_phone_context, email: str):
    page = new_phone_context().new_page()
    log_in(page, email)
    open_plan(page)
    return page


def start_typing(page, text: str):
    card = goal_card(page, GOAL_1)
    card.locator("summary", has_text="Actie toevoegen").click()
    card.get_by_label("Wat gaat er gebeuren?").fill(text)
    return card


def test_an_open_plan_refreshes_the_changed_part_and_keeps_what_is_being_typed(
        new_phone_context, artifacts, browser_problems):
    mark = plan_open_as(new_phone_context, MARK)
    mark_page(mark)
    typing = "Ik bel Lisa op woensdag na school"
    card = start_typing(mark, typing)
    expect(mark.locator("#plan-veranderd-melding")).to_have_count(0)

    sandra = plan_open_as(new_phone_context, SANDRA)
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
    assert_same_document(mark)  # only the changed part came in: no page load
    expect(card.get_by_label("Wat gaat er gebeuren?")).to_have_value(typing)
    expect(mark.get_by_text(TYPING)).to_have_count(0)  # the goal did not change
    assert_no_sideways_scroll(mark)
    shoot(mark, artifacts, "live-2-mark-refreshed.png", full_page=True)
    # the page polls on from the refreshed parts: nothing new to offer
    mark.wait_for_timeout(POLL + 3_000)
    expect(mark.locator("#plan-veranderd-melding")).to_have_count(0)


def test_a_change_in_the_part_being_typed_in_leaves_it_and_says_so(
        new_phone_context, artifacts, browser_problems):
    mark = plan_open_as(new_phone_context, MARK)
    mark_page(mark)
    typing = "Ik haal Noah op vrijdag van school"
    card = start_typing(mark, typing)

    sandra = plan_open_as(new_phone_context, SANDRA)
    start_typing(sandra, "Samen een spelletje doen na het eten")
    sandra_card = goal_card(sandra, GOAL_1)
    sandra_card.get_by_role("button", name="Actie opslaan").click()
    expect(sandra_card.locator("li.action", has_text="Samen een spelletje doen")).to_be_visible()

    expect(mark.locator("#plan-veranderd-melding")).to_contain_text(CHANGED, timeout=POLL + 10_000)
    mark.locator("#plan-vernieuwen").click()
    part = mark.locator("li[data-live-part]", has=card)
    expect(part.get_by_text(TYPING)).to_be_visible()
    expect(mark.locator("#plan-veranderd").get_by_text(TYPING)).to_be_visible()
    expect(card.get_by_label("Wat gaat er gebeuren?")).to_have_value(typing)
    expect(card.get_by_text("Samen een spelletje doen")).to_have_count(0)  # left as it was
    assert_same_document(mark)
    assert_no_sideways_scroll(mark)
    shoot(mark, artifacts, "live-3-mark-typing.png", full_page=True)


def test_a_change_the_reader_may_not_see_leaves_the_open_plan_quiet(
        new_phone_context, browser_problems):
    mark = plan_open_as(new_phone_context, MARK)

    sandra = plan_open_as(new_phone_context, SANDRA)
    address = sandra.locator("article.section-entry", has_text="Merelstraat 7")
    address.get_by_role("link", name=re.compile(r"^Aanpassen")).click()
    sandra.get_by_label("Wat wil je opschrijven?").fill("Merelstraat 9, 9999 ZZ Voorbeeldstad")
    sandra.get_by_role("button", name="Opslaan", exact=True).click()
    expect(sandra.get_by_text("Merelstraat 9, 9999 ZZ Voorbeeldstad")).to_be_visible()

    mark.wait_for_timeout(POLL + 5_000)  # one poll at least has been answered since
    expect(mark.locator("#plan-veranderd-melding")).to_have_count(0)
    expect(mark.get_by_text("Merelstraat")).to_have_count(0)
