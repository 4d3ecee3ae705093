"""What the browser tests (tests/e2e) do again and again: log in, open the plan, check a page fits
a phone, take a screenshot for a human, tell an htmx swap from a page load."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.support.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, SANDRA

PHONE_WIDTH = 360  # tests/e2e/conftest.py's phone


# --- logging in --------------------------------------------------------------------------------
def fill_login_form(page: Page, email: str, password: str = DEMO_PASSWORD, browser_problems=None) -> None:
    """The login form on the page as it is (so a ?next= stays); for a professional also the
    second step (the demo's TOTP secret). A code works once per account: when it is refused,
    the next time step's code is used."""
    from samenplan.auth.twofactor import code_at

    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    if page.url.endswith("/login/tweestaps"):
        step = int(time.time() // 30)
        for candidate in (step, step + 1):
            page.get_by_label("Code").fill(code_at(DEMO_TOTP_SECRET, candidate))
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_load_state()
            if not page.url.endswith("/login/tweestaps"):
                break
            if browser_problems is not None:  # the refused code answered 401, on purpose
                browser_problems.allow(r"status of 401")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def log_in(page: Page, email: str = SANDRA, browser_problems=None, *, password: str = DEMO_PASSWORD) -> None:
    """Open /login and log in (see `fill_login_form`)."""
    page.goto("/login")
    fill_login_form(page, email, password, browser_problems)


# --- finding one's way -------------------------------------------------------------------------
def open_plan(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^Plan van")).first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Plan van"))).to_be_visible()


def sub_menu(page: Page, name: str) -> None:
    """Go to a part of the plan through the plan's sub-menu, as a user does: on a phone most
    parts are under "Meer", which is opened first."""
    nav = page.get_by_role("navigation", name="Onderdelen van het plan")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        nav.locator("summary", has_text="Meer").click()
    link.click()


def goal_card(page: Page, title: str):
    """The goal's card on the plan page (all of them, if there are more with this title)."""
    return page.locator("article.goal", has=page.get_by_role("heading", name=title, exact=True))


# --- on a phone --------------------------------------------------------------------------------
def assert_no_sideways_scroll(page: Page, width: int = PHONE_WIDTH) -> None:
    """The page is no wider than the phone; if it is, the elements that stick out are named."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate(
            """(limit) => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > limit + 0.5)
                .slice(0, 10)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                          + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : '')
                          + ' right=' + Math.round(e.getBoundingClientRect().right))""",
            width,
        )
        pytest.fail(f"{page.url} scrolls sideways at {width} px (scrollWidth {scroll_width}): {culprits}")


MIN_TOUCH = 44  # CSS px: a touch target's least height


def small_choice_targets(page: Page, min_height: float = MIN_TOUCH) -> list[str]:
    """The visible checkboxes and radio buttons whose tap target (the box itself or its label,
    whichever is larger) is lower than `min_height`, named by their label's text and height."""
    return page.evaluate(
        """(min) => Array.from(document.querySelectorAll('main input[type=checkbox], main input[type=radio]'))
            .filter(i => i.getClientRects().length > 0 && getComputedStyle(i).visibility !== 'hidden')
            .map(i => { const label = i.closest('label') || (i.labels && i.labels[0]);
                        const own = i.getBoundingClientRect().height;
                        const lab = label ? label.getBoundingClientRect().height : 0;
                        return {name: ((label && label.textContent) || i.name || '').trim().slice(0, 40),
                                height: Math.max(own, lab)}; })
            .filter(t => t.height < min - 0.01)
            .map(t => t.name + ' (' + Math.round(t.height) + ' px)')""",
        min_height)


def small_link_targets(page: Page, min_height: float = MIN_TOUCH) -> list[str]:
    """The visible links, buttons and summaries in the page's main part lower than `min_height`
    (links inside running text are left out: WCAG 2.5.8 exempts them), named by their text."""
    return page.evaluate(
        """(min) => Array.from(document.querySelectorAll('main a, main button, main summary'))
            .filter(e => { const r = e.getBoundingClientRect();
                           if (!(r.width > 0 && r.height > 0 && r.height < min - 0.01)) return false;
                           const block = e.parentElement;
                           // a link in a sentence: the paragraph has more text than the link
                           const inline = e.tagName === 'A' && block && block.tagName === 'P'
                                          && block.textContent.trim() !== e.textContent.trim();
                           return !inline; })
            .map(e => (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40)
                      + ' (' + Math.round(e.getBoundingClientRect().height) + ' px)')""",
        min_height)


def shoot(page: Page, artifacts, name: str, full_page: bool = False) -> None:
    """A screenshot for a human (none without an artifacts folder). caret="initial":
    Playwright's default caret hiding leaves style="" on every input, which htmx then copies
    while settling a swap, and the CSP blocks."""
    if artifacts is None:
        return
    page.screenshot(path=artifacts / name, full_page=full_page, caret="initial")


# --- htmx --------------------------------------------------------------------------------------
def mark_page(page: Page) -> None:
    """Leave a mark in this document; it survives htmx swaps but not a page load."""
    page.evaluate("window.__e2eMark = 'still-here'")


def assert_same_document(page: Page) -> None:
    assert page.evaluate("window.__e2eMark") == "still-here", (
        "the page was loaded again: the change was not made by htmx"
    )
