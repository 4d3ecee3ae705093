"""Issue 13 item 1: a professional's part in the plan ends with a date and a reason (goal
reached, referred on, family stopped, other). The professional closes their own part, the
casusregisseur anyone's; the casusregisseur is told; the team shows why to who may see the
involvement, and nothing of it to who may not; a stale save gets the merge screen; ids of
another family are refused. An end date passed without a reason is on the chair's worklist.
On SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.clients import as_user, db_session, page
from tests.support.families import take_on_the_bakkers, today
from tests.support.html import form_values
from tests.support.pages import words
from tests.support.people import DAAN, FATIMA, ILSE, MARK


@pytest.fixture
def end_app(app):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    return app


def _team(demo) -> str:
    return f"/gezin/{demo.family_id}/team"


def _close(demo, email: str) -> str:
    return f"{_team(demo)}/{demo.participants[email]}/stoppen"


def _worklist(app) -> str:
    html = page(as_user(app, FATIMA).get("/"))
    start = html.find('<div class="worklist"')
    return words(html[start:html.index("</div>", start)])


def _notices(app, email: str) -> list[str]:
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification

    with db_session(app) as session:
        user = session.scalar(select(User).where(User.email == email))
        return list(session.scalars(select(Notification.kind).where(Notification.user_id == user.id)))


def test_a_professional_closes_their_own_part_and_the_chair_is_told(end_app, demo):
    ilse = as_user(end_app, ILSE)
    form = form_values(page(ilse.get(_close(demo, ILSE))), _close(demo, ILSE))
    answer = ilse.post(_close(demo, ILSE), data={
        **form, "end_date": today().isoformat(), "reason": "doorverwezen"})
    assert answer.status_code == 302
    assert _notices(end_app, FATIMA).count("involvement_closed") == 1
    assert "involvement_closed" not in _notices(end_app, ILSE), "never the one who acted"
    fatima_team = words(page(as_user(end_app, FATIMA).get(_team(demo))))
    assert "Waarom gestopt Doorverwezen naar andere hulp" in fatima_team
    # Mark may not know Ilse takes part: nothing of her, nor of why she stopped
    mark_team = words(page(as_user(end_app, MARK).get(_team(demo))))
    assert "Ilse" not in mark_team and "Doorverwezen" not in mark_team
    assert as_user(end_app, MARK).get(_close(demo, ILSE)).status_code == 404
    # the history shows it
    history = words(page(ilse.get(f"{_team(demo)}/{demo.participants[ILSE]}/geschiedenis")))
    assert "Doorverwezen" in history or "doorverwezen" in history


def test_the_chair_closes_someone_elses_part_others_may_not(end_app, demo):
    fatima = as_user(end_app, FATIMA)
    url = _close(demo, DAAN)
    form = form_values(page(fatima.get(url)), url)
    assert fatima.post(url, data={**form, "end_date": today().isoformat(),
                                  "reason": "doel_bereikt"}).status_code == 302
    assert "involvement_closed" not in _notices(end_app, FATIMA), "she did it herself"
    assert "Het doel is bereikt" in words(page(fatima.get(_team(demo))))
    # Ilse may not close Daan's part (nor see him), Mark neither
    ilse = as_user(end_app, ILSE)
    assert ilse.get(_close(demo, DAAN)).status_code == 404
    assert ilse.post(_close(demo, DAAN), data={**form, "reason": "anders"}).status_code in (400, 404)
    # the casusregisseur's own part does not end here (a handover does that)
    assert fatima.get(_close(demo, FATIMA)).status_code == 404


def test_a_wrong_reason_or_no_date_is_refused_in_words(end_app, demo):
    ilse = as_user(end_app, ILSE)
    form = form_values(page(ilse.get(_close(demo, ILSE))), _close(demo, ILSE))
    bad = ilse.post(_close(demo, ILSE), data={**form, "reason": "geheim"})
    assert bad.status_code == 422 and "Kies waarom het stopt." in page(bad)
    empty = ilse.post(_close(demo, ILSE), data={**form, "end_date": "", "reason": "anders"})
    assert empty.status_code == 422
    assert "Waarom gestopt" not in words(page(as_user(end_app, FATIMA).get(_team(demo))))


def test_a_stale_close_gets_the_merge_screen(end_app, demo):
    fatima, ilse = as_user(end_app, FATIMA), as_user(end_app, ILSE)
    url = _close(demo, ILSE)
    old = form_values(page(fatima.get(url)), url)
    mine = form_values(page(ilse.get(url)), url)
    assert ilse.post(url, data={**mine, "end_date": today().isoformat(),
                                "reason": "gezin_gestopt"}).status_code == 302
    stale = fatima.post(url, data={**old, "end_date": today().isoformat(), "reason": "anders"})
    assert stale.status_code == 409
    assert "Iemand anders heeft deze gegevens net veranderd" in page(stale)
    assert "Het gezin is gestopt" in words(page(fatima.get(_team(demo))))


def test_a_part_of_another_family_is_not_found(end_app, demo):
    from samenplan.families.models import Participant

    bakkers = take_on_the_bakkers(end_app)
    with db_session(end_app) as session:
        theirs = session.scalar(select(Participant.id).where(
            Participant.family_id == bakkers.family_id))
    fatima = as_user(end_app, FATIMA)
    url = f"{_team(demo)}/{theirs}/stoppen"
    assert fatima.get(url).status_code == 404
    assert fatima.post(url, data={"reason": "anders"}).status_code in (400, 404)


def test_an_end_date_passed_without_a_reason_is_on_the_worklist(end_app, demo):
    from samenplan.privacy.models import Involvement

    assert "einddatum" not in _worklist(end_app)
    with db_session(end_app) as session:
        involvement = session.scalar(select(Involvement).where(
            Involvement.participant_id == demo.participants[ILSE]))
        involvement.end_date = today() - timedelta(days=1)
        session.commit()
    assert "1 hulpverlener is over de einddatum, zonder reden van stoppen" in _worklist(end_app)
    ilse = as_user(end_app, ILSE)
    url = _close(demo, ILSE)
    form = form_values(page(ilse.get(url)), url)
    assert ilse.post(url, data={**form, "reason": "doel_bereikt"}).status_code == 302
    assert "einddatum" not in _worklist(end_app), "closed: no longer flagged"


def _close_as_fatima(app, demo, email: str, end_date) -> None:
    fatima = as_user(app, FATIMA)
    url = _close(demo, email)
    form = form_values(page(fatima.get(url)), url)
    assert fatima.post(url, data={**form, "end_date": end_date.isoformat(),
                                  "reason": "doel_bereikt"}).status_code == 302


def test_after_the_last_day_the_professional_is_out_of_the_plan(end_app, demo):
    """A part closed after its last day ends the participation at once; one with a later end
    date ends when the daily run passes that day; on the day itself they still work on it.
    Told in words on their next request, with nothing of the plan."""
    plan = f"/gezin/{demo.family_id}"
    _close_as_fatima(end_app, demo, ILSE, today() - timedelta(days=1))
    answer = as_user(end_app, ILSE).get(plan)
    assert answer.status_code == 404
    text = words(page(answer))
    assert "Je doet niet meer mee aan dit plan" in text
    assert demo.goal_titles[3] not in text

    _close_as_fatima(end_app, demo, DAAN, today())
    runner = end_app.test_cli_runner()
    runner.invoke(args=["send-reminders"])
    assert as_user(end_app, DAAN).get(plan).status_code == 200, "on his last day he still works on it"
    later = (today() + timedelta(days=1)).isoformat() + "T12:00:00"
    result = runner.invoke(args=["send-reminders", "--now", later])
    assert "1 deelnames beëindigd" in result.output, result.output
    assert as_user(end_app, DAAN).get(plan).status_code == 404
    # the casusregisseur's team no longer lists them as working on the plan
    assert "Daan Visser" not in words(page(as_user(end_app, FATIMA).get(f"{plan}/team")))


def test_a_part_past_its_end_date_without_a_reason_stays_until_it_is_closed(end_app, demo):
    from samenplan.families.models import Participant

    with db_session(end_app) as session:
        involvement = session.get(Participant, demo.participants[DAAN]).involvement
        involvement.end_date = today() - timedelta(days=3)
        session.commit()
    result = end_app.test_cli_runner().invoke(args=["send-reminders"])
    assert "deelnames beëindigd" not in result.output
    assert as_user(end_app, DAAN).get(f"/gezin/{demo.family_id}").status_code == 200
    assert "zonder reden van stoppen" in _worklist(end_app)
