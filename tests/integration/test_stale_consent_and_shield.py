"""Records remember (issue 9), for consent, shields, sub-goal titles and agreements: every button
on a consent or a shield sends the version it was shown at, and when it changed since (someone
else approved, declined, revoked, lifted) nothing is done blindly: a 409 screen shows it as it
is now ("Deze toestemming is intussen veranderd: …") with the choice to still do it (a form at
the current version) or to leave it, as a whole page and as an htmx fragment. Two requests at
one version: one is applied, the other answered the same way (caught at the flush). A sub-goal
title or an agreement saved from an older version of its goal gets the merge screen, with what
was typed kept. The screen never names anyone the viewer may not know of, and a consent or
shield the viewer may not see stays a 404.

Through the real forms (CSRF token, the hidden version as the page sent it), on SQLite and
PostgreSQL."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select, update

from samenplan.demo import DEMO_FAMILY
from werkzeug.serving import make_server

from tests.support.clients import as_user, confirm_revoke, csrf_token, db_session, page
from tests.support.html import dom, form_values, form_with_button
from tests.support.people import DAAN, DEMO_PASSWORD, FATIMA, MARK, RIET, SANDRA

HTMX = {"HX-Request": "true"}
CHANGED = "Deze toestemming is intussen veranderd:"
SHIELD_CHANGED = "Deze afscherming is intussen veranderd:"
NO_LONGER = "Dit kan nu niet meer."
SUB_GOAL = "Alle brieven over geld liggen in één map"  # under goal 3 (DESIGN.md section 6)
GOAL_1 = "We hebben elke avond rust in huis"
MERGE_HEADING = "Iemand anders heeft dit doel net veranderd"


# --- helpers ---------------------------------------------------------------------------------
def words(html: str) -> str:
    return dom(html).text()


def consent_url(demo) -> str:
    return f"/gezin/{demo.family_id}/toestemming"


def shields_url(demo) -> str:
    return f"/gezin/{demo.family_id}/afscherming"


def consent_card(html: str, consent_id: int):
    return dom(html).find("li", id=f"toestemming-{consent_id}")


def shield_card(html: str, shield_id: int):
    return dom(html).find("li", id=f"afscherming-{shield_id}")


def press(client, html: str, form, headers=None, **fields):
    """Submit `form` (a Node of `html`) as the browser would: its hidden fields and the given
    ones (what the user typed or ticked)."""
    data = {n.attrs["name"]: n.attrs.get("value") or "" for n in form.find_all("input")
            if n.attrs.get("type") == "hidden" and n.attrs.get("name")}
    data.setdefault("csrf_token", csrf_token(html))
    return client.post(form.attrs["action"].split("#")[0], data={**data, **fields},
                       headers=headers or {})


def ggz_consent(app) -> int:
    """Sandra → GGZ Kompas (DESIGN.md section 6): active; Sandra or Fatima may revoke it."""
    from samenplan.orgs.models import Organisation
    from samenplan.privacy.models import Consent

    with db_session(app) as session:
        return session.scalar(
            select(Consent.id).join(Organisation, Organisation.id == Consent.grantee_organisation_id)
            .where(Organisation.name == "GGZ Kompas"))


def consent_row(app, consent_id: int):
    from samenplan.privacy.models import Consent

    with db_session(app) as session:
        consent = session.get(Consent, consent_id)
        return {"version": consent.version, "revoked_at": consent.revoked_at,
                "revoked_by": consent.revoked_by_id, "declined_at": consent.declined_at,
                "decline_reason": consent.decline_reason,
                "approvals": sorted(a.person_id for a in consent.approvals)}


def shield_row(app, shield_id: int):
    from samenplan.privacy.models import Shield

    with db_session(app) as session:
        shield = session.get(Shield, shield_id)
        return {"version": shield.version, "lifted_at": shield.lifted_at,
                "lifted_by": shield.lifted_by_id}


def user_id(app, email: str) -> int:
    from samenplan.auth.models import User

    with db_session(app) as session:
        return session.scalar(select(User.id).where(User.email == email))


def audit_count(app, action: str, target_id: int) -> int:
    from samenplan.privacy.models import AuditEvent

    with db_session(app) as session:
        return session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == action, AuditEvent.target_id == target_id))


def newest_consent(app) -> int:
    from samenplan.privacy.models import Consent

    with db_session(app) as session:
        return session.scalar(select(func.max(Consent.id)))


def request_for_noah(app, demo, client, grantee: str) -> int:
    """A request (by `client`) for consent from Noah (under 12): Sandra and Mark must say yes."""
    html = page(client.get(consent_url(demo)))
    response = client.post(consent_url(demo), data={
        "csrf_token": csrf_token(html), "subject": str(demo.persons["Noah"]), "grantee": grantee,
        "categories": ["algemeen"], "purpose": "Samen oppassen",
    })
    assert response.status_code == 302, words(page(response))[:600]
    return newest_consent(app)


def riets_request(app, demo) -> int:
    return request_for_noah(app, demo, as_user(app, RIET), f"participant:{demo.participants[RIET]}")


def shield_for_noah(app, demo, against: str, category: str = "gezondheid") -> int:
    """Sandra hides Noah's information of `category` from the participant `against`."""
    from samenplan.privacy.models import Shield

    sandra = as_user(app, SANDRA)
    html = page(sandra.get(shields_url(demo)))
    response = sandra.post(shields_url(demo), data={
        "csrf_token": csrf_token(html), "subject": str(demo.persons["Noah"]),
        "participant": str(demo.participants[against]), "target": f"cat:{category}",
        "reason": "",
    })
    assert response.status_code == 302, words(page(response))[:600]
    with db_session(app) as session:
        return session.scalar(select(func.max(Shield.id)))


# --- a stale revoke --------------------------------------------------------------------------
def test_a_revoke_from_an_older_page_shows_it_revoked_and_does_nothing(app, demo):
    consent = ggz_consent(app)
    sandra, fatima = as_user(app, SANDRA), as_user(app, FATIMA)
    sandras_page = page(sandra.get(consent_url(demo)))
    fatimas_page = page(fatima.get(consent_url(demo)))
    assert "Geldt nu." in consent_card(sandras_page, consent).text()
    # Sandra presses "Intrekken": it asks once, and she leaves the question open for a while
    sandras_question, sandras_yes = confirm_revoke(sandra, consent_card(sandras_page, consent))

    # Fatima records at the table that Sandra withdrew it
    done = press(fatima, *confirm_revoke(fatima, consent_card(fatimas_page, consent)))
    assert done.status_code == 302, words(page(done))[:500]
    after_fatima = consent_row(app, consent)
    assert after_fatima["revoked_by"] == user_id(app, FATIMA)

    # Sandra says "Ja, intrekken" on the question she loaded before
    late = press(sandra, sandras_question, sandras_yes)
    html = page(late)
    assert late.status_code == 409, words(html)[:500]
    assert "<html" in html, "without htmx the whole screen"
    card = consent_card(html, consent)
    assert CHANGED in card.text()
    assert "Fatima El Amrani heeft de toestemming ingetrokken op" in card.text(), card.text()
    assert NO_LONGER in card.text()
    assert not card.find_all("button"), "nothing left to do, so no button to do it with"
    assert consent_row(app, consent) == after_fatima, "the late revoke changed the consent"
    assert audit_count(app, "revoke", consent) == 1

    # pressing it again, or naming the version it is at now: still no error, nothing done
    again = press(sandra, sandras_question, sandras_yes)
    assert again.status_code == 409
    current = sandra.post(f"{consent_url(demo)}/{consent}/intrekken", data={
        "csrf_token": csrf_token(sandras_page), "version": str(after_fatima["version"])})
    assert current.status_code == 302
    assert "Deze toestemming is al ingetrokken." in page(sandra.get(current.headers["Location"]))
    assert consent_row(app, consent) == after_fatima
    assert audit_count(app, "revoke", consent) == 1


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-1", "1.0", "99999999999999999999"])
def test_a_revoke_without_a_true_version_is_asked_again(app, demo, version):
    consent = ggz_consent(app)
    sandra = as_user(app, SANDRA)
    html = page(sandra.get(consent_url(demo)))
    data = {"csrf_token": csrf_token(html)}
    if version is not None:
        data["version"] = version
    response = sandra.post(f"{consent_url(demo)}/{consent}/intrekken", data=data)
    screen = page(response)
    assert response.status_code == 409, (version, response.status_code)
    assert consent_row(app, consent)["revoked_at"] is None, "revoked without a true version"
    card = consent_card(screen, consent)
    assert CHANGED in card.text() and "de toestemming geldt nu." in card.text()
    # "Toch intrekken" is a form at the version it is at now: it goes through
    still = press(sandra, screen, form_with_button(card, "Toch intrekken"))
    assert still.status_code == 302, words(page(still))[:500]
    row = consent_row(app, consent)
    assert row["revoked_at"] is not None and row["revoked_by"] == user_id(app, SANDRA)
    assert "Laat maar" in card.text()


# --- a stale approve: still possible, and done knowingly --------------------------------------
def test_an_approval_from_an_older_page_shows_the_state_now_and_can_still_be_given(app, demo):
    consent = riets_request(app, demo)
    sandra, mark = as_user(app, SANDRA), as_user(app, MARK)
    marks_page = page(mark.get(consent_url(demo)))
    sandras_page = page(sandra.get(consent_url(demo)))
    assert press(sandra, sandras_page, form_with_button(
        consent_card(sandras_page, consent), "Ja, ik geef toestemming")).status_code == 302
    after_sandra = consent_row(app, consent)
    assert after_sandra["approvals"] == [demo.persons["Sandra"]]

    late = press(mark, marks_page, form_with_button(consent_card(marks_page, consent), "Ja, ik geef toestemming"))
    screen = page(late)
    assert late.status_code == 409, words(screen)[:500]
    card = consent_card(screen, consent)
    assert CHANGED in card.text()
    assert "Toestemming ontbreekt nog van: Mark." in card.text(), card.text()
    assert "Sandra gaf toestemming in samenplan" in card.text()
    assert consent_row(app, consent) == after_sandra, "the late approval was applied"

    # "Laat maar" goes back to the list, changing nothing
    leave = card.find("a", class_="button")
    assert leave.text() == "Laat maar"
    assert leave.attrs["href"].endswith(f"/toestemming#toestemming-{consent}")
    # "Toch toestemming geven": from the version shown now, it goes through
    still = press(mark, screen, form_with_button(card, "Toch toestemming geven"))
    assert still.status_code == 302, words(page(still))[:500]
    assert consent_row(app, consent)["approvals"] == sorted([demo.persons["Sandra"], demo.persons["Mark"]])
    assert "Geldt nu." in consent_card(page(mark.get(consent_url(demo))), consent).text()


def test_asking_from_an_older_page_names_who_is_still_missing(app, demo):
    consent = riets_request(app, demo)
    riet, sandra = as_user(app, RIET), as_user(app, SANDRA)
    riets_page = page(riet.get(consent_url(demo)))
    sandras_page = page(sandra.get(consent_url(demo)))
    assert press(sandra, sandras_page, form_with_button(
        consent_card(sandras_page, consent), "Ja, ik geef toestemming")).status_code == 302
    asked_before = audit_count(app, "ask", consent)

    late = press(riet, riets_page, form_with_button(consent_card(riets_page, consent), "Vraag het"))
    card = consent_card(page(late), consent)
    assert late.status_code == 409
    assert "Toestemming ontbreekt nog van: Mark." in card.text()
    assert "Wil je het nog steeds vragen aan Mark?" in card.text()
    assert audit_count(app, "ask", consent) == asked_before, "asked from the older page"
    still = press(riet, page(late), form_with_button(card, "Toch vragen"))
    assert still.status_code == 302
    assert "Gevraagd aan: Mark." in page(riet.get(still.headers["Location"]))
    assert audit_count(app, "ask", consent) == asked_before + 1


# --- htmx: the card comes back in place ------------------------------------------------------
def test_a_stale_decline_with_htmx_gets_the_card_with_the_reason_still_typed(app, demo):
    consent = riets_request(app, demo)
    sandra, mark = as_user(app, SANDRA), as_user(app, MARK)
    marks_page = page(mark.get(consent_url(demo)))
    decline = form_with_button(consent_card(marks_page, consent), "Nee, liever niet")
    assert decline.attrs.get("hx-post") == f"{consent_url(demo)}/{consent}/weigeren"
    assert decline.attrs.get("hx-target") == f"#toestemming-{consent}"
    sandras_page = page(sandra.get(consent_url(demo)))
    assert press(sandra, sandras_page, form_with_button(
        consent_card(sandras_page, consent), "Ja, ik geef toestemming"), headers=HTMX).status_code == 200

    reason = "Noah is nog te klein voor oppassen zonder ons."
    late = press(mark, marks_page, decline, headers=HTMX, reason=reason)
    fragment = page(late)
    assert late.status_code == 409, words(fragment)[:500]
    assert "<html" not in fragment and "<body" not in fragment, "htmx gets only the card"
    assert fragment.lstrip().startswith(f'<li class="card consent state-wacht" id="toestemming-{consent}">'), \
        fragment[:200]
    card = consent_card(fragment, consent)
    assert CHANGED in card.text() and "Toestemming ontbreekt nog van: Mark." in card.text()
    assert card.find("textarea").raw_text().strip() == reason, "the reason typed was lost"
    assert 'id="overzicht" hx-swap-oob="true"' in fragment, "the overview goes along"
    assert consent_row(app, consent)["declined_at"] is None

    still = form_with_button(card, "Toch nee zeggen")
    assert still.attrs.get("hx-target") == f"#toestemming-{consent}"
    done = press(mark, fragment, still, headers=HTMX, reason=reason)
    answer = page(done)
    assert done.status_code == 200, words(answer)[:500]
    assert "<html" not in answer
    assert "Je hebt nee gezegd." in consent_card(answer, consent).text()
    assert "Niet gegeven." in consent_card(answer, consent).text()
    row = consent_row(app, consent)
    assert row["declined_at"] is not None and row["decline_reason"] == reason

    # "Laat maar" with htmx fetches the card as it is, in place
    keep = consent_card(page(press(mark, marks_page, decline, headers=HTMX)), consent).find("a", class_="button")
    assert keep.attrs.get("hx-get") == f"{consent_url(demo)}/{consent}"
    shown = mark.get(keep.attrs["hx-get"], headers=HTMX)
    assert shown.status_code == 200 and "<html" not in page(shown)
    assert CHANGED not in page(shown) and "Niet gegeven." in page(shown)
    assert mark.get(keep.attrs["hx-get"]).status_code == 302


# --- shields ---------------------------------------------------------------------------------
def test_lifting_a_shield_someone_else_lifted_shows_who_and_does_nothing(app, demo):
    shield = shield_for_noah(app, demo, RIET)
    sandra, mark = as_user(app, SANDRA), as_user(app, MARK)
    marks_page = page(mark.get(shields_url(demo)))
    sandras_page = page(sandra.get(shields_url(demo)))
    assert press(sandra, sandras_page, form_with_button(
        shield_card(sandras_page, shield), "Afscherming opheffen")).status_code == 302
    lifted = shield_row(app, shield)
    assert lifted["lifted_by"] == user_id(app, SANDRA)

    lift = form_with_button(shield_card(marks_page, shield), "Afscherming opheffen")
    late = press(mark, marks_page, lift)
    screen = page(late)
    assert late.status_code == 409, words(screen)[:500]
    assert "<html" in screen
    card = shield_card(screen, shield)
    assert SHIELD_CHANGED in card.text()
    assert "Sandra Jansen heeft de afscherming opgeheven op" in card.text(), card.text()
    assert NO_LONGER in card.text() and not card.find_all("button")
    assert shield_row(app, shield) == lifted
    assert audit_count(app, "lift", shield) == 1

    # and with htmx: only the card, in place
    fragment = page(press(mark, marks_page, lift, headers=HTMX))
    assert "<html" not in fragment
    assert fragment.lstrip().startswith(f'<li class="card" id="afscherming-{shield}">')
    assert SHIELD_CHANGED in fragment
    assert shield_row(app, shield) == lifted


def test_a_lift_without_a_true_version_is_asked_again_and_then_done(app, demo):
    shield = shield_for_noah(app, demo, RIET)
    mark = as_user(app, MARK)
    html = page(mark.get(shields_url(demo)))
    response = mark.post(f"{shields_url(demo)}/{shield}/opheffen", data={"csrf_token": csrf_token(html)},
                         headers=HTMX)
    fragment = page(response)
    assert response.status_code == 409
    assert shield_row(app, shield)["lifted_at"] is None
    card = shield_card(fragment, shield)
    assert "de afscherming geldt nog." in card.text()
    done = press(mark, fragment, form_with_button(card, "Toch opheffen"), headers=HTMX)
    assert done.status_code == 200, words(page(done))[:500]
    assert "De afscherming is opgeheven." in page(done)
    assert shield_row(app, shield)["lifted_by"] == user_id(app, MARK)


# --- two at once -----------------------------------------------------------------------------
def as_of_request(email: str):
    """An Access for `email` in a request context of its own, as a view would have it."""
    from samenplan import db
    from samenplan.auth.models import User
    from samenplan.privacy.access import access_for

    session = db.session()
    user = session.scalar(select(User).where(User.email == email))
    return access_for(session, user, _family(session))


def _family(session) -> int:
    from samenplan.families.models import Family

    return session.scalar(select(Family.id).where(Family.name == DEMO_FAMILY))


def test_a_revoke_that_loses_the_race_at_the_flush_is_answered_as_stale(app, demo):
    """Both loaded version n and passed the version check; the other one's UPDATE came first.
    The UPDATE naming version n then finds no row (StaleDataError): nothing is written, and
    the consent comes back as it is now."""
    from samenplan import db
    from samenplan.privacy import services
    from samenplan.privacy.models import Consent
    from samenplan.records.history import Stale

    consent_id = ggz_consent(app)
    fatima_id = user_id(app, FATIMA)
    with app.test_request_context("/"):
        access = as_of_request(SANDRA)
        consent = access.session.get(Consent, consent_id)
        loaded = consent.version
        # Fatima's revoke, committed between Sandra's check and her write
        engine = app.extensions["samenplan.engine"]
        with engine.begin() as conn:
            conn.execute(update(Consent).where(Consent.id == consent_id).values(
                revoked_at=access.now - timedelta(seconds=1), revoked_by_id=fatima_id,
                version=loaded + 1))
        with pytest.raises(Stale) as caught:
            services.revoke(access, consent, loaded)
        assert caught.value.record.version == loaded + 1
        assert caught.value.record.revoked_by_id == fatima_id
        db.session().close()
    assert consent_row(app, consent_id)["revoked_by"] == fatima_id
    assert audit_count(app, "revoke", consent_id) == 0, "the lost revoke was logged"


def test_an_approval_is_a_new_version_so_a_second_one_at_the_same_version_loses(app, demo):
    """An approval is written in a table of its own; the consent still gets a new version, so
    an approval made from the state before it (passing the version check just before) fails at
    the flush instead of slipping in beside it."""
    from samenplan import db
    from samenplan.privacy import services
    from samenplan.privacy.models import Consent, ConsentApproval
    from samenplan.records.history import Stale

    consent_id = riets_request(app, demo)
    with app.test_request_context("/"):
        access = as_of_request(MARK)
        consent = access.session.get(Consent, consent_id)
        loaded = consent.version
        assert consent.approvals == []
        # Sandra's approval, committed between Mark's check and his write
        engine = app.extensions["samenplan.engine"]
        with engine.begin() as conn:
            conn.execute(ConsentApproval.__table__.insert().values(
                consent_id=consent_id, person_id=demo.persons["Sandra"], how="app",
                given_at=access.now))
            conn.execute(update(Consent).where(Consent.id == consent_id).values(version=loaded + 1))
        with pytest.raises(Stale) as caught:
            services.approve(access, consent, [], loaded)
        assert [a.person_id for a in caught.value.record.approvals] == [demo.persons["Sandra"]]
        db.session().close()
    assert consent_row(app, consent_id)["approvals"] == [demo.persons["Sandra"]]

    # and through the app: approving raises the consent's version
    before = consent_row(app, consent_id)["version"]
    mark = as_user(app, MARK)
    html = page(mark.get(consent_url(demo)))
    assert press(mark, html, form_with_button(consent_card(html, consent_id), "Ja, ik geef toestemming")).status_code == 302
    assert consent_row(app, consent_id)["version"] == before + 1


@pytest.fixture
def server(app, database_url):
    from samenplan import create_app

    live = create_app({
        "DATABASE_URL": database_url, "SECRET_KEY": "stale-consent", "TESTING": True,
        "RATELIMIT_STORAGE_URI": "memory://", "LOGIN_RATE_LIMIT": "10000 per minute",
    })
    httpd = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)
    live.extensions["samenplan.engine"].dispose()


REVOKES = 8


def test_eight_revokes_at_once_one_is_applied_the_others_see_it_revoked(app, demo, server):
    consent = ggz_consent(app)
    browsers = []
    for _n in range(REVOKES):
        browser = requests.Session()
        login_page = browser.get(f"{server}/login").text
        assert browser.post(f"{server}/login", data={
            "email": SANDRA, "password": DEMO_PASSWORD, "csrf_token": csrf_token(login_page),
        }, allow_redirects=False).status_code == 302
        browsers.append(browser)
    # all asked "Weet je het zeker?" before any revoke
    pages = [b.get(f"{server}{consent_url(demo)}/{consent}/intrekken").text for b in browsers]
    forms = [form_values(p, f"{consent_url(demo)}/{consent}/intrekken") for p in pages]
    start = threading.Barrier(REVOKES)

    def revoke(n: int):
        start.wait()
        return browsers[n].post(f"{server}{consent_url(demo)}/{consent}/intrekken", data=forms[n],
                                allow_redirects=False)

    with ThreadPoolExecutor(max_workers=REVOKES) as pool:
        results = list(pool.map(revoke, range(REVOKES)))
    codes = sorted(r.status_code for r in results)
    assert codes.count(302) == 1 and codes.count(409) == REVOKES - 1, [
        (r.status_code, r.text[:300]) for r in results if r.status_code not in (302, 409)]
    for response in results:
        if response.status_code == 409:
            assert CHANGED in response.text
            # all eight are Sandra: the others read that she revoked it herself already
            assert "je hebt de toestemming zelf al ingetrokken op" in response.text
    assert audit_count(app, "revoke", consent) == 1


# --- the sub-goal's title and the agreement ---------------------------------------------------
def goal_ids(app) -> tuple[int, int, int]:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        sub = session.scalar(select(Goal).where(Goal.title == SUB_GOAL))
        goal_1 = session.scalar(select(Goal.id).where(Goal.title == GOAL_1))
        return sub.parent_id, sub.id, goal_1


def goal_title(app, goal_id: int) -> str:
    from samenplan.goals.models import Goal

    with db_session(app) as session:
        return session.scalar(select(Goal.title).where(Goal.id == goal_id))


def merge_rows(html: str) -> list[tuple[str, str, str]]:
    table = dom(html).find("table", class_="merge-table")
    return [tuple(cell.text() for cell in row.children if getattr(cell, "tag", None) in ("th", "td"))
            for row in table.find("tbody").find_all("tr")]


def test_a_sub_goal_title_saved_from_an_old_version_gets_the_merge_screen(app, demo):
    parent, sub, _goal_1 = goal_ids(app)
    url = f"/gezin/{demo.family_id}/doelen/{parent}"
    title_url = f"{url}/tussendoelen/{sub}/titel"
    sandra, fatima = as_user(app, SANDRA), as_user(app, FATIMA)
    sandras_page = page(sandra.get(url))
    fatimas_page = page(fatima.get(url))
    theirs, mine = "Alle brieven over geld liggen in de blauwe map", "Ik open elke dag de post"

    first = fatima.post(title_url, data=dict(form_values(fatimas_page, title_url), title=[theirs]))
    assert first.status_code == 302, words(page(first))[:500]
    assert first.headers["Location"].endswith(f"#tussendoel-{sub}")
    assert goal_title(app, sub) == theirs

    sandras_form = form_values(sandras_page, title_url)
    late = sandra.post(title_url, data=dict(sandras_form, title=[mine]))
    screen = page(late)
    assert late.status_code == 409, words(screen)[:500]
    item = dom(screen).find("li", id=f"tussendoel-{sub}")
    assert MERGE_HEADING in item.text()
    assert ("Titel", theirs, mine) in merge_rows(screen), merge_rows(screen)
    typed = form_values(screen, title_url)
    assert typed["title"] == [mine], "the typed title is not kept in the form"
    assert int(typed["version"][0]) > int(sandras_form["version"][0])
    assert "Mijn versie opslaan" in item.text() and "Hun versie houden" in item.text()
    assert goal_title(app, sub) == theirs, "the stale save overwrote the title"

    # "Mijn versie opslaan": the form as shown, saved knowingly
    again = sandra.post(title_url, data=typed)
    assert again.status_code == 302
    assert goal_title(app, sub) == mine

    # no version at all: the merge screen too, nothing saved
    no_version = {k: v for k, v in form_values(page(sandra.get(url)), title_url).items() if k != "version"}
    refused = sandra.post(title_url, data=dict(no_version, title=["Zonder versie"]))
    assert refused.status_code == 409 and goal_title(app, sub) == mine
    # an empty title is refused in Dutch
    empty = sandra.post(title_url, data=dict(form_values(page(sandra.get(url)), title_url), title=["  "]))
    assert empty.status_code == 422 and "Schrijf het tussendoel op." in page(empty)


def test_a_sub_goal_title_is_not_for_who_may_not_see_it(app, demo):
    parent, sub, goal_1 = goal_ids(app)
    mark = as_user(app, MARK)  # goal 3 is Sandra's, financien
    html = page(mark.get(f"/gezin/{demo.family_id}"))
    response = mark.post(f"/gezin/{demo.family_id}/doelen/{parent}/tussendoelen/{sub}/titel",
                         data={"csrf_token": csrf_token(html), "title": "Weg ermee", "version": "1"})
    assert response.status_code == 404 and SUB_GOAL not in page(response)
    # a sub-goal under another goal than the one in the address
    sandra = as_user(app, SANDRA)
    wrong = sandra.post(f"/gezin/{demo.family_id}/doelen/{goal_1}/tussendoelen/{sub}/titel",
                        data={"csrf_token": csrf_token(html), "title": "Weg ermee", "version": "1"})
    assert wrong.status_code in (400, 404)
    assert goal_title(app, sub) == SUB_GOAL


def test_an_agreement_with_a_goal_that_changed_since_gets_the_merge_screen(app, demo):
    from samenplan.goals.models import GoalAgreement

    _parent, _sub, goal = goal_ids(app)
    url = f"/gezin/{demo.family_id}/doelen/{goal}"
    agree_url = f"{url}/akkoord"
    sandra, fatima = as_user(app, SANDRA), as_user(app, FATIMA)
    sandras_page = page(sandra.get(url))
    new_title = "We hebben elke avond rust in huis, ook in het weekend"
    edit_url = f"{url}/bewerken"
    edit = form_values(page(fatima.get(edit_url)), edit_url)
    assert fatima.post(edit_url, data=dict(edit, title=[new_title])).status_code == 302

    def sandras_agreement():
        with db_session(app) as session:
            found = session.get(GoalAgreement, (goal, demo.participants[SANDRA]))
            return (found.agrees, found.reason) if found else None

    before = sandras_agreement()
    reason = "Het weekend is bij ons juist druk."
    late = sandra.post(agree_url, data=dict(form_values(sandras_page, agree_url), agrees=["nee"],
                                            reason=[reason]))
    screen = page(late)
    assert late.status_code == 409, words(screen)[:500]
    section = dom(screen).find("section", id="akkoord")
    assert MERGE_HEADING in section.text()
    assert ("Doel", new_title, GOAL_1) in merge_rows(screen), merge_rows(screen)
    typed = form_values(screen, agree_url)
    assert typed["agrees"] == ["nee"] and typed["reason"] == [reason], typed
    assert "Mijn antwoord opslaan" in section.text() and "Niet opslaan" in section.text()
    assert sandras_agreement() == before, "an answer to the goal as it was got saved"

    again = sandra.post(agree_url, data=typed)
    assert again.status_code == 302
    assert sandras_agreement() == (False, reason)


# --- nothing leaks through the screen ---------------------------------------------------------
def test_the_changed_consent_screen_does_not_name_a_participant_hidden_from_the_viewer(app, demo):
    """Daan (GGZ Kompas, involved for Sandra's health) asks Noah's parents for consent to
    himself. Mark must answer, but may not know Daan takes part: the card, and the screen
    after Sandra said yes first, say "een hulpverlener"."""
    consent = request_for_noah(app, demo, as_user(app, DAAN), f"participant:{demo.participants[DAAN]}")
    sandra, mark = as_user(app, SANDRA), as_user(app, MARK)
    marks_page = page(mark.get(consent_url(demo)))
    sandras_page = page(sandra.get(consent_url(demo)))
    assert "Daan Visser" in consent_card(sandras_page, consent).text(), "Sandra may know of Daan"
    assert "Daan" not in consent_card(marks_page, consent).text()
    assert press(sandra, sandras_page, form_with_button(
        consent_card(sandras_page, consent), "Ja, ik geef toestemming")).status_code == 302

    for headers in ({}, HTMX):
        late = press(mark, marks_page, form_with_button(consent_card(marks_page, consent), "Nee, liever niet"),
                     headers=headers, reason="Liever niet")
        screen = page(late)
        assert late.status_code == 409
        assert CHANGED in screen
        assert "een hulpverlener" in consent_card(screen, consent).text()
        for secret in ("Daan", "Visser", "GGZ", "Kompas", "ggz-kompas"):
            assert secret not in screen, f"the changed-consent screen names {secret!r} to Mark"


def test_the_changed_shield_screen_does_not_name_a_participant_hidden_from_the_viewer(app, demo):
    shield = shield_for_noah(app, demo, DAAN)
    sandra, mark = as_user(app, SANDRA), as_user(app, MARK)
    marks_page = page(mark.get(shields_url(demo)))
    sandras_page = page(sandra.get(shields_url(demo)))
    assert "Daan Visser" in shield_card(sandras_page, shield).text()
    assert press(sandra, sandras_page, form_with_button(
        shield_card(sandras_page, shield), "Afscherming opheffen")).status_code == 302
    for headers in ({}, HTMX):
        late = press(mark, marks_page, form_with_button(shield_card(marks_page, shield), "Afscherming opheffen"),
                     headers=headers)
        screen = page(late)
        assert late.status_code == 409
        assert "Sandra Jansen heeft de afscherming opgeheven op" in screen
        assert "Niet zichtbaar voor: een hulpverlener" in shield_card(screen, shield).text()
        for secret in ("Daan", "Visser", "GGZ", "Kompas"):
            assert secret not in screen, f"the changed-shield screen names {secret!r} to Mark"


def test_a_consent_or_shield_the_viewer_may_not_see_stays_not_found(app, demo):
    """Sandra → GGZ Kompas is not Mark's to see; the shield on Sandra's address is set against
    him. Whatever version he names, it is the 404 of a consent or shield that is not there."""
    from samenplan.privacy.models import Shield

    consent = ggz_consent(app)
    with db_session(app) as session:
        against_mark = session.scalar(select(Shield.id).where(
            Shield.participant_id == demo.participants[MARK]))
    mark = as_user(app, MARK)
    html = page(mark.get(consent_url(demo)))
    token = csrf_token(html)
    for version in ("1", "2", "", "99"):
        for action in ("intrekken", "akkoord", "weigeren", "vragen"):
            response = mark.post(f"{consent_url(demo)}/{consent}/{action}",
                                 data={"csrf_token": token, "version": version})
            missing = mark.post(f"{consent_url(demo)}/987654/{action}",
                                data={"csrf_token": token, "version": version})
            assert response.status_code == 404, (action, version, response.status_code)
            assert words(page(response)) == words(page(missing))
        lift = mark.post(f"{shields_url(demo)}/{against_mark}/opheffen",
                         data={"csrf_token": token, "version": version}, headers=HTMX)
        missing = mark.post(f"{shields_url(demo)}/987654/opheffen",
                            data={"csrf_token": token, "version": version}, headers=HTMX)
        assert lift.status_code == 404
        assert words(page(lift)) == words(page(missing))
    assert mark.get(f"{consent_url(demo)}/{consent}", headers=HTMX).status_code == 404
    assert mark.get(f"{shields_url(demo)}/{against_mark}", headers=HTMX).status_code == 404
    assert consent_row(app, consent)["revoked_at"] is None
    assert shield_row(app, against_mark)["lifted_at"] is None
