"""A goal's page leads with what a family does there (issue 14 item 2), in Chromium at 360x740:
for Sandra on goal 1, first the goal in her words, then its actions to tick off, then the 0-10
"hoe gaat het?" form, which begins within the first two screens; only after those the steps
to the goal, who agrees, the check and the rest about the goal. Nothing scrolls sideways."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samenplan.demo import GOALS
from tests.support.browser import assert_no_sideways_scroll, log_in, open_plan, shoot

pytestmark = pytest.mark.e2e

SCREEN = 740
FIRST_GOAL = GOALS[1][0]  # "We hebben elke avond rust in huis"


def top(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box["y"]


def test_the_goal_page_begins_with_the_actions_and_how_are_we_doing(page: Page, artifacts):
    log_in(page)
    open_plan(page)
    page.get_by_role("link", name=FIRST_GOAL, exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name=FIRST_GOAL)).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, artifacts, "goal-first-screen-360.png")

    title = top(page, "h1")
    actions = top(page, "#acties li.action")
    form = top(page, "#schaalvragen form fieldset.scale")
    assert title < SCREEN, "the goal is not on the first screen"
    assert actions < 2 * SCREEN, "the actions do not begin within two screens"
    assert form < 2 * SCREEN, f"the 0-10 form begins at {form:.0f} px, past the second screen"
    # a tick button is there to tick off, before the form
    expect(page.locator("#acties li.action button.tick").first).to_be_visible()
    # the order: the goal, its actions, how are we doing; then the rest
    assert title < actions < form
    for later in ("#ladder", "#akkoord", "#check", "#over-dit-doel"):
        assert top(page, later) > form, f"{later} comes before the 0-10 form"
    # the answers so far come after the form to answer in
    assert top(page, "#schaalvragen ul.scaling-latest") > form
    assert_no_sideways_scroll(page)
