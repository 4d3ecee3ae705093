"""Nazorg (issue 13 item 3) and satisfaction at closure (item 7), through the real forms (CSRF
token), on SQLite and PostgreSQL. The demo plan is closed by tests/support/closure.py."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.support.builders import add_other_family
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.closure import close_plan, mark_closed
from tests.support.people import DAAN, FATIMA, LISA, MARK, SANDRA


@pytest.fixture
def ac_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def local_today() -> date:
    from samenplan.domain.ages import local_day

    return local_day(datetime.utcnow())


def url(family_id: int, rest: str = "") -> str:
    return f"/gezin/{family_id}/nazorg{rest}"


def post(client, page_url: str, action: str, data: dict):
    html = text_of(client.get(page_url))
    return client.post(action, data={"csrf_token": csrf_token(html), **data})


def moment_ids(app, family_id: int) -> list[int]:
    from samenplan.aftercare.models import AftercareMoment

    with db_session(app) as session:
        return list(session.scalars(select(AftercareMoment.id).where(
            AftercareMoment.family_id == family_id).order_by(AftercareMoment.day,
                                                             AftercareMoment.id)))


def plan_moments(app, demo, days_ago: int = 40) -> list[int]:
    """Close the plan `days_ago` days ago; Fatima plans the check-in at closure and one today."""
    close_plan(app, demo.family_id, days_ago=days_ago)
    fatima = as_user(app, FATIMA)
    response = post(fatima, url(demo.family_id), url(demo.family_id, "/plannen"),
                    {"at_closure": "y", "other_day": local_today().isoformat()})
    assert response.status_code == 302, text_of(response)
    return moment_ids(app, demo.family_id)


def answer(client, family_id: int, moment_id: int, **fields):
    form_url = url(family_id, f"/{moment_id}/antwoord")
    return post(client, form_url, form_url, {"category": "algemeen", **fields})


def worklist_text(app) -> str:
    return text_of(as_user(app, FATIMA).get("/"))


def test_a_worrying_answer_returns_the_family_to_the_worklist(ac_app, demo):
    at_closure, today = plan_moments(ac_app, demo)
    sandra = as_user(ac_app, SANDRA)
    assert answer(sandra, demo.family_id, at_closure, score="7").status_code == 302
    assert "Nazorg: 1 antwoord vraagt aandacht" not in worklist_text(ac_app)
    response = answer(sandra, demo.family_id, today, score="5", worries="Geldzorgen terug")
    assert response.status_code == 302
    assert "Nazorg: 1 antwoord vraagt aandacht" in worklist_text(ac_app)
    notices = text_of(as_user(ac_app, FATIMA).get("/meldingen"))
    assert "Een antwoord bij de nazorg vraagt aandacht" in notices
    page = text_of(as_user(ac_app, FATIMA).get(url(demo.family_id)))
    assert "Geldzorgen terug" in page and "vraagt aandacht" in page


def test_a_answer_one_lower_is_not_worrying_but_asking_for_contact_is(ac_app, demo):
    at_closure, today = plan_moments(ac_app, demo)
    sandra, lisa = as_user(ac_app, SANDRA), as_user(ac_app, LISA)
    answer(sandra, demo.family_id, at_closure, score="7")
    answer(sandra, demo.family_id, today, score="6")
    assert "Nazorg:" not in worklist_text(ac_app)
    assert answer(lisa, demo.family_id, today, score="8", wants_contact="y").status_code == 302
    assert "Nazorg: 1 antwoord vraagt aandacht" in worklist_text(ac_app)


def test_the_casusregisseur_records_an_answer_after_a_call(ac_app, demo):
    _at_closure, today = plan_moments(ac_app, demo)
    fatima = as_user(ac_app, FATIMA)
    response = answer(fatima, demo.family_id, today, person=str(demo.persons["Mark"]), score="8")
    assert response.status_code == 302
    page = text_of(as_user(ac_app, MARK).get(url(demo.family_id)))
    assert "Mark: 8 van de 10" in page and "Na een telefoontje, vastgelegd door Fatima" in page
    # a child under 12 does not answer, not even through the casusregisseur
    response = answer(fatima, demo.family_id, today, person=str(demo.persons["Noah"]), score="8")
    assert response.status_code == 422


def test_another_familys_check_in_is_refused(ac_app, demo):
    plan_moments(ac_app, demo)
    other_id, piet = add_other_family(ac_app)
    mark_closed(ac_app, other_id)
    from samenplan import db
    from samenplan.aftercare.models import AftercareMoment

    with ac_app.app_context():
        session = db.session()
        theirs = AftercareMoment(family_id=other_id, day=local_today())
        session.add(theirs)
        session.commit()
        theirs_id = theirs.id
    sandra = as_user(ac_app, SANDRA)
    own_form = url(demo.family_id, f"/{moment_ids(ac_app, demo.family_id)[-1]}/antwoord")
    html = text_of(sandra.get(own_form))
    response = sandra.post(url(demo.family_id, f"/{theirs_id}/antwoord"),
                           data={"csrf_token": csrf_token(html), "score": "2"})
    assert response.status_code == 404
    # and Sandra's own family's url with the other family's id does not reach it either
    assert sandra.get(url(other_id)).status_code == 404
    from samenplan.aftercare.models import AftercareAnswer

    with db_session(ac_app) as session:
        assert session.scalars(select(AftercareAnswer)).all() == []
    # a professional who is not the chair answers nothing
    assert as_user(ac_app, DAAN).get(own_form).status_code == 404


def test_a_check_in_is_reminded_once_to_who_may_answer(ac_app, demo, tmp_path):
    ac_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    plan_moments(ac_app, demo)
    now = datetime.utcnow().replace(microsecond=0).isoformat()
    runner = ac_app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["send-reminders", "--now", now]).exit_code == 0
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification

    with db_session(ac_app) as session:
        told = sorted(session.scalars(
            select(User.email).join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "reminder_aftercare_today")))
    assert told == sorted([SANDRA, MARK, LISA])  # once each; not Noah (no login, under 12)


def test_satisfaction_is_told_first_and_seen_only_by_the_person(ac_app, demo):
    close_plan(ac_app, demo.family_id)
    form_url = f"/gezin/{demo.family_id}/tevredenheid"
    sandra = as_user(ac_app, SANDRA)
    html = text_of(sandra.get(form_url))
    assert "Je antwoorden zien de hulpverleners nooit los" in html
    response = sandra.post(form_url, data={"csrf_token": csrf_token(html), "grade": "9",
                                           "nuttig": "ja", "geluisterd": "een_beetje"})
    assert response.status_code == 302
    own = text_of(sandra.get(form_url))
    assert "Wat je hebt ingevuld" in own and "Een beetje" in own
    # only once
    again = sandra.post(form_url, data={"csrf_token": csrf_token(own), "grade": "1"})
    from samenplan.satisfaction.models import SatisfactionAnswer

    with db_session(ac_app) as session:
        assert [a.grade for a in session.scalars(select(SatisfactionAnswer))] == [9]
    assert again.status_code == 200
    # Mark sees his own (empty) form, never Sandra's answer; professionals have no form at all
    mark = text_of(as_user(ac_app, MARK).get(form_url))
    assert "Wat je hebt ingevuld" not in mark
    for email in (FATIMA, DAAN):
        assert as_user(ac_app, email).get(form_url).status_code == 404
    totals = text_of(as_user(ac_app, FATIMA).get("/tevredenheid"))
    assert "Nog te weinig gezinnen" in totals and "Gemiddeld cijfer" not in totals


def closed_family_with_answer(app, grade: int, n: int) -> int:
    """A closed family chaired by Fatima (Sociaal Wijkteam Noord) whose parent answered."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.domain.vocabulary import PlanPhase
    from samenplan.families.models import Family, Participant, Person
    from samenplan.plans.models import Plan, PlanPhaseChange
    from samenplan.satisfaction.models import SatisfactionAnswer

    with app.app_context():
        session = db.session()
        fatima = session.scalar(select(User).where(User.email == FATIMA))
        chair = session.scalar(select(Participant).where(Participant.user_id == fatima.id,
                                                         Participant.role == "casusregisseur"))
        family = Family(name=f"Gezin {n}")
        person = Person(family=family, first_name=f"Ouder{n}", last_name="Test",
                        date_of_birth=date(1980, 1, 1))
        user = User(email=f"ouder{n}@test.example", name=f"Ouder {n}")
        plan = Plan(family=family, phase=PlanPhase.CLOSED)
        session.add_all([family, person, user, plan])
        session.flush()
        change = PlanPhaseChange(plan_id=plan.id, old_phase=PlanPhase.RUNNING,
                                 new_phase=PlanPhase.CLOSED, changed_by_id=fatima.id)
        me = Participant(family=family, user=fatima, role="casusregisseur",
                         organisation_id=chair.organisation_id)
        parent = Participant(family=family, user=user, role="family", person=person)
        session.add_all([change, me, parent])
        session.flush()
        session.add(SatisfactionAnswer(family_id=family.id, participant_id=parent.id,
                                       closure_id=change.id, grade=grade,
                                       replies={"nuttig": "ja", "samen": "nee"}))
        session.commit()
        return family.id


def test_satisfaction_totals_are_hidden_below_five_families_and_shown_from_five(ac_app, demo):
    for n in range(4):
        closed_family_with_answer(ac_app, 8, n)
    fatima = as_user(ac_app, FATIMA)
    assert "/tevredenheid" in text_of(fatima.get("/"))  # reachable by a link
    page = text_of(fatima.get("/tevredenheid"))
    assert "Nog te weinig gezinnen (minder dan 5)" in page and "Gemiddeld cijfer" not in page
    closed_family_with_answer(ac_app, 6, 4)
    page = text_of(fatima.get("/tevredenheid"))
    assert "Gemiddeld cijfer: 7,6, van 5 gezinnen" in page or \
        "Gemiddeld cijfer: 7.6, van 5 gezinnen" in page
    # a professional of another organisation, in none of these families, sees no totals of them
    daan = text_of(as_user(ac_app, DAAN).get("/tevredenheid"))
    assert "Gemiddeld cijfer" not in daan
    # family members have no totals page
    assert as_user(ac_app, SANDRA).get("/tevredenheid").status_code == 404
