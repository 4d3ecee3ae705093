"""Starting for real (issue 10, items 3 and 4): taking on a family, and the people in it.

Fatima (Sociaal Wijkteam Noord, who may start families) takes on the Bakker family from her home
page: Anja (the mother, LVB), Tim (14), Sem (6), whose father Erik does not live with them but
holds authority over Sem too. She becomes its casusregisseur; a plan comes with the family. She
invites Anja, Tim and Erik (linked to their persons), not Sem (under 12: no login); Anja invites
her own network. A child under guardianship of a jeugdbescherming organisation: its professional
consents for the child. A bewindvoerder consents for money only. The LVB flag is shown only to
who may know it. A professional whose organisation does not let them start families cannot.
Corrections leave history, and a correction from an old page gets the merge screen. Every new
route refuses everyone else, and ids of another family or organisation posted into a form are 404.

Through the screens (forms as a browser sends them, CSRF tokens included), mail over the real
SMTP server of test_mail_and_invitations.py; both databases.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.integration.test_mail_and_invitations import (  # noqa: F401 - fixtures
    accept_with_password, link_in, mail_app, mailbox, only_mail_to, smtp_server,
)
from tests.support.clients import as_user, csrf_token, db_session, page, path_of
from tests.support.families import (  # noqa: F401 - the Bakkers are made in tests/support
    Bakker, add, add_professional, added_id, born, household_of, invite_person, organisation_id,
    person_ids, post_anyway, start, submit, take_on_the_bakkers, today,
)
from tests.support.html import dom, form_values
from tests.support.people import (
    BEHEER_WIJKTEAM, DAAN, FATIMA, ILSE, JORIS, RIET, SANDRA,
)


def text_of(html: str) -> str:
    """The page's text as it reads (tags gone, white space collapsed)."""
    return dom(html).text()


def errors(html: str) -> str:
    return " ".join(n.text() for n in dom(html).iter() if {"error", "error-summary"} & n.classes())


def field_value(html: str, name: str) -> str | None:
    for node in dom(html).iter():
        if node.attrs.get("name") == name and node.tag == "input":
            return node.attrs.get("value")
    return None


def option_values(html: str, name: str) -> list[str]:
    select_ = next(n for n in dom(html).iter() if n.tag == "select" and n.attrs.get("name") == name)
    return [o.attrs.get("value") for o in select_.find_all("option")]


# --- the database -------------------------------------------------------------------------------
def facts_of(app, family_id: int):
    from samenplan.privacy.loader import family_facts

    with db_session(app) as session:
        return family_facts(session, family_id)


def consent_state(app, consent_id: int):
    from samenplan.db import utcnow
    from samenplan.privacy import loader, policy
    from samenplan.privacy.models import Consent

    with db_session(app) as session:
        consent = session.get(Consent, consent_id)
        facts = loader.family_facts(session, consent.family_id)
        return policy.grant_status(loader.grant_facts(consent), facts.persons[consent.subject_id],
                                   utcnow())


@pytest.fixture
def bakker(mail_app) -> Bakker:
    return take_on_the_bakkers(mail_app)


def join(app, mailbox, address: str, name: str):
    """The invitee opens the link in the mail and makes an account; logged in afterwards."""
    client = app.test_client()
    accepted = accept_with_password(client, link_in(only_mail_to(mailbox, address)), name=name)
    assert accepted.status_code == 302, page(accepted)[:3000]
    return client


# --- taking on a family ------------------------------------------------------------------------
def test_fatima_takes_on_the_bakker_family(mail_app):
    from samenplan.families.models import Family, Participant, Person
    from samenplan.plans.models import Plan
    from samenplan.privacy.models import Involvement
    from samenplan.records.models import Revision

    fatima = as_user(mail_app, FATIMA)
    home = page(fatima.get("/"))
    assert 'href="/gezin/nieuw"' in home and "Een gezin aanmelden" in home
    family = take_on_the_bakkers(mail_app)
    persons = family.persons

    with db_session(mail_app) as session:
        row = session.get(Family, family.family_id)
        assert row.name == "Bakker"
        assert session.scalar(select(Plan).where(Plan.family_id == family.family_id)) is not None
        chair = session.scalar(select(Participant).where(Participant.family_id == family.family_id))
        assert (chair.role, chair.user.email, chair.organisation.name) == (
            "casusregisseur", FATIMA, "Sociaal Wijkteam Noord")
        involvement = session.scalar(select(Involvement).where(Involvement.participant_id == chair.id))
        # like Fatima's in the demo: the whole family, algemeen
        assert involvement.category == "algemeen"
        assert {p.id for p in involvement.subjects} == set(persons.values())
        people = {p.first_name: p for p in session.scalars(
            select(Person).where(Person.family_id == family.family_id))}
        assert [h.first_name for h in people["Tim"].authority_holders] == ["Anja"]
        assert {h.first_name for h in people["Sem"].authority_holders} == {"Anja", "Erik"}
        assert people["Anja"].lvb and not people["Tim"].lvb
        # who lives with whom: Erik elsewhere
        assert people["Anja"].household == people["Tim"].household == people["Sem"].household
        assert people["Erik"].household not in (None, people["Anja"].household)
        # every person has its first revision, by Fatima
        firsts = session.scalars(select(Revision).where(Revision.person_id.in_(persons.values()),
                                                        Revision.version == 1)).all()
        assert {r.person_id for r in firsts} == set(persons.values())
        assert {r.changed_by_id for r in firsts} == {chair.user_id}
    # the policy counts Erik as a holder of authority over Sem: both consent for him
    facts = facts_of(mail_app, family.family_id)
    assert facts.persons[persons["Sem"]].authority_holders == {persons["Anja"], persons["Erik"]}
    assert facts.persons[persons["Tim"]].authority_holders == {persons["Anja"]}

    listing = page(fatima.get(f"{family.base}/gezinsleden"))
    assert listing.count("<h1>") == 1
    for name in ("Anja Bakker", "Tim Bakker", "Erik de Wit", "Sem de Wit"):
        assert name in listing
    assert "Gezag: Anja, Erik" in listing
    assert "Jonger dan 12: krijgt geen eigen account" in listing
    # Fatima sees the new family's plan, and it is on her home page
    assert fatima.get(family.base).status_code == 200
    assert "Plan van Bakker" in page(fatima.get("/"))


def test_the_casusregisseur_invites_the_family_and_a_family_member_her_network(bakker, mail_app, mailbox):
    from samenplan.families.models import Participant

    fatima = as_user(mail_app, FATIMA)
    listing = page(fatima.get(f"{bakker.base}/gezinsleden"))
    for name in ("Anja", "Tim", "Erik"):
        assert f"?persoon={bakker.persons[name]}" in listing, f"no invitation button for {name}"
    assert f"?persoon={bakker.persons['Sem']}" not in listing

    invite_page = page(fatima.get(f"{bakker.base}/uitnodigen"))
    assert str(bakker.persons["Sem"]) not in option_values(invite_page, "person")
    for name, address in (("Anja", "anja@bakker.example"), ("Tim", "tim@bakker.example"),
                          ("Erik", "erik@dewit.example")):
        sent = invite_person(fatima, bakker, name, address)
        assert sent.status_code == 302, page(sent)[:3000]
    # a child under 12 gets no login, also when her id is posted all the same
    refused = post_anyway(fatima, f"{bakker.base}/uitnodigen", {
        "name": "Sem de Wit", "email": "sem@dewit.example", "role": "family",
        "person": str(bakker.persons["Sem"])})
    assert refused.status_code == 422
    assert "Sem is jonger dan 12 jaar en krijgt geen eigen account." in page(refused)
    assert 'value="sem@dewit.example"' in page(refused)  # what was typed stays
    assert not mailbox.to("sem@dewit.example")

    anja = join(mail_app, mailbox, "anja@bakker.example", "Anja Bakker")
    tim = join(mail_app, mailbox, "tim@bakker.example", "Tim Bakker")
    erik = join(mail_app, mailbox, "erik@dewit.example", "Erik de Wit")
    with db_session(mail_app) as session:
        joined = {p.user.email: (p.role, p.person_id) for p in session.scalars(
            select(Participant).where(Participant.family_id == bakker.family_id))}
    assert joined["anja@bakker.example"] == ("family", bakker.persons["Anja"])
    assert joined["tim@bakker.example"] == ("family", bakker.persons["Tim"])
    assert joined["erik@dewit.example"] == ("family", bakker.persons["Erik"])
    for client in (anja, tim, erik):
        assert client.get(bakker.base).status_code == 200
    listing = page(fatima.get(f"{bakker.base}/gezinsleden"))
    assert listing.count("Doet mee met een eigen account.") == 3

    # Anja invites her own network: only network is hers to invite
    own = page(anja.get(f"{bakker.base}/uitnodigen"))
    assert option_values(own, "role") == ["network"]
    sent = submit(anja, f"{bakker.base}/uitnodigen",
                  {"name": "Greet Bakker", "email": "oma@bakker.example", "function": "oma",
                   "role": "network"})  # the only choice: what a browser sends
    assert sent.status_code == 302, page(sent)[:3000]
    oma = join(mail_app, mailbox, "oma@bakker.example", "Greet Bakker")
    assert oma.get(bakker.base).status_code == 200
    with db_session(mail_app) as session:
        greet = session.scalar(select(Participant).join(Participant.user)
                               .where(Participant.family_id == bakker.family_id,
                                      Participant.role == "network"))
        assert (greet.user.email, greet.function) == ("oma@bakker.example", "oma")
    # and not the family or a professional
    for role, extra in (("family", {"person": str(bakker.persons["Sem"])}),
                        ("professional", {"organisation": "1"})):
        forbidden = post_anyway(anja, f"{bakker.base}/uitnodigen", {
            "name": "X", "email": "x@example.org", "role": role, **extra})
        assert forbidden.status_code in (403, 422)
        assert not mailbox.to("x@example.org")
    # the persons list is the family's too (read only); its corrections are Fatima's
    assert anja.get(f"{bakker.base}/gezinsleden").status_code == 200
    assert oma.get(f"{bakker.base}/gezinsleden").status_code == 404


# --- who consents: an organisation as voogd, a bewindvoerder -----------------------------------------
def ask_consent(client, family: Bakker, subject: str, categories: list[str], grantee: str):
    """The casusregisseur asks for consent in samenplan (not given at the table)."""
    url = f"{family.base}/toestemming"
    html = page(client.get(url))
    data = {"csrf_token": csrf_token(html), "subject": str(family.persons[subject]),
            "grantee": grantee, "record": "", "categories": categories, "purpose": "Samenwerken",
            "how": "verzoek"}
    response = client.post(url, data=data)
    assert response.status_code == 302, page(response)[:3000]
    return int(response.headers["Location"].rsplit("#toestemming-", 1)[1])


def approve(client, family: Bakker, consent_id: int):
    url = f"{family.base}/toestemming/{consent_id}/akkoord"
    html = page(client.get(f"{family.base}/toestemming"))
    values = form_values(html, url)
    return client.post(url, data={k: v[0] for k, v in values.items()})


def test_a_child_under_guardianship_is_consented_for_by_the_guardian_organisations_professional(
        bakker, mail_app, mailbox):
    gi = add_professional(mail_app, "Jeugdbescherming West", "jeugdbescherming",
                          "yara@jbwest.demo", "Yara Koç")
    wijkteam = organisation_id(mail_app, "Sociaal Wijkteam Noord")
    fatima = as_user(mail_app, FATIMA)
    new = f"{bakker.base}/gezinsleden/nieuw"
    form = page(fatima.get(new))
    assert str(gi) in option_values(form, "guardian")
    lotte = added_id(add(fatima, bakker.family_id, first_name="Lotte", last_name="Bakker",
                         date_of_birth=born(9), household=household_of(form, "Anja"),
                         guardian=str(gi)))
    bakker.persons["Lotte"] = lotte
    facts = facts_of(mail_app, bakker.family_id)
    assert facts.persons[lotte].authority_organisations == {gi}
    assert facts.persons[lotte].authority_holders == frozenset()
    assert "Gezag: Jeugdbescherming West" in page(fatima.get(f"{bakker.base}/gezinsleden"))

    # Yara takes part for her organisation, for Lotte
    sent = submit(fatima, f"{bakker.base}/uitnodigen", {
        "name": "Yara Koç", "email": "yara@jbwest.demo", "role": "professional",
        "organisation": str(gi), "involvement_subjects": [str(lotte)],
        "involvement_category": "algemeen", "function": "jeugdbeschermer"})
    assert sent.status_code == 302, page(sent)[:3000]
    yara = as_user(mail_app, "yara@jbwest.demo")
    joined = yara.post(link_in(only_mail_to(mailbox, "yara@jbwest.demo")),
                       data={"csrf_token": csrf_token(page(yara.get("/")))})
    assert joined.status_code == 302, page(joined)[:3000]
    # ... and Anja, the mother, without authority over Lotte
    invite_person(fatima, bakker, "Anja", "anja@bakker.example")
    anja = join(mail_app, mailbox, "anja@bakker.example", "Anja Bakker")

    consent = ask_consent(fatima, bakker, "Lotte", ["algemeen", "gezondheid"], f"org:{wijkteam}")
    status = consent_state(mail_app, consent)
    assert (status.state, status.missing, status.missing_organisations) == ("wacht", set(), {gi})
    assert "Toestemming ontbreekt van: Jeugdbescherming West." in re.sub(
        r"\s+", " ", page(fatima.get(f"{bakker.base}/toestemming")))
    # the mother holds no authority: it is not hers to give (she does not even see it)
    assert f"toestemming-{consent}" not in page(anja.get(f"{bakker.base}/toestemming"))
    assert post_anyway(anja, f"{bakker.base}/toestemming/{consent}/akkoord",
                       {"version": "1"}).status_code == 404
    assert consent_state(mail_app, consent).state == "wacht"
    # Yara sees the request and gives her organisation's yes
    done = approve(yara, bakker, consent)
    assert done.status_code == 302, page(done)[:3000]
    assert consent_state(mail_app, consent).state == "actief"
    card = re.sub(r"\s+", " ", page(yara.get(f"{bakker.base}/toestemming")))
    assert "Jeugdbescherming West gaf toestemming in samenplan, door Yara Koç" in card

    # she may also give it for Lotte herself, in the app: valid at once
    url = f"{bakker.base}/toestemming"
    html = page(yara.get(url))
    assert option_values(html, "subject") == [str(lotte)]  # only for the child she speaks for
    given = yara.post(url, data={"csrf_token": csrf_token(html), "subject": str(lotte),
                                 "grantee": f"org:{gi}", "record": "", "categories": ["veiligheid"],
                                 "purpose": "Voogdij"})
    assert given.status_code == 302, page(given)[:3000]
    second = int(given.headers["Location"].rsplit("#toestemming-", 1)[1])
    assert consent_state(mail_app, second).state == "actief"


def test_a_bewindvoerder_consents_for_money_only(bakker, mail_app, mailbox):
    wijkteam = organisation_id(mail_app, "Sociaal Wijkteam Noord")
    fatima = as_user(mail_app, FATIMA)
    greet = added_id(add(fatima, bakker.family_id, first_name="Greet", last_name="Bakker",
                         date_of_birth="1962-02-02", household="nieuw"))
    bakker.persons["Greet"] = greet
    anja_page = f"{bakker.base}/gezinsleden/{bakker.persons['Anja']}"
    saved = submit(fatima, anja_page, {"bewindvoerder": f"person:{greet}"})
    assert saved.status_code == 302, page(saved)[:3000]
    facts = facts_of(mail_app, bakker.family_id)
    (representative,) = facts.persons[bakker.persons["Anja"]].representatives
    assert (representative.kind.value, representative.person_id) == ("bewindvoerder", greet)
    for name, address in (("Anja", "anja@bakker.example"), ("Greet", "greet@bakker.example")):
        invite_person(fatima, bakker, name, address)
    anja = join(mail_app, mailbox, "anja@bakker.example", "Anja Bakker")
    greet_client = join(mail_app, mailbox, "greet@bakker.example", "Greet Bakker")

    money = ask_consent(fatima, bakker, "Anja", ["financien"], f"org:{wijkteam}")
    health = ask_consent(fatima, bakker, "Anja", ["gezondheid"], f"org:{wijkteam}")
    assert consent_state(mail_app, money).missing == {greet}  # not Anja: her money is Greet's
    assert consent_state(mail_app, health).missing == {bakker.persons["Anja"]}
    # Greet says yes to the money question; the health question is not hers to see or answer
    assert approve(greet_client, bakker, money).status_code == 302
    assert consent_state(mail_app, money).state == "actief"
    assert f"toestemming-{health}" not in page(greet_client.get(f"{bakker.base}/toestemming"))
    assert post_anyway(greet_client, f"{bakker.base}/toestemming/{health}/akkoord",
                       {"version": "1"}).status_code == 404
    assert consent_state(mail_app, health).state == "wacht"
    # Anja answers her health question herself, and cannot say yes to the money question
    assert approve(anja, bakker, health).status_code == 302
    assert consent_state(mail_app, health).state == "actief"
    second_money = ask_consent(fatima, bakker, "Anja", ["financien"], f"org:{wijkteam}")
    anjas = page(anja.get(f"{bakker.base}/toestemming"))
    assert f"toestemming-{second_money}" in anjas  # hers to see: it is about her
    refused = post_anyway(anja, f"{bakker.base}/toestemming/{second_money}/akkoord", {"version": "1"})
    assert refused.status_code == 403
    assert consent_state(mail_app, second_money).state == "wacht"
    # the casusregisseur sees who represents Anja; Tim (14) does not
    assert "Bewindvoerder: Greet Bakker" in page(fatima.get(f"{bakker.base}/gezinsleden"))
    invite_person(fatima, bakker, "Tim", "tim@bakker.example")
    tim = join(mail_app, mailbox, "tim@bakker.example", "Tim Bakker")
    assert "Bewindvoerder" not in page(tim.get(f"{bakker.base}/gezinsleden"))
    assert "Bewindvoerder: Greet Bakker" in page(anja.get(f"{bakker.base}/gezinsleden"))


def test_the_lvb_flag_is_shown_only_to_who_may_know_it(bakker, mail_app, mailbox):
    wijkteam = organisation_id(mail_app, "Sociaal Wijkteam Noord")
    fatima = as_user(mail_app, FATIMA)
    for name, address in (("Anja", "anja@bakker.example"), ("Tim", "tim@bakker.example")):
        invite_person(fatima, bakker, name, address)
    anja = join(mail_app, mailbox, "anja@bakker.example", "Anja Bakker")
    tim = join(mail_app, mailbox, "tim@bakker.example", "Tim Bakker")
    anja_page = f"{bakker.base}/gezinsleden/{bakker.persons['Anja']}"

    def shows_lvb(client, url=f"{bakker.base}/gezinsleden") -> bool:
        """The flag on the list (a badge), or its box on the correction form."""
        html = page(client.get(url))
        return '<span class="badge">LVB</span>' in html or 'name="lvb"' in html

    assert shows_lvb(anja)  # her own
    assert not shows_lvb(tim)  # her son of 14: not without her consent
    # Fatima ticked it when she took the family on, but may know it only with Anja's consent
    # for health information
    assert not shows_lvb(fatima)
    assert not shows_lvb(fatima, anja_page)
    # a correction she makes meanwhile leaves the flag as it is
    assert submit(fatima, anja_page, {"first_name": "Anja Maria"}).status_code == 302
    assert facts_of(mail_app, bakker.family_id) and _lvb(mail_app, bakker.persons["Anja"])
    # Anja's consent to the wijkteam for her health, recorded at the table
    url = f"{bakker.base}/toestemming"
    html = page(fatima.get(url))
    recorded = fatima.post(url, data={
        "csrf_token": csrf_token(html), "subject": str(bakker.persons["Anja"]),
        "grantee": f"org:{wijkteam}", "record": "", "categories": ["gezondheid"],
        "purpose": "Samenwerken", "how": "tafel", "consenters": [str(bakker.persons["Anja"])]})
    assert recorded.status_code == 302, page(recorded)[:3000]
    assert shows_lvb(fatima) and shows_lvb(fatima, anja_page)
    assert 'name="lvb"' in page(fatima.get(anja_page))
    assert not shows_lvb(tim)
    # the plan's goal nudge tells it to those who may know, as before
    for client in (anja, tim, fatima):
        assert client.get(bakker.base).status_code == 200


def _lvb(app, person_id: int) -> bool:
    from samenplan.families.models import Person

    with db_session(app) as session:
        return session.get(Person, person_id).lvb


# --- who may start a family -------------------------------------------------------------------------
def test_a_professional_whose_organisation_does_not_let_them_cannot_start_a_family(app):
    from samenplan.families.models import Family

    with db_session(app) as session:
        families = session.query(Family).count()
    fields = {"family_name": "Stiekem", "first_name": "A", "last_name": "B",
              "date_of_birth": "1990-01-01"}
    for email in (DAAN, ILSE, JORIS, BEHEER_WIJKTEAM, SANDRA, RIET):
        client = as_user(app, email)
        home = page(client.get("/"))
        assert "/gezin/nieuw" not in home and "Een gezin aanmelden" not in home, email
        assert client.get("/gezin/nieuw").status_code == 404, email
        assert post_anyway(client, "/gezin/nieuw", fields).status_code == 404, email
    # Fatima may start families for her own organisation, not for GGZ Kompas
    fatima = as_user(app, FATIMA)
    ggz = organisation_id(app, "GGZ Kompas")
    assert post_anyway(fatima, "/gezin/nieuw", {**fields, "organisation": str(ggz)},
                       "/gezin/nieuw").status_code == 403
    assert post_anyway(fatima, "/gezin/nieuw", {**fields, "organisation": "987654"},
                       "/gezin/nieuw").status_code == 403
    assert post_anyway(fatima, "/gezin/nieuw", {**fields, "organisation": "x"},
                       "/gezin/nieuw").status_code == 404
    with db_session(app) as session:
        assert session.query(Family).count() == families
    # not logged in: to the login page
    assert path_of(app.test_client().get("/gezin/nieuw")) == "/login"


def test_a_member_whose_right_to_start_is_taken_away_loses_the_button(app):
    from samenplan.auth.models import User
    from samenplan.orgs.models import OrganisationMember

    with db_session(app) as session:
        member = session.scalar(select(OrganisationMember).join(User, User.id == OrganisationMember.user_id)
                                .where(User.email == FATIMA))
        member.may_start_families = False
        session.commit()
    fatima = as_user(app, FATIMA)
    assert "Een gezin aanmelden" not in page(fatima.get("/"))
    assert fatima.get("/gezin/nieuw").status_code == 404


# --- bad input -----------------------------------------------------------------------------------
def test_bad_input_gets_a_dutch_message_and_nothing_typed_is_lost(bakker, mail_app):
    fatima = as_user(mail_app, FATIMA)
    nothing = start(fatima, family_name="", first_name="", last_name="", date_of_birth="")
    assert nothing.status_code == 422
    text = errors(page(nothing))
    for message in ("Vul de naam van het gezin in.", "Vul de voornaam in.",
                    "Vul de achternaam in.", "Vul de geboortedatum in."):
        assert message in text
    cases = [
        ({"date_of_birth": "31-02-2010"}, "Dit is geen datum. Schrijf het zo: 14-03-2012."),
        ({"date_of_birth": "morgen"}, "Dit is geen datum."),
        ({"date_of_birth": (today() + timedelta(days=1)).isoformat()}, "De geboortedatum ligt in de toekomst."),
        ({"date_of_birth": "1880-01-01"}, "zo oud wordt bijna niemand"),
    ]
    for changes, message in cases:
        answer = start(fatima, family_name="Visser", first_name="Joke", last_name="Visser", **changes)
        assert answer.status_code == 422, changes
        html = page(answer)
        assert message in errors(html), (changes, errors(html))
        assert field_value(html, "family_name") == "Visser" and field_value(html, "first_name") == "Joke"
        assert field_value(html, "date_of_birth") == changes["date_of_birth"]  # as typed
    # a date typed by hand is understood
    by_hand = start(fatima, family_name="Visser", first_name="Joke", last_name="Visser",
                    date_of_birth="14-03-1985")
    assert by_hand.status_code == 302

    p = bakker.persons
    wrong = [
        ({"holders": [str(p["Tim"])], "date_of_birth": born(3)}, "Tim is jonger dan 18 en kan nog geen gezag hebben."),
        ({"holders": [str(p["Anja"])], "date_of_birth": "1970-01-01"}, "Gezag is er alleen over kinderen onder de 18 jaar."),
        ({"bewindvoerder": f"person:{p['Anja']}", "date_of_birth": born(10)},
         "Een mentor, curator of bewindvoerder is er alleen voor iemand van 18 jaar of ouder."),
        ({"curator": f"person:{p['Anja']}", "mentor": f"person:{p['Erik']}", "date_of_birth": "1970-01-01"},
         "Bij curatele regelt de curator alles."),
        ({"household": "77", "date_of_birth": born(3)}, "Kies bij wie dit gezinslid woont."),
        ({"guardian": str(organisation_id(mail_app, "GGZ Kompas")), "date_of_birth": born(3)},
         "Alleen een organisatie voor jeugdbescherming kan voogd zijn."),
    ]
    for changes, message in wrong:
        answer = add(fatima, bakker.family_id, first_name="Noor", last_name="Bakker", **changes)
        assert answer.status_code == 422, changes
        html = page(answer)
        assert message in errors(html), (changes, errors(html))
        assert field_value(html, "first_name") == "Noor"
    assert "Noor" not in person_ids(mail_app, bakker.family_id)


# --- corrections and their history ----------------------------------------------------------------
def test_corrections_leave_history_and_an_old_page_gets_the_merge_screen(bakker, mail_app):
    from samenplan.families.models import Person
    from samenplan.records.models import Revision

    fatima = as_user(mail_app, FATIMA)
    tim_url = f"{bakker.base}/gezinsleden/{bakker.persons['Tim']}"
    old_page = page(fatima.get(tim_url))  # kept open in another tab
    new_birthday = born(14, days=100)
    saved = submit(fatima, tim_url, {"first_name": "Timo", "date_of_birth": new_birthday,
                                     "holders": [str(bakker.persons["Anja"]), str(bakker.persons["Erik"])]})
    assert saved.status_code == 302, page(saved)[:3000]
    html = text_of(page(fatima.get(tim_url)))
    assert "Wat is er veranderd?" in html
    assert "Voornaam: Tim → Timo" in html
    assert "Gezag: Anja Bakker → Anja Bakker, Erik de Wit" in html
    assert "Heeft dit gezinslid toegevoegd." in html
    assert "Fatima El Amrani" in html
    with db_session(mail_app) as session:
        revisions = session.scalars(select(Revision).where(Revision.person_id == bakker.persons["Tim"])
                                    .order_by(Revision.id)).all()
        # the first version in two revisions (the LVB flag apart: health information), the
        # correction in one, with what changed only
        assert [(r.version, r.category) for r in revisions] == [
            (1, "algemeen"), (1, "gezondheid"), (2, "algemeen")]
        assert revisions[1].after == {"lvb": False}
        assert revisions[2].before == {"first_name": "Tim", "date_of_birth": born(14),
                                       "authority_holders": [bakker.persons["Anja"]]}
        assert revisions[2].after == {"first_name": "Timo", "date_of_birth": new_birthday,
                                      "authority_holders": sorted([bakker.persons["Anja"],
                                                                   bakker.persons["Erik"]])}
    facts = facts_of(mail_app, bakker.family_id)
    assert facts.persons[bakker.persons["Tim"]].authority_holders == {
        bakker.persons["Anja"], bakker.persons["Erik"]}

    # the old tab saves another last name: not over Fatima's change, but the merge screen
    url = tim_url
    values = form_values(old_page, url)
    data = {k: v if len(v) > 1 else v[0] for k, v in values.items()}
    data["last_name"] = "Bakker-de Wit"
    stale = fatima.post(url, data=data)
    assert stale.status_code == 409
    html = page(stale)
    assert "Iemand anders heeft dit gezinslid net veranderd" in html
    assert field_value(html, "last_name") == "Bakker-de Wit"  # what was typed stays
    merge = re.sub(r"\s+", " ", dom(html).find("table").text())
    assert "Timo" in merge and "Tim" in merge
    with db_session(mail_app) as session:
        assert session.scalar(select(Revision.id).where(
            Revision.person_id == bakker.persons["Tim"], Revision.version == 3)) is None
        assert session.get(Person, bakker.persons["Tim"]).last_name == "Bakker"
    # "Mijn versie opslaan": the form now carries the current version
    again = fatima.post(url, data={k: v if len(v) > 1 else v[0]
                                   for k, v in form_values(html, url).items()})
    assert again.status_code == 302, page(again)[:3000]
    assert "Achternaam: Bakker → Bakker-de Wit" in text_of(page(fatima.get(tim_url)))


def test_the_history_of_the_lvb_flag_is_for_who_may_know_it(bakker, mail_app):
    wijkteam = organisation_id(mail_app, "Sociaal Wijkteam Noord")
    fatima = as_user(mail_app, FATIMA)
    anja_url = f"{bakker.base}/gezinsleden/{bakker.persons['Anja']}"
    assert 'name="lvb"' not in page(fatima.get(anja_url))
    url = f"{bakker.base}/toestemming"
    html = page(fatima.get(url))
    fatima.post(url, data={
        "csrf_token": csrf_token(html), "subject": str(bakker.persons["Anja"]),
        "grantee": f"org:{wijkteam}", "record": "", "categories": ["gezondheid"],
        "purpose": "Samenwerken", "how": "tafel", "consenters": [str(bakker.persons["Anja"])]})
    assert submit(fatima, anja_url, {"lvb": None}).status_code == 302  # unticked
    html = text_of(page(fatima.get(anja_url)))
    assert "Lichte verstandelijke beperking (LVB): ja → nee" in html
    # Tim's history has no LVB line at all: his flag was never on, and is not Fatima's to know
    assert "Lichte verstandelijke beperking" not in text_of(
        page(fatima.get(f"{bakker.base}/gezinsleden/{bakker.persons['Tim']}")))


# --- every new route, refused to everyone else --------------------------------------------------------
def test_the_new_routes_refuse_everyone_else(bakker, mail_app, mailbox, demo):
    fatima = as_user(mail_app, FATIMA)
    invite_person(fatima, bakker, "Anja", "anja@bakker.example")
    anja = join(mail_app, mailbox, "anja@bakker.example", "Anja Bakker")
    tim_id = bakker.persons["Tim"]
    pages = [f"{bakker.base}/gezinsleden", f"{bakker.base}/gezinsleden/nieuw",
             f"{bakker.base}/gezinsleden/{tim_id}"]
    person_fields = {"first_name": "Tom", "last_name": "Bakker", "date_of_birth": born(14),
                     "version": "1"}
    # professionals of other organisations and of another family, a beheerder, the demo family
    for email in (DAAN, ILSE, JORIS, BEHEER_WIJKTEAM, SANDRA, RIET):
        client = as_user(mail_app, email)
        for url in pages:
            assert client.get(url).status_code == 404, (email, url)
        for url in pages[1:]:
            assert post_anyway(client, url, person_fields).status_code == 404, (email, url)
    # a family member reads the list, and corrects nothing
    assert anja.get(pages[0]).status_code == 200
    for url in pages[1:]:
        assert anja.get(url).status_code == 404
        assert post_anyway(anja, url, person_fields).status_code == 404
    # the casusregisseur of the Bakkers is not the casusregisseur of the demo's persons
    assert fatima.get(f"{bakker.base}/gezinsleden/{demo.persons['Sandra']}").status_code == 404
    assert post_anyway(fatima, f"{bakker.base}/gezinsleden/{demo.persons['Sandra']}",
                       person_fields).status_code == 404
    # ids of another family's persons and of organisations that are not there, posted in a form
    for changes in ({"holders": [str(demo.persons["Sandra"])], "date_of_birth": born(3)},
                    {"mentor": f"person:{demo.persons['Mark']}", "date_of_birth": "1970-01-01"},
                    {"bewindvoerder": "organisation:987654", "date_of_birth": "1970-01-01"},
                    {"guardian": "987654", "date_of_birth": born(3)},
                    {"holders": ["nonsense"], "date_of_birth": born(3)},
                    {"guardian": "x", "date_of_birth": born(3)},
                    {"curator": "someone:3", "date_of_birth": "1970-01-01"}):
        answer = add(fatima, bakker.family_id, first_name="Noor", last_name="Bakker", **changes)
        assert answer.status_code == 404, changes
        # and into a correction: of Erik (an adult) for a representative, else of Tim
        adult = {"mentor", "curator", "bewindvoerder"} & set(changes)
        target = bakker.persons["Erik"] if adult else tim_id
        edit = {k: v for k, v in changes.items() if k != "date_of_birth"}
        answer = submit(fatima, f"{bakker.base}/gezinsleden/{target}", edit)
        assert answer.status_code == 404, edit
    facts = facts_of(mail_app, bakker.family_id)
    assert facts.persons[tim_id].authority_holders == {bakker.persons["Anja"]}
    assert "Noor" not in person_ids(mail_app, bakker.family_id)
    # inviting a person of another family into this one
    refused = post_anyway(fatima, f"{bakker.base}/uitnodigen", {
        "name": "Lisa", "email": "lisa2@example.org", "role": "family",
        "person": str(demo.persons["Lisa"])})
    assert refused.status_code == 422 and not mailbox.to("lisa2@example.org")
    # nothing of the Bakkers shows in the demo family, nor the other way round
    demo_list = page(as_user(mail_app, SANDRA).get(f"/gezin/{demo.family_id}/gezinsleden"))
    assert "Bakker" not in demo_list and "de Wit" not in demo_list
    bakker_list = page(anja.get(pages[0]))
    assert "Sandra" not in bakker_list and "Jansen" not in bakker_list


def test_the_crawler_reaches_the_new_screens_and_they_leak_nothing(bakker, mail_app, mailbox, demo):
    """The route-wide crawl (tests/integration/test_route_wide_privacy.py) discovers routes by
    following links and by fetching every route that needs no more than a family id: the new
    screens are reached that way, for the demo family and the new one, and show nothing the
    policy hides from the user."""
    from tests.integration.test_route_wide_privacy import crawl, leaks_in, policy_verdict

    fatima = as_user(mail_app, FATIMA)
    invite_person(fatima, bakker, "Anja", "anja@bakker.example")
    join(mail_app, mailbox, "anja@bakker.example", "Anja Bakker")
    mail_app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    for email, family_ids in ((FATIMA, (demo.family_id, bakker.family_id)),
                              ("anja@bakker.example", (bakker.family_id,))):
        verdict = policy_verdict(mail_app, email)
        result = crawl(mail_app, email, verdict)
        for f in family_ids:
            assert f"/gezin/{f}/gezinsleden" in result.urls, (email, f)
        assert not leaks_in(result, verdict), "\n".join(map(str, leaks_in(result, verdict)))
        if email == FATIMA:
            assert "/gezin/nieuw" in result.urls
            for person_id in bakker.persons.values():
                assert f"/gezin/{bakker.family_id}/gezinsleden/{person_id}" in result.urls
            assert f"/gezin/{bakker.family_id}/gezinsleden/nieuw" in result.urls
        else:
            text = result.text()
            assert all(p.status != 500 for p in result.pages)
            assert "Sandra Jansen" not in text and "Jansen / de Boer" not in text
