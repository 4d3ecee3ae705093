"""Sandra answers a nazorg check-in on her phone (issue 13 item 3).

Setup: the demo plan is closed (tests/support/closure.py, until helper B's closing service is
merged) with a check-in moment today. Sandra opens her plan, follows "Hoe gaat het nu? Vertel
het ons", chooses 4, writes a worry, asks for contact and sends it. The nazorg page then shows
her answer where the eye is; the page never scrolls sideways at 360 px."""
from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.support.browser import assert_no_sideways_scroll, log_in, open_plan, shoot
from tests.support.closure import close_plan
from tests.support.people import SANDRA

pytestmark = pytest.mark.e2e

WORRY = "De huur is weer te laat betaald."


@pytest.fixture
def closed_with_check_in(live_server, browser_problems):
    from samenplan import db
    from samenplan.aftercare.models import AftercareMoment
    from samenplan.domain.ages import local_day
    from samenplan.families.models import Family

    app = live_server.app
    with app.app_context():
        family_id = db.session().scalar(select(Family.id))
    close_plan(app, family_id)
    with app.app_context():
        session = db.session()
        session.add(AftercareMoment(family_id=family_id, day=local_day(datetime.utcnow())))
        session.commit()
    return family_id


def test_sandra_answers_a_nazorg_check_in_on_her_phone(page: Page, closed_with_check_in, artifacts):
    log_in(page, SANDRA)
    open_plan(page)
    page.get_by_role("link", name="Hoe gaat het nu? Vertel het ons").click()
    expect(page.get_by_role("heading", level=1, name="Hoe gaat het nu?")).to_be_visible()
    assert_no_sideways_scroll(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Waar maak je je zorgen over?").fill(WORRY)
    page.get_by_label("Ik wil graag contact met mijn vaste hulpverlener").check()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("status")).to_have_text("Opgeslagen.")
    answer = page.locator(".aftercare-answer", has_text=WORRY)
    expect(answer).to_contain_text("Sandra: 4 van de 10")
    expect(answer).to_contain_text("Wil graag contact.")
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, "aftercare-check-in.png")
