"""Touch targets on a phone (issue 14 item 3), in Chromium at 360x740: every checkbox and radio
button on the consent screens and the goal forms is, with its label, a target of at least
44 px high; so are the links alone on their line ("← Terug naar het plan", "Wat is er
veranderd?") and the folds ("Alle keren") on the goal page. Nothing scrolls sideways."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    MIN_TOUCH, assert_no_sideways_scroll, log_in, open_plan, small_choice_targets,
    small_link_targets,
)
from tests.support.people import FATIMA

pytestmark = pytest.mark.e2e


def choices(page: Page) -> int:
    return page.locator("main input[type=checkbox]:visible, main input[type=radio]:visible").count()


def family_id(page: Page) -> str:
    return re.search(r"/gezin/(\d+)", page.url).group(1)


def test_sandra_s_goal_page_and_goal_form(page: Page):
    log_in(page)
    open_plan(page)
    page.locator(".goal-lines a.goal-line").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # akkoord / niet akkoord and the 0-10 answers
    assert choices(page) > 11
    assert small_choice_targets(page) == []
    back = page.get_by_role("link", name="← Terug naar het plan")
    assert back.bounding_box()["height"] >= MIN_TOUCH - 0.01
    assert small_link_targets(page) == []
    assert_no_sideways_scroll(page)

    page.goto(f"/gezin/{family_id(page)}/doelen/nieuw")
    expect(page.get_by_role("group", name="Over wie gaat dit doel?")).to_be_visible()
    assert choices(page) >= 4  # who it is about
    assert small_choice_targets(page) == []
    assert small_link_targets(page) == []
    assert_no_sideways_scroll(page)


def test_sandra_s_consent_screen(page: Page):
    log_in(page)
    open_plan(page)
    page.goto(f"/gezin/{family_id(page)}/toestemming")
    expect(page.get_by_role("heading", level=1, name="Wie mag wat zien")).to_be_visible()
    assert choices(page) > 0
    assert small_choice_targets(page) == []
    assert_no_sideways_scroll(page)


def test_the_consent_round_at_the_table(page: Page, browser_problems):
    log_in(page, FATIMA, browser_problems)
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^Plan van")).first.click()
    page.goto(f"/gezin/{family_id(page)}/toestemming/ronde")
    assert small_link_targets(page) == []
    page.get_by_role("link", name=re.compile(r"^Begin bij")).click()
    assert choices(page) > 5  # who is at the table, and what each may see
    assert small_choice_targets(page) == []
    assert small_link_targets(page) == []
    assert_no_sideways_scroll(page)


def test_the_check_finds_a_small_box(page: Page):
    """The check itself: a bare checkbox with a one-line label is too small to tap."""
    log_in(page)
    page.set_content('<main><p><input type="checkbox" id="x"><label for="x">Klein</label></p>'
                     '<p><a href="#">Alleen</a></p></main>')
    assert [re.sub(r" \(\d+ px\)$", "", t) for t in small_choice_targets(page)] == ["Klein"]
    assert [re.sub(r" \(\d+ px\)$", "", t) for t in small_link_targets(page)] == ["Alleen"]
