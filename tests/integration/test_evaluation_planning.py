"""Evaluation moments (issue 12 item 2): the casusregisseur plans them with a date and time, a
place or an https video link, and invitees of this family; invitees see upcoming ones on their
home page and say whether they come; the plan names the next one, or (for the chair) warns that
there is none, and so does the chair's home page. Invitees' names obey participation privacy.

Through the real forms (CSRF token, the hidden version), on SQLite and PostgreSQL. The demo
(DESIGN.md §6) has one next evaluation: in two weeks, 10:00, at Sandra's home."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.support.builders import add_evaluation, add_other_family
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.pages import form_version, merge_table, words
from tests.support.people import DAAN, FATIMA, MARK, RIET, SANDRA

WARNING = "Er is nog geen volgende evaluatie gepland."


@pytest.fixture
def eval_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def url(demo, rest: str = "") -> str:
    return f"/gezin/{demo.family_id}/evaluaties{rest}"


def evaluations(app, **where) -> list:
    from samenplan.evaluations.models import Evaluation

    with db_session(app) as session:
        stmt = select(Evaluation).order_by(Evaluation.starts_at)
        for key, value in where.items():
            stmt = stmt.where(getattr(Evaluation, key) == value)
        rows = list(session.scalars(stmt))
        return [(e.id, e.family_id, e.status.value, e.place, list(e.invitee_ids), e.cancel_reason)
                for e in rows]


def planned(app, demo) -> list:
    return [e for e in evaluations(app, family_id=demo.family_id) if e[2] == "gepland"]


def plan_form(client, demo, **fields):
    html = text_of(client.get(url(demo)))
    data = {"csrf_token": csrf_token(html), "day": (date.today() + timedelta(days=30)).isoformat(),
            "at": "14:30", "place": "", "video_url": "", "note": "",
            "invitees": [str(demo.participants[SANDRA]), str(demo.participants[MARK])]}
    data.update(fields)
    return client.post(url(demo), data=data)


def cancel(client, demo, evaluation_id: int, reason: str):
    html = text_of(client.get(url(demo, f"/{evaluation_id}")))
    return client.post(url(demo, f"/{evaluation_id}/afzeggen"), data={
        "csrf_token": csrf_token(html), "version": form_version(html), "reason": reason})


def test_the_demo_has_one_next_evaluation_at_sandras_home(eval_app, demo):
    ahead = planned(eval_app, demo)
    assert len(ahead) == 1 and ahead[0][3] == "Bij Sandra thuis"
    assert len(evaluations(eval_app, family_id=demo.family_id, status="gehouden")) == 2
    plan = words(text_of(as_user(eval_app, SANDRA).get(f"/gezin/{demo.family_id}")))
    assert "Volgende evaluatie:" in plan and "10:00" in plan and "Bij Sandra thuis" in plan
    assert WARNING not in plan


def test_the_chair_plans_and_invitees_see_it_at_home_and_answer(eval_app, demo):
    fatima = as_user(eval_app, FATIMA)
    response = plan_form(fatima, demo, place="Buurthuis De Linde",
                         invitees=[str(demo.participants[SANDRA]), str(demo.participants[RIET])])
    assert response.status_code == 302
    new = [e for e in planned(eval_app, demo) if e[3] == "Buurthuis De Linde"]
    assert len(new) == 1
    evaluation_id = new[0][0]
    # Riet sees it on her home page with the answer buttons, and says she comes
    riet = as_user(eval_app, RIET)
    home = text_of(riet.get("/"))
    assert "Buurthuis De Linde" in home and "Ik kom niet" in home
    response = riet.post(url(demo, f"/{evaluation_id}/antwoord"),
                         data={"csrf_token": csrf_token(home), "reply": "komt", "back": "home"})
    assert response.status_code == 302
    page = words(text_of(fatima.get(url(demo, f"/{evaluation_id}"))))
    assert "Riet Jansen: Ik kom" in page
    # Mark is not invited to this one: not on his home page, and he cannot answer it
    mark = as_user(eval_app, MARK)
    home = text_of(mark.get("/"))
    assert "Buurthuis De Linde" not in home
    assert mark.post(url(demo, f"/{evaluation_id}/antwoord"),
                     data={"csrf_token": csrf_token(home), "reply": "komt"}).status_code == 404


def test_a_video_link_must_be_https_and_typed_text_stays(eval_app, demo):
    before = len(evaluations(eval_app))
    response = plan_form(as_user(eval_app, FATIMA), demo, video_url="http://video.example/kamer",
                         note="Neem de map mee")
    assert response.status_code == 422
    assert "Een videolink begint met https://" in text_of(response)
    assert "Neem de map mee" in text_of(response)
    assert len(evaluations(eval_app)) == before


def test_only_the_chair_plans(eval_app, demo):
    before = len(evaluations(eval_app))
    for who in (SANDRA, DAAN, RIET):
        client = as_user(eval_app, who)
        html = text_of(client.get(url(demo)))
        assert "Evaluatie plannen" not in html
        response = client.post(url(demo), data={
            "csrf_token": csrf_token(html), "day": "2027-01-05", "at": "10:00", "place": "Thuis",
            "invitees": [str(demo.participants[SANDRA])]})
        assert response.status_code == 404
    assert len(evaluations(eval_app)) == before


def test_another_familys_participant_or_evaluation_is_refused(eval_app, demo):
    from samenplan.families.models import Participant

    other_family, _piet = add_other_family(eval_app)
    with db_session(eval_app) as session:
        piet = session.scalar(select(Participant.id).where(Participant.family_id == other_family))
    before = len(evaluations(eval_app))
    fatima = as_user(eval_app, FATIMA)
    response = plan_form(fatima, demo, place="Thuis", note="Piet komt ook",
                         invitees=[str(demo.participants[SANDRA]), str(piet)])
    assert response.status_code == 422 and "Piet komt ook" in text_of(response)
    assert len(evaluations(eval_app)) == before
    theirs = add_evaluation(eval_app, other_family)
    html = text_of(fatima.get(url(demo)))
    assert fatima.get(url(demo, f"/{theirs}")).status_code == 404
    assert fatima.get(url(demo, f"/{theirs}/bewerken")).status_code == 404
    assert fatima.post(url(demo, f"/{theirs}/afzeggen"), data={
        "csrf_token": csrf_token(html), "version": "1", "reason": "weg"}).status_code == 404
    assert fatima.post(url(demo, f"/{theirs}/antwoord"), data={
        "csrf_token": csrf_token(html), "reply": "komt"}).status_code == 404
    assert evaluations(eval_app, id=theirs)[0][2] == "gepland"


def test_cancelling_needs_a_reason_then_the_plan_and_home_warn_the_chair(eval_app, demo):
    fatima = as_user(eval_app, FATIMA)
    [(evaluation_id, *_rest)] = planned(eval_app, demo)
    response = cancel(fatima, demo, evaluation_id, "  ")
    assert response.status_code == 422
    assert "Schrijf op waarom de evaluatie niet doorgaat." in text_of(response)
    assert len(planned(eval_app, demo)) == 1
    assert cancel(fatima, demo, evaluation_id, "Sandra is ziek").status_code == 302
    assert planned(eval_app, demo) == []
    assert evaluations(eval_app, id=evaluation_id)[0][5] == "Sandra is ziek"
    plan = words(text_of(fatima.get(f"/gezin/{demo.family_id}")))
    assert WARNING in plan and "Volgende evaluatie:" not in plan
    assert "Geen volgende evaluatie" in words(text_of(fatima.get("/")))
    # the family gets a calm line, not the chair's warning
    sandra = as_user(eval_app, SANDRA)
    assert WARNING not in text_of(sandra.get(f"/gezin/{demo.family_id}"))
    assert "Geen volgende evaluatie" not in text_of(sandra.get("/"))


def test_a_stale_save_gets_the_merge_screen(eval_app, demo):
    [(evaluation_id, *_rest)] = planned(eval_app, demo)
    fatima = as_user(eval_app, FATIMA)
    edit = url(demo, f"/{evaluation_id}/bewerken")
    first, second = text_of(fatima.get(edit)), text_of(fatima.get(edit))

    def post(html, place):
        return fatima.post(edit, data={
            "csrf_token": csrf_token(html), "version": form_version(html),
            "day": (date.today() + timedelta(days=14)).isoformat(), "at": "10:00",
            "place": place, "video_url": "", "note": "",
            "invitees": [str(demo.participants[SANDRA])]})

    assert post(first, "Op kantoor").status_code == 302
    response = post(second, "In de bibliotheek")
    assert response.status_code == 409
    rows = merge_table(text_of(response))
    assert rows["Waar?"] == ("Op kantoor", "In de bibliotheek")
    assert 'value="In de bibliotheek"' in text_of(response)
    assert planned(eval_app, demo)[0][3] == "Op kantoor"


def test_invitee_names_obey_participation_privacy(eval_app, demo):
    [(evaluation_id, *_rest)] = planned(eval_app, demo)
    mark = as_user(eval_app, MARK)
    page = words(text_of(mark.get(url(demo, f"/{evaluation_id}"))))
    assert "Daan Visser" not in page and "een hulpverlener" in page
    assert "Daan Visser" not in text_of(mark.get(url(demo)))
    assert "Daan Visser" in words(text_of(as_user(eval_app, FATIMA).get(url(demo, f"/{evaluation_id}"))))
