"""Confirmations where the eye is (issue 14 item 5; DESIGN §7): after a save that sends the
reader back to a part of a page (`…#akkoord`, `…#actie-12`), the confirmation stands inside
that part, not at the top of the page, without JavaScript. A confirmation whose part is not on
the page is still shown, at the top."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import render_template
from sqlalchemy import select

from tests.support.clients import as_user, csrf_token, db_session, page
from tests.support.goals import goal_id, goal_url
from tests.support.html import dom
from tests.support.pages import action_version
from tests.support.people import FATIMA, SANDRA

GOAL_1 = "We hebben elke avond rust in huis"


@pytest.fixture
def here(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def follow(client, response):
    """The page a save sends the reader to, and the part (#anchor) it points at."""
    assert response.status_code in (302, 303), response.status_code
    location = urlsplit(response.headers["Location"])
    assert location.fragment, f"the save does not point at a part: {response.headers['Location']}"
    target = location.path + (f"?{location.query}" if location.query else "")
    return page(client.get(target)), location.fragment


def assert_confirmed_in(html: str, anchor: str, text: str) -> None:
    root = dom(html)
    part = [n for n in root.iter() if n.attrs.get("id") == anchor]
    assert len(part) == 1, f"no single element #{anchor} on the page"
    inside = [n for n in part[0].find_all("p") if "flash" in n.classes()]
    assert any(text in n.text() for n in inside), (
        f"{text!r} is not inside #{anchor}: {[n.text() for n in inside]}")
    # and not (again) at the top of the page
    main = root.find("main")
    top = [n for n in main.children if getattr(n, "tag", None) == "p" and "flash" in n.classes()]
    assert not any(text in n.text() for n in top), f"{text!r} is at the top of the page too"


def post_from(client, page_url: str, action: str, **fields):
    html = page(client.get(page_url))
    form = [f for f in dom(html).find_all("form") if (f.attrs.get("action") or "").split("#")[0] == action]
    assert len(form) == 1, f"{len(form)} forms post to {action}"
    hidden = {n.attrs["name"]: n.attrs.get("value") or "" for n in form[0].find_all("input")
              if n.attrs.get("type") == "hidden" and n.attrs.get("name")}
    return client.post(action, data={**hidden, "csrf_token": csrf_token(html), **fields})


def test_agreeing_to_a_goal_is_confirmed_at_who_agrees(here, demo):
    sandra = as_user(here, SANDRA)
    gid = goal_id(here, GOAL_1)
    response = post_from(sandra, goal_url(demo, gid), goal_url(demo, gid, "/akkoord"), agrees="ja")
    html, anchor = follow(sandra, response)
    assert anchor == "akkoord"
    assert_confirmed_in(html, "akkoord", "Je antwoord is opgeslagen.")


def test_how_are_we_doing_is_confirmed_at_the_questions(here, demo):
    sandra = as_user(here, SANDRA)
    gid = goal_id(here, GOAL_1)
    response = post_from(sandra, goal_url(demo, gid), goal_url(demo, gid, "/schaalvragen"),
                         **{"voortgang-score": "7", "motivatie-score": "8", "vertrouwen-score": "6"})
    html, anchor = follow(sandra, response)
    assert anchor == "schaalvragen"
    assert_confirmed_in(html, "schaalvragen", "Dank je! Je antwoorden zijn opgeslagen.")


def test_a_step_chosen_is_confirmed_at_the_steps(here, demo):
    fatima = as_user(here, FATIMA)
    gid = goal_id(here, GOAL_1)
    response = post_from(fatima, goal_url(demo, gid), goal_url(demo, gid, "/gas"), level="1",
                         scored_on="2026-11-30")
    html, anchor = follow(fatima, response)
    assert anchor == "ladder"
    assert_confirmed_in(html, "ladder", "De score is opgeslagen.")


def test_a_status_saved_is_confirmed_at_the_status(here, demo):
    fatima = as_user(here, FATIMA)
    gid = goal_id(here, GOAL_1)
    response = post_from(fatima, goal_url(demo, gid), goal_url(demo, gid, "/status"),
                         status="gepauzeerd", reason="Even rust na de verhuizing")
    html, anchor = follow(fatima, response)
    assert anchor == "doel-status"
    assert_confirmed_in(html, "doel-status", "De status is opgeslagen.")


def test_an_action_ticked_off_is_confirmed_at_the_action(here, demo):
    from samenplan.auth.models import User
    from samenplan.families.models import Participant
    from samenplan.goals.models import Action

    sandra = as_user(here, SANDRA)
    with db_session(here) as session:
        action = session.scalars(
            select(Action).join(Participant, Participant.id == Action.assignee_participant_id)
            .join(User, User.id == Participant.user_id)
            .where(User.email == SANDRA, Action.done_at.is_(None))).first()
        action_id = action.id
    plan = page(sandra.get(f"/gezin/{demo.family_id}"))
    response = sandra.post(f"/gezin/{demo.family_id}/acties/{action_id}/klaar", data={
        "csrf_token": csrf_token(plan), "done": "1", "version": action_version(plan, action_id)})
    html, anchor = follow(sandra, response)
    assert anchor == f"actie-{action_id}"
    assert_confirmed_in(html, anchor, "Klaar. Goed gedaan!")
    # ticking it back is confirmed there too
    response = sandra.post(f"/gezin/{demo.family_id}/acties/{action_id}/klaar", data={
        "csrf_token": csrf_token(html), "done": "0", "version": action_version(html, action_id)})
    html, anchor = follow(sandra, response)
    assert_confirmed_in(html, anchor, "Staat weer open.")


def test_a_confirmation_whose_part_is_not_on_the_page_is_shown_at_the_top(here):
    from samenplan.confirmations import flash_at

    with here.test_request_context("/"):
        flash_at("nergens", "Het is opgeslagen.")
        html = render_template("error.html", title="Klaar", text="Niets te zien.")
    main = dom(html).find("main")
    top = [n for n in main.children if getattr(n, "tag", None) == "p" and "flash" in n.classes()]
    assert [n.text() for n in top] == ["Het is opgeslagen."]


def test_a_person_added_is_confirmed_at_the_person(here, demo):
    fatima = as_user(here, FATIMA)
    url = f"/gezin/{demo.family_id}/gezinsleden/nieuw"
    form = page(fatima.get(url))
    response = fatima.post(url, data={"csrf_token": csrf_token(form), "first_name": "Sem",
                                      "last_name": "de Boer", "date_of_birth": "1995-02-02",
                                      "household": "nieuw"})
    html, anchor = follow(fatima, response)
    assert anchor.startswith("persoon-")
    assert_confirmed_in(html, anchor, "Sem de Boer staat erbij.")


def test_the_account_page_confirms_at_the_password_and_the_devices(here, demo):
    sandra = as_user(here, SANDRA)
    wrong = post_from(sandra, "/account", "/account/wachtwoord", current_password="niet-mijn-wachtwoord",
                      password="een-heel-nieuw-wachtwoord-2026", password_again="een-heel-nieuw-wachtwoord-2026")
    html, anchor = follow(sandra, wrong)
    assert anchor == "wachtwoord"
    assert_confirmed_in(html, "wachtwoord", "Je huidige wachtwoord klopt niet.")
    everywhere = post_from(sandra, "/account", "/account/overal-uitloggen")
    html, anchor = follow(sandra, everywhere)
    assert anchor == "sessies"
    assert_confirmed_in(html, "sessies", "andere apparaten uitgelogd")
