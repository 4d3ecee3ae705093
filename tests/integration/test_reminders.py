"""Reminders (issue 12 item 6): `flask --app samenplan send-reminders` reminds of actions due
tomorrow and overdue, each once however often (and however many at once) it runs, in the
notifications and by mail, and never of an action the person may not see. "Tomorrow" is the
day in Amsterdam. On a family member's own screen an overdue action is a friendly nudge."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.support.builders import add_action, revoke_consent
from tests.support.clients import as_user, db_session, page
from tests.support.html import dom
from tests.support.mail import mail_sent, outbox_to
from tests.support.people import DAAN, FATIMA, SANDRA

NOW = "2031-03-10T10:00:00"  # 11:00 in Amsterdam: today is 10 March, tomorrow 11 March
TODAY = date(2031, 3, 10)


@pytest.fixture
def reminders_app(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    app.config["PUBLIC_URL"] = "https://samenplan.example"
    return app


def send(app, now: str = NOW) -> str:
    result = app.test_cli_runner().invoke(args=["send-reminders", "--now", now])
    assert result.exit_code == 0, result.output
    mail_sent()
    return result.output


def reminders_of(app, email: str) -> list:
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification

    with db_session(app) as session:
        return [(n.kind, n.params, n.link) for n in session.scalars(
            select(Notification).join(User, User.id == Notification.user_id)
            .where(User.email == email, Notification.kind.like("reminder_%"))
            .order_by(Notification.id))]


def outbox_count(app) -> int:
    return len(list(Path(app.config["MAIL_OUTBOX"]).glob("*.eml")))


def test_run_twice_sends_each_reminder_once(reminders_app, demo):
    due = add_action(reminders_app, "Formulier inleveren", SANDRA, TODAY + timedelta(days=1))
    late = add_action(reminders_app, "Bellen met de school", SANDRA, TODAY - timedelta(days=1))
    add_action(reminders_app, "Al gedaan", SANDRA, TODAY + timedelta(days=1), done=True)
    add_action(reminders_app, "Nog ver weg", SANDRA, TODAY + timedelta(days=5))

    # Sandra: due tomorrow and overdue; Fatima (casusregisseur): the overdue line
    assert send(reminders_app).strip() == "3 herinneringen verstuurd, 0 al eerder verstuurd"
    assert send(reminders_app).strip() == "0 herinneringen verstuurd, 3 al eerder verstuurd"

    sandra = reminders_of(reminders_app, SANDRA)
    assert sorted(kind for kind, _params, _link in sandra) == [
        "reminder_action_due", "reminder_action_overdue"]
    assert {link for *_rest, link in sandra} == {f"/gezin/{demo.family_id}#actie-{due}",
                                                 f"/gezin/{demo.family_id}#actie-{late}"}
    assert [kind for kind, *_ in reminders_of(reminders_app, FATIMA)] == [
        "reminder_action_overdue_chair"]
    assert outbox_count(reminders_app) == 3, "one mail per reminder, none on the second run"
    [mail, *_] = outbox_to(reminders_app, SANDRA)
    assert "Formulier" not in mail and "school" not in mail, "the mail tells no details"
    assert "https://samenplan.example/meldingen" in mail

    listing = page(as_user(reminders_app, SANDRA).get("/meldingen"))
    assert "Je hebt een actie voor morgen (11 maart)" in listing
    assert "Je had een actie voor 9 maart. Lukt het nog?" in listing


def test_the_next_day_the_overdue_action_is_not_reminded_again(reminders_app, demo):
    add_action(reminders_app, "Bellen met de school", SANDRA, TODAY - timedelta(days=1))
    send(reminders_app)
    assert "0 herinneringen verstuurd, 2 al eerder" in send(reminders_app, "2031-03-11T10:00:00")
    assert len(reminders_of(reminders_app, SANDRA)) == 1


def test_without_public_url_notifications_but_no_mail(reminders_app, demo):
    reminders_app.config["PUBLIC_URL"] = ""
    add_action(reminders_app, "Formulier inleveren", SANDRA, TODAY + timedelta(days=1))
    assert "1 herinneringen verstuurd" in send(reminders_app)
    assert len(reminders_of(reminders_app, SANDRA)) == 1
    assert outbox_count(reminders_app) == 0


def test_an_assignee_who_lost_sight_of_the_action_gets_nothing(reminders_app, demo):
    # about Sandra's health: Daan (GGZ) sees it through Sandra's consent, until she revokes it
    add_action(reminders_app, "Afspraak bij de huisarts", DAAN, TODAY + timedelta(days=1),
               category="gezondheid")
    revoke_consent(reminders_app, demo.family_id, SANDRA, "Sandra → GGZ Kompas")
    mail_sent()
    before = outbox_count(reminders_app)
    assert "0 herinneringen verstuurd, 0 al eerder" in send(reminders_app)
    assert reminders_of(reminders_app, DAAN) == []
    assert outbox_count(reminders_app) == before


def test_the_casusregisseur_hears_only_of_overdue_actions_they_may_see(reminders_app, demo):
    add_action(reminders_app, "Afspraak bij de huisarts", DAAN, TODAY - timedelta(days=2),
               category="gezondheid", author=DAAN)
    revoke_consent(reminders_app, demo.family_id, SANDRA, "Sandra → Sociaal Wijkteam Noord")
    mail_sent()
    send(reminders_app)
    assert [kind for kind, *_ in reminders_of(reminders_app, DAAN)] == ["reminder_action_overdue"]
    assert reminders_of(reminders_app, FATIMA) == [], \
        "Fatima may no longer see Sandra's health: no line about it"


@pytest.mark.parametrize("now, due, reminded", [
    # winter (UTC+1): 23:30 UTC on 14 January is 00:30 on the 15th in Amsterdam
    ("2031-01-14T23:30:00", date(2031, 1, 16), True),
    ("2031-01-14T23:30:00", date(2031, 1, 15), False),
    ("2031-01-14T22:30:00", date(2031, 1, 15), True),
    # summer (UTC+2): 22:30 UTC on 14 July is 00:30 on the 15th in Amsterdam
    ("2031-07-14T22:30:00", date(2031, 7, 16), True),
    ("2031-07-14T22:30:00", date(2031, 7, 15), False),
    ("2031-07-14T21:30:00", date(2031, 7, 15), True),
])
def test_tomorrow_is_the_day_in_amsterdam(reminders_app, demo, now, due, reminded):
    add_action(reminders_app, "Formulier inleveren", SANDRA, due)
    send(reminders_app, now)
    kinds = [kind for kind, *_ in reminders_of(reminders_app, SANDRA)]
    assert kinds == (["reminder_action_due"] if reminded else [])


def test_two_runs_at_once_send_each_reminder_once(reminders_app, demo, database_url):
    """Three cron runs at once (on SQLite they wait for each other's writes; on PostgreSQL they
    race to the unique row): each reminder is sent once."""
    from samenplan import db
    from samenplan.notices.reminders import send_reminders
    from samenplan.privacy.models import Notification

    for n in range(6):
        add_action(reminders_app, f"Actie {n}", SANDRA, TODAY + timedelta(days=1))
    now = datetime.fromisoformat(NOW)
    start = threading.Barrier(3)
    tallies = []

    def run():
        with reminders_app.app_context():
            start.wait()
            tallies.append(send_reminders(db.session(), now))

    runs = [threading.Thread(target=run) for _ in range(3)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    mail_sent()
    assert sum(t.sent for t in tallies) == 6
    assert sum(t.already for t in tallies) == 12
    with db_session(reminders_app) as session:
        assert session.scalar(select(func.count(Notification.id))
                              .where(Notification.kind == "reminder_action_due")) == 6
    assert outbox_count(reminders_app) == 6


def test_an_overdue_action_is_a_nudge_for_sandra_and_te_laat_for_fatima(reminders_app, demo):
    from samenplan.db import utcnow
    from samenplan.domain.ages import local_day

    due = local_day(utcnow()) - timedelta(days=3)
    action_id = add_action(reminders_app, "Bellen met de school", SANDRA, due)
    sandra = dom(page(as_user(reminders_app, SANDRA).get(f"/gezin/{demo.family_id}")))
    fatima = dom(page(as_user(reminders_app, FATIMA).get(f"/gezin/{demo.family_id}")))
    hers = sandra.find(id=f"actie-{action_id}")
    theirs = fatima.find(id=f"actie-{action_id}")
    assert "Lukt het nog?" in hers.text() and "Dit was voor" in hers.text()
    assert "te laat" not in hers.text() and "overdue" not in hers.classes()
    assert "te laat" in theirs.text() and "overdue" in theirs.classes()
    assert "Lukt het nog?" not in theirs.text()


def test_evaluations_of_tomorrow_are_reminded_once_through_the_hook(reminders_app, demo):
    """`remind_evaluations` takes the evaluations as plain data (the evaluation model plugs in
    later): tomorrow's once per user, another day's not at all."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.notices.reminders import UpcomingEvaluation, remind_evaluations

    now = datetime.fromisoformat(NOW)
    with reminders_app.test_request_context("/"):
        session = db.session()
        sandra = session.scalar(select(User.id).where(User.email == SANDRA))
        upcoming = [
            UpcomingEvaluation(7, demo.family_id, TODAY + timedelta(days=1), (sandra, sandra),
                               f"/gezin/{demo.family_id}"),
            UpcomingEvaluation(8, demo.family_id, TODAY + timedelta(days=2), (sandra,),
                               f"/gezin/{demo.family_id}"),
        ]
        first = remind_evaluations(session, now, upcoming)
        again = remind_evaluations(session, now, upcoming)
    mail_sent()
    assert (first.sent, first.already, again.sent, again.already) == (1, 0, 0, 1)
    assert [kind for kind, *_ in reminders_of(reminders_app, SANDRA)] == [
        "reminder_evaluation_tomorrow"]
    assert outbox_count(reminders_app) == 1
    assert "Morgen (11 maart) is de evaluatie van het plan." in page(
        as_user(reminders_app, SANDRA).get("/meldingen"))


def test_an_evaluation_of_tomorrow_is_reminded_once_to_each_invitee(reminders_app, demo):
    """Wired to the Evaluation model: a planned evaluation of tomorrow (local day) reminds each
    invitee who may see it, once, however often the command runs; a cancelled one, one of the
    day after, and an invitee who may no longer see it get nothing."""
    from tests.support.builders import plan_evaluation
    from tests.support.people import MARK, RIET

    tomorrow_10 = datetime(2031, 3, 11, 9, 0)  # 10:00 in Amsterdam
    evaluation = plan_evaluation(reminders_app, tomorrow_10, [SANDRA, MARK, DAAN])
    plan_evaluation(reminders_app, tomorrow_10, [RIET], cancelled=True)
    plan_evaluation(reminders_app, datetime(2031, 3, 12, 9, 0), [RIET])
    # Daan is invited and may read it through Sandra's consent, until she revokes it
    revoke_consent(reminders_app, demo.family_id, SANDRA, "Sandra → GGZ Kompas")
    mail_sent()
    before = outbox_count(reminders_app)

    assert send(reminders_app).strip() == "2 herinneringen verstuurd, 0 al eerder verstuurd"
    assert send(reminders_app).strip() == "0 herinneringen verstuurd, 2 al eerder verstuurd"

    link = f"/gezin/{demo.family_id}/evaluaties/{evaluation}"
    for who in (SANDRA, MARK):
        assert reminders_of(reminders_app, who) == [
            ("reminder_evaluation_tomorrow", {"day": "2031-03-11"}, link)]
    assert reminders_of(reminders_app, DAAN) == [], "Daan may no longer see it"
    assert reminders_of(reminders_app, RIET) == [], "hers is cancelled, or the day after"
    assert outbox_count(reminders_app) == before + 2
    assert "Morgen (11 maart) is de evaluatie van het plan." in page(
        as_user(reminders_app, MARK).get("/meldingen"))


def test_late_in_the_evening_tomorrow_is_still_the_day_in_amsterdam(reminders_app, demo):
    """At 23:30 UTC on 10 March it is already 11 March in Amsterdam: an evaluation at 00:30 UTC
    on the 12th (01:30 local, the 12th) is tomorrow; one on the 11th is today."""
    from tests.support.builders import plan_evaluation

    plan_evaluation(reminders_app, datetime(2031, 3, 11, 9, 0), [SANDRA])
    plan_evaluation(reminders_app, datetime(2031, 3, 12, 0, 30), [SANDRA])
    send(reminders_app, "2031-03-10T23:30:00")
    assert [p["day"] for _kind, p, _link in reminders_of(reminders_app, SANDRA)] == ["2031-03-12"]


def test_a_mail_link_is_built_outside_a_request_on_the_public_url(reminders_app):
    """`external_url` in a command (no request), with SERVER_NAME set as in production: the
    path on PUBLIC_URL, not an absolute URL glued onto it; without PUBLIC_URL on SERVER_NAME."""
    from samenplan.web import external_url

    with reminders_app.app_context():
        assert external_url("notices.index") == "https://samenplan.example/meldingen"
        reminders_app.config["PUBLIC_URL"] = ""
        assert external_url("notices.index") == \
            f"http://{reminders_app.config['SERVER_NAME']}/meldingen"
