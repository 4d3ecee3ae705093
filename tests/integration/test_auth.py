"""Login, logout and the session, as a user and as an attacker sees them."""
from __future__ import annotations

import re
import time
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from samenplan import create_app
from tests.support.apps import make_app
from tests.support.clients import csrf_token, db_session, login, page, path_of
from tests.support.people import DEMO_PASSWORD, SANDRA

BASE = "http://samenplan.test"


def alert_text(html: str) -> str:
    match = re.search(r'<p class="error" role="alert">(.*?)</p>', html, re.S)
    assert match, "no error message on the login page"
    return match.group(1).strip()


def make_user(app, email: str, password: str = DEMO_PASSWORD, **extra):
    from samenplan.auth.models import User
    from samenplan.auth.passwords import hash_password

    with db_session(app) as session:
        user = User(email=email, name="Iemand Anders", password_hash=hash_password(password), **extra)
        session.add(user)
        session.commit()
        return user.id


def app_with(database_url: str, **overrides):
    """A second app on the same (already seeded) database, with settings of our own."""
    return make_app(database_url, **overrides)


# --- the login page --------------------------------------------------------------------------


def test_login_page_is_dutch(client):
    response = client.get("/login")
    html = page(response)
    assert response.status_code == 200
    assert '<html lang="nl"' in html
    assert "<h1>Inloggen</h1>" in html
    assert "E-mailadres" in html and "Wachtwoord" in html
    assert 'name="csrf_token"' in html


def test_anonymous_user_is_sent_to_login(client, demo):
    response = client.get(f"/gezin/{demo.family_id}")
    assert response.status_code == 302
    assert path_of(response) == "/login"


# --- no account enumeration ----------------------------------------------------------------


def _normalised(html: str, email: str) -> str:
    """The page with the parts that may differ legitimately (typed e-mail, CSRF token) blanked."""
    html = html.replace(email, "EMAIL")
    return re.sub(r"[A-Za-z0-9._-]{40,}", "TOKEN", html)


def test_wrong_password_and_unknown_email_look_the_same(app):
    wrong_password = login(app.test_client(), SANDRA, "niet-het-wachtwoord")
    unknown_email = login(app.test_client(), "niemand@demo.samenplan.nl", "niet-het-wachtwoord")

    assert wrong_password.status_code == unknown_email.status_code
    assert wrong_password.status_code in (200, 401)
    message = alert_text(page(wrong_password))
    assert message == alert_text(page(unknown_email))
    assert "klopt niet" in message
    assert _normalised(page(wrong_password), SANDRA) == _normalised(
        page(unknown_email), "niemand@demo.samenplan.nl"
    )


@pytest.mark.parametrize("url", ["/wachtwoord-vergeten", "/login/link"])
def test_mail_me_a_link_looks_the_same_for_unknown_addresses(app, url):
    def ask(email):
        client = app.test_client()
        form = client.get(url)
        assert form.status_code == 200
        return client.post(url, data={"email": email, "csrf_token": csrf_token(page(form))})

    known = ask(SANDRA)
    unknown = ask("niemand@demo.samenplan.nl")
    assert known.status_code == unknown.status_code
    assert known.status_code < 400
    assert _normalised(page(known), SANDRA) == _normalised(page(unknown), "niemand@demo.samenplan.nl")


@pytest.mark.parametrize("url", ["/wachtwoord-vergeten", "/login/link"])
def test_mailed_links_never_point_to_a_host_the_requester_chose(app, database_url, tmp_path, url):
    """Password-reset poisoning: an attacker asks a reset for the victim with a forged Host
    header; if the e-mailed link points to the attacker's host, the victim's click hands over
    the token. Configured as in production: no SERVER_NAME, PUBLIC_URL set."""
    outbox = tmp_path / "outbox"
    production = create_app({
        "DATABASE_URL": database_url, "SAMENPLAN_ENV": "production", "SECRET_KEY": "test-secret",
        "RATELIMIT_STORAGE_URI": "memory://", "MAIL_OUTBOX": str(outbox),
        "PUBLIC_URL": "https://samenplan.example",
    })
    try:
        attacker = production.test_client()
        form = attacker.get(url, base_url="https://evil.example")
        if form.status_code == 200:  # (a host allow-list that refuses evil.example is fine too)
            response = attacker.post(url, base_url="https://evil.example", data={
                "email": SANDRA, "csrf_token": csrf_token(page(form)),
            }, headers={"Referer": f"https://evil.example{url}"})  # CSRF over https wants one
            assert response.status_code < 400, response.status_code
            deadline = time.monotonic() + 10  # the mail goes out after the answer
            while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert list(outbox.glob("*.eml")), "no e-mail sent"
        links = [link for mail in outbox.glob("*.eml")
                 for link in re.findall(r"https?://[^\s\"'<>]+", mail.read_text())]
        for link in links:
            assert urlsplit(link).netloc != "evil.example", f"mailed link to the attacker: {link}"
            assert link.startswith("https://samenplan.example/"), link
    finally:
        production.extensions["samenplan.engine"].dispose()


def test_inactive_account_gets_the_same_message(app):
    make_user(app, "weg@demo.samenplan.nl", active=False)
    inactive = login(app.test_client(), "weg@demo.samenplan.nl")
    unknown = login(app.test_client(), "niemand@demo.samenplan.nl")
    assert inactive.status_code == unknown.status_code
    assert alert_text(page(inactive)) == alert_text(page(unknown))


# --- success and `next` ------------------------------------------------------------------------


def test_login_redirects_home_and_lists_the_plan(client, demo):
    response = login(client, SANDRA)
    assert response.status_code == 302
    assert path_of(response) == "/"
    home = client.get("/")
    html = page(home)
    assert home.status_code == 200
    assert "Plan van Jansen / de Boer" in html
    assert f'href="/gezin/{demo.family_id}"' in html


def test_email_is_not_case_sensitive(client):
    response = login(client, "  Sandra@Demo.Samenplan.NL ")
    assert response.status_code == 302
    assert path_of(response) == "/"


def _login_with_next(client, target: str):
    token = csrf_token(page(client.get("/login", query_string={"next": target})))
    return client.post(
        "/login", query_string={"next": target},
        data={"email": SANDRA, "password": DEMO_PASSWORD, "csrf_token": token},
    )


def _where_a_browser_goes(location: str) -> str:
    """Resolve a Location header roughly as a browser does (WHATWG: tabs and newlines are
    dropped, a backslash counts as a slash in http(s) URLs)."""
    cleaned = re.sub(r"[\t\r\n]", "", location).replace("\\", "/")
    return urljoin(BASE + "/login", cleaned)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "//evil.example/gezin/1"])
def test_next_to_another_site_lands_on_home(client, target):
    response = _login_with_next(client, target)
    assert response.status_code == 302
    resolved = urlsplit(_where_a_browser_goes(response.headers["Location"]))
    assert resolved.netloc == "samenplan.test"
    assert resolved.path == "/"


@pytest.mark.parametrize(
    "target", ["/\\evil.example", "\\\\evil.example", "/\t/evil.example", "https:evil.example",
               "javascript:alert(1)", " //evil.example"],
)
def test_next_tricks_never_leave_the_site(client, target):
    response = _login_with_next(client, target)
    assert response.status_code == 302
    assert urlsplit(_where_a_browser_goes(response.headers["Location"])).netloc == "samenplan.test"
    assert not response.headers["Location"].lower().startswith("javascript:")


def test_next_to_a_local_page_is_followed(client, demo):
    response = _login_with_next(client, f"/gezin/{demo.family_id}")
    assert response.status_code == 302
    assert path_of(response) == f"/gezin/{demo.family_id}"


# --- logout ------------------------------------------------------------------------------------


def test_logout_needs_post_with_csrf_and_ends_the_session(client, demo):
    login(client, SANDRA)
    plan_url = f"/gezin/{demo.family_id}"
    html = page(client.get(plan_url))

    # a link or an image on another site cannot log the user out
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get(plan_url).status_code == 200, "still logged in after refused logouts"

    response = client.post("/logout", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert path_of(response) == "/login"
    assert "Je bent uitgelogd." in page(client.get("/login"))

    after = client.get(plan_url)
    assert after.status_code == 302
    assert path_of(after) == "/login"


def test_session_cookie_from_before_logout_no_longer_works(app, demo):
    """Someone who copied the cookie (a shared phone, a library computer) must not get back
    in once the user has logged out."""
    client = app.test_client()
    login(client, SANDRA)
    plan_url = f"/gezin/{demo.family_id}"
    html = page(client.get(plan_url))
    stolen = client.get_cookie("session", domain="samenplan.test")
    assert stolen is not None
    client.post("/logout", data={"csrf_token": csrf_token(html)})

    thief = app.test_client()
    thief.set_cookie("session", stolen.value, domain="samenplan.test")
    response = thief.get(plan_url)
    assert response.status_code == 302, "the old session cookie still opens the plan"
    assert path_of(response) == "/login"


# --- the session cookie ------------------------------------------------------------------------


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "login set no session cookie"
    return cookies[-1]


def _flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_session_cookie_is_httponly_and_samesite_lax(client):
    flags = _flags(_session_cookie(login(client, SANDRA)))
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_session_cookie_is_secure_when_configured(app, database_url):
    secure_app = app_with(database_url, SESSION_COOKIE_SECURE=True)
    try:
        client = secure_app.test_client()
        response = login(client, SANDRA)
        flags = _flags(_session_cookie(response))
        assert {"secure", "httponly", "samesite=lax"} <= flags
        assert "max-age=31536000" in response.headers.get("Strict-Transport-Security", "")
    finally:
        secure_app.extensions["samenplan.engine"].dispose()


def test_session_cookie_is_secure_in_production_by_default(app, database_url, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    production = app_with(database_url, SAMENPLAN_ENV="production", PUBLIC_URL="https://samenplan.example")
    try:
        flags = _flags(_session_cookie(login(production.test_client(), SANDRA)))
        assert {"secure", "httponly", "samesite=lax"} <= flags
    finally:
        production.extensions["samenplan.engine"].dispose()


# --- rate limit -------------------------------------------------------------------------------


@pytest.fixture
def limited_app(app, database_url):
    """The seeded database, in an app that allows three login attempts a minute."""
    limited = app_with(database_url, LOGIN_RATE_LIMIT="3 per minute")
    yield limited
    limited.extensions["samenplan.engine"].dispose()


def test_too_many_failed_logins_get_a_dutch_429(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        assert login(client, SANDRA, "fout").status_code != 429
    blocked = login(client, SANDRA, "fout")
    html = page(blocked)
    assert blocked.status_code == 429
    assert '<html lang="nl"' in html
    assert "Even wachten" in html
    assert "te vaak" in html
    # even the right password does not get through while blocked
    right = login(client, SANDRA)
    assert right.status_code == 429
    assert client.get("/").status_code == 302


def test_rate_limit_follows_the_account_across_addresses(limited_app):
    """An attacker who changes IP address for every guess is still stopped per account."""
    for n in range(3):
        client = limited_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
        assert login(client, SANDRA, "fout").status_code != 429
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.99"
    assert login(client, SANDRA, "fout").status_code == 429

    other = limited_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert login(other, "mark@demo.samenplan.nl").status_code == 302


# --- passwords --------------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2_hashes(app):
    from samenplan.auth.models import User

    with db_session(app) as session:
        hashes = session.scalars(select(User.password_hash)).all()
    assert hashes
    assert all(stored.startswith("$argon2id$") for stored in hashes)
    assert all(DEMO_PASSWORD not in stored for stored in hashes)
    for stored in set(hashes):  # the demo users share one hash: verify each distinct one once
        assert PasswordHasher().verify(stored, DEMO_PASSWORD)


def test_new_password_hashes_are_salted(app):
    from samenplan.auth.models import User

    make_user(app, "een@voorbeeld.test", "zelfde-wachtwoord-123")
    make_user(app, "twee@voorbeeld.test", "zelfde-wachtwoord-123")
    with db_session(app) as session:
        stored = session.scalars(
            select(User.password_hash).where(User.email.in_(["een@voorbeeld.test", "twee@voorbeeld.test"]))
        ).all()
    assert len(set(stored)) == 2
    assert all("zelfde-wachtwoord-123" not in h for h in stored)


# --- who may open a plan -----------------------------------------------------------------------


def test_user_outside_the_family_gets_404_for_its_plan(app, demo):
    make_user(app, "buiten@voorbeeld.test")
    client = app.test_client()
    assert login(client, "buiten@voorbeeld.test").status_code == 302
    home = page(client.get("/"))
    assert "Plan van Jansen / de Boer" not in home

    response = client.get(f"/gezin/{demo.family_id}")
    html = page(response)
    assert response.status_code == 404
    assert "Niet gevonden" in html
    assert "We hebben elke avond rust in huis" not in html


def test_member_of_another_family_gets_404_for_this_plan(app, demo):
    from samenplan.families.models import Family, Participant, Person
    from samenplan.plans.models import Plan

    user_id = make_user(app, "ander@gezin.test")
    with db_session(app) as session:
        family = Family(name="Gezin Anders")
        person = Person(family=family, first_name="Ander", last_name="Anders",
                        date_of_birth=date(1985, 1, 1))
        session.add_all([family, person, Plan(family=family)])
        session.flush()
        session.add(Participant(family=family, user_id=user_id, role="family", person=person))
        session.commit()
        other_family_id = family.id

    client = app.test_client()
    login(client, "ander@gezin.test")
    assert client.get(f"/gezin/{other_family_id}").status_code == 200
    assert client.get(f"/gezin/{demo.family_id}").status_code == 404
