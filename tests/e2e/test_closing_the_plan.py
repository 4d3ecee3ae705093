"""Fatima closes a demo family's plan with the family (issue 13 item 2, "Tested by"), at 360 px.

The family is made ready for it (tests/support/closure.py) but for what happens at the table:
one action still open, the relapse plan not yet gone through, nobody has agreed. From the
evaluation being held Fatima proposes to close; the closing screen shows what is missing; she
hands the action over and records that the family went through the relapse plan. Sandra, Mark
and Lisa (the members of 12+) agree on their own phones; she closes. The plan is read-only and
the final report is there."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_no_sideways_scroll, log_in, shoot
from tests.support.closure import prepare_for_closing
from tests.support.families import first_family_id
from tests.support.people import FATIMA, LISA, MARK, SANDRA

pytestmark = pytest.mark.e2e



def test_fatima_closes_a_plan_with_the_family(page: Page, new_phone_context, live_server,
                                              artifacts, browser_problems):
    fid = first_family_id(live_server.app)
    prepared = prepare_for_closing(live_server.app, fid, open_action=True)

    log_in(page, FATIMA, browser_problems)
    page.goto(f"/gezin/{fid}/evaluaties/{prepared['evaluation']}/houden")
    page.locator("#plan-afronden").get_by_role("button", name="Voorstel: het plan afronden").click()
    expect(page.get_by_role("heading", level=1, name="Het plan afronden")).to_be_visible()
    checks = page.locator("ul.checks")
    expect(checks).to_contain_text("Deze actie staat nog open")
    expect(checks).to_contain_text("Het gezin heeft het terugvalpreventieplan nog niet doorgenomen.")
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "closing-1-checks.png")

    # what is missing, fixed at the table
    action = page.locator(f"#actie-{prepared['action']}")
    action.get_by_label("Overgedragen").check()
    action.get_by_label("Waarom niet meer nodig, of aan wie draag je hem over?").fill("Oma Riet neemt het over")
    action.get_by_role("button", name="Actie beëindigen").click()
    expect(page.get_by_role("status").first).to_contain_text("de actie is klaar")
    page.get_by_role("button", name="We hebben het samen doorgenomen").click()
    expect(page.locator("ul.checks #check-relapse_plan")).to_contain_text("in orde")

    # the family members of 12+ agree on their own phones (they were asked in a notification)
    for email in (SANDRA, MARK, LISA):
        phone = new_phone_context().new_page()
        log_in(phone, email, browser_problems)
        phone.goto("/meldingen")
        expect(phone.locator("main")).to_contain_text("Je vaste hulpverlener stelt voor om het plan af te ronden")
        phone.goto(f"/gezin/{fid}/afronden")
        phone.get_by_role("button", name="Ik ben akkoord").click()
        expect(phone.get_by_role("status").first).to_contain_text("Je antwoord is opgeslagen")
        assert_no_sideways_scroll(phone)
        if email == LISA:
            shoot(phone, artifacts, "closing-2-lisa-agrees.png")
        phone.context.close()

    page.reload()
    expect(page.locator("#check-agreement")).to_contain_text("in orde")
    page.get_by_role("button", name="Het plan afronden").click()

    # read-only, with the final report
    expect(page.get_by_role("heading", level=1, name="Plan van Jansen / de Boer")).to_be_visible()
    phase = page.locator("#fase")
    expect(phase).to_contain_text("Dit plan is afgerond")
    expect(page.get_by_role("link", name="Doel toevoegen")).to_have_count(0)
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "closing-3-closed.png")
    phase.get_by_role("link", name="Het eindverslag").click()
    expect(page.get_by_role("heading", level=1, name="Verslag van de evaluatie")).to_be_visible()
    assert_no_sideways_scroll(page)
