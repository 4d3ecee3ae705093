"""The plan page of issue 14 item 1, in Chromium. On a phone (360x740): the sub-menu is one
row (the rest under "Meer"); the first screen shows who to call and the first goals, one line each; nothing sticks out sideways; every link and
button on the page is a touch target of at least 44 px high. On a laptop (1280x800): two
columns, the goals on the left, who to call on the right."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_no_sideways_scroll, log_in, open_plan, shoot

pytestmark = pytest.mark.e2e

MIN_TOUCH = 44
FIRST_SCREEN = 740


def small_targets(page: Page) -> list[str]:
    """The visible links and buttons lower than 44 px (their text, to say which)."""
    return page.evaluate(
        """(min) => Array.from(document.querySelectorAll('main a, main button, main summary'))
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.width > 0 && r.height > 0 && r.height < min - 0.01; })
            .map(e => (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40)
                      + ' (' + Math.round(e.getBoundingClientRect().height) + ' px)')""",
        MIN_TOUCH)


def test_the_plan_s_first_screen_on_a_phone(page: Page, artifacts):
    log_in(page)
    open_plan(page)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, artifacts, "plan-first-screen-360.png")
    card = page.locator("#contactkaart")
    expect(card).to_be_visible()
    assert card.bounding_box()["y"] < FIRST_SCREEN
    lines = page.locator(".goal-lines a.goal-line")
    assert lines.count() == page.locator("article.goal").count() > 0
    first = lines.first.bounding_box()
    # the sub-menu is one row on a phone (the rest under "Meer"), so who to call and the
    # first goal line are both on the first screen, before any full card
    assert first["y"] + first["height"] <= FIRST_SCREEN, "the first goal is not on the first screen"
    assert card.bounding_box()["y"] < first["y"] < page.locator("article.goal").first.bounding_box()["y"]
    expect(lines.first).to_contain_text("jouw acties:")
    assert_no_sideways_scroll(page)
    assert small_targets(page) == []


def test_the_sub_menu_is_one_row_on_a_phone_and_opens_the_rest(page: Page, artifacts):
    log_in(page)
    open_plan(page)
    nav = page.get_by_role("navigation", name="Onderdelen van het plan")
    more = nav.locator("summary", has_text="Meer")
    rows = {round(box["y"]) for box in (
        nav.get_by_role("link", name="Plan", exact=True).bounding_box(),
        nav.get_by_role("link", name="Veiligheidsplan", exact=True).bounding_box(),
        more.bounding_box())}
    assert len(rows) == 1, "the sub-menu wraps on a phone"
    timeline = nav.get_by_role("link", name="Tijdlijn", exact=True)
    expect(timeline).to_be_hidden()
    more.click()
    shoot(page, artifacts, "plan-sub-menu-open-360.png")
    expect(timeline).to_be_visible()
    assert_no_sideways_scroll(page)
    assert small_targets(page) == []
    timeline.click()
    expect(page.get_by_role("heading", level=1, name="Tijdlijn")).to_be_visible()
    # the page shown is under "Meer": the row stays one row, "Meer" closed
    assert round(more.bounding_box()["y"]) in rows
    expect(nav.get_by_role("link", name="Tijdlijn", exact=True)).to_be_hidden()


def test_a_goal_line_opens_the_goal(page: Page):
    log_in(page)
    open_plan(page)
    line = page.locator(".goal-lines a.goal-line").first
    title = line.locator(".goal-line-title").inner_text()
    line.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_two_columns_on_a_laptop(page: Page, artifacts):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page)
    open_plan(page)
    shoot(page, artifacts, "plan-1280.png")
    goals = page.locator(".plan-main").bounding_box()
    side = page.locator(".plan-side-top").bounding_box()
    assert side["x"] >= goals["x"] + goals["width"] - 1, "who to call is not beside the goals"
    assert abs(side["y"] - goals["y"]) < 5, "the columns do not start side by side"
    expect(page.locator("#contactkaart")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # on a laptop the whole sub-menu stands in sight, without "Meer"
    nav = page.get_by_role("navigation", name="Onderdelen van het plan")
    expect(nav.get_by_role("link", name="Tijdlijn", exact=True)).to_be_visible()
    expect(nav.locator("summary", has_text="Meer")).to_be_hidden()
