"""Opschalen (issue 12 item 7): an action still undone after a reminder is escalated by the
casusregisseur to a named contact of the organisation responsible (the assignee's), with the
reason; the contact gets a message (without personal data when they take no part in the
plan); the outcome is recorded (version, history, the merge screen on a stale save); the
escalation is visible to those who may see the action, and to nobody else.

Through the real forms (CSRF token, the hidden version), on SQLite and PostgreSQL. The demo
(DESIGN.md §6) has one open escalation: Ilse's overdue action of goal 3 (Sandra's debts), to
Sem Stad of Schuldhulp Stad."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from samenplan.demo import ESCALATED_ACTION, ESCALATION_REASON
from tests.support.builders import add_action, add_other_family, revoke_consent
from tests.support.clients import as_user, csrf_token, db_session
from tests.support.clients import page as text_of
from tests.support.families import today
from tests.support.mail import mail_sent
from tests.support.pages import form_version, history_entries, merge_table, words
from tests.support.people import (
    BEHEER_GGZ, BEHEER_SCHULDHULP, DAAN, FATIMA, ILSE, JORIS, LISA, MARK, RIET, SANDRA,
)

REASON = "De afspraak bij de huisarts is er na de herinnering nog steeds niet gekomen"


@pytest.fixture
def esc_app(app, tmp_path):
    app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    app.config["PUBLIC_URL"] = "https://samenplan.example"
    return app


def escalations(app) -> list[tuple]:
    from samenplan.escalations.models import Escalation

    with db_session(app) as session:
        return [(e.id, e.action_id, e.contact.email, e.status.value, e.reason, e.outcome, e.version)
                for e in session.scalars(select(Escalation).order_by(Escalation.id))]


def user_id(app, email: str) -> int:
    from samenplan.auth.models import User

    with db_session(app) as session:
        return session.scalar(select(User.id).where(User.email == email))


def notices(app, email: str) -> list[tuple]:
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification

    with db_session(app) as session:
        return [(n.kind, n.params, n.link, n.family_id) for n in session.scalars(
            select(Notification).join(User, User.id == Notification.user_id)
            .where(User.email == email, Notification.kind.like("escalation%")))]


def send_reminders(app) -> None:
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    mail_sent()


def escalate_url(demo, action_id: int) -> str:
    return f"/gezin/{demo.family_id}/acties/{action_id}/opschalen"


def escalate(client, demo, action_id: int, contact, reason: str = REASON):
    html = text_of(client.get(escalate_url(demo, action_id)))
    token = csrf_token(html) if 'name="csrf_token"' in html else csrf_token(text_of(client.get("/")))
    return client.post(escalate_url(demo, action_id), data={
        "csrf_token": token, "contact": str(contact), "reason": reason})


def daans_overdue_action(app) -> int:
    """Overdue since yesterday, about Sandra's health, for Daan (GGZ Kompas)."""
    return add_action(app, "Verwijzing naar de huisarts regelen", DAAN,
                      today() - timedelta(days=1), category="gezondheid")


def demo_escalation(app) -> int:
    [(escalation_id, *_rest)] = [e for e in escalations(app) if e[4] == ESCALATION_REASON]
    return escalation_id


def test_the_demo_escalation_is_seen_by_who_sees_the_action_only(esc_app, demo):
    escalation_id = demo_escalation(esc_app)
    goal = f"/gezin/{demo.family_id}/doelen/{demo.goals[3]}"
    shown = f"/gezin/{demo.family_id}/opschalingen/{escalation_id}"
    fatima = words(text_of(as_user(esc_app, FATIMA).get(goal)))
    assert ESCALATION_REASON in fatima and "Opgeschaald naar Sem Stad (Schuldhulp Stad)" in fatima
    assert ESCALATION_REASON in words(text_of(as_user(esc_app, ILSE).get(shown)))
    sandra = words(text_of(as_user(esc_app, SANDRA).get(goal)))
    assert ESCALATION_REASON in sandra and "Extra hulp gevraagd" in sandra
    assert "Opgeschaald" not in sandra, "no professional's word on a family screen"
    for who in (MARK, LISA, RIET, DAAN, JORIS):
        client = as_user(esc_app, who)
        assert client.get(shown).status_code == 404, who
        assert ESCALATION_REASON not in text_of(client.get(f"/gezin/{demo.family_id}"))
    # Sandra takes back Schuldhulp Stad's consent: Ilse loses the action and its escalation
    revoke_consent(esc_app, demo.family_id, SANDRA, "Sandra → Schuldhulp Stad")
    assert as_user(esc_app, ILSE).get(shown).status_code == 404


def test_not_before_a_reminder_then_to_a_contact_who_hears_no_details(esc_app, demo):
    action_id = daans_overdue_action(esc_app)
    fatima = as_user(esc_app, FATIMA)
    before = escalations(esc_app)
    page = words(text_of(fatima.get(escalate_url(demo, action_id))))
    assert "Er is nog geen herinnering over deze actie verstuurd" in page
    response = escalate(fatima, demo, action_id, user_id(esc_app, BEHEER_GGZ))
    assert response.status_code == 422
    assert escalations(esc_app) == before
    goal_page = text_of(fatima.get(f"/gezin/{demo.family_id}/doelen/{_goal_of(esc_app, action_id)}"))
    assert escalate_url(demo, action_id) not in goal_page

    send_reminders(esc_app)  # Daan is reminded of it: now it may be escalated
    goal_page = text_of(fatima.get(f"/gezin/{demo.family_id}/doelen/{_goal_of(esc_app, action_id)}"))
    assert escalate_url(demo, action_id) in goal_page
    form = text_of(fatima.get(escalate_url(demo, action_id)))
    assert "Kies naar wie je opschaalt." not in form and ">Daan Visser<" not in form, \
        "the contact is someone else of the organisation, not the assignee"
    response = escalate(fatima, demo, action_id, user_id(esc_app, BEHEER_GGZ))
    assert response.status_code == 302, text_of(response)
    [(_id, escalated, contact, status, reason, outcome, _v)] = escalations(esc_app)[len(before):]
    assert (escalated, contact, status, reason, outcome) == (
        action_id, BEHEER_GGZ, "open", REASON, "")
    # the contact takes no part in the plan: the message names who asks, nothing of the family
    [(kind, params, link, family_id)] = notices(esc_app, BEHEER_GGZ)
    assert kind == "escalation" and link == "/meldingen" and family_id is None
    assert params == {"by": "Fatima El Amrani", "organisation": "Sociaal Wijkteam Noord"}
    listing = words(text_of(as_user(esc_app, BEHEER_GGZ).get("/meldingen")))
    assert "Fatima El Amrani (Sociaal Wijkteam Noord) vraagt je om contact op te nemen" in listing
    for detail in ("huisarts", "Sandra", "Jansen", REASON):
        assert detail not in listing
    # one open escalation at a time
    assert escalate(fatima, demo, action_id, user_id(esc_app, BEHEER_GGZ)).status_code == 422
    assert len(escalations(esc_app)) == len(before) + 1


def _goal_of(app, action_id: int) -> int:
    from samenplan.goals.models import Action

    with db_session(app) as session:
        return session.get(Action, action_id).goal_id


def test_a_done_action_or_one_of_the_family_is_not_escalated(esc_app, demo):
    done = add_action(esc_app, "Verwijzing al geregeld", DAAN, today() - timedelta(days=1),
                      category="gezondheid", done=True)
    sandras = add_action(esc_app, "Zelf de huisarts bellen", SANDRA, today() - timedelta(days=1))
    send_reminders(esc_app)
    fatima = as_user(esc_app, FATIMA)
    before = escalations(esc_app)
    assert "Deze actie is al klaar" in words(text_of(fatima.get(escalate_url(demo, done))))
    assert escalate(fatima, demo, done, user_id(esc_app, BEHEER_GGZ)).status_code == 422
    assert "geen hulpverlener van een organisatie" in words(text_of(fatima.get(escalate_url(demo, sandras))))
    assert escalate(fatima, demo, sandras, user_id(esc_app, BEHEER_GGZ)).status_code == 422
    assert escalations(esc_app) == before


def test_only_the_chair_escalates_and_only_to_the_organisations_own(esc_app, demo):
    action_id = daans_overdue_action(esc_app)
    send_reminders(esc_app)
    before = escalations(esc_app)
    for who in (SANDRA, DAAN, ILSE, RIET):
        client = as_user(esc_app, who)
        assert client.get(escalate_url(demo, action_id)).status_code == 404, who
        assert client.post(escalate_url(demo, action_id), data={
            "csrf_token": csrf_token(text_of(client.get("/"))), "reason": REASON,
            "contact": str(user_id(esc_app, BEHEER_GGZ))}).status_code == 404, who
    fatima = as_user(esc_app, FATIMA)
    # someone of another organisation, an unknown id, junk: 404, nothing saved
    for contact in (user_id(esc_app, BEHEER_SCHULDHULP), user_id(esc_app, JORIS), 999999, "x"):
        assert escalate(fatima, demo, action_id, contact).status_code == 404, contact
    # a record of another family, and an id that is no action at all
    other_family, _piet = add_other_family(esc_app)
    theirs = _a_record_of(esc_app, other_family)
    for foreign in (theirs, 10**6):
        assert escalate(fatima, demo, foreign, user_id(esc_app, BEHEER_GGZ)).status_code == 404
    assert escalations(esc_app) == before
    assert notices(esc_app, BEHEER_GGZ) == []


def _a_record_of(app, family_id: int) -> int:
    from samenplan.privacy.models import Record

    with db_session(app) as session:
        return session.scalar(select(Record.id).where(Record.family_id == family_id))


def test_the_outcome_is_recorded_with_history_and_a_stale_save_gets_the_merge_screen(esc_app, demo):
    escalation_id = demo_escalation(esc_app)
    shown = f"/gezin/{demo.family_id}/opschalingen/{escalation_id}"
    post_to = shown + "/uitkomst"
    fatima = as_user(esc_app, FATIMA)
    first, second = text_of(fatima.get(shown)), text_of(fatima.get(shown))

    def post(html, outcome):
        return fatima.post(post_to, data={"csrf_token": csrf_token(html),
                                          "version": form_version(html), "outcome": outcome})

    response = post(first, "   ")
    assert response.status_code == 422
    assert "Schrijf op wat de opschaling heeft opgeleverd." in text_of(response)
    assert post(first, "Sem belt Woonstad; de aanvraag gaat deze week de deur uit").status_code == 302
    [(_id, _a, _c, status, _r, outcome, _v)] = [e for e in escalations(esc_app) if e[0] == escalation_id]
    assert (status, outcome) == ("afgerond", "Sem belt Woonstad; de aanvraag gaat deze week de deur uit")
    response = post(second, "Woonstad wacht tot volgende maand")
    assert response.status_code == 409
    rows = merge_table(text_of(response))
    assert rows["Wat heeft het opgeleverd?"] == (
        "Sem belt Woonstad; de aanvraag gaat deze week de deur uit", "Woonstad wacht tot volgende maand")
    assert "Woonstad wacht tot volgende maand</textarea>" in text_of(response)
    assert [e for e in escalations(esc_app) if e[0] == escalation_id][0][5].startswith("Sem belt"), \
        "the stale save changed nothing"
    history = history_entries(text_of(fatima.get(shown)))
    assert history[0][0] == 2 and "Status : Open → Afgerond" in history[0][1]
    assert "Uitkomst" in history[0][1] and "Sem belt Woonstad" in history[0][1]
    assert "Sem belt Woonstad" in words(text_of(as_user(esc_app, SANDRA).get(shown)))


def test_no_one_but_the_chair_records_an_outcome(esc_app, demo):
    escalation_id = demo_escalation(esc_app)
    shown = f"/gezin/{demo.family_id}/opschalingen/{escalation_id}"
    for who in (SANDRA, ILSE, MARK, DAAN):
        client = as_user(esc_app, who)
        html = text_of(client.get("/"))
        assert client.post(shown + "/uitkomst", data={
            "csrf_token": csrf_token(html), "version": "1", "outcome": "Opgelost"}).status_code == 404
        if who in (SANDRA, ILSE):
            assert "Wat heeft het opgeleverd?" not in text_of(client.get(shown))
    # Fatima, with another family's id in the URL
    other_family, _piet = add_other_family(esc_app)
    fatima = as_user(esc_app, FATIMA)
    assert fatima.get(f"/gezin/{other_family}/opschalingen/{escalation_id}").status_code == 404
    assert [e for e in escalations(esc_app) if e[0] == escalation_id][0][3:6] == (
        "open", ESCALATION_REASON, "")


def test_the_demo_action_was_reminded_before_it_was_escalated(esc_app, demo):
    from samenplan.goals.models import Action
    from samenplan.notices.models import Reminder

    with db_session(esc_app) as session:
        action = session.scalar(select(Action).where(Action.what == ESCALATED_ACTION[0]))
        assert action.done_at is None and action.due_date < today()
        assert session.scalar(select(Reminder.id).where(Reminder.record_id == action.id))


def test_a_contact_who_takes_part_and_may_see_it_gets_a_link_into_the_plan(esc_app, demo):
    """GGZ Kompas's other member takes part in the plan too (Sandra's consent to GGZ Kompas
    covers them): the message links to the escalation, which they can open."""
    from samenplan.families.models import Participant
    from samenplan.orgs.models import Organisation

    with db_session(esc_app) as session:
        ggz = session.scalar(select(Organisation.id).where(Organisation.name == "GGZ Kompas"))
        session.add(Participant(family_id=demo.family_id, user_id=user_id(esc_app, BEHEER_GGZ),
                                role="professional", organisation_id=ggz))
        session.commit()
    action_id = daans_overdue_action(esc_app)
    send_reminders(esc_app)
    assert escalate(as_user(esc_app, FATIMA), demo, action_id,
                    user_id(esc_app, BEHEER_GGZ)).status_code == 302
    [(escalation_id, *_rest)] = [e for e in escalations(esc_app) if e[1] == action_id]
    [(kind, params, link, family_id)] = notices(esc_app, BEHEER_GGZ)
    assert (kind, params, family_id) == ("escalation_in_plan", {"by": "Fatima El Amrani"},
                                         demo.family_id)
    assert link == f"/gezin/{demo.family_id}/opschalingen/{escalation_id}"
    assert REASON in words(text_of(as_user(esc_app, BEHEER_GGZ).get(link)))
