"""The administrator's gaps of issue 10, items 1-2: taking away an organisation's beheerder role
(by the administrator, or by another beheerder of it), an organisation that stops (its people
let go as leavers, the families told through their casusregisseur; it can no longer be chosen,
invited, or logged in through), and an administrator less - never the last one. Each behind a
confirmation page in plain words, with CSRF, logged in the audit chain, and refused to whoever
is not meant to do it (a beheerder of one organisation acting on another's, anyone but the
administrator posting to /beheer). Both databases."""
from __future__ import annotations

from sqlalchemy import select

from tests.integration.test_admin_and_organisations import (
    GGZ, WIJKTEAM, errors, flashes, member_row, org_id, user_row,
)
from tests.support.clients import as_user, csrf_token, db_session, login, page, path_of
from tests.support.html import dom
from tests.support.people import (
    ADMIN, BEHEER_GGZ, BEHEER_WIJKTEAM, DAAN, FATIMA, ILSE, SANDRA,
)

SECOND = "tweede@ggz-kompas.demo"  # a second beheerder of GGZ Kompas, named in a test


def confirm(client, url: str):
    """The confirmation page, then its button (the page's CSRF token)."""
    shown = client.get(url)
    assert shown.status_code == 200, (url, shown.status_code)
    return shown, client.post(url, data={"csrf_token": csrf_token(page(shown))})


def events(app, action: str):
    from samenplan.privacy.models import AuditEvent

    with db_session(app) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                    .order_by(AuditEvent.id)))


def notices_of(app, email: str) -> list[str]:
    from samenplan.auth.models import User
    from samenplan.privacy.models import Notification

    with db_session(app) as session:
        return list(session.scalars(select(Notification.kind).join(User, User.id == Notification.user_id)
                                    .where(User.email == email).order_by(Notification.id)))


def audit_holds(app) -> None:
    verified = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output


def name_second_beheerder(app) -> int:
    """A second functioneel beheerder of GGZ Kompas, named by the administrator."""
    from samenplan.auth.models import User
    from samenplan.db import utcnow
    from samenplan.orgs import services
    from samenplan.orgs.models import Organisation

    with db_session(app) as session:
        admin = session.scalar(select(User).where(User.email == ADMIN))
        ggz = session.scalar(select(Organisation).where(Organisation.name == GGZ))
        return services.name_beheerder(session, admin, ggz, SECOND, "Tweede Beheerder", utcnow()).member.id


# --- a beheerder's role taken away --------------------------------------------------------------------
def test_the_administrator_takes_a_beheerders_role_away(app):
    ggz = org_id(app, GGZ)
    greet = member_row(app, BEHEER_GGZ, GGZ)[0]
    admin = as_user(app, ADMIN)
    overview = page(admin.get(f"/beheer/organisaties/{ggz}"))
    url = f"/beheer/organisaties/{ggz}/beheerders/{greet}/afnemen"
    assert f'href="{url}"' in overview
    beheerder = as_user(app, BEHEER_GGZ)
    assert beheerder.get(f"/organisatie/{ggz}").status_code == 200

    shown, done = confirm(admin, url)
    text = dom(page(shown)).text()
    assert "Greet Koster kan de hulpverleners van GGZ Kompas niet meer beheren." in text
    assert "blijft wel bij GGZ Kompas in samenplan" in text
    assert done.status_code == 302 and path_of(done) == f"/beheer/organisaties/{ggz}"
    after = page(admin.get(path_of(done)))
    assert any("Greet Koster is geen functioneel beheerder meer van GGZ Kompas." in f for f in flashes(after))
    assert "Greet Koster" not in dom(after).find("section", id="beheerders").text()

    # at once: she manages nothing any more, but still works there (and logs in)
    assert member_row(app, BEHEER_GGZ, GGZ)[1:] == (True, False, False)
    assert beheerder.get(f"/organisatie/{ggz}").status_code == 404
    assert beheerder.get("/").status_code == 200
    assert notices_of(app, BEHEER_GGZ) == ["beheerder_removed"]
    listing = page(beheerder.get("/meldingen"))
    assert "Je bent geen functioneel beheerder meer van GGZ Kompas." in listing
    [event] = events(app, "member_beheerder_off")
    assert event.target_id == greet and event.actor_user_id == user_row(app, ADMIN).id
    audit_holds(app)
    # once more: nothing to take away
    assert admin.get(url).status_code == 404


def test_a_beheerder_takes_another_beheerders_role_away_never_their_own(app):
    ggz = org_id(app, GGZ)
    second = name_second_beheerder(app)
    greet = member_row(app, BEHEER_GGZ, GGZ)[0]
    beheerder = as_user(app, BEHEER_GGZ)
    card = page(beheerder.get(f"/organisatie/{ggz}/hulpverleners/{second}"))
    url = f"/organisatie/{ggz}/hulpverleners/{second}/beheerder-af"
    assert f'href="{url}"' in card

    # her own: no button, and a post is refused
    own = f"/organisatie/{ggz}/hulpverleners/{greet}/beheerder-af"
    assert f'href="{own}"' not in page(beheerder.get(f"/organisatie/{ggz}/hulpverleners/{greet}"))
    shown = beheerder.get(own)
    assert shown.status_code == 200 and "Je kunt je eigen rol niet afnemen." in page(shown)
    assert "Ja, neem de rol af" not in page(shown)
    refused = beheerder.post(own, data={"csrf_token": csrf_token(page(shown))})
    assert refused.status_code == 422 and "Je kunt je eigen rol niet afnemen." in errors(page(refused))
    assert member_row(app, BEHEER_GGZ, GGZ)[3] is True

    _shown, done = confirm(beheerder, url)
    assert done.status_code == 302 and path_of(done) == f"/organisatie/{ggz}/hulpverleners/{second}"
    assert member_row(app, SECOND, GGZ)[1:] == (True, False, False)
    assert notices_of(app, SECOND) == ["beheerder_removed"]
    audit_holds(app)


def test_a_beheerder_cannot_touch_another_organisations_beheerders(app):
    """GGZ Kompas's beheerder, on Sociaal Wijkteam Noord's screens and with its ids under her own
    organisation; and anyone but the administrator on /beheer: 404, and nothing changes."""
    from tests.integration.test_admin_and_organisations import _unchanged

    ggz, wijkteam = org_id(app, GGZ), org_id(app, WIJKTEAM)
    wim = member_row(app, BEHEER_WIJKTEAM, WIJKTEAM)[0]
    admin_id = user_row(app, ADMIN).id
    before = _unchanged(app)
    greet = as_user(app, BEHEER_GGZ)
    token = csrf_token(page(greet.get(f"/organisatie/{ggz}")))
    for url in (f"/organisatie/{wijkteam}/hulpverleners/{wim}/beheerder-af",
                f"/organisatie/{ggz}/hulpverleners/{wim}/beheerder-af"):
        assert greet.get(url).status_code == 404, url
        assert greet.post(url, data={"csrf_token": token}).status_code == 404, url
    admin_urls = (f"/beheer/organisaties/{wijkteam}/beheerders/{wim}/afnemen",
                  f"/beheer/organisaties/{wijkteam}/stoppen", f"/beheer/beheerders/{admin_id}/weghalen")
    for who in (BEHEER_GGZ, BEHEER_WIJKTEAM, FATIMA, SANDRA):
        client = as_user(app, who)
        token = csrf_token(page(client.get("/account")))
        for url in admin_urls:
            assert client.get(url).status_code == 404, (who, url)
            assert client.post(url, data={"csrf_token": token}).status_code == 404, (who, url)
    assert _unchanged(app) == before


def test_without_the_csrf_token_nothing_happens(app):
    from tests.integration.test_admin_and_organisations import _unchanged

    ggz = org_id(app, GGZ)
    greet = member_row(app, BEHEER_GGZ, GGZ)[0]
    second = name_second_beheerder(app)
    before = _unchanged(app)
    admin = as_user(app, ADMIN)
    for url in (f"/beheer/organisaties/{ggz}/beheerders/{greet}/afnemen", f"/beheer/organisaties/{ggz}/stoppen",
                f"/beheer/beheerders/{user_row(app, ADMIN).id}/weghalen"):
        assert admin.post(url).status_code == 400, url
    beheerder = as_user(app, BEHEER_GGZ)
    assert beheerder.post(f"/organisatie/{ggz}/hulpverleners/{second}/beheerder-af").status_code == 400
    assert _unchanged(app) == before


# --- an organisation that stops ------------------------------------------------------------------------
def test_an_organisation_that_stops_lets_its_people_go_and_is_no_choice_any_more(app, demo):
    from samenplan.orgs import sso

    f = demo.family_id
    ggz = org_id(app, GGZ)
    with db_session(app) as session:  # it logged in through its own provider
        from samenplan.orgs.models import Organisation

        organisation = session.get(Organisation, ggz)
        organisation.oidc_issuer, organisation.oidc_client_id = "https://login.ggz-kompas.demo", "samenplan"
        organisation.oidc_client_secret, organisation.oidc_domains = "geheim", "ggz-kompas.demo"
        session.commit()
        assert sso.organisation_for_email(session, DAAN) is not None
    daan = as_user(app, DAAN)
    assert daan.get(f"/gezin/{f}").status_code == 200

    admin = as_user(app, ADMIN)
    url = f"/beheer/organisaties/{ggz}/stoppen"
    assert f'href="{url}"' in page(admin.get(f"/beheer/organisaties/{ggz}"))
    shown = admin.get(url)
    text = dom(page(shown)).text()
    assert "Bij GGZ Kompas werken 2 mensen in samenplan." in text  # Daan and Greet
    assert "Ze doen mee aan 1 gezinsplan." in text  # how many, never which
    assert "Jansen" not in text and "Sandra" not in text
    assert "Dit kun je niet terugdraaien." in text
    assert member_row(app, DAAN, GGZ)[1] is True, "a GET changes nothing"

    done = admin.post(url, data={"csrf_token": csrf_token(page(shown))})
    assert done.status_code == 302 and path_of(done) == f"/beheer/organisaties/{ggz}"
    stopped = page(admin.get(path_of(done)))
    assert any("GGZ Kompas doet niet meer mee aan samenplan. 2 mensen kunnen er niet meer in." in m
               for m in flashes(stopped))
    assert "Gestopt met samenplan" in stopped and "Functioneel beheerder aanwijzen" not in stopped
    assert "Gestopt op" in page(admin.get("/beheer"))

    # its people: out of every plan, logged out, and they cannot log in again
    assert member_row(app, DAAN, GGZ)[1] is False and member_row(app, BEHEER_GGZ, GGZ)[1] is False
    assert path_of(daan.get(f"/gezin/{f}")) == "/login"
    assert login(app.test_client(), DAAN).status_code == 401
    assert user_row(app, DAAN).active is False and user_row(app, BEHEER_GGZ).active is False
    # the family is told through its casusregisseur, as for a leaver
    assert "professional_left" in notices_of(app, FATIMA)
    assert "Daan Visser werkt niet meer bij GGZ Kompas en doet niet meer mee aan dit plan." in \
        page(as_user(app, FATIMA).get(f"/gezin/{f}"))
    # no login through its provider, no choice in an invitation, nobody named or added
    with db_session(app) as session:
        assert sso.organisation_for_email(session, DAAN) is None
    fatima = as_user(app, FATIMA)
    form = page(fatima.get(f"/gezin/{f}/uitnodigen"))
    options = [o.attrs.get("value") for o in dom(form).find_all("option")]
    assert str(ggz) not in options and str(org_id(app, "Schuldhulp Stad")) in options
    invited = fatima.post(f"/gezin/{f}/uitnodigen", data={
        "csrf_token": csrf_token(form), "email": "nieuw@ggz-kompas.demo", "name": "Nieuw", "role": "professional",
        "organisation": str(ggz), "involvement_subjects": [str(demo.persons["Sandra"])],
        "involvement_category": "gezondheid", "person": "0"})
    assert invited.status_code != 302
    with db_session(app) as session:
        from samenplan.families.models import Invitation

        assert session.scalar(select(Invitation).where(Invitation.email == "nieuw@ggz-kompas.demo")) is None
    named = admin.post(f"/beheer/organisaties/{ggz}/beheerders", data={
        "csrf_token": csrf_token(stopped), "name": "Nieuw", "email": "nieuw@ggz-kompas.demo"})
    assert named.status_code == 422 and "GGZ Kompas doet niet meer mee aan samenplan." in page(named)
    assert user_row(app, "nieuw@ggz-kompas.demo") is None
    [event] = events(app, "org_stop")
    assert dict(event.params) == {"members": 2, "plans": 1}
    assert {e.target_id for e in events(app, "member_leave")} == {
        member_row(app, DAAN, GGZ)[0], member_row(app, BEHEER_GGZ, GGZ)[0]}
    audit_holds(app)
    # twice: nothing to confirm
    assert "doet al niet meer mee" in page(admin.get(url))
    assert admin.post(url, data={"csrf_token": csrf_token(stopped)}).status_code == 404


def test_a_family_whose_casusregisseurs_organisation_stops_is_without_one(app, demo):
    f = demo.family_id
    wijkteam = org_id(app, WIJKTEAM)
    admin = as_user(app, ADMIN)
    _shown, done = confirm(admin, f"/beheer/organisaties/{wijkteam}/stoppen")
    assert done.status_code == 302
    assert "Dit plan is nu zonder vaste hulpverlener." in page(as_user(app, SANDRA).get(f"/gezin/{f}"))
    assert user_row(app, FATIMA).active is False
    assert login(app.test_client(), FATIMA).status_code == 401
    # the others keep working on the plan
    assert as_user(app, ILSE).get(f"/gezin/{f}").status_code == 200
    audit_holds(app)


def test_a_guardian_organisation_that_stops_is_no_choice_for_a_new_person(app, demo):
    from samenplan.auth.models import User
    from samenplan.db import utcnow
    from samenplan.orgs import services

    with db_session(app) as session:
        admin = session.scalar(select(User).where(User.email == ADMIN))
        voogd = services.add_organisation(session, admin, services.OrganisationInput(
            name="Jeugdbescherming West", kind="jeugdbescherming", domains="jbwest.demo"), utcnow()).id
    url = f"/gezin/{demo.family_id}/gezinsleden/nieuw"
    fatima = as_user(app, FATIMA)
    assert f'value="{voogd}"' in page(fatima.get(url))
    _shown, done = confirm(as_user(app, ADMIN), f"/beheer/organisaties/{voogd}/stoppen")
    assert done.status_code == 302
    form = page(fatima.get(url))
    assert f'value="{voogd}"' not in form and "Jeugdbescherming West" not in form
    chosen = fatima.post(url, data={"csrf_token": csrf_token(form), "first_name": "Sem", "last_name": "de Boer",
                                    "date_of_birth": "2020-02-02", "guardian": str(voogd)})
    assert chosen.status_code in (404, 422)
    with db_session(app) as session:
        from samenplan.families.models import Person

        assert session.scalar(select(Person).where(Person.first_name == "Sem")) is None


# --- an administrator less ------------------------------------------------------------------------------
def test_the_last_administrator_cannot_be_removed(app):
    from tests.integration.test_admin_and_organisations import _unchanged

    admin = as_user(app, ADMIN)
    me = user_row(app, ADMIN).id
    home = page(admin.get("/beheer"))
    assert "Beheerders van samenplan" in home and "Bram Beheer" in home
    assert f'href="/beheer/beheerders/{me}/weghalen"' not in home, "no button for the only one"
    assert "flask admin create --another" in home
    url = f"/beheer/beheerders/{me}/weghalen"
    before = _unchanged(app)
    shown = admin.get(url)
    assert shown.status_code == 200 and "Bram Beheer is de enige beheerder van samenplan." in page(shown)
    refused = admin.post(url, data={"csrf_token": csrf_token(page(shown))})
    assert refused.status_code == 422 and "enige beheerder" in errors(page(refused))
    assert _unchanged(app) == before
    assert user_row(app, ADMIN).is_admin


def test_an_administrator_removes_another_and_then_themself_but_never_the_last(app):
    made = app.test_cli_runner().invoke(args=["admin", "create", "anna@voorbeeld.nl", "--name", "Anna de Vries",
                                              "--another"])
    assert made.exit_code == 0, made.output
    anna_id = user_row(app, "anna@voorbeeld.nl").id
    bram = as_user(app, ADMIN)
    home = page(bram.get("/beheer"))
    url = f"/beheer/beheerders/{anna_id}/weghalen"
    assert f'href="{url}"' in home
    shown, done = confirm(bram, url)
    assert "Anna de Vries kan geen organisaties en functioneel beheerders meer regelen" in page(shown)
    assert done.status_code == 302
    assert any("Anna de Vries is geen beheerder van samenplan meer." in m for m in flashes(page(bram.get("/beheer"))))
    anna = user_row(app, "anna@voorbeeld.nl")
    assert not anna.is_admin and anna.active is False, "nothing left to log in for: the account closes"
    [event] = events(app, "admin_remove")
    assert event.target_id == anna_id and dict(event.params) == {"account_closed": True}

    # Bram again has a colleague (Ilse's account, also a professional), and steps down himself
    made = app.test_cli_runner().invoke(args=["admin", "create", ILSE, "--name", "Ilse Smit", "--another"])
    assert made.exit_code == 0, made.output
    own = f"/beheer/beheerders/{user_row(app, ADMIN).id}/weghalen"
    shown, done = confirm(bram, own)
    assert "Ja, ik ben geen beheerder meer" in page(shown)
    assert done.status_code == 302
    assert not user_row(app, ADMIN).is_admin and user_row(app, ADMIN).active is False
    assert path_of(bram.get("/beheer")) == "/login", "his account closed: logged out"

    # Ilse is the last one now: she keeps it, and keeps her professional work and login
    ilse = as_user(app, ILSE)
    last = f"/beheer/beheerders/{user_row(app, ILSE).id}/weghalen"
    shown = ilse.get(last)
    assert "Ilse Smit is de enige beheerder van samenplan." in page(shown)
    assert ilse.post(last, data={"csrf_token": csrf_token(page(shown))}).status_code == 422
    assert user_row(app, ILSE).is_admin
    audit_holds(app)


def test_an_administrator_who_still_works_somewhere_keeps_the_account_and_is_told(app):
    made = app.test_cli_runner().invoke(args=["admin", "create", ILSE, "--name", "Ilse Smit", "--another"])
    assert made.exit_code == 0, made.output
    _shown, done = confirm(as_user(app, ADMIN), f"/beheer/beheerders/{user_row(app, ILSE).id}/weghalen")
    assert done.status_code == 302
    ilse = user_row(app, ILSE)
    assert not ilse.is_admin and ilse.active
    assert notices_of(app, ILSE) == ["admin_removed"]
    assert as_user(app, ILSE).get("/beheer").status_code == 404
