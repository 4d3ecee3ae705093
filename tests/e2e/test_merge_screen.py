"""Two people change the same goal at once, each on their own phone (issue 9, "Records remember").

Sandra (mother) and Fatima (casusregisseur, password and TOTP code) both open goal 1 "We hebben
elke avond rust in huis" to change its title, in two browser contexts at 360x740. Fatima saves
first. Sandra saves a moment later, from the version she loaded: she gets the merge screen
("Iemand anders heeft dit doel net veranderd"), Fatima's title as "Nu opgeslagen" next to hers,
and her own text still in the form. She keeps it with "Mijn versie opslaan". "Wat is er
veranderd?" then shows both changes, newest first, by name.

Once inline on the plan page (htmx, the form swapped into the goal card) and once with
JavaScript off (the full-page form): both must work.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    assert_no_sideways_scroll, assert_same_document, goal_card, log_in, mark_page, open_plan, shoot,
)
from tests.support.people import FATIMA, SANDRA

pytestmark = pytest.mark.e2e

GOAL_1 = "We hebben elke avond rust in huis"
FATIMAS_TITLE = "We hebben elke avond rust in huis, ook in het weekend"
SANDRAS_TITLE = "Om acht uur is het stil in huis en slapen de kinderen"
TITLE_LABEL = "Het doel, in jullie eigen woorden"
MERGE_HEADING = "Iemand anders heeft dit doel net veranderd"


# --- helpers ---------------------------------------------------------------------------------

def open_inline_edit(page: Page) -> str:
    """'Doel aanpassen' on goal 1's card on the plan page: the form comes in place (htmx).
    Returns the card's id (doel-<n>)."""
    open_plan(page)
    card = goal_card(page, GOAL_1)
    expect(card).to_be_visible()
    card_id = card.get_attribute("id")
    assert card_id and re.fullmatch(r"doel-\d+", card_id), card_id
    mark_page(page)
    card.get_by_role("link", name=re.compile(r"^Doel aanpassen")).click()
    form = page.locator(f"article#{card_id}.goal-form")
    expect(form.get_by_label(TITLE_LABEL)).to_have_value(GOAL_1)
    assert_same_document(page)
    return card_id


def open_full_page_edit(page: Page) -> str:
    """'Doel aanpassen' without JavaScript: the edit form as a page of its own."""
    open_plan(page)
    card = goal_card(page, GOAL_1)
    card_id = card.get_attribute("id")
    card.get_by_role("link", name=re.compile(r"^Doel aanpassen")).click()
    expect(page.get_by_role("heading", level=1, name="Doel aanpassen")).to_be_visible()
    assert re.search(r"/doelen/\d+/bewerken$", page.url), page.url
    expect(page.get_by_label(TITLE_LABEL)).to_have_value(GOAL_1)
    return card_id


def check_history(page: Page, artifacts, shot: str) -> None:
    """'Wat is er veranderd?': both changes, newest first, by name, before → after."""
    expect(page.get_by_role("heading", level=1, name="Wat is er veranderd?")).to_be_visible()
    entries = page.locator("ol.history > li.card")
    expect(entries.first).to_contain_text("Sandra Jansen")
    expect(entries.first).to_contain_text(f"{FATIMAS_TITLE} → {SANDRAS_TITLE}")
    expect(entries.nth(1)).to_contain_text("Fatima El Amrani")
    expect(entries.nth(1)).to_contain_text(f"{GOAL_1} → {FATIMAS_TITLE}")
    versions = [int(v.removeprefix("versie-")) for v in
                entries.evaluate_all("items => items.map(i => i.id)")]
    assert versions == sorted(versions, reverse=True), f"not newest first: {versions}"
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, shot, full_page=True)


# --- the tests -------------------------------------------------------------------------------

def test_two_people_change_goal_1_inline_and_the_second_gets_the_merge_screen(
    new_phone_context, browser_problems, artifacts,
):
    sandra = new_phone_context().new_page()
    log_in(sandra, SANDRA)
    fatima = new_phone_context().new_page()
    log_in(fatima, FATIMA, browser_problems)

    # both open the goal to change it, before either saves
    card_id = open_inline_edit(sandra)
    assert open_inline_edit(fatima) == card_id
    sandras_form = sandra.locator(f"article#{card_id}")
    sandras_form.get_by_label(TITLE_LABEL).fill(SANDRAS_TITLE)

    # Fatima saves first: her card comes back in place with her title
    fatimas_form = fatima.locator(f"article#{card_id}")
    fatimas_form.get_by_label(TITLE_LABEL).fill(FATIMAS_TITLE)
    fatimas_form.get_by_role("button", name="Doel opslaan").click()
    expect(fatima.locator(f"article#{card_id}.goal")).to_contain_text(FATIMAS_TITLE)
    assert_same_document(fatima)

    # Sandra saves a moment later, from the version she loaded: the merge screen, in place
    browser_problems.allow(r"status of 409")  # the stale save answers 409 Conflict, on purpose
    browser_problems.allow(r"Response Status Error Code 409")  # htmx logs the 409 as well
    sandras_form.get_by_role("button", name="Doel opslaan").click()
    merge = sandra.locator(f"article#{card_id} .merge")
    expect(merge).to_be_visible()
    expect(merge.get_by_role("heading", name=MERGE_HEADING)).to_be_visible()
    assert_same_document(sandra)
    row = merge.locator("tr", has_text=FATIMAS_TITLE)
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text(FATIMAS_TITLE)  # "Nu opgeslagen"
    expect(row.locator("td").nth(1)).to_have_text(SANDRAS_TITLE)  # "Jouw versie"
    # nothing she typed is lost: her title is still in the form
    expect(sandras_form.get_by_label(TITLE_LABEL)).to_have_value(SANDRAS_TITLE)
    expect(sandras_form.get_by_role("link", name="Hun versie houden")).to_be_visible()
    merge.scroll_into_view_if_needed()
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "merge-1-sandra-merge-screen.png")

    # she keeps her own text, knowingly
    sandras_form.get_by_role("button", name="Mijn versie opslaan").click()
    expect(sandra.locator(f"article#{card_id}.goal")).to_contain_text(SANDRAS_TITLE)
    expect(sandra.locator(f"article#{card_id} .merge")).to_have_count(0)
    assert_same_document(sandra)
    sandra.reload()
    expect(goal_card(sandra, SANDRAS_TITLE)).to_be_visible()
    expect(goal_card(sandra, FATIMAS_TITLE)).to_have_count(0)

    # "Wat is er veranderd?" on the goal's page shows both changes
    goal_card(sandra, SANDRAS_TITLE).get_by_role("link", name=SANDRAS_TITLE, exact=True).click()
    expect(sandra.get_by_role("heading", level=1, name=SANDRAS_TITLE)).to_be_visible()
    sandra.get_by_role("link", name="Wat is er veranderd?").click()
    check_history(sandra, artifacts, "merge-2-sandra-history.png")

    # Fatima, who lost this round, reads the same story
    fatima.goto(sandra.url)
    expect(fatima.locator("ol.history > li.card").first).to_contain_text(
        f"{FATIMAS_TITLE} → {SANDRAS_TITLE}")


def test_the_merge_screen_works_without_javascript(new_phone_context, browser_problems, artifacts):
    sandra = new_phone_context(java_script_enabled=False).new_page()
    log_in(sandra, SANDRA)
    fatima = new_phone_context(java_script_enabled=False).new_page()
    log_in(fatima, FATIMA, browser_problems)

    card_id = open_full_page_edit(sandra)
    assert open_full_page_edit(fatima) == card_id
    sandra.get_by_label(TITLE_LABEL).fill(SANDRAS_TITLE)
    fatima.get_by_label(TITLE_LABEL).fill(FATIMAS_TITLE)
    fatima.get_by_role("button", name="Doel opslaan").click()
    expect(goal_card(fatima, FATIMAS_TITLE)).to_be_visible()

    browser_problems.allow(r"status of 409")  # the stale save answers 409 Conflict, on purpose
    sandra.get_by_role("button", name="Doel opslaan").click()
    expect(sandra.get_by_role("heading", name=MERGE_HEADING)).to_be_visible()
    row = sandra.locator(".merge tr", has_text=FATIMAS_TITLE)
    expect(row.locator("td").first).to_have_text(FATIMAS_TITLE)
    expect(row.locator("td").nth(1)).to_have_text(SANDRAS_TITLE)
    expect(sandra.get_by_label(TITLE_LABEL)).to_have_value(SANDRAS_TITLE)
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "merge-3-sandra-merge-screen-no-js.png", full_page=True)

    sandra.get_by_role("button", name="Mijn versie opslaan").click()
    expect(goal_card(sandra, SANDRAS_TITLE)).to_be_visible()
    expect(goal_card(sandra, SANDRAS_TITLE)).to_have_attribute("id", card_id)
    goal_card(sandra, SANDRAS_TITLE).get_by_role("link", name=SANDRAS_TITLE, exact=True).click()
    sandra.get_by_role("link", name="Wat is er veranderd?").click()
    check_history(sandra, artifacts, "merge-4-sandra-history-no-js.png")


def test_a_stale_tick_shows_the_action_as_it_is_now(new_phone_context, browser_problems):
    """Both see the bedtime action open; Fatima ticks it; Sandra's tick a moment later changes
    nothing and shows, in place, that someone else just did it."""
    sandra = new_phone_context().new_page()
    log_in(sandra, SANDRA)
    fatima = new_phone_context().new_page()
    log_in(fatima, FATIMA, browser_problems)
    open_plan(sandra)
    open_plan(fatima)
    bedtime = "Vaste bedtijd voor Noah: half acht"
    action_id = sandra.locator("li.action", has_text=bedtime).get_attribute("id")
    assert action_id and action_id.startswith("actie-"), action_id
    sandras = sandra.locator(f"li#{action_id}")
    fatimas = fatima.locator(f"li#{action_id}")
    expect(sandras.locator("button.tick")).to_have_attribute("aria-pressed", "false")

    fatimas.locator("button.tick").click()
    expect(fatimas.locator("button.tick")).to_have_attribute("aria-pressed", "true")

    browser_problems.allow(r"status of 409")  # the stale tick answers 409 Conflict, on purpose
    browser_problems.allow(r"Response Status Error Code 409")
    mark_page(sandra)
    sandras.locator("button.tick").click()
    expect(sandras.get_by_role("alert")).to_have_text("Iemand anders heeft dit net op klaar gezet.")
    expect(sandras.locator("button.tick")).to_have_attribute("aria-pressed", "true")
    assert_same_document(sandra)
    # a click now is from the state she sees: it sets the action back to not done
    sandras.locator("button.tick").click()
    expect(sandras.locator("button.tick")).to_have_attribute("aria-pressed", "false")
