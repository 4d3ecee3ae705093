"""Fatima hands the demo family over to her colleague Karin, warmly (issue 13 item 5), at 360 px:
she names Karin and the day; Sandra reads on her phone who her new vaste hulpverlener will be;
Karin, who chairs with Fatima meanwhile, records the meeting with Sandra and Lisa and makes the
switch; Sandra's plan then says Karin is her vaste hulpverlener, and the history says how."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.support import handover as ho
from tests.support.browser import assert_no_sideways_scroll, log_in, shoot
from tests.support.families import first_family_id, today
from tests.support.people import FATIMA, SANDRA

pytestmark = pytest.mark.e2e



def test_fatima_hands_the_family_over_to_karin(page: Page, new_phone_context, live_server,
                                               artifacts, browser_problems):
    fid = first_family_id(live_server.app)
    ho.add_colleague(live_server.app)
    day = today() + timedelta(days=14)

    log_in(page, FATIMA, browser_problems)
    page.goto(f"/gezin/{fid}/team")
    page.get_by_role("link", name="Het plan overdragen aan een andere casusregisseur").click()
    expect(page.get_by_role("heading", level=1, name="Overdracht van de casusregisseur")).to_be_visible()
    page.get_by_label("Karin Mulder (Sociaal Wijkteam Noord)").check()
    page.get_by_label("Op welke dag neemt die het over?").fill(day.isoformat())
    page.get_by_label("Waarom draag je over? (mag leeg blijven)").fill("Ik ga met verlof.")
    page.get_by_role("button", name="Overdracht beginnen").click()
    expect(page.get_by_role("status").first).to_contain_text("Jullie zijn nu allebei casusregisseur")
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "handover-1-started.png")

    # Sandra reads it on her phone, in her words
    sandra = new_phone_context().new_page()
    log_in(sandra, SANDRA, browser_problems)
    sandra.goto("/meldingen")
    expect(sandra.locator("main")).to_contain_text("Karin Mulder wordt je nieuwe vaste hulpverlener")
    sandra.goto(f"/gezin/{fid}")
    expect(sandra.locator("#nieuwe-vaste-hulpverlener")).to_contain_text("is Karin Mulder je vaste hulpverlener")
    assert_no_sideways_scroll(sandra)

    # Karin chairs with Fatima: she records the meeting and makes the switch
    karin = new_phone_context().new_page()
    log_in(karin, ho.KARIN, browser_problems)
    karin.goto("/")
    expect(karin.locator("main")).to_contain_text("Overdracht aan Karin Mulder: kennismaking nog niet vastgelegd")
    karin.goto(f"/gezin/{fid}/overdracht")
    meeting = karin.locator("#kennismaking")
    meeting.get_by_label("Wanneer was de kennismaking?").fill(today().isoformat())
    meeting.get_by_label("Sandra Jansen").check()
    meeting.get_by_label("Lisa de Boer").check()
    meeting.get_by_label("Hoe ging het? (mag leeg blijven)").fill("Bij Sandra thuis, met koffie.")
    meeting.get_by_role("button", name="Kennismaking opslaan").click()
    expect(karin.locator("#kennismaking").get_by_role("status")).to_contain_text("De kennismaking is vastgelegd")
    assert_no_sideways_scroll(karin)
    karin.get_by_role("button", name="Karin Mulder is nu de casusregisseur").click()
    expect(karin.locator("#overdracht").get_by_role("status")).to_contain_text("De overdracht is klaar")
    expect(karin.locator("#geschiedenis")).to_contain_text("Karin Mulder werd casusregisseur, na Fatima El Amrani.")
    shoot(karin, artifacts, "handover-2-switched.png")

    sandra.goto(f"/gezin/{fid}")
    expect(sandra.locator("#contactkaart")).to_contain_text("Karin Mulder")
    expect(sandra.locator("#nieuwe-vaste-hulpverlener")).to_have_count(0)
    sandra.goto(f"/gezin/{fid}/overdracht")
    expect(sandra.locator("#geschiedenis")).to_contain_text("Karin Mulder werd je vaste hulpverlener, na Fatima El Amrani.")
    assert_no_sideways_scroll(sandra)
    shoot(sandra, artifacts, "handover-3-sandra.png")
