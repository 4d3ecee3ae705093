"""Self-sufficiency over time (issue 13 item 6) in the browser, at phone width.

Fatima scores Sandra's self-sufficiency at closure with her, on her phone: from the plan to
"Zelfredzaamheid", a new meting for Sandra, one domain moved from not sufficient to sufficient.
The meting is confirmed where it is shown, the count of insufficient domains now is one lower,
and the heat map shows the new column. Sandra then reads the same screen in her own words: no
ZRM names, no level numbers on the screen's lines. Every page fits 360 px.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_no_sideways_scroll, log_in, open_plan, shoot
from tests.support.people import FATIMA, SANDRA

pytestmark = pytest.mark.e2e

NOTE = "De huur gaat nu elke maand automatisch"


def now_count(page: Page) -> int:
    """The number of insufficient domains 'now' in Sandra's section, as the page says it."""
    counts = page.locator("section", has=page.get_by_role("heading", level=2, name="Sandra Jansen"))
    text = counts.locator("p.counts").inner_text()
    found = re.search(r"(?:Nu: |Nu op )(\d+)", text)
    assert found, text
    return int(found.group(1))


def test_fatima_scores_self_reliance_and_sandra_reads_it_plainly(page: Page, new_phone_context,
                                                                  artifacts, browser_problems):
    log_in(page, FATIMA, browser_problems)
    open_plan(page)
    page.get_by_role("link", name="Zelfredzaamheid: wat lukt zelf?").click()
    expect(page.get_by_role("heading", level=1, name="Zelfredzaamheid")).to_be_visible()
    assert_no_sideways_scroll(page)
    before = now_count(page)
    sandra = page.locator("section", has=page.get_by_role("heading", level=2, name="Sandra Jansen"))
    columns_before = sandra.locator("svg").first.locator("text").count()

    sandra.get_by_role("link", name="Nieuwe meting voor Sandra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Nieuwe meting: Sandra Jansen"))
    assert_no_sideways_scroll(page)
    page.get_by_label("Wanneer is de meting?").select_option("afsluiting")
    # the levels of the last meting are offered again; Financiën goes up to sufficient
    page.get_by_label("Financiën", exact=True).select_option("4")
    page.get_by_label("Toelichting bij Financiën").fill(NOTE)
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", level=1, name="Zelfredzaamheid")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_have_text("De meting is opgeslagen.")
    expect(status).to_be_in_viewport()  # the confirmation is where the eye is
    assert now_count(page) == before - 1
    sandra = page.locator("section", has=page.get_by_role("heading", level=2, name="Sandra Jansen"))
    assert sandra.locator("svg").first.locator("text").count() > columns_before
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "self-reliance-1-fatima.png")

    phone = new_phone_context().new_page()
    log_in(phone, SANDRA, browser_problems)
    open_plan(phone)
    phone.get_by_role("link", name="Zelfredzaamheid: wat lukt zelf?").click()
    expect(phone.get_by_role("heading", level=1, name="Wat lukt zelf?")).to_be_visible()
    own = phone.locator("section", has=phone.get_by_role("heading", level=2, name="Sandra Jansen"))
    expect(own).to_contain_text("Nu op 4.")
    meting = own.locator("article.meting").first  # the newest first
    expect(meting).to_contain_text("Afsluiting")
    meting.locator("summary").click()
    expect(meting).to_contain_text(f"Geld: je redt het zelf — {NOTE}")
    lines = meting.locator("ul.meting-lines").inner_text()
    for professional_word in ("Financiën", "Zelfredzaam", "zelfredzaam", "ZRM"):
        assert professional_word not in lines, (professional_word, lines)
    assert_no_sideways_scroll(phone)
    shoot(phone, artifacts, "self-reliance-2-sandra.png")
