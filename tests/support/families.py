"""A family taken on for real, through the screens (issue 10): the Bakkers, as the casusregisseur
of the demo (Fatima, Sociaal Wijkteam Noord) makes them at /gezin/nieuw — Anja (the mother,
LVB), Tim (14), Erik (Sem's father, living elsewhere, holding authority over Sem) and Sem (6) —
and what taking part takes: an invitation, and the invitee's account from the link in the mail.
Forms are sent as a browser sends them (`submit`), CSRF tokens included."""
from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import date, timedelta
from email import policy as email_policy
from pathlib import Path

from sqlalchemy import select

from tests.support.clients import as_user, csrf_token, db_session, page, path_of
from tests.support.html import dom, form_values
from tests.support.people import DEMO_TOTP_SECRET, FATIMA


def today() -> date:
    from samenplan.db import utcnow
    from samenplan.domain.ages import local_day

    return local_day(utcnow())


def born(years: int, days: int = 40) -> str:
    """The date of birth of someone `years` old today (and `days` past their birthday)."""
    day = today()
    try:
        birthday = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        birthday = date(day.year - years, 2, 28)
    return (birthday - timedelta(days=days)).isoformat()


# --- reading and sending forms as a browser does ------------------------------------------------
def submit(client, url: str, changes: dict | None = None, page_url: str | None = None):
    """GET the page, take what its form posting to `url` would send unchanged, change what a
    user would change (a list for check boxes), and POST it."""
    html = page(client.get(page_url or url))
    values = form_values(html, url)
    data: dict = {k: v if len(v) > 1 else v[0] for k, v in values.items()}
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(url, data=data)


def post_anyway(client, url: str, data: dict, page_url: str = "/"):
    """A POST as a script would send it: a valid CSRF token of this session, any fields."""
    return client.post(url, data={**data, "csrf_token": csrf_token(page(client.get(page_url)))})


# --- the database -------------------------------------------------------------------------------
def person_ids(app, family_id: int) -> dict[str, int]:
    from samenplan.families.models import Person

    with db_session(app) as session:
        return {p.first_name: p.id for p in session.scalars(
            select(Person).where(Person.family_id == family_id))}


def organisation_id(app, name: str) -> int:
    from samenplan.orgs.models import Organisation

    with db_session(app) as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def add_professional(app, organisation: str, kind: str, email: str, name: str) -> int:
    """An organisation (made when not there) and a professional working for it, who logs in with
    the demo's second factor: as its beheerder would have added them."""
    from samenplan.auth.models import User
    from samenplan.orgs.models import Organisation, OrganisationMember

    with db_session(app) as session:
        org = session.scalar(select(Organisation).where(Organisation.name == organisation))
        if org is None:
            org = Organisation(name=organisation, kind=kind, domains=email.split("@")[1])
            session.add(org)
        user = User(email=email, name=name, totp_secret=DEMO_TOTP_SECRET)
        session.add(user)
        session.add(OrganisationMember(user=user, organisation=org))
        session.commit()
        return org.id


# --- the Bakker family, taken on through the screens -----------------------------------------------
@dataclass
class Bakker:
    family_id: int
    persons: dict[str, int]

    @property
    def base(self) -> str:
        return f"/gezin/{self.family_id}"


def start(client, **changes):
    return submit(client, "/gezin/nieuw", changes)


def add(client, family_id: int, **changes):
    return submit(client, f"/gezin/{family_id}/gezinsleden/nieuw", changes)


def added_id(response) -> int:
    assert response.status_code == 302, page(response)[:3000]
    return int(response.headers["Location"].rsplit("#persoon-", 1)[1])


def household_of(html: str, name: str) -> str:
    """The value of the household option reading "Samen met <name>…"."""
    select_ = next(n for n in dom(html).iter() if n.tag == "select" and n.attrs.get("name") == "household")
    return next(o.attrs["value"] for o in select_.find_all("option")
                if o.text().startswith("Samen met") and name in o.text())


def take_on_the_bakkers(app) -> Bakker:
    fatima = as_user(app, FATIMA)
    started = start(fatima, family_name="Bakker", first_name="Anja", last_name="Bakker",
                    date_of_birth="1990-04-12", lvb="y")
    assert started.status_code == 302, page(started)[:3000]
    family_id = int(re.match(r"/gezin/(\d+)/gezinsleden$", path_of(started)).group(1))
    ids = person_ids(app, family_id)
    new = f"/gezin/{family_id}/gezinsleden/nieuw"
    at_anjas = household_of(page(fatima.get(new)), "Anja")
    tim = added_id(add(fatima, family_id, first_name="Tim", last_name="Bakker",
                       date_of_birth=born(14), household=at_anjas, holders=[str(ids["Anja"])]))
    erik = added_id(add(fatima, family_id, first_name="Erik", last_name="de Wit",
                        date_of_birth="1987-11-03", household="nieuw"))
    sem = added_id(add(fatima, family_id, first_name="Sem", last_name="de Wit",
                       date_of_birth=born(6), household=at_anjas,
                       holders=[str(ids["Anja"]), str(erik)]))
    return Bakker(family_id, {"Anja": ids["Anja"], "Tim": tim, "Erik": erik, "Sem": sem})


def invite_person(client, family: Bakker, name: str, email: str):
    """"Uitnodigen" at a person on the persons page: the invitation form comes filled in."""
    url = f"{family.base}/uitnodigen"
    html = page(client.get(f"{url}?persoon={family.persons[name]}"))
    values = form_values(html, url)
    assert values["role"] == ["family"] and values["person"] == [str(family.persons[name])]
    data = {k: v[0] for k, v in values.items()}
    data["email"] = email
    return client.post(url, data=data)


# --- joining from the mail in the outbox (MAIL_OUTBOX; no SMTP server) -------------------------------
LINK_RE = re.compile(r"https?://[^/\s]+(/\S+)")
NEW_PASSWORD = "een-heel-lang-wachtwoord-2026"


def invitation_link_in_outbox(app, address: str) -> str:
    """The path of the link in the one mail to `address` written to the app's outbox."""
    outbox = Path(app.config["MAIL_OUTBOX"])
    found = []
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email_policy.default)
        if message["To"] == address:
            found.append(message.get_body(preferencelist=("plain",)).get_content())
    assert len(found) == 1, f"expected one mail to {address} in the outbox, got {len(found)}"
    links = LINK_RE.findall(found[0])
    assert len(links) == 1, f"expected one link, got {links}"
    return links[0]


def join_from_outbox(app, address: str, name: str):
    """The invitee opens the link in the mail and makes an account; logged in afterwards (a
    family member: no second factor)."""
    client = app.test_client()
    link = invitation_link_in_outbox(app, address)
    html = page(client.get(link))
    accepted = client.post(link, data={"csrf_token": csrf_token(html), "name": name,
                                       "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert accepted.status_code == 302, page(accepted)[:3000]
    return client


def first_family_id(app) -> int:
    """The id of the first family in the database (the demo family, in a test that seeds it)."""
    from samenplan.families.models import Family

    with db_session(app) as session:
        return session.scalar(select(Family.id).order_by(Family.id))
