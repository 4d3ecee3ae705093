"""Starting for real (issue 10, items 1 and 2): the first administrator on the command line, the
administrator adding organisations and naming their functioneel beheerders, a beheerder
managing the organisation's professionals (inviting, letting a leaver go, who may start a
family, the login provider), and every one of those routes refused to whoever is not meant to
call it - another organisation's beheerder posting this organisation's ids included.

Mail goes over a real SMTP server (aiosmtpd with STARTTLS, tests/integration/
test_mail_and_invitations.py); the login provider is the real `oidc-provider`
(tests/integration/test_sso.py). Both databases."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import reset_database
from tests.integration.test_mail_and_invitations import (  # noqa: F401 - fixtures
    NEW_PASSWORD, link_in, mail_app, mail_app_with, mailbox, only_mail_to, post_form, smtp_server,
    text_part,
)
from tests.integration.test_sso import (  # noqa: F401 - fixtures
    CLIENT_ID, CLIENT_SECRET, assert_refused, logged_in, node, provider, sso_login,
)
from tests.integration.test_migrations import alembic_config, scratch_url  # noqa: F401 - fixture
from tests.support.clients import as_user, csrf_token, db_session, login, page, path_of
from tests.support.html import dom
from tests.support.people import (
    ADMIN, BEHEER_GGZ, BEHEER_WIJKTEAM, DAAN, FATIMA, ILSE, SANDRA,
)

WIJKTEAM = "Sociaal Wijkteam Noord"
GGZ = "GGZ Kompas"


# --- helpers ---------------------------------------------------------------------------------------
def org_id(app, name: str) -> int:
    from samenplan.orgs.models import Organisation

    with db_session(app) as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def member_row(app, email: str, organisation: str):
    """(member id, active, may_start_families, is_beheerder) of `email` at `organisation`."""
    from samenplan.auth.models import User
    from samenplan.orgs.models import Organisation, OrganisationMember

    with db_session(app) as session:
        row = session.execute(
            select(OrganisationMember.id, OrganisationMember.active, OrganisationMember.may_start_families,
                   OrganisationMember.is_beheerder)
            .join(User, User.id == OrganisationMember.user_id)
            .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
            .where(User.email == email, Organisation.name == organisation)
        ).first()
        return tuple(row) if row else None


def user_row(app, email: str):
    from samenplan.auth.models import User

    with db_session(app) as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is not None:
            session.expunge(user)
        return user


def send(client, url: str, data: dict | None = None, page_url: str | None = None):
    """POST like a browser from `page_url` (default: the URL itself, or the home page when it
    has no page of its own): with that page's CSRF token."""
    html = page(client.get(page_url or "/"))
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(html)})


def enrol_second_factor(client) -> str:
    """Set up the authenticator app on the enrolment page; returns the recovery codes page."""
    from samenplan.auth.twofactor import code_at

    html = page(client.get("/login/tweestaps/instellen"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    done = client.post("/login/tweestaps/instellen", data={
        "code": code_at(secret, int(time.time() // 30)), "csrf_token": csrf_token(html)})
    assert done.status_code == 200, page(done)
    assert "Je herstelcodes" in page(done)
    return page(done)


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    """The welcome link: the form, then the password; on to the second factor."""
    shown = client.get(link)
    assert shown.status_code == 200, page(shown)
    chosen = client.post(link, data={"password": password, "password_again": password,
                                     "csrf_token": csrf_token(page(shown))})
    assert chosen.status_code == 302 and path_of(chosen) == "/login/tweestaps", page(chosen)
    assert client.get("/").status_code == 302, "in before the second factor"
    assert path_of(client.get("/login/tweestaps")) == "/login/tweestaps/instellen"
    return chosen


def flashes(html: str) -> list[str]:
    return [n.text() for n in dom(html).find_all("p") if "flash" in n.classes()]


def field_value(html: str, name: str) -> str | None:
    found = [n for n in dom(html).find_all("input") if n.attrs.get("name") == name]
    return found[0].attrs.get("value") if found else None


def errors(html: str) -> str:
    return " ".join(n.text() for n in dom(html).iter() if "error" in n.classes())


# --- the first administrator -------------------------------------------------------------------------
def test_admin_create_in_production_mails_a_link_and_refuses_a_second(app, database_url, smtp_server, mailbox):
    """A new installation (empty database, SAMENPLAN_ENV=production: no demo) starts with
    `flask admin create`: the link to choose a password is mailed, on PUBLIC_URL, and not
    printed; the administrator chooses a password and must set up two-factor login; a second
    run is refused unless --another."""
    reset_database(database_url)
    with mail_app_with(database_url, smtp_server, SAMENPLAN_ENV="production",
                       PUBLIC_URL="https://samenplan.test") as production:
        cli = production.test_cli_runner()
        assert cli.invoke(args=["seed-demo"]).exit_code != 0  # production: never the demo
        made = cli.invoke(args=["admin", "create", " Anna@Voorbeeld.NL ", "--name", "Anna de Vries"])
        assert made.exit_code == 0, made.output
        assert "Administrator Anna de Vries <anna@voorbeeld.nl> created." in made.output
        assert "/welkom/" not in made.output, "the link is mailed, never printed, when mail is set up"
        received = only_mail_to(mailbox, "anna@voorbeeld.nl")
        assert received.message["Subject"] == "Welkom bij samenplan"
        text = text_part(received)
        assert "Hallo Anna de Vries," in text and "Je bent nu beheerder van samenplan." in text
        links = re.findall(r"https?://\S+", text)
        assert len(links) == 1 and links[0].startswith("https://samenplan.test/welkom/"), links  # PUBLIC_URL

        again = cli.invoke(args=["admin", "create", "bert@voorbeeld.nl", "--name", "Bert"])
        assert again.exit_code != 0
        assert "there is an administrator already (anna@voorbeeld.nl); add --another" in again.output
        assert user_row(production, "bert@voorbeeld.nl") is None and len(mailbox.messages) == 1
        another = cli.invoke(args=["admin", "create", "bert@voorbeeld.nl", "--name", "Bert Bos", "--another"])
        assert another.exit_code == 0, another.output
        assert user_row(production, "bert@voorbeeld.nl").is_admin

    anna = app.test_client()
    link = link_in(received)
    assert anna.get("/beheer").status_code == 302  # not logged in: to the login page
    too_short = anna.post(link, data={"password": "kort", "password_again": "kort",
                                      "csrf_token": csrf_token(page(anna.get(link)))})
    assert too_short.status_code == 422 and "minstens 15 tekens" in page(too_short)
    choose_password(anna, link)
    assert anna.get(link).status_code == 410, "the link works once"
    enrol_second_factor(anna)
    home = page(anna.get("/"))
    assert 'href="/beheer"' in home
    overview = anna.get("/beheer")
    assert overview.status_code == 200 and "Beheer van samenplan" in page(overview)
    assert user_row(app, "anna@voorbeeld.nl").totp_secret, "two-factor login is set up"
    # the password works, and asks for the second step
    fresh = app.test_client()
    token = csrf_token(page(fresh.get("/login")))
    step = fresh.post("/login", data={"email": "anna@voorbeeld.nl", "password": NEW_PASSWORD, "csrf_token": token})
    assert path_of(step) == "/login/tweestaps"
    # an administrator with a password: nothing to do
    twice = app.test_cli_runner().invoke(args=["admin", "create", "anna@voorbeeld.nl", "--another", "--name", "x"])
    assert twice.exit_code != 0 and "anna@voorbeeld.nl is an administrator already" in twice.output


def test_admin_create_without_mail_prints_a_one_time_link(app, database_url, tmp_path):
    reset_database(database_url)
    app.config.update(MAIL_OUTBOX=str(tmp_path / "outbox"), SMTP_HOST="")
    cli = app.test_cli_runner()
    wrong = cli.invoke(args=["admin", "create", "geen-adres", "--name", "Anna"])
    assert wrong.exit_code != 0 and "is not an e-mail address" in wrong.output
    asked = cli.invoke(args=["admin", "create", "anna@voorbeeld.nl"], input="Anna de Vries\n")
    assert asked.exit_code == 0, asked.output
    assert "Name:" in asked.output  # asked for the name
    links = re.findall(r"http://samenplan\.test(/welkom/\S+)", asked.output)
    assert len(links) == 1, asked.output
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").iterdir())
    assert user_row(app, "anna@voorbeeld.nl").name == "Anna de Vries"
    # not chosen a password yet: running it again gives a new link, and the old one stops
    again = cli.invoke(args=["admin", "create", "anna@voorbeeld.nl", "--name", "Anna de Vries"])
    assert again.exit_code == 0 and "has not chosen a password yet" in again.output
    new_link = re.findall(r"http://samenplan\.test(/welkom/\S+)", again.output)[0]
    client = app.test_client()
    assert client.get(links[0]).status_code == 410
    assert client.get(new_link).status_code == 200


def test_the_demo_administrator_exists_so_admin_create_refuses(app):
    result = app.test_cli_runner().invoke(args=["admin", "create", "nieuw@voorbeeld.nl", "--name", "Nieuw"])
    assert result.exit_code != 0 and ADMIN in result.output
    assert user_row(app, "nieuw@voorbeeld.nl") is None


# --- the administrator adds an organisation, names its beheerder; she adds a professional ------------
def test_from_organisation_to_beheerder_to_professional(mail_app, mailbox):
    admin = as_user(mail_app, ADMIN)
    # bad input: a clear message, and what was typed stays
    wrong = send(admin, "/beheer/organisaties", {"name": "Jeugdhulp Oost", "kind": "jeugdhulp",
                                                 "domains": "jeugdhulp-oost.example, ggz-kompas.demo"}, "/beheer")
    assert wrong.status_code == 422
    assert "Dit domein hoort al bij een andere organisatie: ggz-kompas.demo." in errors(page(wrong))
    assert field_value(page(wrong), "name") == "Jeugdhulp Oost"
    empty = send(admin, "/beheer/organisaties", {"name": "", "kind": "", "domains": ""}, "/beheer")
    assert empty.status_code == 422
    assert "Vul de naam van de organisatie in." in errors(page(empty))
    assert "Kies wat voor organisatie het is." in errors(page(empty))
    assert org_id(mail_app, "Jeugdhulp Oost") is None

    added = send(admin, "/beheer/organisaties", {"name": "Jeugdhulp Oost", "kind": "jeugdhulp",
                                                 "domains": " Jeugdhulp-Oost.example "}, "/beheer")
    assert added.status_code == 302, page(added)
    oost = org_id(mail_app, "Jeugdhulp Oost")
    assert path_of(added) == f"/beheer/organisaties/{oost}"
    overview = page(admin.get("/beheer"))
    assert "Jeugdhulp Oost" in overview and "jeugdhulp-oost.example" in overview
    assert "Nog geen functioneel beheerder." in overview

    named = send(admin, f"/beheer/organisaties/{oost}/beheerders",
                 {"name": "Olga Oost", "email": "Olga@Jeugdhulp-Oost.example"}, f"/beheer/organisaties/{oost}")
    assert named.status_code == 302, page(named)
    assert "Olga Oost krijgt een e-mail op olga@jeugdhulp-oost.example." in flashes(page(admin.get(path_of(named))))
    mail = only_mail_to(mailbox, "olga@jeugdhulp-oost.example")
    assert "functioneel beheerder van Jeugdhulp Oost" in text_part(mail)
    assert "Bram Beheer heeft je functioneel beheerder van Jeugdhulp Oost gemaakt" in text_part(mail)
    assert member_row(mail_app, "olga@jeugdhulp-oost.example", "Jeugdhulp Oost")[1:] == (True, False, True)

    olga = mail_app.test_client()
    choose_password(olga, link_in(mail))
    enrol_second_factor(olga)
    assert f'href="/organisatie/{oost}"' in page(olga.get("/"))
    members = olga.get(f"/organisatie/{oost}")
    assert members.status_code == 200 and "Olga Oost" in page(members)

    # a professional: only an address of the organisation's own domains
    outside = send(olga, f"/organisatie/{oost}/hulpverleners",
                   {"name": "Piet Puk", "email": "piet@gmail.example", "may_start": "y"}, f"/organisatie/{oost}")
    assert outside.status_code == 422
    assert "Gebruik een e-mailadres van Jeugdhulp Oost: het eindigt op @jeugdhulp-oost.example." in errors(page(outside))
    assert field_value(page(outside), "name") == "Piet Puk"
    assert field_value(page(outside), "email") == "piet@gmail.example"
    invited = send(olga, f"/organisatie/{oost}/hulpverleners",
                   {"name": "Piet Puk", "email": "piet@jeugdhulp-oost.example", "may_start": "y"},
                   f"/organisatie/{oost}")
    assert invited.status_code == 302, page(invited)
    mail = only_mail_to(mailbox, "piet@jeugdhulp-oost.example")
    assert "Olga Oost heeft je als hulpverlener van Jeugdhulp Oost in samenplan gezet." in text_part(mail)
    assert "Heeft nog geen wachtwoord gekozen" in page(olga.get(f"/organisatie/{oost}"))
    # lost the mail? adding him again sends a new link, and the first stops working
    mailbox.clear()
    resent = send(olga, f"/organisatie/{oost}/hulpverleners",
                  {"name": "Piet Puk", "email": "piet@jeugdhulp-oost.example", "may_start": "y"},
                  f"/organisatie/{oost}")
    assert resent.status_code == 302
    piet = mail_app.test_client()
    assert piet.get(link_in(mail)).status_code == 410
    choose_password(piet, link_in(only_mail_to(mailbox, "piet@jeugdhulp-oost.example")))
    enrol_second_factor(piet)
    assert piet.get("/").status_code == 200
    assert "Heeft nog geen wachtwoord gekozen" not in page(olga.get(f"/organisatie/{oost}"))
    twice = send(olga, f"/organisatie/{oost}/hulpverleners",
                 {"name": "Piet Puk", "email": "piet@jeugdhulp-oost.example"}, f"/organisatie/{oost}")
    assert twice.status_code == 422 and "Piet Puk werkt al bij Jeugdhulp Oost in samenplan." in errors(page(twice))
    assert member_row(mail_app, "piet@jeugdhulp-oost.example", "Jeugdhulp Oost")[1:] == (True, True, False)
    assert user_row(mail_app, "piet@jeugdhulp-oost.example").totp_secret


def test_an_existing_account_is_told_to_log_in_as_ever(mail_app, mailbox):
    """An account with a password already (Ilse of Schuldhulp Stad, named beheerder of the
    wijkteam too: the administrator may name anyone) gets no link to choose one, but the way
    to log in; her name stays hers."""
    admin = as_user(mail_app, ADMIN)
    wijkteam = org_id(mail_app, WIJKTEAM)
    named = send(admin, f"/beheer/organisaties/{wijkteam}/beheerders",
                 {"name": "Ilse", "email": ILSE}, f"/beheer/organisaties/{wijkteam}")
    assert named.status_code == 302
    text = text_part(only_mail_to(mailbox, ILSE))
    assert "/welkom/" not in text and "http://samenplan.test/login" in text
    assert member_row(mail_app, ILSE, WIJKTEAM)[1:] == (True, False, True)
    assert user_row(mail_app, ILSE).name == "Ilse Smit"  # her own name stays


# --- a leaver ---------------------------------------------------------------------------------------
def test_a_leaver_loses_every_plan_and_every_login_at_once(app, demo):
    from samenplan import db
    from samenplan.auth.models import User, UserSession
    from samenplan.families.models import Participant
    from samenplan.privacy.access import access_for

    f = demo.family_id
    ggz = org_id(app, GGZ)
    daan_office, daan_phone = as_user(app, DAAN), as_user(app, DAAN)
    assert daan_office.get(f"/gezin/{f}").status_code == 200
    assert daan_phone.get(f"/gezin/{f}").status_code == 200
    daan_member = member_row(app, DAAN, GGZ)[0]

    beheerder = as_user(app, BEHEER_GGZ)
    card = page(beheerder.get(f"/organisatie/{ggz}/hulpverleners/{daan_member}"))
    assert f'href="/organisatie/{ggz}/hulpverleners/{daan_member}/uit-dienst"' in card
    confirm = beheerder.get(f"/organisatie/{ggz}/hulpverleners/{daan_member}/uit-dienst")
    html = page(confirm)
    assert confirm.status_code == 200
    assert "Daan Visser doet mee aan 1 gezinsplan voor GGZ Kompas." in html  # how many ...
    assert "Jansen" not in html and "Sandra" not in html  # ... never which
    assert member_row(app, DAAN, GGZ)[1] is True, "a GET changes nothing"

    done = beheerder.post(f"/organisatie/{ggz}/hulpverleners/{daan_member}/uit-dienst",
                          data={"csrf_token": csrf_token(html)})
    assert done.status_code == 302 and path_of(done) == f"/organisatie/{ggz}"
    listing = page(beheerder.get(path_of(done)))
    assert any("Daan Visser werkt niet meer bij GGZ Kompas" in m for m in flashes(listing))
    assert "Uit dienst sinds" in listing

    # his next request, on every device: logged out, and no plan
    for client in (daan_office, daan_phone):
        response = client.get(f"/gezin/{f}")
        assert response.status_code == 302 and path_of(response) == "/login"
    with app.app_context():
        session = db.session()
        daan = session.scalar(select(User).where(User.email == DAAN))
        open_sessions = session.scalars(select(UserSession).where(
            UserSession.user_id == daan.id, UserSession.ended_at.is_(None))).all()
        assert open_sessions == []
        assert not session.scalar(select(Participant.active).where(Participant.user_id == daan.id))
        assert access_for(session, daan, f) is None
        assert daan.active is False  # nothing left to log in for
    assert member_row(app, DAAN, GGZ)[1:3] == (False, False)
    # and he cannot log in again
    again = login(app.test_client(), DAAN)
    assert again.status_code == 401

    # the casusregisseur is told, on the plan; the family still has her
    fatima = page(as_user(app, FATIMA).get(f"/gezin/{f}"))
    assert "Daan Visser werkt niet meer bij GGZ Kompas en doet niet meer mee aan dit plan." in fatima
    assert "zonder vaste hulpverlener" not in fatima
    # the audit chains still hold
    verified = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_a_family_whose_casusregisseur_leaves_is_without_one(app, demo):
    f = demo.family_id
    wijkteam = org_id(app, WIJKTEAM)
    sandra = as_user(app, SANDRA)
    assert "zonder vaste hulpverlener" not in page(sandra.get(f"/gezin/{f}"))
    fatima = as_user(app, FATIMA)
    beheerder = as_user(app, BEHEER_WIJKTEAM)
    fatima_member = member_row(app, FATIMA, WIJKTEAM)[0]
    url = f"/organisatie/{wijkteam}/hulpverleners/{fatima_member}/uit-dienst"
    done = send(beheerder, url, page_url=url)
    assert done.status_code == 302
    plan = page(sandra.get(f"/gezin/{f}"))
    assert "Dit plan is nu zonder vaste hulpverlener." in plan
    home = dom(page(sandra.get("/")))
    assert "Zonder vaste hulpverlener" in home.text()
    assert path_of(fatima.get(f"/gezin/{f}")) == "/login"
    # Daan still works on the plan, and sees the same
    assert "Dit plan is nu zonder vaste hulpverlener." in page(as_user(app, DAAN).get(f"/gezin/{f}"))


def test_without_domains_a_beheerder_adds_nobody(app):
    """Until the administrator sets the organisation's e-mail domains, its beheerder cannot add
    anyone: else they could claim any account (a parent's, say) as theirs, and then end it."""
    from samenplan import db
    from samenplan.orgs.models import Organisation

    ggz = org_id(app, GGZ)
    with app.app_context():
        db.session().execute(update(Organisation).where(Organisation.id == ggz).values(domains=None))
        db.session().commit()
    beheerder = as_user(app, BEHEER_GGZ)
    before = _unchanged(app)
    refused = send(beheerder, f"/organisatie/{ggz}/hulpverleners", {"name": "Sandra", "email": SANDRA},
                   f"/organisatie/{ggz}")
    assert refused.status_code == 422
    assert "Je organisatie heeft nog geen e-maildomeinen in samenplan." in errors(page(refused))
    assert _unchanged(app) == before and member_row(app, SANDRA, GGZ) is None


def test_a_beheerder_cannot_let_themselves_go(app):
    ggz = org_id(app, GGZ)
    me = member_row(app, BEHEER_GGZ, GGZ)[0]
    beheerder = as_user(app, BEHEER_GGZ)
    url = f"/organisatie/{ggz}/hulpverleners/{me}/uit-dienst"
    assert "Jezelf uit dienst melden kan niet." in page(beheerder.get(url))
    refused = send(beheerder, url, page_url=f"/organisatie/{ggz}")
    assert refused.status_code == 422 and "Je kunt jezelf niet uit dienst melden." in page(refused)
    assert member_row(app, BEHEER_GGZ, GGZ)[1] is True


# --- who may start a family ---------------------------------------------------------------------------
def test_the_beheerder_decides_who_may_start_a_family(app):
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.orgs.services import may_start_families

    ggz = org_id(app, GGZ)
    daan = member_row(app, DAAN, GGZ)[0]
    assert member_row(app, DAAN, GGZ)[2] is False
    assert member_row(app, FATIMA, WIJKTEAM)[2] is True  # the demo's casusregisseur may
    beheerder = as_user(app, BEHEER_GGZ)
    url = f"/organisatie/{ggz}/hulpverleners/{daan}"
    yes = send(beheerder, f"{url}/starten", {"allowed": "ja"}, url)
    assert yes.status_code == 302
    assert "Daan Visser mag nu gezinnen starten." in flashes(page(beheerder.get(path_of(yes))))
    assert member_row(app, DAAN, GGZ)[2] is True
    with app.app_context():
        user = db.session().scalar(select(User).where(User.email == DAAN))
        assert may_start_families(db.session(), user) and may_start_families(db.session(), user, ggz)
        assert not may_start_families(db.session(), user, org_id(app, WIJKTEAM))
    nonsense = send(beheerder, f"{url}/starten", {"allowed": "misschien"}, url)
    assert nonsense.status_code == 422 and member_row(app, DAAN, GGZ)[2] is True
    no = send(beheerder, f"{url}/starten", {"allowed": "nee"}, url)
    assert no.status_code == 302 and member_row(app, DAAN, GGZ)[2] is False


# --- the login provider ---------------------------------------------------------------------------------
SECRET = "een-heel-geheim-geheim-0123456789"


def sso_values(app, name: str):
    from samenplan.orgs.models import Organisation

    with db_session(app) as session:
        o = session.scalar(select(Organisation).where(Organisation.name == name))
        return (o.oidc_issuer, o.oidc_client_id, o.oidc_client_secret, o.oidc_domains)


def test_the_login_provider_screen(app):
    wijkteam = org_id(app, WIJKTEAM)
    url = f"/organisatie/{wijkteam}/inloggen"
    beheerder = as_user(app, BEHEER_WIJKTEAM)
    shown = beheerder.get(url)
    assert shown.status_code == 200 and "Staat uit." in page(shown)
    assert "http://samenplan.test/login/organisatie/terug" in page(shown)  # for their ICT
    saved = send(beheerder, url, {"issuer": "https://login.wijkteam-noord.demo", "client_id": "samenplan",
                                  "client_secret": SECRET, "domains": "wijkteam-noord.demo"}, url)
    assert saved.status_code == 302, page(saved)
    assert sso_values(app, WIJKTEAM) == ("https://login.wijkteam-noord.demo", "samenplan", SECRET,
                                         "wijkteam-noord.demo")
    html = page(beheerder.get(url))
    assert SECRET not in html and SECRET[:8] not in html and SECRET[-8:] not in html
    assert "Er is een geheim opgeslagen. Het wordt nooit getoond." in html
    assert "Staat aan voor: wijkteam-noord.demo" in html
    # an empty secret keeps the saved one
    kept = send(beheerder, url, {"issuer": "https://login.wijkteam-noord.demo", "client_id": "samenplan-2",
                                 "client_secret": "", "domains": "wijkteam-noord.demo"}, url)
    assert kept.status_code == 302 and sso_values(app, WIJKTEAM)[1:3] == ("samenplan-2", SECRET)
    # another organisation's domain, or a provider without https: refused, what was typed stays
    for issuer, domains, message in (
        ("https://login.wijkteam-noord.demo", "ggz-kompas.demo",
         "Dit domein is niet van je organisatie: ggz-kompas.demo."),
        ("http://login.wijkteam-noord.demo", "wijkteam-noord.demo", "begint met https://"),
    ):
        refused = send(beheerder, url, {"issuer": issuer, "client_id": "iets-anders", "client_secret": "",
                                        "domains": domains}, url)
        assert refused.status_code == 422 and message in errors(page(refused))
        assert field_value(page(refused), "client_id") == "iets-anders"
        assert field_value(page(refused), "domains") == domains
        assert field_value(page(refused), "client_secret") in (None, "")  # never echoed
    assert sso_values(app, WIJKTEAM)[1] == "samenplan-2"
    # off again
    off = send(beheerder, f"{url}/uitzetten", page_url=url)
    assert off.status_code == 302 and sso_values(app, WIJKTEAM) == (None, None, None, None)


def test_changing_the_login_provider_needs_a_recent_login(app):
    from samenplan import db
    from samenplan.auth.models import User, UserSession
    from samenplan.db import utcnow

    wijkteam = org_id(app, WIJKTEAM)
    beheerder = as_user(app, BEHEER_WIJKTEAM)
    with app.app_context():
        session = db.session()
        user_id = session.scalar(select(User.id).where(User.email == BEHEER_WIJKTEAM))
        session.execute(update(UserSession).where(UserSession.user_id == user_id)
                        .values(authenticated_at=utcnow() - timedelta(hours=1)))
        session.commit()
    url = f"/organisatie/{wijkteam}/inloggen"
    assert path_of(beheerder.get(url)) == "/account/bevestigen"
    posted = send(beheerder, url, {"issuer": "https://evil.example", "client_id": "x", "client_secret": "y",
                                   "domains": "wijkteam-noord.demo"})
    assert path_of(posted) == "/account/bevestigen" and sso_values(app, WIJKTEAM)[0] is None


def test_a_provider_set_on_the_screen_logs_members_in_and_leavers_not(app, provider, caplog):
    """The real provider, configured on the screen: Fatima logs in through it; once the
    beheerder lets her go, the same provider login is refused (the membership decides)."""
    wijkteam = org_id(app, WIJKTEAM)
    url = f"/organisatie/{wijkteam}/inloggen"
    beheerder = as_user(app, BEHEER_WIJKTEAM)
    saved = send(beheerder, url, {"issuer": provider.issuer, "client_id": CLIENT_ID,
                                  "client_secret": CLIENT_SECRET, "domains": "wijkteam-noord.demo"}, url)
    assert saved.status_code == 302, page(saved)
    fatima = app.test_client()
    assert sso_login(fatima, FATIMA).status_code == 302 and logged_in(fatima)
    member = member_row(app, FATIMA, WIJKTEAM)[0]
    leave = f"/organisatie/{wijkteam}/hulpverleners/{member}/uit-dienst"
    assert send(beheerder, leave, page_url=leave).status_code == 302
    assert not logged_in(fatima)
    with app.app_context():  # her account stays open (say she is a parent in a plan too) ...
        from samenplan import db
        from samenplan.auth.models import User

        db.session().execute(update(User).where(User.email == FATIMA).values(active=True))
        db.session().commit()
    again = app.test_client()  # ... the provider still knows her, samenplan no longer lets her in
    assert_refused(again, sso_login(again, FATIMA), caplog, "does not work for Sociaal Wijkteam Noord")


def test_a_professional_of_an_organisation_with_a_provider_logs_in_through_it(app, provider, mailbox,
                                                                           smtp_server, database_url):
    """Added by the beheerder of an organisation whose provider covers the address: no password
    to choose - the mail points to "Inloggen via je organisatie", and that works at once."""
    wijkteam = org_id(app, WIJKTEAM)
    url = f"/organisatie/{wijkteam}/inloggen"
    with mail_app_with(database_url, smtp_server) as mailing:
        beheerder = as_user(mailing, BEHEER_WIJKTEAM)
        assert send(beheerder, url, {"issuer": provider.issuer, "client_id": CLIENT_ID,
                                     "client_secret": CLIENT_SECRET, "domains": "wijkteam-noord.demo"},
                    url).status_code == 302
        added = send(beheerder, f"/organisatie/{wijkteam}/hulpverleners",
                     {"name": "Nina Nieuw", "email": "nieuw@wijkteam-noord.demo"}, f"/organisatie/{wijkteam}")
        assert added.status_code == 302
        text = text_part(only_mail_to(mailbox, "nieuw@wijkteam-noord.demo"))
        assert "/welkom/" not in text and "http://samenplan.test/login/organisatie" in text
        assert "Heeft nog geen wachtwoord gekozen" not in page(beheerder.get(f"/organisatie/{wijkteam}"))
    nina = app.test_client()
    assert sso_login(nina, "nieuw@wijkteam-noord.demo").status_code == 302 and logged_in(nina)
    assert user_row(app, "nieuw@wijkteam-noord.demo").password_hash is None


# --- the one truth: a professional joins a plan for an organisation they are a member of ---------------
def test_a_non_member_cannot_join_a_plan_as_that_organisations_professional(mail_app, mailbox, demo):
    """Fatima invites Ilse (Schuldhulp Stad) "as GGZ Kompas": Ilse is no GGZ member, so she
    cannot take GGZ's place in the plan (and read what Sandra shares with GGZ)."""
    from tests.integration.test_mail_and_invitations import invite

    ggz = org_id(mail_app, GGZ)
    fatima = as_user(mail_app, FATIMA)
    # Ilse takes part already: a second account of hers would be needed; use a new Schuldhulp colleague
    beheerder = as_user(mail_app, "beheer@schuldhulp-stad.demo")
    schuldhulp = org_id(mail_app, "Schuldhulp Stad")
    assert send(beheerder, f"/organisatie/{schuldhulp}/hulpverleners",
                {"name": "Kees Kas", "email": "kees@schuldhulp-stad.demo"}, f"/organisatie/{schuldhulp}").status_code == 302
    kees = mail_app.test_client()
    choose_password(kees, link_in(only_mail_to(mailbox, "kees@schuldhulp-stad.demo")))
    enrol_second_factor(kees)
    mailbox.clear()
    invited = invite(fatima, demo.family_id, name="Kees Kas", email="kees@schuldhulp-stad.demo",
                     role="professional", organisation=str(ggz),
                     involvement_subjects=str(demo.persons["Sandra"]), involvement_category="gezondheid")
    assert invited.status_code == 302
    link = link_in(only_mail_to(mailbox, "kees@schuldhulp-stad.demo"))
    refused = post_form(kees, link, {})
    assert refused.status_code == 422
    assert "Je organisatie heeft je nog niet in samenplan gezet." in page(refused)
    assert kees.get(f"/gezin/{demo.family_id}").status_code == 404


# --- nobody else: every new route, and other organisations' ids ----------------------------------------
def _urls(app):
    """Every new route with ids of Sociaal Wijkteam Noord (Fatima's membership)."""
    w = org_id(app, WIJKTEAM)
    m = member_row(app, FATIMA, WIJKTEAM)[0]
    b = member_row(app, BEHEER_WIJKTEAM, WIJKTEAM)[0]
    admin = user_row(app, ADMIN).id
    return w, m, {
        "beheer.home": "/beheer",
        "beheer.add_organisation": "/beheer/organisaties",
        "beheer.organisation": f"/beheer/organisaties/{w}",
        "beheer.name_beheerder": f"/beheer/organisaties/{w}/beheerders",
        "beheer.take_beheerder_role": f"/beheer/organisaties/{w}/beheerders/{b}/afnemen",
        "beheer.stop_organisation": f"/beheer/organisaties/{w}/stoppen",
        "beheer.remove_admin": f"/beheer/beheerders/{admin}/weghalen",
        "orgs.beheerder_off": f"/organisatie/{w}/hulpverleners/{b}/beheerder-af",
        "orgs.members": f"/organisatie/{w}",
        "orgs.invite": f"/organisatie/{w}/hulpverleners",
        "orgs.member": f"/organisatie/{w}/hulpverleners/{m}",
        "orgs.may_start": f"/organisatie/{w}/hulpverleners/{m}/starten",
        "orgs.leave": f"/organisatie/{w}/hulpverleners/{m}/uit-dienst",
        "orgs.sso": f"/organisatie/{w}/inloggen",
        "orgs.sso_off": f"/organisatie/{w}/inloggen/uitzetten",
        "orgs.appoint": f"/organisatie/{w}/zonder-casusregisseur/{user_row(app, FATIMA).id}",
    }


#: the data an attacker posts to each route: all there is to change something
ATTACK_DATA = {
    "beheer.add_organisation": {"name": "Nep", "kind": "other", "domains": "nep.example"},
    "beheer.organisation": {"name": "Overgenomen", "kind": "other", "domains": ""},
    "beheer.name_beheerder": {"name": "Indringer", "email": "indringer@wijkteam-noord.demo"},
    "orgs.invite": {"name": "Indringer", "email": "indringer@wijkteam-noord.demo", "may_start": "y"},
    "orgs.may_start": {"allowed": "nee"},
    "orgs.leave": {},
    "orgs.sso": {"issuer": "https://evil.example", "client_id": "x", "client_secret": "y",
                 "domains": "wijkteam-noord.demo"},
    "orgs.sso_off": {},
    "beheer.take_beheerder_role": {},
    "beheer.stop_organisation": {},
    "beheer.remove_admin": {},
    "orgs.beheerder_off": {},
    "orgs.appoint": {"member": "1"},
}


def _unchanged(app):
    """What the attacks above would change."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.orgs.models import Organisation, OrganisationMember

    with app.app_context():
        session = db.session()
        return (
            sorted(session.execute(select(Organisation.name, Organisation.active)).all()),
            sorted(session.execute(select(OrganisationMember.user_id, OrganisationMember.organisation_id,
                                          OrganisationMember.active, OrganisationMember.may_start_families,
                                          OrganisationMember.is_beheerder)).all()),
            sorted(session.execute(select(User.email, User.is_admin, User.active)).all()),
            sso_values(app, WIJKTEAM),
        )


def test_every_new_route_is_in_the_list_below(app):
    new = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("beheer", "orgs")}
    assert new == set(_urls(app)[2]), "a new route: add it to _urls and ATTACK_DATA"


@pytest.mark.parametrize("who", ["anonymous", SANDRA, FATIMA, BEHEER_GGZ, "admin-at-orgs", "beheerder-at-beheer"])
def test_nobody_else_may_call_the_new_routes(app, who):
    """Anonymous: to the login page. A family member, a professional (no beheerder), another
    organisation's beheerder, the administrator on an organisation's screens, a beheerder on
    the administrator's: 404 on every route, GET and POST, with a valid CSRF token, and
    nothing changes."""
    _w, _m, urls = _urls(app)
    before = _unchanged(app)
    if who == "admin-at-orgs":
        client, urls = as_user(app, ADMIN), {k: v for k, v in urls.items() if k.startswith("orgs.")}
    elif who == "beheerder-at-beheer":
        client, urls = as_user(app, BEHEER_WIJKTEAM), {k: v for k, v in urls.items() if k.startswith("beheer.")}
    elif who == "anonymous":
        client = app.test_client()
    else:
        client = as_user(app, who)
    token = csrf_token(page(client.get("/login" if who == "anonymous" else "/account")))
    for endpoint, url in urls.items():
        methods = {m for r in app.url_map.iter_rules() if r.endpoint == endpoint for m in r.methods}
        if "GET" in methods:
            answer = client.get(url)
            if who == "anonymous":
                assert answer.status_code == 302 and path_of(answer) == "/login", (endpoint, answer.status_code)
            else:
                assert answer.status_code == 404, (who, "GET", url, answer.status_code)
        if "POST" in methods:
            answer = client.post(url, data={**ATTACK_DATA.get(endpoint, {}), "csrf_token": token})
            expected = 302 if who == "anonymous" else 404
            assert answer.status_code == expected, (who, "POST", url, answer.status_code)
    assert _unchanged(app) == before


def test_another_organisations_ids_are_404_under_ones_own_organisation(app):
    """GGZ Kompas's beheerder posts Fatima's membership id (Sociaal Wijkteam Noord) under GGZ's
    own organisation id: no such member there."""
    ggz = org_id(app, GGZ)
    fatima_member = member_row(app, FATIMA, WIJKTEAM)[0]
    beheerder = as_user(app, BEHEER_GGZ)
    before = _unchanged(app)
    base = f"/organisatie/{ggz}/hulpverleners/{fatima_member}"
    assert beheerder.get(base).status_code == 404
    assert beheerder.get(f"{base}/uit-dienst").status_code == 404
    token = csrf_token(page(beheerder.get(f"/organisatie/{ggz}")))
    for url, data in ((f"{base}/uit-dienst", {}), (f"{base}/starten", {"allowed": "nee"})):
        assert beheerder.post(url, data={**data, "csrf_token": token}).status_code == 404, url
    # and an address of another organisation's domain cannot be added to one's own
    taken = beheerder.post(f"/organisatie/{ggz}/hulpverleners", data={
        "name": "Fatima", "email": FATIMA, "csrf_token": token})
    assert taken.status_code == 422 and "Gebruik een e-mailadres van GGZ Kompas" in page(taken)
    assert _unchanged(app) == before
    assert as_user(app, FATIMA).get("/").status_code == 200, "Fatima's login did not end"


def test_posts_without_a_csrf_token_are_refused(app):
    ggz = org_id(app, GGZ)
    daan = member_row(app, DAAN, GGZ)[0]
    beheerder = as_user(app, BEHEER_GGZ)
    before = _unchanged(app)
    for url in (f"/organisatie/{ggz}/hulpverleners/{daan}/uit-dienst", f"/organisatie/{ggz}/hulpverleners/{daan}/starten"):
        assert beheerder.post(url, data={"allowed": "ja"}).status_code == 400, url
    admin = as_user(app, ADMIN)
    assert admin.post("/beheer/organisaties", data={"name": "Nep", "kind": "other"}).status_code == 400
    assert _unchanged(app) == before


def test_unknown_ids_are_404(app):
    admin = as_user(app, ADMIN)
    assert admin.get("/beheer/organisaties/987654").status_code == 404
    token = csrf_token(page(admin.get("/beheer")))
    assert admin.post("/beheer/organisaties/987654/beheerders",
                      data={"name": "X", "email": "x@x.example", "csrf_token": token}).status_code == 404
    beheerder = as_user(app, BEHEER_GGZ)
    ggz = org_id(app, GGZ)
    assert beheerder.get(f"/organisatie/{ggz}/hulpverleners/987654").status_code == 404
    assert beheerder.get("/organisatie/99999999999").status_code == 404  # beyond any id


# --- the migration ------------------------------------------------------------------------------------
def test_the_migration_makes_todays_professionals_members(scratch_url):
    """At 0013 professionals are linked to organisations only through their participations;
    0015 makes each one a member (active while a participation is; may start families when
    they chair one), and an organisation's single sign-on domains its own domains."""
    from datetime import date, datetime

    import sqlalchemy as sa
    from alembic import command

    from samenplan.db import make_engine

    url = scratch_url
    config = alembic_config(url)
    command.upgrade(config, "0013")
    engine = make_engine(url)
    when = datetime(2026, 1, 5, 9, 0)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO organisation (id, name, kind, created_at, oidc_domains) VALUES "
            "(1, 'Wijkteam', 'wijkteam', :w, 'wijkteam.example'), (2, 'GGZ', 'ggz', :w, NULL)"), {"w": when})
        for i, email in enumerate(("chair@wijkteam.example", "pro@ggz.example", "gone@ggz.example",
                                   "mam@example.org"), 1):
            conn.execute(sa.text(
                "INSERT INTO user_account (id, email, name, active, locale, session_version, created_at, "
                "totp_last_step) VALUES (:i, :e, :e, true, 'nl', 1, :w, 0)"), {"i": i, "e": email, "w": when})
        conn.execute(sa.text("INSERT INTO family (id, name, created_at) VALUES (1, 'A', :w), (2, 'B', :w)"),
                     {"w": when})
        conn.execute(sa.text(
            "INSERT INTO person (id, family_id, first_name, last_name, date_of_birth, lvb, created_at) "
            "VALUES (1, 1, 'M', 'A', :d, false, :w)"), {"d": date(1990, 1, 1), "w": when})
        rows = [(1, 1, 1, "casusregisseur", None, 1, True), (2, 2, 1, "professional", None, 1, True),
                (3, 1, 2, "professional", None, 2, True), (4, 2, 3, "professional", None, 2, False),
                (5, 1, 4, "family", 1, None, True)]
        for pid, fid, uid, role, person, org, active in rows:
            conn.execute(sa.text(
                "INSERT INTO participant (id, family_id, user_id, role, person_id, organisation_id, active, "
                "created_at) VALUES (:p, :f, :u, :r, :person, :o, :a, :w)"),
                {"p": pid, "f": fid, "u": uid, "r": role, "person": person, "o": org, "a": active,
                 "w": when + timedelta(days=pid)})
    command.upgrade(config, "0015")
    with engine.connect() as conn:
        members = conn.execute(sa.text(
            "SELECT user_id, organisation_id, active, may_start_families, is_beheerder, left_at IS NULL "
            "FROM organisation_member ORDER BY user_id")).all()
        domains = dict(conn.execute(sa.text("SELECT name, domains FROM organisation")).all())
        admins = conn.execute(sa.text("SELECT count(*) FROM user_account WHERE is_admin")).scalar()
    engine.dispose()
    assert [tuple(bool(v) if i >= 2 else v for i, v in enumerate(m)) for m in members] == [
        (1, 1, True, True, False, True),    # chairs a plan: may start families
        (2, 2, True, False, False, True),
        (3, 2, False, False, False, False),  # only an ended participation: a leaver
    ]
    assert domains == {"Wijkteam": "wijkteam.example", "GGZ": None}
    assert admins == 0
    command.downgrade(config, "0013")
    command.upgrade(config, "0015")
