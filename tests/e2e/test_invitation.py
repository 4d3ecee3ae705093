"""Sandra invites someone from her network by e-mail; the invitee joins on her own phone.

Sandra opens "Uitnodigen" in the plan's sub-menu and sends an invitation ("Doet mee als:
Netwerk"). Without SMTP_HOST the app writes the mail to MAIL_OUTBOX; the test takes the new
.eml addressed to the invitee, takes the link out of it and opens it in a fresh phone context.
The page says who invites whom to what before anything is accepted.

1. A new neighbour (no account yet) makes her account on that page and lands on the plan, where
   she sees no goals: nobody gave her consent yet.
2. Riet (oma), who has an account: the issue's own case, "Riet accepts an invitation from Sandra
   and sees the plan as far as consent allows". In the demo Riet already takes part, so the test
   first makes her participant inactive (as if she had left the plan). Accepting reactivates that
   same participant (families/services.py accept()), so the consents Sandra, Lisa and Noah gave
   her for 'algemeen' apply again: she sees goals 1 and 4, not 2 (gezondheid) or 3 (financien).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.support.browser import assert_no_sideways_scroll, fill_login_form, goal_card, open_plan, shoot, sub_menu
from tests.support.mail import Outbox, link_in
from tests.support.people import RIET, SANDRA

pytestmark = pytest.mark.e2e

FAMILY = "Jansen / de Boer"
NO_GOALS = "Er staan nog geen doelen in het plan die je mag zien."
GOALS = {
    1: "We hebben elke avond rust in huis",
    2: "Ik ga elke week naar mijn afspraak bij de GGZ",
    3: "We hebben overzicht over onze schulden en betalen de huur op tijd",
    4: "Lisa gaat elke schooldag naar school",
}
LINK = re.compile(r"https?://\S+/uitnodiging/[A-Za-z0-9_\-]+")


# --- helpers ---------------------------------------------------------------------------------

@pytest.fixture
def outbox(live_server, browser_problems):
    box = Outbox(live_server.app)
    yield box
    box.clean()


def invitation_link(message) -> str:
    return link_in(message, LINK)


def sandra_invites(page: Page, artifacts, name: str, email: str, function: str, shot: str) -> None:
    page.goto("/login")
    fill_login_form(page, SANDRA)
    open_plan(page)
    sub_menu(page, "Uitnodigen")
    expect(page.get_by_role("heading", level=1, name="Iemand uitnodigen")).to_be_visible()
    form = page.locator("section", has=page.get_by_role("heading", name="Nieuwe uitnodiging"))
    form.get_by_label("Naam", exact=True).fill(name)
    form.get_by_label("E-mailadres").fill(email)
    role = form.get_by_label("Doet mee als")
    expect(role.locator("option")).to_have_text(["Netwerk"])  # a family member invites network only
    role.select_option(label="Netwerk")
    form.get_by_label("Rol of functie (mag leeg)").fill(function)
    assert_no_sideways_scroll(page)
    shoot(page, artifacts, shot, full_page=True)
    form.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.locator("p.flash[role=status]")).to_have_text(
        f"De uitnodiging is verstuurd naar {email}.")
    # the one just sent (the demo's own invitation of Riet, accepted long ago, is listed too)
    sent = page.locator("li.card", has_text=email).filter(has_text="Nog niet geaccepteerd.")
    expect(sent).to_contain_text(name)
    expect(sent).to_contain_text("Nog niet geaccepteerd.")


def expect_invitation_page(page: Page, name: str) -> None:
    card = page.locator("main section.card")
    expect(card.get_by_role("heading", level=1, name="Uitnodiging")).to_be_visible()
    expect(card).to_contain_text(f"Sandra Jansen nodigt {name} uit voor het plan van {FAMILY}.")
    expect(card).to_contain_text("Je doet mee als: Netwerk.")


# --- the tests -------------------------------------------------------------------------------

NEIGHBOUR, NEIGHBOUR_EMAIL = "Buurvrouw Els", "els@example.nl"


def neighbour_accepts(new_phone_context, outbox, artifacts=None):
    """Sandra invites Els; Els opens the link on her own phone and makes her account.
    Returns Sandra's page, Els's page (on the plan) and the link."""
    name, email = NEIGHBOUR, NEIGHBOUR_EMAIL
    sandra = new_phone_context().new_page()
    sandra_invites(sandra, artifacts, name, email, "buurvrouw", "invite-1-sandra-form.png")

    message = outbox.newest_to(email)
    assert message["Subject"] == f"Uitnodiging voor het plan van {FAMILY}"
    link = invitation_link(message)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Hallo {name}," in body and "Je doet mee als: Netwerk." in body

    # Els, on her own phone, not logged in anywhere
    els = new_phone_context().new_page()
    els.goto(link)
    expect_invitation_page(els, name)
    expect(els.get_by_role("heading", level=2, name="Maak je account")).to_be_visible()
    expect(els.get_by_text(f"Je e-mailadres: {email}")).to_be_visible()
    expect(els.get_by_label("Je naam")).to_have_value(name)  # filled in from the invitation
    assert_no_sideways_scroll(els)
    shoot(els, artifacts, "invite-2-els-invitation.png", full_page=True)

    password = "wij drinken koffie op het balkon"
    els.get_by_label("Je naam").fill("Els van Dijk")
    els.get_by_label("Kies een wachtwoord").fill(password)
    els.get_by_label("Nog een keer hetzelfde wachtwoord").fill(password)
    els.get_by_role("button", name="Account maken en meedoen").click()
    expect(els.get_by_role("heading", level=1, name=f"Plan van {FAMILY}")).to_be_visible()
    return sandra, els, link


def test_a_new_neighbour_accepts_and_sees_no_goals_yet(
    new_phone_context, outbox, artifacts, browser_problems,
):
    sandra, els, link = neighbour_accepts(new_phone_context, outbox, artifacts)
    expect(els).to_have_url(re.compile(r"/gezin/\d+$"))
    expect(els.get_by_role("link", name="Els van Dijk")).to_be_visible()  # logged in, her name
    expect(els.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(els.locator("article.goal")).to_have_count(0)
    expect(els.get_by_text(NO_GOALS)).to_be_visible()
    for title in GOALS.values():
        expect(els.get_by_text(title)).to_have_count(0)
    assert_no_sideways_scroll(els)
    shoot(els, artifacts, "invite-3-els-plan.png", full_page=True)

    # the link worked once: opened again, it says so (and offers nothing to fill in)
    els.goto(link)
    expect(els.get_by_role("alert")).to_have_text("Deze uitnodiging is al gebruikt.")
    expect(els.get_by_role("button", name="Account maken en meedoen")).to_have_count(0)

    # Sandra's list of sent invitations shows it accepted
    sandra.reload()
    expect(sandra.locator("li.card", has_text=NEIGHBOUR_EMAIL)).to_contain_text("Geaccepteerd.")


def test_a_new_neighbour_is_welcomed(new_phone_context, outbox, browser_problems):
    _sandra, els, _link = neighbour_accepts(new_phone_context, outbox)
    expect(els.locator("p.flash[role=status]")).to_contain_text(
        "Welkom! Je doet nu mee aan het plan.", timeout=2_000)


def test_riet_accepts_an_invitation_from_sandra_and_sees_the_plan_as_far_as_consent_allows(
    live_server, new_phone_context, outbox, artifacts, browser_problems,
):
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.families.models import Family, Participant

    # Riet left the plan: her participant is inactive (its consents stay on record)
    with live_server.app.app_context():
        session = db.session()
        riet = session.scalar(
            select(Participant).join(User, Participant.user_id == User.id).join(Family)
            .where(User.email == RIET, Family.name == FAMILY)
        )
        assert riet is not None and riet.active
        riet_id = riet.id
        riet.active = False
        session.commit()

    sandra = new_phone_context().new_page()
    sandra_invites(sandra, artifacts, "Riet Jansen", RIET, "oma", "invite-4-sandra-invites-riet.png")
    link = invitation_link(outbox.newest_to(RIET))

    # Riet opens the link on her phone: she has an account, so she is asked to log in first
    riet_page = new_phone_context().new_page()
    riet_page.goto(link)
    expect_invitation_page(riet_page, "Riet Jansen")
    expect(riet_page.get_by_text("Je hebt al een account. Log in en open daarna deze link opnieuw.")).to_be_visible()
    expect(riet_page.get_by_label("Kies een wachtwoord")).to_have_count(0)
    assert_no_sideways_scroll(riet_page)
    shoot(riet_page, artifacts, "invite-5-riet-log-in-first.png", full_page=True)

    riet_page.locator("main").get_by_role("link", name="Inloggen").click()
    expect(riet_page.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()
    assert "next=" in riet_page.url, riet_page.url
    fill_login_form(riet_page, RIET)
    # the login brings her back to the invitation (?next=); she opens the link again anyway,
    # as the page told her to
    expect(riet_page).to_have_url(link)
    riet_page.goto(link)
    expect_invitation_page(riet_page, "Riet Jansen")
    join = riet_page.get_by_role("button", name="Ja, ik doe mee")
    expect(join).to_be_visible()
    shoot(riet_page, artifacts, "invite-6-riet-join.png", full_page=True)
    join.click()

    expect(riet_page.get_by_role("heading", level=1, name=f"Plan van {FAMILY}")).to_be_visible()
    expect(riet_page.locator("p.flash[role=status]")).to_contain_text("Welkom! Je doet nu mee aan het plan.")
    # consent from Sandra, Lisa and Noah for 'algemeen' to her: goals 1 and 4, nothing else
    expect(goal_card(riet_page, GOALS[1])).to_have_count(1)
    expect(goal_card(riet_page, GOALS[4])).to_have_count(1)
    expect(riet_page.get_by_text(GOALS[2])).to_have_count(0)
    expect(riet_page.get_by_text(GOALS[3])).to_have_count(0)
    expect(riet_page.locator("article.goal")).to_have_count(2)
    assert_no_sideways_scroll(riet_page)
    shoot(riet_page, artifacts, "invite-7-riet-plan.png", full_page=True)

    # the same participant as before, active again (no second row for her in this family)
    with live_server.app.app_context():
        rows = db.session().scalars(
            select(Participant).join(User, Participant.user_id == User.id).join(Family)
            .where(User.email == RIET, Family.name == FAMILY)
        ).all()
        assert [(p.id, p.active, p.role) for p in rows] == [(riet_id, True, "network")]
