"""Issue 13 items 2 and 4: closing the plan (afronding) with its checks and the family's akkoord,
the closed plan read-only, reopening it, and pausing the help. On SQLite and PostgreSQL,
through the real forms (CSRF token)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from samenplan.db import utcnow
from tests.support.builders import add_action, add_other_family
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.closure import (
    RELAPSE_LINE, agree, closing_page, closing_url, phase_of, post, prepare_for_closing,
)
from tests.support.holding import version_count
from tests.support.pages import words
from tests.support.people import DAAN, FATIMA, LISA, MARK, RIET, SANDRA


@pytest.fixture
def closing_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def everyone_agrees(app, demo, fatima):
    """Lisa on her own phone; Sandra and Mark at the table (recorded by Fatima)."""
    fid = demo.family_id
    assert agree(as_user(app, LISA), fid, demo.persons["Lisa"]).status_code == 302
    for name in ("Sandra", "Mark"):
        assert agree(fatima, fid, demo.persons[name]).status_code == 302


def ready(app, demo, *, open_action: bool = False):
    prepared = prepare_for_closing(app, demo.family_id, open_action=open_action)
    fatima = as_user(app, FATIMA)
    assert post(fatima, demo.family_id, closing_url(demo.family_id, "/terugvalplan")).status_code == 302
    everyone_agrees(app, demo, fatima)
    return fatima, prepared


def close(client, family_id):
    return post(client, family_id, closing_url(family_id))


def notifications(app, email):
    return words(text_of(as_user(app, email).get("/meldingen")))


# --- the checks ----------------------------------------------------------------------------
def test_the_closing_screen_lists_what_is_still_to_do_on_the_demo(closing_app, demo):
    fatima = as_user(closing_app, FATIMA)
    response = closing_page(fatima, demo.family_id)
    assert response.status_code == 200
    page = words(text_of(response))
    assert "Het plan afronden" in page
    # goals without a decision, open actions, the professionals' parts, nobody agreed yet
    assert "Er is nog geen besluit over: We hebben elke avond rust in huis" in page
    assert "Deze actie staat nog open" in page
    assert "Het deel van Daan Visser is nog niet afgesloten." in page
    assert "Sandra heeft nog niets gezegd." in page and "Lisa heeft nog niets gezegd." in page
    assert "Noah heeft" not in page  # under 12: his parents speak for him
    assert "Het gezin heeft het terugvalpreventieplan nog niet doorgenomen." in page
    assert "Begin de evaluatie waarbij jullie afronden." in page
    response = close(fatima, demo.family_id)
    assert response.status_code == 409 and phase_of(closing_app, demo.family_id) == "lopend"
    assert "Het plan kan nog niet worden afgerond" in words(text_of(response))


def test_closing_refuses_while_an_action_is_open_and_closes_once_it_is_handed_over(closing_app, demo):
    fid = demo.family_id
    fatima, prepared = ready(closing_app, demo, open_action=True)
    before = version_count(closing_app, fid)
    response = close(fatima, fid)
    assert response.status_code == 409
    page = words(text_of(response))
    assert "Het plan kan nog niet worden afgerond" in page and "Deze actie staat nog open" in page
    assert phase_of(closing_app, fid) == "lopend" and version_count(closing_app, fid) == before
    # handing it over needs to whom; then it is ended, with its history
    action_id = prepared["action"]
    html = text_of(closing_page(fatima, fid))
    version = html.split(f'id="actie-{action_id}"')[1].split('name="actie-')[0]
    response = fatima.post(closing_url(fid, "").replace("/afronden", f"/acties/{action_id}/beeindigen"),
                           data={"csrf_token": csrf_token(html), f"actie-{action_id}-how": "overgedragen",
                                 f"actie-{action_id}-note": "", f"actie-{action_id}-version": _version(html, action_id)})
    assert response.status_code == 422
    assert "Schrijf op aan wie je de actie overdraagt." in words(text_of(response))
    response = fatima.post(f"/gezin/{fid}/acties/{action_id}/beeindigen", data={
        "csrf_token": csrf_token(html), f"actie-{action_id}-how": "overgedragen",
        f"actie-{action_id}-note": "Oma Riet neemt het over",
        f"actie-{action_id}-version": _version(html, action_id)})
    assert response.status_code == 302
    from samenplan.goals.models import Action
    with db_session(closing_app) as session:
        action = session.get(Action, action_id)
        assert action.ended_how.value == "overgedragen" and action.ended_note == "Oma Riet neemt het over"
    # now every check passes: closed, a final version, the report is the final report
    response = close(fatima, fid)
    assert response.status_code == 302
    assert phase_of(closing_app, fid) == "afgerond"
    assert version_count(closing_app, fid) == before + 1
    plan = words(text_of(fatima.get(f"/gezin/{fid}")))
    assert "Dit plan is afgerond" in plan and "Het eindverslag" in plan
    report = fatima.get(f"/gezin/{fid}/evaluaties/{prepared['evaluation']}/verslag")
    assert report.status_code == 200
    assert "Het plan is afgerond. Het eindverslag staat klaar." in notifications(closing_app, SANDRA)


def _version(html: str, action_id: int) -> str:
    import re

    match = re.search(rf'name="actie-{action_id}-version"[^>]*value="(\d+)"', html) or re.search(
        rf'value="(\d+)"[^>]*name="actie-{action_id}-version"', html)
    assert match, "no version of the action on the closing screen"
    return match.group(1)


def test_a_niet_akkoord_blocks_and_is_shown_until_it_changes(closing_app, demo):
    fid = demo.family_id
    fatima, _ = ready(closing_app, demo)
    mark = as_user(closing_app, MARK)
    response = agree(mark, fid, demo.persons["Mark"], agrees=False, reason="")
    assert response.status_code == 422  # a "niet akkoord" needs its reason
    assert agree(mark, fid, demo.persons["Mark"], agrees=False,
                 reason="Ik wil eerst nog praten over Noah").status_code == 302
    response = close(fatima, fid)
    assert response.status_code == 409
    assert "Mark is het er niet mee eens: Ik wil eerst nog praten over Noah" in words(text_of(response))
    assert phase_of(closing_app, fid) == "lopend"
    assert agree(mark, fid, demo.persons["Mark"]).status_code == 302
    assert close(fatima, fid).status_code == 302


def test_an_akkoord_recorded_at_the_table_is_marked_and_the_member_is_told(closing_app, demo):
    fid = demo.family_id
    fatima = as_user(closing_app, FATIMA)
    assert agree(fatima, fid, demo.persons["Sandra"]).status_code == 302
    assert "aan tafel, door jou opgeschreven" in words(text_of(closing_page(fatima, fid)))
    sandra = as_user(closing_app, SANDRA)
    assert "wat je aan tafel zei over het afronden" in notifications(closing_app, SANDRA)
    own = words(text_of(closing_page(sandra, fid)))
    assert "Je hebt gezegd: akkoord." in own and "aan tafel voor je opgeschreven" in own


def test_who_may_agree_and_for_whom(closing_app, demo):
    fid = demo.family_id
    sandra, lisa = as_user(closing_app, SANDRA), as_user(closing_app, LISA)
    # a parent does not agree for her 15-year-old, nor anyone for Noah (under 12)
    assert agree(sandra, fid, demo.persons["Lisa"]).status_code == 404
    assert agree(as_user(closing_app, FATIMA), fid, demo.persons["Noah"]).status_code == 404
    assert agree(lisa, fid, demo.persons["Sandra"]).status_code == 404
    # network and other professionals have no say, and no closing screen
    for email in (RIET, DAAN):
        client = as_user(closing_app, email)
        assert closing_page(client, fid).status_code == 404
        assert agree(client, fid, demo.persons["Sandra"]).status_code == 404
    # an id that is no id, or a person of another family
    other_fid, _ = add_other_family(closing_app)
    with db_session(closing_app) as session:
        from samenplan.families.models import Person
        piet = session.scalar(select(Person.id).where(Person.family_id == other_fid))
    assert agree(as_user(closing_app, FATIMA), fid, piet).status_code == 404
    assert post(lisa, fid, closing_url(fid, "/akkoord"), person_id="1 OR 1=1",
                antwoord="akkoord").status_code == 404


# --- only the casusregisseur changes the phase --------------------------------------------
@pytest.mark.parametrize("path,data", [
    ("/afronden", {}), ("/afronden/voorstellen", {}), ("/afronden/terugvalplan", {}),
    ("/fase/stilzetten", {"reason": "Even rust", "look_again_on": "2099-03-01"}),
    ("/fase/verder", {"reason": "Weer verder"}), ("/fase/heropenen", {"reason": "Nodig"}),
])
def test_nobody_but_the_casusregisseur_changes_the_phase(closing_app, demo, path, data):
    fid = demo.family_id
    for email in (SANDRA, DAAN, RIET):
        client = as_user(closing_app, email)
        assert post(client, fid, f"/gezin/{fid}{path}", **data).status_code == 404
    # Fatima on another family's plan, where she takes no part
    other_fid, _ = add_other_family(closing_app)
    fatima = as_user(closing_app, FATIMA)
    assert post(fatima, fid, f"/gezin/{other_fid}{path}", **data).status_code == 404
    assert phase_of(closing_app, fid) == "lopend"


# --- a closed plan is read-only -------------------------------------------------------------
def _closed(app, demo):
    fatima, prepared = ready(app, demo)
    assert close(fatima, demo.family_id).status_code == 302
    return fatima, prepared


def _editing_routes(app):
    """Every POST route of a family's plan, but those that keep working when it is closed."""
    from samenplan.closure.guard import OPEN_BLUEPRINTS

    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or "family_id" not in rule.arguments:
            continue
        if rule.endpoint.split(".")[0] in OPEN_BLUEPRINTS:
            continue
        if getattr(app.view_functions[rule.endpoint], "allowed_on_closed", False):
            continue
        yield rule


def test_every_editing_route_refuses_on_a_closed_plan_and_nothing_changes(closing_app, demo):
    fid = demo.family_id
    fatima, prepared = _closed(closing_app, demo)
    html = text_of(fatima.get(f"/gezin/{fid}"))
    token = csrf_token(html)
    any_id = prepared["evaluation"]
    routes = list(_editing_routes(closing_app))
    assert len(routes) > 30  # goals, actions, sections, safety, team, evaluations, closure …
    with db_session(closing_app) as session:
        from samenplan.records.models import Revision
        revisions = session.scalar(select(func.count()).select_from(Revision))
    for rule in routes:
        values = {name: (fid if name == "family_id" else any_id) for name in rule.arguments}
        if "kind" in rule.arguments:
            values["kind"] = "wat_gaat_goed"
        if "code" in rule.arguments:
            values["code"] = "wat_gaat_goed"
        path = rule.build(values)[1]
        for email, client in ((FATIMA, fatima), (SANDRA, as_user(closing_app, SANDRA))) if rule.endpoint == "goals.new" else ((FATIMA, fatima),):
            response = client.post(path, data={"csrf_token": token, "title": "Nieuw", "body": "x",
                                               "what": "x", "reason": "x"})
            assert response.status_code == 409, (rule.rule, response.status_code)
            assert "Dit plan is afgerond." in words(text_of(response))
    with db_session(closing_app) as session:
        assert session.scalar(select(func.count()).select_from(Revision)) == revisions
    assert phase_of(closing_app, fid) == "afgerond"


def test_a_closed_plan_shows_no_editing_buttons_but_privacy_rights_keep_working(closing_app, demo):
    fid = demo.family_id
    fatima, _ = _closed(closing_app, demo)
    sandra = as_user(closing_app, SANDRA)
    plan = text_of(sandra.get(f"/gezin/{fid}"))
    assert "Dit plan is afgerond" in words(plan)
    assert f"/gezin/{fid}/doelen/nieuw" not in plan
    assert "/bewerken" not in plan
    # another family's closed state is not given away: Piet's plan answers Fatima 404, as ever
    # and Sandra's privacy pages still work
    assert sandra.get(f"/gezin/{fid}/toestemming").status_code == 200
    assert sandra.get(f"/gezin/{fid}/afscherming").status_code == 200


def test_the_casusregisseur_reopens_with_a_reason_and_it_is_editable_again(closing_app, demo):
    fid = demo.family_id
    fatima, _ = _closed(closing_app, demo)
    assert post(fatima, fid, f"/gezin/{fid}/fase/heropenen", reason="").status_code == 422
    assert phase_of(closing_app, fid) == "afgerond"
    assert post(fatima, fid, f"/gezin/{fid}/fase/heropenen",
                reason="Lisa gaat weer niet naar school").status_code == 302
    assert phase_of(closing_app, fid) == "lopend"
    history = words(text_of(as_user(closing_app, SANDRA).get(f"/gezin/{fid}/fase")))
    assert "Wat is er veranderd?" in history
    assert "het plan ging weer open" in history and "Lisa gaat weer niet naar school" in history
    assert "het plan is afgerond" in history
    plan = text_of(fatima.get(f"/gezin/{fid}"))
    assert "Dit plan is afgerond" not in words(plan) and f"/gezin/{fid}/doelen/nieuw" in plan
    # agreements from before the reopening count no more
    page = words(text_of(closing_page(fatima, fid)))
    assert "Sandra heeft nog niets gezegd." in page


# --- pausing ---------------------------------------------------------------------------------
def test_pausing_shows_until_when_and_why_and_stops_reminders(closing_app, demo):
    from samenplan.notices.reminders import send_reminders

    fid = demo.family_id
    fatima = as_user(closing_app, FATIMA)
    from samenplan.domain.ages import local_day

    tomorrow = local_day(utcnow()) + timedelta(days=1)
    add_action(closing_app, "De huur betalen", SANDRA, tomorrow)
    look_again = date.today() + timedelta(days=40)
    response = post(fatima, fid, f"/gezin/{fid}/fase/stilzetten", reason="",
                    look_again_on=look_again.isoformat())
    assert response.status_code == 422 and phase_of(closing_app, fid) == "lopend"
    response = post(fatima, fid, f"/gezin/{fid}/fase/stilzetten",
                    reason="Sandra is een maand bij haar zus", look_again_on=look_again.isoformat())
    assert response.status_code == 302 and phase_of(closing_app, fid) == "gepauzeerd"
    for email in (SANDRA, MARK, RIET, DAAN):
        plan = words(text_of(as_user(closing_app, email).get(f"/gezin/{fid}")))
        assert "De hulp staat stil tot" in plan and "Sandra is een maand bij haar zus" in plan
    # another family's participant does not see it
    _, piet = add_other_family(closing_app)
    assert as_user(closing_app, piet).get(f"/gezin/{fid}").status_code == 404
    with closing_app.app_context():
        from samenplan import db
        tally = send_reminders(db.session(), utcnow())
    assert tally.sent == 0  # the action due tomorrow, the evaluation: nobody is reminded
    # resuming with a word; reminders come again
    assert post(fatima, fid, f"/gezin/{fid}/fase/verder", reason="").status_code == 422
    assert post(fatima, fid, f"/gezin/{fid}/fase/verder", reason="Ze is terug").status_code == 302
    assert phase_of(closing_app, fid) == "lopend"
    with closing_app.app_context():
        from samenplan import db
        assert send_reminders(db.session(), utcnow()).sent >= 1
    history = words(text_of(fatima.get(f"/gezin/{fid}/fase")))
    assert "de hulp ging stilstaan" in history and "de hulp ging weer verder" in history
    assert "Ze is terug" in history


def test_the_worklist_shows_a_paused_family_when_the_day_to_look_again_has_come(closing_app, demo):
    from samenplan.plans.models import PlanPhaseChange

    fid = demo.family_id
    fatima = as_user(closing_app, FATIMA)
    look_again = date.today() + timedelta(days=3)
    assert post(fatima, fid, f"/gezin/{fid}/fase/stilzetten", reason="Rust",
                look_again_on=look_again.isoformat()).status_code == 302
    flag = "De hulp staat stil, en het is tijd om weer te kijken."
    assert flag not in words(text_of(fatima.get("/")))
    with db_session(closing_app) as session:
        change = session.scalar(select(PlanPhaseChange).order_by(PlanPhaseChange.id.desc()))
        change.look_again_on = date.today() - timedelta(days=1)
        session.commit()
    assert flag in words(text_of(fatima.get("/")))
    assert flag not in words(text_of(as_user(closing_app, SANDRA).get("/")))


def test_a_paused_plan_cannot_pause_again_and_a_date_must_come_later(closing_app, demo):
    fid = demo.family_id
    fatima = as_user(closing_app, FATIMA)
    assert post(fatima, fid, f"/gezin/{fid}/fase/stilzetten", reason="Rust",
                look_again_on=date.today().isoformat()).status_code == 422
    assert post(fatima, fid, f"/gezin/{fid}/fase/stilzetten", reason="Rust",
                look_again_on="").status_code == 422
    assert post(fatima, fid, f"/gezin/{fid}/fase/stilzetten", reason="Rust",
                look_again_on=(date.today() + timedelta(days=9)).isoformat()).status_code == 302
    assert post(fatima, fid, f"/gezin/{fid}/fase/stilzetten", reason="Nog eens",
                look_again_on=(date.today() + timedelta(days=9)).isoformat()).status_code == 422
    with db_session(closing_app) as session:
        from samenplan.plans.models import PlanPhaseChange
        assert session.scalar(select(func.count(PlanPhaseChange.id))) == 1
