"""The consent screen (/gezin/<id>/toestemming), DESIGN.md §3: who must consent depends on the
subject's age that day; a grant that lacks a consenter is pending, gives nothing and says whose
consent is missing; professionals record consent given at the table; each sees only the
consents that concern them, the casusregisseur all of them.
"""
from __future__ import annotations

import re
from datetime import date

import markupsafe
import pytest
from sqlalchemy import func, select

from samenplan.demo import DEMO_FAMILY

from tests.support.clients import as_user, csrf_token, page, post_form
from tests.support.html import Node, card, cards, dom, form_with_button
from tests.support.people import DAAN, FATIMA, JORIS, LISA, MARK, RIET, SANDRA

SCHOOL_GOAL = "Lisa gaat elke schooldag naar school"  # goal 4 of DESIGN.md §6: about Lisa, algemeen
HEALTH_GOAL = "Ik praat elke week met de jeugdarts over hoe het met me gaat"  # goal 5: Lisa, gezondheid


def missing_names(node: Node) -> set[str]:
    match = re.search(r"Toestemming ontbreekt van: ([^.]*)\.", node.text())
    assert match, f"the card does not say whose consent is missing: {node.text()!r}"
    return {name.strip() for name in re.split(r",| en ", match.group(1)) if name.strip()}


# --- clients and data ------------------------------------------------------------------------
@pytest.fixture
def consent_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"  # many logins; limits: test_auth.py
    return app


@pytest.fixture
def ids(consent_app):
    """Ids of persons, organisations and goal 4 of the demo."""
    from samenplan import db
    from samenplan.families.models import Family, Person
    from samenplan.goals.models import Goal
    from samenplan.orgs.models import Organisation

    with consent_app.app_context():
        session = db.session()

        class Ids:
            family = session.scalar(select(Family.id).where(Family.name == DEMO_FAMILY))
            persons = {p.first_name: p.id for p in session.scalars(select(Person))}
            born = {p.first_name: p.date_of_birth for p in session.scalars(select(Person))}
            orgs = {o.name: o.id for o in session.scalars(select(Organisation))}
            school_goal = session.scalar(select(Goal.id).where(Goal.title == SCHOOL_GOAL))
    return Ids


def consent_url(ids) -> str:
    return f"/gezin/{ids.family}/toestemming"


def grant(client, ids, subject: str, grantee: str, categories: list[str], consenters=(), **extra):
    html = page(client.get(consent_url(ids)))
    data = {"csrf_token": csrf_token(html), "subject": str(ids.persons[subject]),
            "grantee": grantee, "categories": categories, "purpose": "Samenwerken",
            **extra}
    if consenters:
        data |= {"how": "tafel", "consenters": [str(ids.persons[n]) for n in consenters]}
    return client.post(consent_url(ids), data=data)


def errors(html: str) -> str:
    """The error messages of a form page, for assertion messages."""
    root = dom(html)
    found = [n.text() for n in root.iter()
             if n.attrs.get("role") == "alert" or "error" in n.classes()]
    return " | ".join(found) or html[:2000]


def consent_count(app) -> int:
    from samenplan import db
    from samenplan.privacy.models import Consent

    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Consent))


def lisa_age(ids) -> int:
    from samenplan.db import utcnow
    from samenplan.domain.ages import age_on, local_day

    return age_on(ids.born["Lisa"], local_day(utcnow()))


def sees_goal(client, ids, title: str) -> bool:
    html = page(client.get(f"/gezin/{ids.family}"))
    return str(markupsafe.escape(title)) in html


def sees_school_goal(client, ids) -> bool:
    return sees_goal(client, ids, SCHOOL_GOAL)


# --- a 12-15 year-old consents together with both parents -----------------------------------------
def test_a_teenager_and_every_parent_with_authority_must_consent(consent_app, ids):
    age = lisa_age(ids)
    assert age >= 12, "the demo's Lisa should be at least 12"
    heading = "Lisa → Het Baken College"
    joris = as_user(consent_app, JORIS)
    assert not sees_goal(joris, ids, HEALTH_GOAL)

    lisa = as_user(consent_app, LISA)
    response = grant(lisa, ids, "Lisa", f"org:{ids.orgs['Het Baken College']}", ["gezondheid"])
    assert response.status_code == 302, "Lisa's consent was refused: " + errors(page(response))
    lisa_card = cards(page(lisa.get(consent_url(ids))), heading)[-1]

    if age >= 16:  # from 16 on Lisa consents alone (the demo ages: still true, just later)
        assert "Geldt nu." in lisa_card.text()
        assert sees_goal(joris, ids, HEALTH_GOAL)
        return

    assert "Geldt nog niet." in lisa_card.text()
    assert missing_names(lisa_card) == {"Sandra", "Mark"}
    assert "Lisa gaf toestemming in samenplan" in lisa_card.text()
    assert "(wacht)" in page(lisa.get(consent_url(ids)))  # marked in the overview too
    assert not sees_goal(joris, ids, HEALTH_GOAL), "a pending consent gives access"

    sandra = as_user(consent_app, SANDRA)
    html = page(sandra.get(consent_url(ids)))
    response = post_form(sandra, html, form_with_button(cards(html, heading)[-1], "Ja, ik geef toestemming"))
    assert response.status_code == 302
    sandra_card = cards(page(sandra.get(consent_url(ids))), heading)[-1]
    assert "Geldt nog niet." in sandra_card.text()
    assert missing_names(sandra_card) == {"Mark"}
    assert not sees_goal(joris, ids, HEALTH_GOAL)

    mark = as_user(consent_app, MARK)
    html = page(mark.get(consent_url(ids)))
    response = post_form(mark, html, form_with_button(cards(html, heading)[-1], "Ja, ik geef toestemming"))
    assert response.status_code == 302
    for client in (mark, sandra, lisa):
        final = cards(page(client.get(consent_url(ids))), heading)[-1]
        assert "Geldt nu." in final.text()
        assert "Ja, ik geef toestemming" not in final.text()
    assert sees_goal(joris, ids, HEALTH_GOAL), "Joris should now see Lisa's health goal"
    # and Joris sees the consent to his organisation
    assert "Geldt nu." in cards(page(joris.get(consent_url(ids))), heading)[-1].text()


def test_the_parents_add_their_yes_to_a_teenagers_consent(consent_app, ids):
    """The same chain as above, started from Lisa's yes recorded at the table by the
    casusregisseur (so that the parents' part is tested even when the app's own grant form
    fails)."""
    if lisa_age(ids) >= 16:
        pytest.skip("Lisa is 16: she consents alone")
    heading = "Lisa → Het Baken College"
    fatima = as_user(consent_app, FATIMA)
    response = grant(fatima, ids, "Lisa", f"org:{ids.orgs['Het Baken College']}", ["gezondheid"],
                     consenters=("Lisa",))
    assert response.status_code == 302, errors(page(response))
    joris = as_user(consent_app, JORIS)
    lisa = as_user(consent_app, LISA)
    assert missing_names(cards(page(lisa.get(consent_url(ids))), heading)[-1]) == {"Sandra", "Mark"}
    for email, still_missing in ((SANDRA, {"Mark"}), (MARK, None)):
        client = as_user(consent_app, email)
        html = page(client.get(consent_url(ids)))
        form = form_with_button(cards(html, heading)[-1], "Ja, ik geef toestemming")
        assert post_form(client, html, form).status_code == 302
        after = cards(page(client.get(consent_url(ids))), heading)[-1]
        if still_missing:
            assert "Geldt nog niet." in after.text()
            assert missing_names(after) == still_missing
            assert not sees_goal(joris, ids, HEALTH_GOAL), "a pending consent gives access"
        else:
            assert "Geldt nu." in after.text()
    assert "Geldt nu." in cards(page(lisa.get(consent_url(ids))), heading)[-1].text()
    assert sees_goal(joris, ids, HEALTH_GOAL)


# --- a professional records consent given at the table ------------------------------------------------
def test_consent_given_at_the_table_for_a_young_child(consent_app, ids):
    fatima = as_user(consent_app, FATIMA)
    both = grant(fatima, ids, "Noah", f"org:{ids.orgs['GGZ Kompas']}", ["algemeen"],
                 consenters=("Sandra", "Mark"))
    assert both.status_code == 302, page(both)[:3000]
    only_sandra = grant(fatima, ids, "Noah", f"org:{ids.orgs['Het Baken College']}", ["algemeen"],
                        consenters=("Sandra",))
    assert only_sandra.status_code == 302, page(only_sandra)[:3000]

    html = page(fatima.get(consent_url(ids)))
    active = card(html, "Noah → GGZ Kompas")
    assert "Geldt nu." in active.text()
    assert "Sandra gaf toestemming aan tafel. Vastgelegd door Fatima El Amrani" in active.text()
    assert "in samenplan" not in active.text()
    pending = card(html, "Noah → Het Baken College")
    assert "Geldt nog niet." in pending.text()
    assert missing_names(pending) == {"Mark"}

    # the family sees what the professional recorded; Mark can add his yes himself
    mark = as_user(consent_app, MARK)
    mark_page = page(mark.get(consent_url(ids)))
    assert "Geldt nu." in card(mark_page, "Noah → GGZ Kompas").text()
    form_with_button(card(mark_page, "Noah → Het Baken College"), "Ja, ik geef toestemming")


def test_the_professional_may_only_tick_who_must_consent(consent_app, ids):
    """Noah is under 12: he cannot consent himself, so ticking him is refused."""
    fatima = as_user(consent_app, FATIMA)
    before = consent_count(consent_app)
    response = grant(fatima, ids, "Noah", f"org:{ids.orgs['GGZ Kompas']}", ["algemeen"],
                     consenters=("Noah", "Sandra", "Mark"))
    assert response.status_code == 422
    assert "Alleen wie toestemming moet geven" in page(response)
    assert consent_count(consent_app) == before


# --- who may record and revoke ---------------------------------------------------------------------------
def test_the_network_cannot_record_consent_only_ask_for_it(consent_app, ids):
    riet = as_user(consent_app, RIET)
    before = consent_count(consent_app)
    # Riet does not even know GGZ Kompas takes part: not a choice, and refused when forged
    assert "GGZ Kompas" not in page(riet.get(consent_url(ids)))
    response = grant(riet, ids, "Noah", f"org:{ids.orgs['GGZ Kompas']}", ["algemeen"],
                     consenters=("Sandra", "Mark"))
    assert response.status_code == 422
    assert consent_count(consent_app) == before
    # asking for herself is a request that gives nothing until the parents say yes
    response = grant(riet, ids, "Noah", f"participant:{riet_participant(consent_app)}",
                     ["gezondheid"], consenters=("Sandra", "Mark"))
    assert response.status_code == 302, errors(page(response))
    request_card = cards(page(riet.get(consent_url(ids))), "Noah → Riet Jansen")[-1]
    assert "Geldt nog niet." in request_card.text()
    assert missing_names(request_card) == {"Sandra", "Mark"}
    assert "Nog niemand heeft toestemming gegeven." in request_card.text()


def riet_participant(app) -> int:
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.families.models import Participant

    with app.app_context():
        return db.session().scalar(
            select(Participant.id).join(User).where(User.email == RIET)
        )


def test_a_parent_cannot_revoke_the_other_parents_own_consent(consent_app, ids):
    from samenplan import db
    from samenplan.privacy.models import Consent

    with consent_app.app_context():
        sandra_ggz = db.session().scalar(select(Consent.id).where(
            Consent.subject_id == ids.persons["Sandra"],
            Consent.grantee_organisation_id == ids.orgs["GGZ Kompas"]))
    mark = as_user(consent_app, MARK)
    html = page(mark.get(consent_url(ids)))
    assert "Sandra → GGZ Kompas" not in html
    response = mark.post(f"{consent_url(ids)}/{sandra_ggz}/intrekken",
                         data={"csrf_token": csrf_token(html)})
    assert response.status_code in (403, 404)
    with consent_app.app_context():
        assert db.session().get(Consent, sandra_ggz).revoked_at is None


# --- who sees which consents -------------------------------------------------------------------------------
def test_a_professional_sees_only_consents_to_them_or_their_organisation(consent_app, ids):
    daan_page = page(as_user(consent_app, DAAN).get(consent_url(ids)))
    assert cards(daan_page, "Sandra → GGZ Kompas")
    for heading in ("Lisa → Het Baken College", "Sandra → Schuldhulp Stad",
                    "Sandra → Sociaal Wijkteam Noord", "Noah → Riet Jansen"):
        assert heading not in daan_page, f"Daan sees the consent {heading!r}"
    assert "Het Baken College" not in daan_page.split('id="nieuw"')[0], \
        "the overview names an organisation Daan has no business with"

    fatima_page = page(as_user(consent_app, FATIMA).get(consent_url(ids)))
    for heading in ("Lisa → Het Baken College", "Sandra → GGZ Kompas", "Sandra → Schuldhulp Stad",
                    "Noah → Riet Jansen", "Mark → Sociaal Wijkteam Noord"):
        assert cards(fatima_page, heading), f"the casusregisseur does not see {heading!r}"


# --- bad input --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("email", [SANDRA, FATIMA])
def test_a_consent_without_a_category_is_refused_in_dutch(consent_app, ids, email):
    client = as_user(consent_app, email)
    before = consent_count(consent_app)
    extra = {"consenters": ("Sandra",)} if email == FATIMA else {}
    response = grant(client, ids, "Sandra", f"org:{ids.orgs['GGZ Kompas']}", [], **extra)
    assert response.status_code == 422
    assert "Kies minstens één soort informatie." in page(response)
    assert consent_count(consent_app) == before
