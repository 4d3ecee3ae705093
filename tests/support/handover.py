"""The warm handover of the casusregisseur (issue 13 item 5), as the tests drive it: a colleague
of Fatima's organisation who may take on families, the handover's steps through the screens,
and what the database says of who chairs."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.support.clients import csrf_token, db_session, page
from tests.support.families import add_professional, today
from tests.support.html import form_values

KARIN = "karin@wijkteam-noord.demo"
WIJKTEAM = "Sociaal Wijkteam Noord"


def add_colleague(app, email: str = KARIN, name: str = "Karin Mulder") -> int:
    """A colleague of Fatima's at the wijkteam who may take on families, logging in with the
    demo's password and second factor; returns the user id."""
    from samenplan.auth.models import User
    from samenplan.auth.passwords import hash_password
    from samenplan.orgs.models import OrganisationMember
    from tests.support.people import DEMO_PASSWORD

    add_professional(app, WIJKTEAM, "wijkteam", email, name)
    with db_session(app) as session:
        user = session.scalar(select(User).where(User.email == email))
        user.password_hash = hash_password(DEMO_PASSWORD)
        member = session.scalar(select(OrganisationMember).where(OrganisationMember.user_id == user.id))
        member.may_start_families = True
        session.commit()
        return user.id


def url(family_id: int, rest: str = "") -> str:
    return f"/gezin/{family_id}/overdracht{rest}"


def successor_key(html: str, name: str) -> str:
    """The value of the radio button of `name` on the start form."""
    from tests.support.html import dom

    for label in dom(html).find_all("label"):
        if label.text().startswith(name):
            return label.find("input").attrs["value"]
    raise AssertionError(f"{name} is not a choice")


def start(client, family_id: int, name: str, switch_on: date | None = None, reason: str = ""):
    html = page(client.get(url(family_id)))
    switch_on = switch_on or today() + timedelta(days=14)
    return client.post(url(family_id), data={
        "csrf_token": csrf_token(html), "successor": successor_key(html, name),
        "switch_on": switch_on.isoformat(), "reason": reason})


def record_meeting(client, family_id: int, person_ids: list[int], on: date | None = None,
                   note: str = ""):
    html = page(client.get(url(family_id)))
    values = form_values(html, url(family_id, "/kennismaking"))
    return client.post(url(family_id, "/kennismaking"), data={
        "csrf_token": values["csrf_token"][0], "version": values["version"][0],
        "meeting_on": (on or today()).isoformat(), "persons": [str(i) for i in person_ids],
        "note": note})


def switch(client, family_id: int, old_chair_stops: bool = True):
    html = page(client.get(url(family_id)))
    values = form_values(html, url(family_id, "/wisselen"))
    data = {"csrf_token": values["csrf_token"][0], "version": values["version"][0]}
    if old_chair_stops:
        data["old_chair_stops"] = "y"
    return client.post(url(family_id, "/wisselen"), data=data)


def chairs(app, family_id: int) -> list[str]:
    """The names of the family's active casusregisseur(s) in the database."""
    from samenplan.auth.models import User
    from samenplan.families.models import Participant

    with db_session(app) as session:
        return list(session.scalars(
            select(User.name).join(Participant, Participant.user_id == User.id).where(
                Participant.family_id == family_id, Participant.role == "casusregisseur",
                Participant.active)))


def notices_of(app, email: str) -> list[str]:
    """What `email` was told, as they read it (newest last)."""
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification
    from samenplan.web import notice_text

    with db_session(app) as session:
        with app.test_request_context("/"):
            return [notice_text(n) for n in session.scalars(
                select(Notification).join(User, User.id == Notification.user_id)
                .where(User.email == email).order_by(Notification.id))]
