"""The privacy holes of issue 8, each tried again as an attacker would, over HTTP.

Every test here failed on the code before the fix: a professional recording consent on a
family's behalf, a professional widening a record, the audience line and the participant
lists naming who has consent, the family's log telling of shields and hidden records, parents
reading a 12-15-year-old's health, shields not covering what hangs under a record, the LVB
flag leaking through the goal-limit nudge, and new records starting as `algemeen`.
"""
from __future__ import annotations

import json
import re

import markupsafe
import pytest
from sqlalchemy import select

from samenplan.demo import DEMO_FAMILY

from tests.support.mail import outbox_to
from tests.support.clients import as_user, csrf_token, page, post_form
from tests.support.html import dom, form_with_button
from tests.support.pages import form_version
from tests.support.people import DAAN, FATIMA, JORIS, LISA, MARK, RIET, SANDRA

GOAL_1 = "We hebben elke avond rust in huis"
GOAL_2 = "Ik ga elke week naar mijn afspraak bij de GGZ"
GOAL_3 = "We hebben overzicht over onze schulden en betalen de huur op tijd"
GOAL_5 = "Ik praat elke week met de jeugdarts over hoe het met me gaat"
ADDRESS = "Merelstraat 7"
SAFETY = "Noah kan altijd oma Riet bellen."
# what Mark and Riet may never learn: that Sandra gets GGZ care and debt counselling
SANDRAS_HELPERS = ("Daan Visser", "GGZ Kompas", "Ilse Smit", "Schuldhulp Stad")


@pytest.fixture
def holes_app(app, tmp_path):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return app


def shows(html: str, text: str) -> bool:
    return text in html or str(markupsafe.escape(text)) in html


def db(app):
    from samenplan import db as samenplan_db

    return samenplan_db


def query(app, stmt):
    from samenplan import db as samenplan_db

    with app.app_context():
        return samenplan_db.session().execute(stmt).all()


def ids_of(app):
    from samenplan import db as samenplan_db
    from samenplan.auth.models import User
    from samenplan.families.models import Family, Participant, Person
    from samenplan.goals.models import Goal
    from samenplan.orgs.models import Organisation
    from samenplan.plans.models import PlanSection

    with app.app_context():
        session = samenplan_db.session()

        class Ids:
            family = session.scalar(select(Family.id).where(Family.name == DEMO_FAMILY))
            persons = {p.first_name: p.id for p in session.scalars(select(Person))}
            orgs = {o.name: o.id for o in session.scalars(select(Organisation))}
            goals = {g.title: g.id for g in session.scalars(select(Goal))}
            participants = {
                email: pid for email, pid in session.execute(
                    select(User.email, Participant.id).join(Participant, Participant.user_id == User.id)
                )
            }
            address = session.scalar(select(PlanSection.id).where(PlanSection.section == "gegevens"))
            safety = session.scalar(select(PlanSection.id).where(PlanSection.section == "veiligheidsplan"))
    return Ids


def consent_url(ids) -> str:
    return f"/gezin/{ids.family}/toestemming"


def consents(app):
    from samenplan.privacy.models import Consent

    from samenplan import db as samenplan_db

    with app.app_context():
        session = samenplan_db.session()
        return {
            c.id: (c.subject_id, c.grantee_organisation_id, c.how, sorted(a.person_id for a in c.approvals),
                   c.declined_at is not None)
            for c in session.scalars(select(Consent))
        }


# --- 1. consent is recorded at the table only by the casusregisseur ----------------------------------
def test_joris_cannot_record_consent_for_sandra_at_the_table(holes_app):
    ids = ids_of(holes_app)
    joris = as_user(holes_app, JORIS)
    before = consents(holes_app)
    html = page(joris.get(consent_url(ids)))
    response = joris.post(consent_url(ids), data={
        "csrf_token": csrf_token(html), "subject": str(ids.persons["Sandra"]),
        "grantee": f"org:{ids.orgs['Het Baken College']}",
        "categories": ["gezondheid", "financien", "verblijfplaats"], "how": "tafel",
        "consenters": [str(ids.persons["Sandra"])], "purpose": "",
    })
    assert response.status_code == 302
    new = {k: v for k, v in consents(holes_app).items() if k not in before}
    assert len(new) == 1
    (subject, org, how, approvals, declined), = new.values()
    # what he posted as "at the table" became a request, with nobody's yes in it
    assert (subject, org, how, approvals) == (ids.persons["Sandra"], ids.orgs["Het Baken College"], "verzoek", [])
    plan = page(joris.get(f"/gezin/{ids.family}"))
    for secret in (GOAL_2, GOAL_3, ADDRESS):
        assert not shows(plan, secret), f"Joris reads {secret!r}"
    assert joris.get(f"/gezin/{ids.family}/doelen/{ids.goals[GOAL_2]}").status_code == 404
    # Sandra is asked, in the app and by mail, and answers herself
    sandra = as_user(holes_app, SANDRA)
    assert "Joris Bakker vraagt om je toestemming" in page(sandra.get(f"/gezin/{ids.family}"))
    assert outbox_to(holes_app, SANDRA)
    card = page(sandra.get(consent_url(ids)))
    assert "Gevraagd door Joris Bakker" in card


def test_joris_cannot_approve_a_pending_grant_on_the_parents_behalf(holes_app):
    ids = ids_of(holes_app)
    lisa = as_user(holes_app, LISA)
    html = page(lisa.get(consent_url(ids)))
    assert lisa.post(consent_url(ids), data={
        "csrf_token": csrf_token(html), "subject": str(ids.persons["Lisa"]),
        "grantee": f"org:{ids.orgs['Het Baken College']}", "categories": ["gezondheid"],
    }).status_code == 302
    pending = max(consents(holes_app))
    joris = as_user(holes_app, JORIS)
    html = page(joris.get(consent_url(ids)))
    response = joris.post(f"{consent_url(ids)}/{pending}/akkoord", data={
        "csrf_token": csrf_token(html),
        "consenters": [str(ids.persons["Sandra"]), str(ids.persons["Mark"])],
    })
    assert response.status_code == 403
    assert consents(holes_app)[pending][3] == [ids.persons["Lisa"]]
    after = page(joris.get(consent_url(ids)))
    card = re.search(rf'id="toestemming-{pending}".*?</li>\s*</ul>', after, re.S).group(0)
    assert "Lisa gaf toestemming in samenplan" in card
    assert "Sandra gaf toestemming" not in card and "Mark gaf toestemming" not in card
    assert not shows(page(joris.get(f"/gezin/{ids.family}")), GOAL_5)


def test_what_the_casusregisseur_records_is_told_to_the_consenter(holes_app):
    ids = ids_of(holes_app)
    fatima = as_user(holes_app, FATIMA)
    html = page(fatima.get(consent_url(ids)))
    assert fatima.post(consent_url(ids), data={
        "csrf_token": csrf_token(html), "subject": str(ids.persons["Sandra"]),
        "grantee": f"org:{ids.orgs['Het Baken College']}", "categories": ["algemeen"],
        "how": "papier", "consenters": [str(ids.persons["Sandra"])],
    }).status_code == 302
    sandra = as_user(holes_app, SANDRA)
    assert "Fatima El Amrani heeft vastgelegd dat je toestemming gaf" in page(sandra.get(f"/gezin/{ids.family}"))
    mails = outbox_to(holes_app, SANDRA)
    assert mails and ADDRESS not in mails[0] and "Het Baken College" not in mails[0]  # no details by mail
    html = page(sandra.get(consent_url(ids)))
    assert "Sandra gaf toestemming op papier. Vastgelegd door Fatima El Amrani" in html


def test_a_consenter_declines_a_request(holes_app):
    ids = ids_of(holes_app)
    joris = as_user(holes_app, JORIS)
    html = page(joris.get(consent_url(ids)))
    joris.post(consent_url(ids), data={
        "csrf_token": csrf_token(html), "subject": str(ids.persons["Sandra"]),
        "grantee": f"org:{ids.orgs['Het Baken College']}", "categories": ["financien"],
    })
    request_id = max(consents(holes_app))
    sandra = as_user(holes_app, SANDRA)
    html = page(sandra.get(consent_url(ids)))
    card = dom(html).find("li", id=f"toestemming-{request_id}")
    response = post_form(sandra, html, form_with_button(card, "Nee, liever niet"),
                         reason="Dat hoeft school niet te weten.")
    assert response.status_code == 302
    assert consents(holes_app)[request_id][4] is True
    assert "Niet gegeven." in page(joris.get(consent_url(ids)))
    assert "Je vraag om toestemming is niet gegeven." in page(joris.get(f"/gezin/{ids.family}"))
    # declined stays declined: a late yes is refused, even one naming the version it is at now
    html = page(sandra.get(consent_url(ids)))
    assert "Ja, ik geef toestemming" not in dom(html).find("li", id=f"toestemming-{request_id}").text()
    from samenplan import db as samenplan_db
    from samenplan.privacy.models import Consent

    with holes_app.app_context():
        version = samenplan_db.session().get(Consent, request_id).version
    late = sandra.post(f"{consent_url(ids)}/{request_id}/akkoord",
                       data={"csrf_token": csrf_token(html), "version": str(version)})
    assert late.status_code == 302
    assert "Deze toestemming geldt niet meer." in page(sandra.get(late.headers["Location"]))
    assert consents(holes_app)[request_id][3] == []


# --- 2. a professional widens a record ------------------------------------------------------------
def goal_form(client, ids, goal_id: int) -> dict:
    url = f"/gezin/{ids.family}/doelen/{goal_id}/bewerken"
    html = page(client.get(url))
    assert 'name="title"' in html, html[:500]
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', html))
    data = {
        "csrf_token": csrf_token(html), "title": re.search(r'name="title"[^>]*value="([^"]*)"', html).group(1),
        "description": "", "subjects": re.findall(r'name="subjects"[^>]*value="(\d+)"[^>]*checked', html),
        "category": re.search(r'<option selected value="(\w+)"|<option value="(\w+)" selected', html) and "",
        "life_domain": "geestelijke_gezondheid", "status": "actief", "goal_type": "persoonlijk",
        "indicator": "", "owner": "0", "start_date": "", "end_date": "",
        "version": form_version(html),
    }
    data.update({k: v for k, v in fields.items() if k in ("start_date", "end_date")})
    return data


def test_daan_cannot_widen_the_ggz_goal_to_algemeen(holes_app):
    ids = ids_of(holes_app)
    goal = ids.goals[GOAL_2]
    daan = as_user(holes_app, DAAN)
    data = goal_form(daan, ids, goal)
    data.update(category="algemeen", subjects=[str(ids.persons["Sandra"])], title=GOAL_2)
    response = daan.post(f"/gezin/{ids.family}/doelen/{goal}/bewerken", data=data)
    assert response.status_code == 422
    html = page(response)
    assert "Dit kan niet: dan zien ook" in html
    for name in ("Mark de Boer", "Lisa de Boer", "Riet Jansen"):
        assert name in html, f"the refusal does not say that {name} would newly see it"
    for email in (MARK, RIET, LISA):
        assert not shows(page(as_user(holes_app, email).get(f"/gezin/{ids.family}")), GOAL_2)
    from samenplan.goals.models import Action, Goal

    assert query(holes_app, select(Goal.category).where(Goal.id == goal)) == [("gezondheid",)]
    # what hangs under it takes the goal's privacy (nothing was relabelled)
    assert {s for (s,) in query(holes_app, select(Action.privacy_from_id).where(Action.goal_id == goal))} == {goal}


def test_sandra_may_share_her_own_goal_and_anyone_may_narrow(holes_app):
    ids = ids_of(holes_app)
    goal = ids.goals[GOAL_2]
    sandra = as_user(holes_app, SANDRA)
    data = goal_form(sandra, ids, goal)
    data.update(category="algemeen", subjects=[str(ids.persons["Sandra"])], title=GOAL_2)
    assert sandra.post(f"/gezin/{ids.family}/doelen/{goal}/bewerken", data=data).status_code == 302
    assert shows(page(as_user(holes_app, MARK).get(f"/gezin/{ids.family}")), GOAL_2)
    # the casusregisseur narrows goal 1 to health: Mark and Riet lose it, nobody is asked
    goal1 = ids.goals[GOAL_1]
    fatima = as_user(holes_app, FATIMA)
    data = goal_form(fatima, ids, goal1)
    data.update(category="gezondheid", title=GOAL_1,
                subjects=[str(ids.persons[n]) for n in ("Sandra", "Lisa", "Noah")])
    assert fatima.post(f"/gezin/{ids.family}/doelen/{goal1}/bewerken", data=data).status_code == 302
    assert not shows(page(as_user(holes_app, RIET).get(f"/gezin/{ids.family}")), GOAL_1)


# --- 3. the audience line and the participant lists -------------------------------------------------
@pytest.mark.parametrize("category", ["gezondheid", "financien"])
def test_the_audience_preview_does_not_tell_mark_who_has_consent(holes_app, category):
    ids = ids_of(holes_app)
    mark = as_user(holes_app, MARK)
    html = page(mark.get(f"/gezin/{ids.family}/doelen/nieuw"))
    response = mark.post(f"/gezin/{ids.family}/doelen/zichtbaar", data={
        "csrf_token": csrf_token(html), "subjects": [str(ids.persons["Sandra"])], "category": category,
    })
    fragment = page(response)
    assert "Zichtbaar voor:" in fragment
    for name in SANDRAS_HELPERS:
        assert name not in fragment, f"Mark learns of {name}"
    assert "en wie Sandra toestemming gaf" in fragment
    # the same question asked by Sandra names them: she may know who helps her
    sandra = as_user(holes_app, SANDRA)
    html = page(sandra.get(f"/gezin/{ids.family}/doelen/nieuw"))
    own = page(sandra.post(f"/gezin/{ids.family}/doelen/zichtbaar", data={
        "csrf_token": csrf_token(html), "subjects": [str(ids.persons["Sandra"])], "category": category,
    }))
    assert ("Daan Visser" if category == "gezondheid" else "Ilse Smit") in own


@pytest.mark.parametrize("email", [MARK, RIET, LISA, JORIS])
def test_nobody_learns_of_sandras_helpers_from_any_form_or_list(holes_app, email):
    ids = ids_of(holes_app)
    client = as_user(holes_app, email)
    urls = [f"/gezin/{ids.family}", consent_url(ids), f"/gezin/{ids.family}/doelen/nieuw",
            f"/gezin/{ids.family}/doelen/{ids.goals[GOAL_1]}",
            f"/gezin/{ids.family}/doelen/{ids.goals['Lisa gaat elke schooldag naar school']}"]
    if email in (MARK, LISA):
        urls += [f"/gezin/{ids.family}/afscherming", f"/gezin/{ids.family}/inzage",
                 f"/gezin/{ids.family}/inzage.json", f"/gezin/{ids.family}/wie-keek"]
    for url in urls:
        response = client.get(url)
        body = page(response)
        for name in SANDRAS_HELPERS:
            assert name not in body, f"{email} learns of {name} on {url}"


# --- 4. the family's log tells no trace of a shield or a hidden record ------------------------------
def test_marks_log_holds_no_trace_of_the_shield_nor_of_hidden_records(holes_app):
    ids = ids_of(holes_app)
    # Fatima reads the address (shielded from Mark) and a record about Mark and Sandra's health
    from samenplan.goals.models import Goal

    fatima = as_user(holes_app, FATIMA)
    html = page(fatima.get(f"/gezin/{ids.family}/doelen/nieuw"))
    response = fatima.post(f"/gezin/{ids.family}/doelen/nieuw", data={
        "csrf_token": csrf_token(html), "title": "Wij praten samen met de huisarts over ons slapen",
        "subjects": [str(ids.persons["Sandra"]), str(ids.persons["Mark"])], "category": "gezondheid",
        "life_domain": "lichamelijke_gezondheid", "goal_type": "persoonlijk", "owner": "0",
    })
    assert response.status_code == 302, page(response)[:2000]
    joint = query(holes_app, select(Goal.id).where(Goal.title.like("Wij praten samen%")))[0][0]
    fatima.get(f"/gezin/{ids.family}/doelen/{joint}")
    fatima.get(f"/gezin/{ids.family}")
    mark = as_user(holes_app, MARK)
    assert mark.get(f"/gezin/{ids.family}/doelen/{joint}").status_code == 404  # denied, and logged
    data = json.loads(page(mark.get(f"/gezin/{ids.family}/inzage.json")))
    text = json.dumps(data, ensure_ascii=False)
    assert {e["wat"] for e in data["logboek"]}.isdisjoint({"shield", "lift", "denied"})
    assert "shielded" not in text and "afscherming #" not in text
    assert data["afschermingen"] == []
    assert all(e["gegeven"] not in (ids.address, joint) for e in data["logboek"])
    for url in (f"/gezin/{ids.family}/wie-keek?record={ids.address}",
                f"/gezin/{ids.family}/wie-keek?record={joint}"):
        body = page(mark.get(url))
        assert "Fatima El Amrani" not in body, url
    full = page(mark.get(f"/gezin/{ids.family}/wie-keek"))
    assert not re.search(rf"record=({ids.address}|{joint})(?!\d)", full)
    assert "huisarts" not in full and ADDRESS not in full
    # Sandra, who may see both, sees that Fatima looked
    sandra_log = page(as_user(holes_app, SANDRA).get(f"/gezin/{ids.family}/wie-keek?record={ids.address}"))
    assert "Fatima El Amrani" in sandra_log


# --- 5. a 12-15-year-old's health is hers -------------------------------------------------------
@pytest.mark.parametrize("email", [SANDRA, MARK, RIET, DAAN, JORIS])
def test_lisas_health_goal_is_not_for_her_parents(holes_app, email):
    ids = ids_of(holes_app)
    client = as_user(holes_app, email)
    assert client.get(f"/gezin/{ids.family}/doelen/{ids.goals[GOAL_5]}").status_code == 404
    assert not shows(page(client.get(f"/gezin/{ids.family}")), GOAL_5)
    lisa = as_user(holes_app, LISA)
    assert lisa.get(f"/gezin/{ids.family}/doelen/{ids.goals[GOAL_5]}").status_code == 200


# --- 6. record grants: the people named in the safety line see that line ---------------------------
def test_the_safety_line_is_seen_by_whom_it_names_and_nothing_else_of_its_kind(holes_app):
    from samenplan import db as samenplan_db
    from samenplan.families.models import Person
    from samenplan.plans.models import Plan, PlanSection

    ids = ids_of(holes_app)
    other = "Noah slaapt bij de buren als mama naar het ziekenhuis moet."
    with holes_app.app_context():
        session = samenplan_db.session()
        plan = session.scalar(select(Plan))
        session.add(PlanSection(
            plan_id=plan.id, family_id=ids.family, section="veiligheidsplan", title="Opvang",
            body=other, category="veiligheid", subjects=[session.get(Person, ids.persons["Noah"])],
            author_participant_id=ids.participants[FATIMA],
        ))
        session.commit()
    for email in (RIET, LISA):
        html = page(as_user(holes_app, email).get(f"/gezin/{ids.family}"))
        assert shows(html, SAFETY), f"{email} does not see the safety line that names them"
        assert not shows(html, other), f"{email} sees another safety item about Noah"
    assert not shows(page(as_user(holes_app, JORIS).get(f"/gezin/{ids.family}")), SAFETY)


# --- 7. a shield on a goal hides what hangs under it ---------------------------------------------
def test_a_shield_on_goal_1_hides_its_actions_scores_and_answers_from_mark(holes_app):
    from samenplan.goals.models import Action, ScalingAnswer

    ids = ids_of(holes_app)
    goal = ids.goals[GOAL_1]
    actions = [w for (w,) in query(holes_app, select(Action.what).where(Action.goal_id == goal))]
    mark = as_user(holes_app, MARK)
    assert any(shows(page(mark.get(f"/gezin/{ids.family}")), a) for a in actions)
    sandra = as_user(holes_app, SANDRA)
    html = page(sandra.get(f"/gezin/{ids.family}/afscherming"))
    assert sandra.post(f"/gezin/{ids.family}/afscherming", data={
        "csrf_token": csrf_token(html), "subject": str(ids.persons["Sandra"]),
        "participant": str(ids.participants[MARK]), "target": f"record:{goal}", "reason": "",
    }).status_code == 302
    plan = page(mark.get(f"/gezin/{ids.family}"))
    assert not shows(plan, GOAL_1)
    for action in actions:
        assert not shows(plan, action), f"Mark still reads the action {action!r}"
    assert mark.get(f"/gezin/{ids.family}/doelen/{goal}").status_code == 404
    from samenplan.privacy.access import Access
    from samenplan.auth.models import User
    from samenplan.families.models import Participant
    from samenplan import db as samenplan_db

    with holes_app.test_request_context():
        session = samenplan_db.session()
        participant = session.get(Participant, ids.participants[MARK])
        access = Access(session=session, user=session.get(User, participant.user_id), participant=participant)
        seen = access.session.scalars(access.select_visible(ScalingAnswer).where(ScalingAnswer.goal_id == goal)).all()
        assert seen == []
        assert access.session.scalars(access.select_visible(Action).where(Action.goal_id == goal)).all() == []


# --- 8. the LVB flag -----------------------------------------------------------------------------
def test_the_goal_limit_nudge_gives_the_lvb_flag_away_to_nobody(holes_app):
    from samenplan import db as samenplan_db
    from samenplan.families.models import Person

    ids = ids_of(holes_app)
    with holes_app.app_context():
        session = samenplan_db.session()
        session.get(Person, ids.persons["Lisa"]).lvb = True
        session.commit()

    def nudge(email):
        html = page(as_user(holes_app, email).get(f"/gezin/{ids.family}"))
        found = re.findall(r'<p class="warning"[^>]*>([^<]*actieve doelen[^<]*)</p>', html)
        return found[0] if found else None

    # 5 active goals: above 3 (the flag), not above 5
    assert "lvb" in nudge(FATIMA) and "5 actieve doelen" in nudge(FATIMA)
    assert nudge(LISA) and "5 actieve doelen" in nudge(LISA) and "lvb" not in nudge(LISA).lower()
    for email in (SANDRA, MARK, RIET, JORIS, DAAN):  # may not know Lisa's flag: nothing to say
        assert nudge(email) is None, f"{email} is told {nudge(email)!r}"


# --- 9. a new record starts with nothing chosen, and warns of who is shielded -----------------------
def test_a_new_goal_has_no_category_chosen_and_without_one_nothing_is_saved(holes_app):
    from samenplan.goals.models import Goal

    ids = ids_of(holes_app)
    sandra = as_user(holes_app, SANDRA)
    html = page(sandra.get(f"/gezin/{ids.family}/doelen/nieuw"))
    category = re.search(r'<select[^>]*name="category".*?</select>', html, re.S).group(0)
    assert "selected" not in category.split('value=""')[1] if 'value=""' in category else False
    life = re.search(r'<select[^>]*name="life_domain".*?</select>', html, re.S).group(0)
    assert not re.search(r'value="\w+"[^>]*selected', life)
    title = "Ik ga elke dag een half uur wandelen"
    response = sandra.post(f"/gezin/{ids.family}/doelen/nieuw", data={
        "csrf_token": csrf_token(html), "title": title, "subjects": [str(ids.persons["Sandra"])],
        "goal_type": "persoonlijk", "owner": "0",
    })
    assert response.status_code == 422
    body = page(response)
    assert "Kies wat voor informatie dit is." in body and "Kies een leefgebied." in body
    assert title in body  # what she typed is kept
    assert query(holes_app, select(Goal.id).where(Goal.title == title)) == []


def test_the_draft_warns_sandra_that_mark_would_see_it(holes_app):
    ids = ids_of(holes_app)
    sandra = as_user(holes_app, SANDRA)
    html = page(sandra.get(f"/gezin/{ids.family}/doelen/nieuw"))
    fragment = page(sandra.post(f"/gezin/{ids.family}/doelen/zichtbaar", data={
        "csrf_token": csrf_token(html), "subjects": [str(ids.persons["Sandra"])], "category": "algemeen",
    }))
    assert "Let op: Mark de Boer ziet dit ook." in fragment
    fragment = page(sandra.post(f"/gezin/{ids.family}/doelen/zichtbaar", data={
        "csrf_token": csrf_token(html), "subjects": [str(ids.persons["Sandra"])], "category": "financien",
    }))
    assert "Let op" not in fragment  # Mark does not read her money matters
    # Daan, who may not know of the shield, gets no hint of it
    daan = as_user(holes_app, DAAN)
    html = page(daan.get(f"/gezin/{ids.family}/doelen/nieuw"))
    fragment = page(daan.post(f"/gezin/{ids.family}/doelen/zichtbaar", data={
        "csrf_token": csrf_token(html), "subjects": [str(ids.persons["Sandra"])], "category": "algemeen",
    }))
    assert "Let op" not in fragment
