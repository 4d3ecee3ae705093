"""Issue 12 items 3-5 and 9: holding an evaluation at the table, closing it into a frozen plan
version, comparing versions, and the report (page and PDF).

Through the real forms (CSRF token, the hidden versions), on SQLite and PostgreSQL. The demo
(DESIGN.md §6) has its two earlier evaluations held and closed into versions 1 and 2, each with
a report, and the next one planned."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.builders import add_other_family
from tests.support.clients import as_user, csrf_token, db_session, pdf_text
from tests.support.clients import page as text_of
from tests.support.holding import (
    close_evaluation, evaluation_url, held_evaluation_ids, hold_page, next_evaluation_id,
    post_part, start_holding, version_count, version_rows,
)
from tests.support.pages import input_value, merge_table, words
from tests.support.people import DAAN, FATIMA, JORIS, LISA, MARK, RIET, SANDRA

NEW_ACTION_V2 = "Samen een weekplanner voor de avonden op de koelkast hangen"


@pytest.fixture
def hold_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def goal_status(app, goal_id: int) -> str:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return session.get(Goal, goal_id).status.value


def started(app, demo):
    """Fatima opens the next evaluation; returns her client, the evaluation id, the hold page."""
    fatima = as_user(app, FATIMA)
    evaluation_id = next_evaluation_id(app, demo.family_id)
    response = start_holding(fatima, demo.family_id, evaluation_id)
    assert response.status_code == 302
    return fatima, evaluation_id, hold_page(fatima, demo.family_id, evaluation_id)


# --- the demo ------------------------------------------------------------------------------
def test_the_demo_has_two_versions_with_reports_and_the_next_one_planned(hold_app, demo):
    assert version_count(hold_app, demo.family_id) == 2
    held = held_evaluation_ids(hold_app, demo.family_id)
    assert len(held) == 2 and next_evaluation_id(hold_app, demo.family_id) is not None
    fatima = as_user(hold_app, FATIMA)
    listing = words(text_of(fatima.get(f"/gezin/{demo.family_id}/versies")))
    assert "Versie 1" in listing and "Versie 2" in listing
    report = words(text_of(fatima.get(evaluation_url(demo.family_id, held[1], "/verslag"))))
    assert "Verslag van de evaluatie" in report and "Sandra Jansen" in report
    assert "Noah (ingevuld door Fatima El Amrani)" in report
    assert NEW_ACTION_V2 in report
    # the comparison of 1 and 2: the action agreed at the second is added, decisions changed
    compare = words(text_of(fatima.get(f"/gezin/{demo.family_id}/versies/vergelijk?van=1&met=2")))
    added = compare.split("Erbij gekomen")[1].split("Eraf gegaan")[0]
    assert NEW_ACTION_V2 in added
    changed = compare.split("Veranderd (")[1]
    assert "Bijna elke avond rustig" in changed and "De rustige avonden nemen toe" in changed


# --- holding it ---------------------------------------------------------------------------
def test_fatima_holds_an_evaluation_part_by_part_and_closes_it_into_version_3(hold_app, demo):
    fatima, evaluation_id, html = started(hold_app, demo)
    fid, goal1, goal4 = demo.family_id, demo.goals[1], demo.goals[4]
    assert "Evaluatie houden" in html and "Wat gaat goed" in html
    for number in range(1, 6):
        assert f'id="doel-{demo.goals[number]}"' in html  # Fatima sees every goal on the agenda
    # who is there
    version = input_value(html, "version")
    response = post_part(fatima, fid, evaluation_id, "/aanwezig", None, html, version=version,
                         attendees=[str(demo.participants[SANDRA]), str(demo.participants[FATIMA])])
    assert response.status_code == 302
    html = hold_page(fatima, fid, evaluation_id)
    # goal 1: a step, and Noah's own answer entered by Fatima (he has no login)
    assert post_part(fatima, fid, evaluation_id, f"/doelen/{goal1}/stap", f"doel-{goal1}-stap", html,
                     level="1", note="").status_code == 302
    assert post_part(fatima, fid, evaluation_id, f"/doelen/{goal1}/schaalvragen", f"doel-{goal1}-schaal",
                     html, respondent=f"person:{demo.persons['Noah']}", voortgang="8",
                     motivatie="9").status_code == 302
    # goal 4: afronden — the goal is behaald, with the note as its reason
    assert post_part(fatima, fid, evaluation_id, f"/doelen/{goal4}/besluit", f"doel-{goal4}-besluit", html,
                     decision="afronden", note="Lisa gaat elke dag, ook op maandag.").status_code == 302
    assert goal_status(hold_app, goal4) == "behaald"
    # a new action under goal 1
    response = post_part(fatima, fid, evaluation_id, f"/doelen/{goal1}/acties", None, html,
                         what="Een rustig hoekje voor Noah inrichten",
                         assignee=str(demo.participants[SANDRA]), due_date="")
    assert response.status_code == 302
    html = hold_page(fatima, fid, evaluation_id)
    assert "Een rustig hoekje voor Noah inrichten" in html
    assert "Noah (ingevuld door Fatima El Amrani)" in words(html)
    before = version_count(hold_app, fid)
    response = close_evaluation(fatima, fid, evaluation_id)
    assert response.status_code == 302 and response.headers["Location"].endswith("/verslag?opgeslagen=1")
    assert version_count(hold_app, fid) == before + 1
    report = words(text_of(fatima.get(evaluation_url(fid, evaluation_id, "/verslag"))))
    assert "Afronden: doel behaald" in report and "Lisa gaat elke dag, ook op maandag." in report
    compare = words(text_of(fatima.get(f"/gezin/{fid}/versies/vergelijk?van=2&met=3")))
    assert "Een rustig hoekje voor Noah inrichten" in compare.split("Erbij gekomen")[1].split("Eraf gegaan")[0]
    assert "Actief" in compare and "Behaald" in compare  # goal 4's status, before → after
    # Sandra is told that the report is ready; Fatima herself is not
    sandra_home = words(text_of(as_user(hold_app, SANDRA).get("/meldingen")))
    assert "Het verslag van de evaluatie" in sandra_home
    # a held evaluation is not held again, nor changed
    for rest in ("/houden", "/afsluiten"):
        assert fatima.post(evaluation_url(fid, evaluation_id, rest), data={
            "csrf_token": csrf_token(html), "version": "99"}).status_code == 404


def test_a_decision_that_ends_a_goal_needs_a_reason_and_typed_text_stays(hold_app, demo):
    fatima, evaluation_id, html = started(hold_app, demo)
    goal2 = demo.goals[2]
    response = post_part(fatima, demo.family_id, evaluation_id, f"/doelen/{goal2}/besluit",
                         f"doel-{goal2}-besluit", html, decision="stoppen", note="")
    assert response.status_code == 422
    assert "Schrijf op waarom jullie dit besluiten." in text_of(response)
    assert goal_status(hold_app, goal2) == "actief"
    # a score typed wrong: a Dutch message, nothing saved
    response = post_part(fatima, demo.family_id, evaluation_id, f"/doelen/{goal2}/schaalvragen",
                         f"doel-{goal2}-schaal", html, respondent="zelf", voortgang="12")
    assert response.status_code == 422 and "tussen 0 en 10" in text_of(response)
    # the chair answers voortgang only for herself: motivatie is the family's
    response = post_part(fatima, demo.family_id, evaluation_id, f"/doelen/{goal2}/schaalvragen",
                         f"doel-{goal2}-schaal", html, respondent="zelf", motivatie="5")
    assert response.status_code == 422


def test_a_stale_decision_gets_the_merge_screen(hold_app, demo):
    fatima, evaluation_id, html = started(hold_app, demo)
    goal1 = demo.goals[1]
    prefix = f"doel-{goal1}-besluit"
    assert post_part(fatima, demo.family_id, evaluation_id, f"/doelen/{goal1}/besluit", prefix, html,
                     decision="doorgaan", note="Eerste versie van het besluit").status_code == 302
    fresh = hold_page(fatima, demo.family_id, evaluation_id)
    version = input_value(fresh, f"{prefix}-version")
    assert post_part(fatima, demo.family_id, evaluation_id, f"/doelen/{goal1}/besluit", prefix,
                     fresh, decision="aanpassen", note="Tweede versie", version=version).status_code == 302
    response = post_part(fatima, demo.family_id, evaluation_id, f"/doelen/{goal1}/besluit", prefix,
                         fresh, decision="doorgaan", note="Mijn getypte tekst", version=version)
    assert response.status_code == 409
    rows = merge_table(text_of(response))
    assert rows["Waarom? (nodig als het doel stopt, klaar is of even stilligt)"] == (
        "Tweede versie", "Mijn getypte tekst")


# --- privacy ------------------------------------------------------------------------------
def test_joris_report_and_pdf_hold_goal_4_and_none_of_the_others(hold_app, demo):
    held = held_evaluation_ids(hold_app, demo.family_id)[-1]
    joris = as_user(hold_app, JORIS)
    page = words(text_of(joris.get(evaluation_url(demo.family_id, held, "/verslag"))))
    response = joris.get(evaluation_url(demo.family_id, held, "/verslag.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.get_data())
    for shown in (page, text):
        assert demo.goal_titles[4] in shown
        for hidden in (1, 2, 3, 5):
            assert demo.goal_titles[hidden] not in shown
    assert "Download als PDF" not in text


def test_family_reports_say_the_steps_in_words_and_only_their_goals(hold_app, demo):
    held = held_evaluation_ids(hold_app, demo.family_id)[-1]
    mark = words(text_of(as_user(hold_app, MARK).get(evaluation_url(demo.family_id, held, "/verslag"))))
    assert demo.goal_titles[1] in mark and demo.goal_titles[4] in mark
    for hidden in (2, 3, 5):
        assert demo.goal_titles[hidden] not in mark
    assert "T-score" not in mark and "+1:" not in mark
    fatima = words(text_of(as_user(hold_app, FATIMA).get(evaluation_url(demo.family_id, held, "/verslag"))))
    assert "T-score" in fatima


@pytest.mark.parametrize("email, seen, hidden", [
    (JORIS, [4], [1, 2, 3, 5]), (DAAN, [2], [3, 4, 5]), (LISA, [1, 4, 5], [2, 3]),
])
def test_a_version_shows_only_what_the_reader_may_see(hold_app, demo, email, seen, hidden):
    client = as_user(hold_app, email)
    for number in (1, 2):
        page = words(text_of(client.get(f"/gezin/{demo.family_id}/versies/{number}")))
        for n in seen:
            assert demo.goal_titles[n] in page
        for n in hidden:
            assert demo.goal_titles[n] not in page
    compare = words(text_of(client.get(f"/gezin/{demo.family_id}/versies/vergelijk?van=2&met=1")))
    for n in hidden:
        assert demo.goal_titles[n] not in compare


def _routes(demo, evaluation_id: int, goal_id: int) -> list[tuple[str, str | None, dict]]:
    return [
        ("/houden", None, {"version": "1"}),
        ("/aanwezig", None, {"version": "1", "attendees": [str(demo.participants[SANDRA])]}),
        (f"/doelen/{goal_id}/stap", f"doel-{goal_id}-stap", {"level": "2"}),
        (f"/doelen/{goal_id}/schaalvragen", f"doel-{goal_id}-schaal", {"respondent": "zelf", "voortgang": "3"}),
        (f"/doelen/{goal_id}/besluit", f"doel-{goal_id}-besluit", {"decision": "stoppen", "note": "Weg ermee"}),
        (f"/doelen/{goal_id}/acties", None, {"what": "Iets stiekems", "assignee": "0"}),
        ("/volgende", "volgende", {"day": "2027-03-01", "at": "10:00", "place": "Stiekem"}),
        ("/afsluiten", None, {"version": "1"}),
    ]


def _state(app, family_id: int) -> tuple:
    from samenplan.evaluations.models import Evaluation, GoalDecision
    from samenplan.goals.models import Action, GasScore, Goal, ScalingAnswer

    with db_session(app) as session:
        return (
            version_rows(app),
            [tuple(r) for r in session.execute(select(Evaluation.id, Evaluation.status,
                                                      Evaluation.version).order_by(Evaluation.id))],
            [tuple(r) for r in session.execute(select(Goal.id, Goal.status, Goal.version).order_by(Goal.id))],
            *(session.scalar(select(func.count(m.id)))
              for m in (Action, GasScore, ScalingAnswer, GoalDecision)),
        )


@pytest.mark.parametrize("email", [SANDRA, DAAN, RIET, JORIS])
def test_nobody_but_the_chair_holds_an_evaluation(hold_app, demo, email):
    """Every new route, posted by a family member, network or another professional: 404, and
    nothing changed — also while the evaluation is being held."""
    _fatima, evaluation_id, _html = started(hold_app, demo)
    client = as_user(hold_app, email)
    html = text_of(client.get(f"/gezin/{demo.family_id}"))
    assert "Evaluatie houden" not in html
    before = _state(hold_app, demo.family_id)
    goal_id = demo.goals[4] if email == JORIS else demo.goals[1]
    for rest, prefix, fields in _routes(demo, evaluation_id, goal_id):
        response = post_part(client, demo.family_id, evaluation_id, rest, prefix, html, **fields)
        assert response.status_code == 404, rest
    assert client.get(evaluation_url(demo.family_id, evaluation_id, "/houden")).status_code == 404
    assert _state(hold_app, demo.family_id) == before


def test_other_familys_ids_and_sub_goals_are_not_found(hold_app, demo):
    other_family, piet = add_other_family(hold_app)
    fatima, evaluation_id, html = started(hold_app, demo)
    before = _state(hold_app, demo.family_id)
    # Piet posts to the demo's evaluation, through his own family's id and through the demo's
    piet_client = as_user(hold_app, piet)
    piet_html = text_of(piet_client.get("/"))
    for family_id in (other_family, demo.family_id):
        for rest, prefix, fields in _routes(demo, evaluation_id, demo.goals[1]):
            response = post_part(piet_client, family_id, evaluation_id, rest, prefix, piet_html, **fields)
            assert response.status_code == 404, (family_id, rest)
    # Fatima with a goal id of another family (its record: Piet's plan entry), an attendee of
    # another family, and a sub-goal id
    from samenplan.families.models import Participant
    from samenplan.goals.models import Goal
    from samenplan.plans.models import PlanSection

    with db_session(hold_app) as session:
        foreign = session.scalar(select(PlanSection.id).where(PlanSection.family_id == other_family))
        piet_participant = session.scalar(select(Participant.id).where(
            Participant.family_id == other_family))
        sub_goal = session.scalar(select(Goal.id).where(Goal.parent_id.is_not(None), Goal.family_id == demo.family_id))
    for goal_id in filter(None, (foreign, sub_goal)):
        for rest, prefix, fields in _routes(demo, evaluation_id, goal_id)[2:6]:
            assert post_part(fatima, demo.family_id, evaluation_id, rest, prefix, html,
                             **fields).status_code == 404, (goal_id, rest)
    version = input_value(html, "version")
    assert post_part(fatima, demo.family_id, evaluation_id, "/aanwezig", None, html, version=version,
                     attendees=[str(piet_participant)]).status_code == 404
    assert _state(hold_app, demo.family_id) == before
    # versions and reports of another family are not found either
    assert piet_client.get(f"/gezin/{demo.family_id}/versies/1").status_code == 404
    held = held_evaluation_ids(hold_app, demo.family_id)[-1]
    assert piet_client.get(evaluation_url(other_family, held, "/verslag")).status_code == 404
    assert piet_client.get(evaluation_url(other_family, held, "/verslag.pdf")).status_code == 404


def test_a_planned_evaluation_has_no_report_yet(hold_app, demo):
    planned = next_evaluation_id(hold_app, demo.family_id)
    assert as_user(hold_app, FATIMA).get(evaluation_url(demo.family_id, planned, "/verslag")).status_code == 404


# --- versions never change ------------------------------------------------------------------
def _post_routes(app, demo, ids: dict[str, int]) -> list[str]:
    """Every POST route of the app, its ids filled in with records of the demo (unknown ids: 1)."""
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "POST" not in (rule.methods or ()) or rule.endpoint in ("auth.logout", "static"):
                continue
            values = {name: ids.get(name, 1) for name in rule.arguments}
            urls.append(url_for(rule.endpoint, **values))
    return urls


def test_no_route_changes_a_version(hold_app, demo):
    """Every POST route of the app, as the chair and as a parent, with the demo's ids: the
    versions made before are as they were (a new one may only be added)."""
    from samenplan.goals.models import Action
    from samenplan.plans.models import PlanSection

    with db_session(hold_app) as session:
        ids = {"family_id": demo.family_id, "goal_id": demo.goals[1], "number": 1,
               "evaluation_id": held_evaluation_ids(hold_app, demo.family_id)[-1],
               "action_id": session.scalar(select(Action.id).limit(1)),
               "section_id": session.scalar(select(PlanSection.id).limit(1))}
    before = version_rows(hold_app)
    assert before, "the demo has versions"
    urls = _post_routes(hold_app, demo, ids)
    assert any("/afsluiten" in u for u in urls) and len(urls) > 50
    for email in (FATIMA, SANDRA):
        client = token = None
        for url in urls:
            if client is None:  # (again) after a route that ended the login
                client = as_user(hold_app, email)
                token = csrf_token(text_of(client.get(f"/gezin/{demo.family_id}")))
            response = client.post(url, data={"csrf_token": token, "version": "1",
                                              "reason": "Zomaar", "decision": "stoppen"})
            assert response.status_code < 500, url
            if response.status_code in (302, 303) and "/login" in response.headers.get("Location", ""):
                client = None
    after = set(version_rows(hold_app))
    assert set(before) <= after  # no row of a version changed or went


def test_the_database_layer_refuses_to_change_a_version(hold_app, demo):
    from samenplan.evaluations.models import FrozenVersion, PlanVersionEntry

    with db_session(hold_app) as session:
        entry = session.scalar(select(PlanVersionEntry).limit(1))
        entry.record_version += 1
        with pytest.raises(FrozenVersion):
            session.flush()
        session.rollback()
        entry = session.scalar(select(PlanVersionEntry).limit(1))
        session.delete(entry)
        with pytest.raises(FrozenVersion):
            session.flush()
        session.rollback()


def test_the_chair_enters_answers_only_for_a_child_without_a_login_the_goal_is_about(hold_app, demo):
    fatima, evaluation_id, html = started(hold_app, demo)
    before = _state(hold_app, demo.family_id)
    for goal_number, person in ((1, "Lisa"), (1, "Sandra"), (2, "Noah")):
        goal_id = demo.goals[goal_number]
        response = post_part(fatima, demo.family_id, evaluation_id, f"/doelen/{goal_id}/schaalvragen",
                             f"doel-{goal_id}-schaal", html, respondent=f"person:{demo.persons[person]}",
                             voortgang="4")
        assert response.status_code == 404, (goal_number, person)
    assert _state(hold_app, demo.family_id) == before
