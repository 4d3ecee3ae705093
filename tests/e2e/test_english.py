"""Lisa reads her plan in English (issue 14 item 3), on her phone (360x740): she chooses
English on her account page; the plan, its menu and her goal's page are in English, her goals
in her family's own words. Before logging in, someone presses "English" on the login page and
the login page, and after logging in everything else, is in English."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_sideways_scroll, log_in, shoot
from tests.support.people import DEMO_PASSWORD, LISA, RIET

pytestmark = pytest.mark.e2e

SCHOOL_GOAL = "Lisa gaat elke schooldag naar school"


def test_lisa_switches_to_english_and_reads_her_plan_in_english(page, browser_problems, artifacts):
    log_in(page, LISA, browser_problems)
    page.get_by_role("link", name="Lisa de Boer").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Opslaan").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^Plan for")).first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Plan for"))).to_be_visible()
    menu = page.get_by_role("navigation", name="Parts of the plan")
    expect(menu.get_by_role("link", name="Safety plan")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text("Veiligheidsplan", exact=True)).to_have_count(0)
    goal = page.get_by_role("link", name=SCHOOL_GOAL, exact=True)  # her family's own words
    expect(goal).to_be_visible()
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "english-1-plan.png", full_page=True)

    goal.click()
    expect(page.get_by_role("heading", level=1, name=SCHOOL_GOAL)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Back to the plan"))).to_be_visible()
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "english-2-goal.png", full_page=True)


def test_english_chosen_on_the_login_page_stays_after_logging_in(page, browser_problems):
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "nl")  # the phone asks for Dutch
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    assert_no_sideways_scroll(page)
    page.get_by_label("Email address").fill(RIET)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
