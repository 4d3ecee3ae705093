"""The consent round at the kitchen table (issue 10 item 5), on both databases.

A guided screen, person by person (oldest first), asks in plain words who may see what about
each person of the family; it says whose yes each person needs (16+: themself; 12-15: themself
and every holder of authority; under 12: the holders; a guardian organisation; a bewindvoerder
for money only). The casusregisseur records what was said at the table (the consenters are
told); whoever is not there is asked and the consent waits for them. A family member gives (or
withdraws) their own on their phone through the same screens; anyone else only asks. Steps are
saved one by one; the end screen lists what is missing, and asking sends a notice. Whoever
gives an action or goal to someone who cannot see it is told so, and can ask.

Mostly on a family taken on through /gezin/nieuw (the Bakkers of tests/support/families.py),
some on the demo family. Forms are sent as a browser sends them (CSRF tokens included); an
attacker's posts as a script would.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.support.clients import as_user, csrf_token, db_session, page, path_of
from tests.support.families import (
    add, add_professional, added_id, born, household_of, invite_person, join_from_outbox,
    organisation_id, post_anyway, submit, take_on_the_bakkers,
)
from tests.support.html import dom, form_values
from tests.support.people import DAAN, FATIMA, ILSE, JORIS, MARK, RIET, SANDRA

WIJKTEAM = "Sociaal Wijkteam Noord"


# --- the app, the family --------------------------------------------------------------------------
@pytest.fixture
def round_app(app, tmp_path):
    """The demo app, with mail written to an outbox of this test and logins not rate limited."""
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


@pytest.fixture
def bakker(round_app):
    return take_on_the_bakkers(round_app)


ADDRESSES = {"Anja": "anja@bakker.example", "Tim": "tim@bakker.example",
             "Erik": "erik@dewit.example", "Greet": "greet@bakker.example"}


def invite_and_join(app, family, name: str):
    """Fatima invites a person of the family; they make their account from the mail and are
    logged in on their own phone (client)."""
    sent = invite_person(as_user(app, FATIMA), family, name, ADDRESSES[name])
    assert sent.status_code == 302, page(sent)[:2000]
    return join_from_outbox(app, ADDRESSES[name], name)


# --- reading the screens ----------------------------------------------------------------------------
def text_of(html: str) -> str:
    return dom(html).text()


def round_url(family) -> str:
    return f"{family.base}/toestemming/ronde"


def step_url(family, name: str) -> str:
    return f"{round_url(family)}/{family.persons[name]}"


def step_form(html: str, url: str) -> dict[str, list[str]]:
    return form_values(html, url)


def ticked(html: str, url: str, grantee: str) -> set[str]:
    """The kinds ticked for `grantee` ("org:<id>") on the step at `url`."""
    return set(step_form(html, url).get(f"mag:{grantee}", []))


def send_step(client, url: str, changes: dict[str, list[str] | str | None], go: str = "verder"):
    """The step's form as the page has it, with boxes ticked or unticked as in `changes`
    ("mag:org:5": the kinds ticked now; "aan_tafel": who says yes)."""
    html = page(client.get(url))
    data = step_form(html, url)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    data["naar"] = [go]
    return client.post(url, data=data)


def consents(app, family_id: int):
    from samenplan.privacy.models import Consent

    with db_session(app) as session:
        return [(c.id, c.subject_id, c.grantee_organisation_id, c.grantee_participant_id,
                 sorted(x.category for x in c.categories), sorted(a.person_id for a in c.approvals),
                 c.how, c.revoked_at is not None)
                for c in session.scalars(select(Consent).where(Consent.family_id == family_id)
                                         .order_by(Consent.id))]


def consent_count(app) -> int:
    from samenplan.privacy.models import Consent

    with db_session(app) as session:
        return session.scalar(select(func.count()).select_from(Consent))


def live_kinds(app, family_id: int, subject_id: int, organisation: int) -> dict[str, str]:
    """What the organisation may see about the subject, by kind: 'actief' or 'wacht', as the
    policy decides it now."""
    from samenplan.db import utcnow
    from samenplan.privacy import loader, policy
    from samenplan.privacy.models import Consent

    found: dict[str, str] = {}
    with db_session(app) as session:
        facts = loader.family_facts(session, family_id)
        for consent in session.scalars(select(Consent).where(
                Consent.family_id == family_id, Consent.subject_id == subject_id,
                Consent.grantee_organisation_id == organisation)):
            state = policy.grant_status(loader.grant_facts(consent), facts.persons[subject_id],
                                        utcnow()).state
            if state in ("actief", "wacht"):
                for c in consent.categories:
                    if found.get(c.category) != "actief":
                        found[c.category] = state
    return found


def notices_of(app, address: str) -> list[tuple[str, dict]]:
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification

    with db_session(app) as session:
        return [(n.kind, n.params) for n in session.scalars(
            select(Notification).join(User, User.id == Notification.user_id)
            .where(User.email == address).order_by(Notification.id))]


# --- the round, person by person ----------------------------------------------------------------------
def test_the_round_goes_person_by_person_and_says_whose_yes_each_needs(bakker, round_app):
    fatima = as_user(round_app, FATIMA)
    # where a casusregisseur looks for it: the new family's persons page, and the consent page
    assert f'href="{round_url(bakker)}"' in page(fatima.get(f"{bakker.base}/gezinsleden"))
    assert f'href="{round_url(bakker)}"' in page(fatima.get(f"{bakker.base}/toestemming"))

    start = page(fatima.get(round_url(bakker)))
    assert start.count("<h1") == 1 and "Toestemming bespreken" in start
    names = [h.text() for h in dom(start).find_all("h3")]
    assert names == ["Anja", "Erik", "Tim", "Sem"], \
        "the adults first (the mother the family came in with), then the youth, then the child"
    assert "Begin bij Anja" in start

    expected = {
        "Anja": "Voor Anja ({}) moet Anja het goed vinden.",
        "Erik": "Voor Erik ({}) moet Erik het goed vinden.",
        "Tim": "Voor Tim (14) moeten Tim en Anja het goed vinden.",
        "Sem": "Voor Sem (6) moeten Anja en Erik het goed vinden.",
    }
    for name, sentence in expected.items():
        html = page(fatima.get(step_url(bakker, name)))
        assert html.count("<h1") == 1
        assert f"Wie mag wat zien over {name}?" in text_of(html)
        agree = [p.text() for p in dom(html).find_all("p", class_="round-agree")]
        assert len(agree) == 1 and re.fullmatch(re.escape(sentence).replace(r"\{\}", r"\d+"),
                                                agree[0]), (name, agree)
        # every kind of information, in plain words, for the one organisation taking part
        legends = [n.text() for n in dom(html).find_all("legend")]
        assert WIJKTEAM in legends
        assert "Geld en schulden" in text_of(html) and "categorie" not in html.lower()
        # each box has its label around it
        for box in dom(html).find_all("input"):
            if box.attrs.get("type") == "checkbox":
                assert box.parent.tag == "label"
    # the LVB flag is nobody's business here (not even the casusregisseur's: it is not asked)
    assert "LVB" not in page(fatima.get(step_url(bakker, "Anja")))
    # Sem is under 12: he cannot say yes himself
    sem = page(fatima.get(step_url(bakker, "Sem")))
    assert step_form(sem, step_url(bakker, "Sem")).get("aan_tafel") is None  # none ticked yet
    at_table = [label.text() for fs in dom(sem).find_all("fieldset")
                if fs.find_all("legend") and fs.find_all("legend")[0].text() == "Wie zegt aan tafel ja?"
                for label in fs.find_all("label")]
    assert at_table == ["Anja", "Erik"]


# --- at the table: the casusregisseur records, the consenters are told ------------------------------
def test_the_casusregisseur_records_what_is_said_at_the_table_and_the_consenters_are_told(
        bakker, round_app):
    invite_and_join(round_app, bakker, "Anja")
    tim = invite_and_join(round_app, bakker, "Tim")
    invite_and_join(round_app, bakker, "Erik")
    wijkteam = organisation_id(round_app, WIJKTEAM)
    persons = bakker.persons
    fatima = as_user(round_app, FATIMA)

    saved = send_step(fatima, step_url(bakker, "Tim"), {
        f"mag:org:{wijkteam}": ["algemeen", "gezondheid"],
        "aan_tafel": [str(persons["Tim"]), str(persons["Anja"])]})
    assert saved.status_code == 302, text_of(page(saved))[:2000]
    assert path_of(saved) == step_url(bakker, "Sem"), "on to the next person"
    assert "Opgeslagen voor Tim." in page(fatima.get(path_of(saved)))
    assert live_kinds(round_app, bakker.family_id, persons["Tim"], wijkteam) == {
        "algemeen": "actief", "gezondheid": "actief"}
    [(_id, _s, _o, _p, _c, approvals, how, _r)] = consents(round_app, bakker.family_id)
    assert (sorted(approvals), how) == (sorted([persons["Tim"], persons["Anja"]]), "tafel")
    for address in (ADDRESSES["Tim"], ADDRESSES["Anja"]):
        assert [k for k, _p in notices_of(round_app, address)] == ["consent_recorded"], address
    assert not notices_of(round_app, ADDRESSES["Erik"]), "Erik holds no authority over Tim"
    assert "Fatima El Amrani heeft vastgelegd dat je toestemming gaf" in text_of(
        page(tim.get("/meldingen")))
    assert "Tim gaf toestemming aan tafel. Vastgelegd door Fatima El Amrani" in text_of(
        page(tim.get(f"{bakker.base}/toestemming")))

    # Sem (6): only Anja is at the table; Erik is not: it waits for him, and he is asked
    saved = send_step(fatima, step_url(bakker, "Sem"), {
        f"mag:org:{wijkteam}": ["algemeen"], "aan_tafel": [str(persons["Anja"])]})
    assert path_of(saved) == f"{round_url(bakker)}/klaar", "Sem is the last"
    assert "Nog nodig: Erik." in text_of(page(fatima.get(path_of(saved))))
    assert live_kinds(round_app, bakker.family_id, persons["Sem"], wijkteam) == {"algemeen": "wacht"}
    assert [k for k, _p in notices_of(round_app, ADDRESSES["Erik"])] == ["consent_asked"]
    assert [k for k, _p in notices_of(round_app, ADDRESSES["Anja"])] == [
        "consent_recorded", "consent_recorded"]
    # going back to Sem shows it as it is, with what is still needed
    html = page(fatima.get(step_url(bakker, "Sem")))
    assert ticked(html, step_url(bakker, "Sem"), f"org:{wijkteam}") == {"algemeen"}
    assert "wacht op Erik" in text_of(html)
    assert "Nog nodig: Erik." in text_of(html)


def test_an_absent_parent_says_yes_later_at_the_table(bakker, round_app):
    """What a consenter who was not there says later is recorded on the same consent."""
    wijkteam = organisation_id(round_app, WIJKTEAM)
    persons = bakker.persons
    fatima = as_user(round_app, FATIMA)
    url = step_url(bakker, "Sem")
    send_step(fatima, url, {f"mag:org:{wijkteam}": ["algemeen"], "aan_tafel": [str(persons["Anja"])]})
    html = page(fatima.get(url))
    waiting = next(li for li in dom(html).find_all("li") if "card" in li.classes()
                   and "Zegt nu ook ja, aan tafel:" in li.text())
    form = next(f for f in waiting.find_all("form") if "Vastleggen" in f.text())
    data = {n.attrs["name"]: n.attrs.get("value", "") for n in form.find_all("input")
            if n.attrs.get("type") == "hidden"}
    done = fatima.post(form.attrs["action"], data={**data, "consenters": [str(persons["Erik"])]})
    assert done.status_code == 302 and path_of(done) == url, "back to the round, at Sem"
    assert live_kinds(round_app, bakker.family_id, persons["Sem"], wijkteam) == {"algemeen": "actief"}


# --- on one's own phone -------------------------------------------------------------------------------
def test_who_joins_later_is_told_what_was_recorded_for_them_and_what_waits_for_them(
        bakker, round_app):
    """Consent is usually recorded at the table before the parent has a login: the notice they
    could not get then comes when they join, for both what was recorded and what still waits."""
    wijkteam = organisation_id(round_app, WIJKTEAM)
    persons = bakker.persons
    fatima = as_user(round_app, FATIMA)
    assert invite_person(fatima, bakker, "Anja", ADDRESSES["Anja"]).status_code == 302
    assert send_step(fatima, step_url(bakker, "Anja"), {
        f"mag:org:{wijkteam}": ["algemeen"], "aan_tafel": [str(persons["Anja"])]}).status_code == 302
    # Tim said yes at the table; his mother was not there: it waits for her
    assert send_step(fatima, step_url(bakker, "Tim"), {
        f"mag:org:{wijkteam}": ["algemeen"], "aan_tafel": [str(persons["Tim"])]}).status_code == 302
    assert not notices_of(round_app, ADDRESSES["Anja"]), "no login yet: nobody to tell"

    anja = join_from_outbox(round_app, ADDRESSES["Anja"], "Anja Bakker")
    told = dict(notices_of(round_app, ADDRESSES["Anja"]))
    assert told.get("consent_recorded") == {"actor": "Fatima El Amrani"}
    assert told.get("consent_asked") == {"actor": "Fatima El Amrani"}
    listing = text_of(page(anja.get("/meldingen")))
    assert "Fatima El Amrani heeft vastgelegd dat je toestemming gaf." in listing
    assert "Fatima El Amrani vraagt om je toestemming." in listing


def test_the_mother_on_her_phone_sees_what_was_recorded_for_her_and_changes_one_thing(
        bakker, round_app):
    wijkteam = organisation_id(round_app, WIJKTEAM)
    anja_id = bakker.persons["Anja"]
    fatima = as_user(round_app, FATIMA)
    assert invite_person(fatima, bakker, "Anja", ADDRESSES["Anja"]).status_code == 302
    # at the table, before the mother has her account
    saved = send_step(fatima, step_url(bakker, "Anja"), {
        f"mag:org:{wijkteam}": ["algemeen", "gezondheid", "financien"],
        "aan_tafel": [str(anja_id)]})
    assert saved.status_code == 302
    assert live_kinds(round_app, bakker.family_id, anja_id, wijkteam) == {
        "algemeen": "actief", "gezondheid": "actief", "financien": "actief"}

    anja = join_from_outbox(round_app, ADDRESSES["Anja"], "Anja Bakker")
    start = page(anja.get(round_url(bakker)))
    assert [h.text() for h in dom(start).find_all("h3")] == ["Anja", "Tim", "Sem"], \
        "herself, and the children she holds authority over: not Erik"
    url = step_url(bakker, "Anja")
    html = page(anja.get(url))
    assert ticked(html, url, f"org:{wijkteam}") == {"algemeen", "gezondheid", "financien"}
    assert "Wie zegt aan tafel ja?" not in html, "she gives her own: nobody else's"
    assert "Anja gaf toestemming aan tafel. Vastgelegd door Fatima El Amrani" in text_of(
        page(anja.get(f"{bakker.base}/toestemming")))

    # she takes her health out
    changed = send_step(anja, url, {f"mag:org:{wijkteam}": ["algemeen", "financien"]})
    assert changed.status_code == 302, text_of(page(changed))[:2000]
    assert "Wat je uitvinkte, is ingetrokken." in page(anja.get(path_of(changed)))
    assert live_kinds(round_app, bakker.family_id, anja_id, wijkteam) == {
        "algemeen": "actief", "financien": "actief"}
    assert ticked(page(anja.get(url)), url, f"org:{wijkteam}") == {"algemeen", "financien"}
    listing = text_of(page(anja.get(f"{bakker.base}/toestemming")))
    assert "Ingetrokken op" in listing
    assert "Anja gaf toestemming aan tafel. Vastgelegd door Fatima El Amrani" in listing, \
        "what is left is still what she said at the table"
    lost = [p for k, p in notices_of(round_app, FATIMA) if k == "access_lost"]
    assert lost == [{"person": "Anja", "categories": ["gezondheid"]}], \
        "the wijkteam is told it lost her health, and only that"

    # and she adds one herself: it counts at once
    send_step(anja, url, {f"mag:org:{wijkteam}": ["algemeen", "financien", "veiligheid"]})
    assert live_kinds(round_app, bakker.family_id, anja_id, wijkteam)["veiligheid"] == "actief"
    assert any(how == "app" and cats == ["veiligheid"]
               for *_x, cats, _a, how, _r in consents(round_app, bakker.family_id))


def test_a_youth_gives_his_own_and_his_mother_answers_in_her_round(bakker, round_app):
    wijkteam = organisation_id(round_app, WIJKTEAM)
    persons = bakker.persons
    anja = invite_and_join(round_app, bakker, "Anja")
    tim = invite_and_join(round_app, bakker, "Tim")
    start = page(tim.get(round_url(bakker)))
    assert [h.text() for h in dom(start).find_all("h3")] == ["Tim"]
    for other in ("Anja", "Sem", "Erik"):
        assert tim.get(step_url(bakker, other)).status_code == 404, other
    url = step_url(bakker, "Tim")
    html = page(tim.get(url))
    assert "Voor Tim (14) moeten Tim en Anja het goed vinden." in text_of(html)

    # posting "at the table" for his mother gives nothing of hers
    saved = send_step(tim, url, {f"mag:org:{wijkteam}": ["gezondheid"],
                                 "aan_tafel": [str(persons["Anja"])]})
    assert saved.status_code == 302
    assert live_kinds(round_app, bakker.family_id, persons["Tim"], wijkteam) == {"gezondheid": "wacht"}
    [(_i, _s, _o, _p, _c, approvals, how, _r)] = consents(round_app, bakker.family_id)
    assert (approvals, how) == ([persons["Tim"]], "app")
    assert "wacht op Anja" in text_of(page(tim.get(url)))
    assert [k for k, _p in notices_of(round_app, ADDRESSES["Anja"])] == ["consent_asked"]

    # his mother sees the question at Tim in her round, and says yes there
    html = page(anja.get(url))
    assert "er is om gevraagd: jouw antwoord staat hieronder" in text_of(html)
    button = next(f for f in dom(html).find_all("form")
                  if any(b.text() == "Ja, ik vind het goed" for b in f.find_all("button")))
    data = {n.attrs["name"]: n.attrs.get("value", "") for n in button.find_all("input")}
    answered = anja.post(button.attrs["action"], data=data)
    assert answered.status_code == 302 and path_of(answered) == url, "back in the round"
    assert live_kinds(round_app, bakker.family_id, persons["Tim"], wijkteam) == {"gezondheid": "actief"}


# --- step by step: nothing lost, nothing twice ----------------------------------------------------------
def test_each_step_is_saved_on_its_own_and_sending_it_again_changes_nothing(bakker, round_app):
    wijkteam = organisation_id(round_app, WIJKTEAM)
    persons = bakker.persons
    fatima = as_user(round_app, FATIMA)
    url = step_url(bakker, "Anja")
    data = step_form(page(fatima.get(url)), url)
    data |= {f"mag:org:{wijkteam}": ["algemeen"], "aan_tafel": [str(persons["Anja"])],
             "naar": ["verder"]}
    first = fatima.post(url, data=data)
    assert first.status_code == 302 and path_of(first) == step_url(bakker, "Erik")
    saved = consents(round_app, bakker.family_id)
    assert len(saved) == 1
    # the phone locked, the same form goes again: nothing new
    again = fatima.post(url, data=data)
    assert again.status_code == 302
    assert consents(round_app, bakker.family_id) == saved
    # Erik's step, then back: Anja's step shows what was recorded
    back = send_step(fatima, step_url(bakker, "Erik"), {
        f"mag:org:{wijkteam}": ["algemeen"], "aan_tafel": [str(persons["Erik"])]}, go="vorige")
    assert back.status_code == 302 and path_of(back) == url
    assert ticked(page(fatima.get(url)), url, f"org:{wijkteam}") == {"algemeen"}
    assert live_kinds(round_app, bakker.family_id, persons["Erik"], wijkteam) == {"algemeen": "actief"}
    start = text_of(page(fatima.get(round_url(bakker))))
    assert start.count("1 afspraak geldt.") == 2 and start.count("Nog niets afgesproken.") == 2


def test_a_step_from_before_a_change_elsewhere_is_not_applied_blindly(bakker, round_app):
    """Unticking names the consent's version the page showed: when the consent changed since
    (here: an absent parent said yes on the consent page meanwhile), nothing is saved."""
    wijkteam = organisation_id(round_app, WIJKTEAM)
    persons = bakker.persons
    fatima = as_user(round_app, FATIMA)
    url = step_url(bakker, "Sem")
    send_step(fatima, url, {f"mag:org:{wijkteam}": ["algemeen", "veiligheid"],
                            "aan_tafel": [str(persons["Anja"])]})
    old = step_form(page(fatima.get(url)), url)
    [(consent_id, *_rest)] = consents(round_app, bakker.family_id)
    consent_page = page(fatima.get(f"{bakker.base}/toestemming"))
    version = form_values(consent_page, f"{bakker.base}/toestemming/{consent_id}/akkoord")["version"]
    assert fatima.post(f"{bakker.base}/toestemming/{consent_id}/akkoord", data={
        "csrf_token": csrf_token(consent_page), "version": version,
        "consenters": [str(persons["Erik"])]}).status_code == 302
    before = consents(round_app, bakker.family_id)
    stale = fatima.post(url, data={**old, f"mag:org:{wijkteam}": ["algemeen"], "naar": ["verder"]})
    assert stale.status_code == 409
    assert "Er is niets opgeslagen" in text_of(page(stale))
    assert consents(round_app, bakker.family_id) == before


# --- the end: what is missing, and asking -----------------------------------------------------------
def test_the_end_lists_what_is_missing_and_asking_sends_a_notice(bakker, round_app):
    wijkteam = organisation_id(round_app, WIJKTEAM)
    invite_and_join(round_app, bakker, "Erik")
    fatima = as_user(round_app, FATIMA)
    # nobody of Sem's parents is at the table: it is asked
    saved = send_step(fatima, step_url(bakker, "Sem"), {f"mag:org:{wijkteam}": ["algemeen", "veiligheid"]})
    assert saved.status_code == 302
    assert [k for k, _p in notices_of(round_app, ADDRESSES["Erik"])] == ["consent_asked"]
    end_url = f"{round_url(bakker)}/klaar"
    html = page(fatima.get(end_url))
    assert html.count("<h1") == 1 and "Wat is er nog nodig?" in html
    [item] = [li for li in dom(html).find_all("li") if "card" in li.classes()]
    assert "Over Sem" in item.text()
    assert "Nog nodig: Anja en Erik." in item.text()
    assert "Anja heeft nog geen account in samenplan." in item.text()
    for name in ("Anja", "Erik", "Tim"):
        assert f"Over {name} is nog niets afgesproken." in text_of(html)
    ask = next(f for f in item.find_all("form")
               if any(b.text() == "Vraag het Anja en Erik" for b in f.find_all("button")))
    data = {n.attrs["name"]: n.attrs.get("value", "") for n in ask.find_all("input")}
    asked = fatima.post(ask.attrs["action"], data=data)
    assert asked.status_code == 302 and path_of(asked) == end_url
    told = re.search(r"Gevraagd aan: ([^.]*)\.", text_of(page(fatima.get(end_url))))
    assert told and set(told.group(1).split(", ")) == {"Anja", "Erik"}
    assert [k for k, _p in notices_of(round_app, ADDRESSES["Erik"])] == ["consent_asked"] * 2
    # a made-up way back is not followed
    html = page(fatima.get(end_url))
    forged = fatima.post(ask.attrs["action"], data={**data, "csrf_token": csrf_token(html),
                                                    "terug": "https://evil.example/"})
    assert forged.status_code in (302, 409)
    if forged.status_code == 302:
        assert forged.headers["Location"].startswith(f"{bakker.base}/toestemming")


# --- who must say yes: a guardian organisation, a bewindvoerder ------------------------------------------
def test_a_guardian_organisation_and_a_bewindvoerder_in_the_round(bakker, round_app):
    wijkteam = organisation_id(round_app, WIJKTEAM)
    guardian = add_professional(round_app, "Jeugdbescherming West", "jeugdbescherming",
                                "yara@jbwest.demo", "Yara Koç")
    fatima = as_user(round_app, FATIMA)
    new = f"{bakker.base}/gezinsleden/nieuw"
    lotte = added_id(add(fatima, bakker.family_id, first_name="Lotte", last_name="Bakker",
                         date_of_birth=born(9), household=household_of(page(fatima.get(new)), "Anja"),
                         guardian=str(guardian)))
    greet = added_id(add(fatima, bakker.family_id, first_name="Greet", last_name="Bakker",
                         date_of_birth="1962-02-02", household="nieuw"))
    bakker.persons |= {"Lotte": lotte, "Greet": greet}
    anja_id = bakker.persons["Anja"]
    saved = submit(fatima, f"{bakker.base}/gezinsleden/{anja_id}", {"bewindvoerder": f"person:{greet}"})
    assert saved.status_code == 302, page(saved)[:2000]

    lotte_step = page(fatima.get(step_url(bakker, "Lotte")))
    assert "Voor Lotte (9) moet Jeugdbescherming West (voogd) het goed vinden." in text_of(lotte_step)
    assert "Wie zegt aan tafel ja?" not in lotte_step, "no person can say yes for Lotte"

    anja_url = step_url(bakker, "Anja")
    html = page(fatima.get(anja_url))
    agree = [p.text() for p in dom(html).find_all("p", class_="round-agree")]
    assert len(agree) == 2 and re.fullmatch(r"Voor Anja \(\d+\) moet Anja het goed vinden\.", agree[0])
    assert agree[1] == "Geld en schulden: daarvoor moet Greet (bewindvoerder) het goed vinden."
    # Anja at the table says yes to both; her money is Greet's to decide: that waits
    send_step(fatima, anja_url, {f"mag:org:{wijkteam}": ["algemeen", "financien"],
                                 "aan_tafel": [str(anja_id)]})
    assert live_kinds(round_app, bakker.family_id, anja_id, wijkteam) == {
        "algemeen": "actief", "financien": "wacht"}
    assert "wacht op Greet (bewindvoerder)" in text_of(page(fatima.get(anja_url)))
    # Greet may say yes for Anja's money, not for Tim
    refused = post_anyway(fatima, step_url(bakker, "Tim"), {
        f"mag:org:{wijkteam}": "algemeen", "aan_tafel": str(greet)}, page_url=step_url(bakker, "Tim"))
    assert refused.status_code == 422
    assert "Alleen wie toestemming moet geven, kan toestemming geven." in text_of(page(refused))

    # the guardian's professional takes part, and gives her organisation's yes for Lotte herself
    sent = submit(fatima, f"{bakker.base}/uitnodigen", {
        "name": "Yara Koç", "email": "yara@jbwest.demo", "role": "professional",
        "organisation": str(guardian), "involvement_subjects": [str(lotte)],
        "involvement_category": "algemeen", "function": "jeugdbeschermer"})
    assert sent.status_code == 302, page(sent)[:2000]
    from tests.support.families import invitation_link_in_outbox

    yara = as_user(round_app, "yara@jbwest.demo")
    link = invitation_link_in_outbox(round_app, "yara@jbwest.demo")
    assert yara.post(link, data={"csrf_token": csrf_token(page(yara.get(link)))}).status_code == 302
    start = page(yara.get(round_url(bakker)))
    assert [h.text() for h in dom(start).find_all("h3")] == ["Lotte"]
    lotte_url = step_url(bakker, "Lotte")
    saved = send_step(yara, lotte_url, {f"mag:org:{wijkteam}": ["algemeen", "veiligheid"]})
    assert saved.status_code == 302, text_of(page(saved))[:2000]
    assert live_kinds(round_app, bakker.family_id, lotte, wijkteam) == {
        "algemeen": "actief", "veiligheid": "actief"}
    assert yara.get(anja_url).status_code == 404, "not hers to consent for"


# --- an attacker -----------------------------------------------------------------------------------------
def test_what_an_attacker_posts_is_refused_and_nothing_is_stored(bakker, round_app, demo):
    wijkteam = organisation_id(round_app, WIJKTEAM)
    persons = bakker.persons
    fatima = as_user(round_app, FATIMA)
    url = step_url(bakker, "Tim")
    before = consent_count(round_app)

    def attempt(client, target, data):
        return post_anyway(client, target, data, page_url=round_url(bakker))

    # a person of another family
    other = f"{round_url(bakker)}/{demo.persons['Lisa']}"
    assert fatima.get(other).status_code == 404
    assert attempt(fatima, other, {f"mag:org:{wijkteam}": "algemeen"}).status_code == 404
    # an organisation that takes part in another family's plan, not in this one
    ggz = organisation_id(round_app, "GGZ Kompas")
    refused = attempt(fatima, url, {f"mag:org:{ggz}": "gezondheid", "aan_tafel": str(persons["Tim"])})
    assert refused.status_code == 422
    assert "Deze organisatie of persoon doet niet mee aan het plan." in text_of(page(refused))
    assert "GGZ Kompas" not in page(refused)
    # a kind of information that is not on the screen
    for value in ("alles", "algemeen,gezondheid"):
        refused = attempt(fatima, url, {f"mag:org:{wijkteam}": value})
        assert refused.status_code == 422
        assert "Kies alleen uit wat op het scherm staat." in text_of(page(refused))
    # someone who does not have to say yes: Erik for Tim, Sem (6) for himself, a stranger
    for who, target in ((persons["Erik"], url), (persons["Sem"], step_url(bakker, "Sem")),
                        (demo.persons["Sandra"], url), ("x1", url)):
        refused = attempt(fatima, target, {f"mag:org:{wijkteam}": "algemeen", "aan_tafel": str(who)})
        assert refused.status_code == 422, who
        assert "Alleen wie toestemming moet geven, kan toestemming geven." in text_of(page(refused))
    assert consent_count(round_app) == before

    # a family member: not for whom they do not consent, not what is not theirs to give
    tim = invite_and_join(round_app, bakker, "Tim")
    invite_and_join(round_app, bakker, "Anja")
    assert attempt(tim, step_url(bakker, "Sem"), {f"mag:org:{wijkteam}": "algemeen"}).status_code == 404
    html = page(tim.get(url))
    row = next(fs for fs in dom(html).find_all("fieldset") if fs.find_all("legend")
               and fs.find_all("legend")[0].text().startswith("Anja"))
    key = row.find("input").attrs["name"].split(":", 1)[1]
    assert key.startswith("participant:")
    assert "Algemeen" not in row.text(), "what Anja sees anyway is not asked about"
    refused = attempt(tim, url, {f"mag:{key}": "algemeen"})
    assert refused.status_code == 422
    # the screen said it showed a consent ticked that is not there: nothing to take out, nothing new
    refused = attempt(tim, url, {f"was:org:{wijkteam}": "gezondheid", "versie:1": "1"})
    assert refused.status_code == 302
    assert consent_count(round_app) == before


def test_someone_who_may_not_record_only_asks_even_when_posting_at_the_table(round_app, demo):
    ggz = organisation_id(round_app, "GGZ Kompas")
    schuldhulp = organisation_id(round_app, "Schuldhulp Stad")
    sandra = demo.persons["Sandra"]
    url = f"/gezin/{demo.family_id}/toestemming/ronde/{sandra}"
    daan = as_user(round_app, DAAN)
    html = page(daan.get(url))
    assert [n.text() for n in dom(html).find_all("legend")] == ["GGZ Kompas"], \
        "someone who asks, asks for their own organisation"
    assert "Wie zegt aan tafel ja?" not in html
    assert "mag dit al zien" in text_of(html)  # Sandra's yes for algemeen and gezondheid
    before = consent_count(round_app)
    saved = post_anyway(daan, url, {f"mag:org:{ggz}": "financien", "aan_tafel": str(sandra)},
                        page_url=url)
    assert saved.status_code == 302, text_of(page(saved))[:2000]
    from samenplan.privacy.models import Consent

    with db_session(round_app) as session:
        [request] = session.scalars(select(Consent).where(Consent.id > 0).order_by(Consent.id.desc())
                                    .limit(1)).all()
        assert (request.how, [a.person_id for a in request.approvals]) == ("verzoek", [])
        assert request.grantee_organisation_id == ggz
    assert consent_count(round_app) == before + 1
    assert live_kinds(round_app, demo.family_id, sandra, ggz)["financien"] == "wacht"
    assert [k for k, _p in notices_of(round_app, SANDRA)] == ["consent_asked"]
    assert "gevraagd, wacht op Sandra" in text_of(page(daan.get(url)))
    # asking for someone else's organisation: refused
    refused = post_anyway(daan, url, {f"mag:org:{schuldhulp}": "financien"}, page_url=url)
    assert refused.status_code == 422
    assert consent_count(round_app) == before + 1


# --- nothing the viewer may not know --------------------------------------------------------------------
@pytest.mark.parametrize("email", [MARK, RIET, JORIS, DAAN])
def test_the_round_never_tells_of_helpers_flags_or_shields_the_viewer_may_not_know(
        round_app, demo, email):
    client = as_user(round_app, email)
    base = f"/gezin/{demo.family_id}/toestemming/ronde"
    start = page(client.get(base))
    steps = [a.attrs["href"] for a in dom(start).find_all("a")
             if re.fullmatch(rf"{base}/\d+", a.attrs.get("href", ""))]
    assert steps
    hidden = {"GGZ Kompas", "Daan Visser", "Schuldhulp Stad", "Ilse Smit", "LVB", "verborgen",
              "Merelstraat", "afgeschermd"}
    if email in (DAAN,):
        hidden -= {"GGZ Kompas", "Daan Visser"}
    for url in [base, f"{base}/klaar", *steps]:
        html = page(client.get(url))
        for word in hidden:
            assert word not in html, f"{email} reads {word!r} on {url}"


# --- an action or goal given to someone who cannot see it ----------------------------------------------
def plan_html(client, demo) -> str:
    return page(client.get(f"/gezin/{demo.family_id}"))


def goal_card(html: str, title: str):
    from tests.support.html import card

    return card(html, title)


def test_an_action_given_to_someone_who_cannot_see_it_says_so_and_asks(round_app, demo):
    ggz = organisation_id(round_app, "GGZ Kompas")
    sandra = demo.persons["Sandra"]
    money = demo.goal_titles[3]  # Sandra, financien: Daan (GGZ) may not see it
    fatima = as_user(round_app, FATIMA)
    daan = as_user(round_app, DAAN)
    assert money not in plan_html(daan, demo)
    url = f"/gezin/{demo.family_id}/doelen/{demo.goals[3]}/acties"
    # the form says so before anything is saved
    form = next(f for f in goal_card(plan_html(fatima, demo), money).find_all("form")
                if f.attrs.get("action") == url)
    options = {o.attrs["value"]: o.text() for o in form.find_all("option")}
    assert options[str(demo.participants[DAAN])].endswith(": kan deze actie nu niet zien")
    assert "niet zien" not in options[str(demo.participants[FATIMA])]
    saved = submit(fatima, url, {"what": "Daan belt over de brief",
                                 "assignee": str(demo.participants[DAAN])},
                   page_url=f"/gezin/{demo.family_id}")
    assert saved.status_code == 302, page(saved)[:2000]
    html = page(fatima.get(path_of(saved)))
    assert "Opgeslagen. Daan Visser kan deze actie nu niet zien. Vraag Sandra om toestemming." in \
        text_of(html), "the save stands, and says who cannot see it"
    card = goal_card(html, money)
    assert "Daan Visser kan deze actie nu niet zien. Vraag Sandra om toestemming." in card.text()
    ask = next(f for f in card.find_all("form")
               if any(b.text() == "Vraag Sandra om toestemming" for b in f.find_all("button")))
    data = {n.attrs["name"]: n.attrs.get("value", "") for n in ask.find_all("input")}
    asked = fatima.post(ask.attrs["action"], data=data)
    assert asked.status_code == 302 and path_of(asked) == f"/gezin/{demo.family_id}"
    assert "Gevraagd aan: Sandra." in text_of(page(fatima.get(f"/gezin/{demo.family_id}")))
    assert live_kinds(round_app, demo.family_id, sandra, ggz)["financien"] == "wacht"
    assert [k for k, _p in notices_of(round_app, SANDRA)] == ["consent_asked"]
    assert money not in plan_html(daan, demo), "a request gives nothing yet"
    # asking again reminds; it makes no second request
    count = consent_count(round_app)
    html = plan_html(fatima, demo)
    again = next(f for f in goal_card(html, money).find_all("form")
                 if any(b.text() == "Vraag Sandra om toestemming" for b in f.find_all("button")))
    fatima.post(again.attrs["action"], data={n.attrs["name"]: n.attrs.get("value", "")
                                             for n in again.find_all("input")})
    assert consent_count(round_app) == count
    assert [k for k, _p in notices_of(round_app, SANDRA)] == ["consent_asked"] * 2

    # Sandra says yes: Daan sees the goal, and the warning is gone
    sandra_client = as_user(round_app, SANDRA)
    consent_page = page(sandra_client.get(f"/gezin/{demo.family_id}/toestemming"))
    from tests.support.clients import post_form
    from tests.support.html import cards, form_with_button

    pending = [c for c in cards(consent_page, "Sandra → GGZ Kompas") if "Geldt nog niet." in c.text()]
    assert post_form(sandra_client, consent_page,
                     form_with_button(pending[0], "Ja, ik geef toestemming")).status_code == 302
    assert money in plan_html(daan, demo)
    card = goal_card(plan_html(fatima, demo), money)
    assert not [n for n in card.iter() if "reader-warning" in n.classes()], "the warning is gone"
    options = {o.attrs["value"]: o.text() for o in card.find_all("option")}
    assert "niet zien" not in options[str(demo.participants[DAAN])]


def test_a_trekker_who_cannot_see_the_goal_is_named_on_the_form_and_after_saving(round_app, demo):
    health = demo.goal_titles[2]  # Sandra, gezondheid: Ilse (Schuldhulp) may not see it
    fatima = as_user(round_app, FATIMA)
    edit = f"/gezin/{demo.family_id}/doelen/{demo.goals[2]}/bewerken"
    saved = submit(fatima, edit, {"owner": str(demo.participants[ILSE])})
    assert saved.status_code == 302, page(saved)[:2000]
    html = page(fatima.get(path_of(saved)))
    assert "Opgeslagen. Ilse Smit kan dit doel nu niet zien. Vraag Sandra om toestemming." in text_of(html)
    assert "Vraag Sandra om toestemming" in [b.text() for b in goal_card(html, health).find_all("button")]
    form = text_of(page(fatima.get(edit)))
    assert "Ilse Smit kan dit doel nu niet zien. Vraag Sandra om toestemming. Na het opslaan kun je " \
           "het vragen." in form


def test_a_professional_asks_for_the_one_they_gave_an_action_to_and_no_one_else(round_app, demo):
    """Daan (GGZ) gives an action on Sandra's health goal to oma Riet, who may not see it; he may
    ask for her (not only for his own organisation), but for nobody the action is not given to,
    and not on a goal he may not see."""
    health = demo.goal_titles[2]
    sandra = demo.persons["Sandra"]
    daan = as_user(round_app, DAAN)
    url = f"/gezin/{demo.family_id}/doelen/{demo.goals[2]}/acties"
    saved = submit(daan, url, {"what": "Oma Riet gaat mee naar de afspraak",
                               "assignee": str(demo.participants[RIET])},
                   page_url=f"/gezin/{demo.family_id}")
    assert saved.status_code == 302
    html = page(daan.get(path_of(saved)))
    card = goal_card(html, health)
    assert "Riet Jansen kan deze actie nu niet zien. Vraag Sandra om toestemming." in card.text()
    ask = next(f for f in card.find_all("form")
               if any(b.text() == "Vraag Sandra om toestemming" for b in f.find_all("button")))
    data = {n.attrs["name"]: n.attrs.get("value", "") for n in ask.find_all("input")}
    before = consent_count(round_app)
    for forged in ({"deelnemer": str(demo.participants[MARK])},
                   {"record": str(demo.goals[3]), "deelnemer": str(demo.participants[ILSE])},
                   {"record": "abc"}):
        assert daan.post(ask.attrs["action"], data={**data, **forged}).status_code == 404, forged
    assert consent_count(round_app) == before
    assert daan.post(ask.attrs["action"], data=data).status_code == 302
    assert consent_count(round_app) == before + 1
    from samenplan.privacy.models import Consent

    with db_session(round_app) as session:
        request = session.scalars(select(Consent).order_by(Consent.id.desc()).limit(1)).one()
        assert (request.subject_id, request.grantee_participant_id, request.how,
                [c.category for c in request.categories], request.requested_by_participant_id) == (
            sandra, demo.participants[RIET], "verzoek", ["gezondheid"], demo.participants[DAAN])
    assert [k for k, _p in notices_of(round_app, SANDRA)] == ["consent_asked"]


def test_a_shield_is_told_only_to_who_may_know_of_it_and_asking_does_not_help(round_app, demo):
    """Sandra hides her safety information from Mark. A goal about it with Mark as trekker: the
    casusregisseur (who sees shields) is told why Mark cannot see it, and offered no ask."""
    sandra = as_user(round_app, SANDRA)
    shields = f"/gezin/{demo.family_id}/afscherming"
    hidden = submit(sandra, shields, {"subject": str(demo.persons["Sandra"]),
                                      "participant": str(demo.participants[MARK]),
                                      "target": "cat:veiligheid"})
    assert hidden.status_code == 302, page(hidden)[:2000]
    fatima = as_user(round_app, FATIMA)
    new = f"/gezin/{demo.family_id}/doelen/nieuw"
    made = submit(fatima, new, {"title": "Sandra voelt zich veilig thuis", "subjects": [
        str(demo.persons["Sandra"])], "category": "veiligheid", "life_domain": "veiligheid",
        "owner": str(demo.participants[MARK])})
    assert made.status_code == 302, page(made)[:2000]
    html = page(fatima.get(path_of(made)))
    assert "Mark de Boer kan dit doel niet zien: het is voor Mark de Boer verborgen." in text_of(html)
    card = goal_card(html, "Sandra voelt zich veilig thuis")
    assert "verborgen" in card.text()
    assert not [b for b in card.find_all("button") if "toestemming" in b.text()], \
        "consent does not beat a shield: nothing to ask"
