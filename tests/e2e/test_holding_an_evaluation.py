"""Fatima holds the next evaluation of the demo family on her phone (issue 12, "Tested by").

From the plan she opens "Evaluatie houden", starts it, scores goal 1 on its ladder, records a
decision with its reason and adds an action — each part saved on its own, by htmx without a
page load — and closes it. The report appears, with the new version of the plan, and the
comparison with the version before shows the new action as added. Every page fits 360 px.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    assert_no_sideways_scroll, assert_same_document, log_in, mark_page, open_plan, shoot,
)
from tests.support.people import FATIMA

pytestmark = pytest.mark.e2e

GOAL_1 = "We hebben elke avond rust in huis"
NEW_ACTION = "Elke avond om half negen de televisie uit"
REASON = "Het avondritme werkt; we houden het vast."


def part(page: Page, title: str):
    return page.locator("section.hold-goal", has=page.get_by_role("heading", level=2, name=title, exact=True))


def test_fatima_holds_an_evaluation_on_her_phone(page: Page, artifacts, browser_problems):
    log_in(page, FATIMA, browser_problems)
    open_plan(page)
    page.get_by_role("link", name="Evaluatie houden").click()
    page.get_by_role("button", name="Evaluatie houden").click()
    expect(page.get_by_role("heading", level=1, name="Evaluatie houden")).to_be_visible()
    assert_no_sideways_scroll(page)
    mark_page(page)

    goal = part(page, GOAL_1)
    goal.get_by_label("Welke stap is bereikt?").select_option("1")
    goal.get_by_role("button", name="Stap opslaan").click()
    goal = part(page, GOAL_1)
    expect(goal.get_by_role("status")).to_have_text("De stap is opgeslagen.")

    goal.get_by_label("Doorgaan").check()
    goal.get_by_label(re.compile(r"^Waarom\?")).fill(REASON)
    goal.get_by_role("button", name="Besluit opslaan").click()
    goal = part(page, GOAL_1)
    expect(goal.get_by_role("status")).to_have_text("Het besluit is opgeslagen.")
    expect(goal.get_by_label("Doorgaan")).to_be_checked()

    goal.get_by_label("Wat gaat er gebeuren?").fill(NEW_ACTION)
    goal.get_by_role("button", name="Actie toevoegen").click()
    goal = part(page, GOAL_1)
    expect(goal.get_by_role("status")).to_have_text("De actie is toegevoegd.")
    expect(goal.locator("ul.hold-actions")).to_contain_text(NEW_ACTION)
    assert_same_document(page)  # every part was saved by htmx, without a page load
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "holding-1-goal.png")

    page.get_by_role("button", name="Evaluatie afsluiten").click()
    expect(page.get_by_role("heading", level=1, name="Verslag van de evaluatie")).to_be_visible()
    report = page.locator(f"article.report-goal", has=page.get_by_role("heading", name=GOAL_1, exact=True))
    expect(report).to_contain_text("Doorgaan")
    expect(report).to_contain_text(REASON)
    expect(report).to_contain_text(NEW_ACTION)
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "holding-2-report.png")

    page.get_by_role("link", name="Het plan zoals het toen was (versie 3)").click()
    expect(page.get_by_role("heading", level=1, name="Versie 3 van het plan")).to_be_visible()
    expect(page.locator("main")).to_contain_text(NEW_ACTION)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Alle versies").click()
    page.get_by_role("link", name="Vergelijk met versie 2").click()
    expect(page.get_by_role("heading", level=1, name="Versie 2 en versie 3 vergeleken")).to_be_visible()
    expect(page.locator("section.compare-added")).to_contain_text(NEW_ACTION)
    expect(page.locator("section.compare-changed")).to_contain_text(REASON)
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "holding-3-compare.png")
