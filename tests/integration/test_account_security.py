"""Account security (issue 8, items 10-13): mailed links never built on a forged Host header;
ids out of range are 404, never a crash; the login limit counts failures, per address and per
account, and does not lock the real user out; changing how you log in (second factor,
recovery codes, password, e-mail address) asks first "Bevestig dat jij het bent"."""
from __future__ import annotations

import email
import email.policy
import re
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select, update

from tests.support.apps import make_app
from tests.support.clients import csrf_token, db_session, login, page, path_of
from tests.support.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, FATIMA, LISA, MARK, RIET, SANDRA

FORGED = "evil.example:5311"


# --- helpers -----------------------------------------------------------------------------------
def location(response) -> str:
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


@contextmanager
def app_with(database_url: str, **overrides):
    created = make_app(database_url, **overrides)
    try:
        yield created
    finally:
        created.extensions["samenplan.engine"].dispose()


@pytest.fixture
def outbox(tmp_path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def mail_app(app, database_url, outbox):
    """`app` (fresh demo database), with e-mail written to an empty outbox folder."""
    with app_with(database_url, MAIL_OUTBOX=str(outbox)) as created:
        yield created


def mails(outbox: Path, to: str | None = None, wait: float = 0.0) -> list[email.message.EmailMessage]:
    """The mails in the outbox (to `to`), waiting up to `wait` seconds for at least one: login
    links and reset mails go out after the answer."""
    deadline = time.monotonic() + wait
    while True:
        found = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                 for p in sorted(outbox.glob("*.eml"))] if outbox.exists() else []
        if to is not None:
            found = [m for m in found if m["To"] == to]
        if found or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links_in(message) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text_of(message))


def without_tokens(html: str) -> str:
    """The page with its (per-session) CSRF tokens blanked out."""
    return re.sub(r'("X-CSRFToken": "|name="csrf_token"[^>]*value=")[^"]+', r"\1", html)


def forge_host(flask_app, host: str = FORGED) -> None:
    """Every request reaches the app with `Host: host`, as through a proxy that passes on
    whatever the client sent. (The test client keeps its cookies: the session stays.)"""
    inner = flask_app.wsgi_app

    def wsgi(environ, start_response):
        environ["HTTP_HOST"] = host
        return inner(environ, start_response)

    flask_app.wsgi_app = wsgi


def ask_link(client, url: str, address: str):
    form = client.get(url)
    assert form.status_code == 200, page(form)
    return client.post(url, data={"email": address, "csrf_token": csrf_token(page(form))})


# --- 10. mailed links and the Host header ------------------------------------------------------
@pytest.mark.parametrize("url", ["/login/link", "/wachtwoord-vergeten"])
def test_a_forged_host_never_reaches_a_login_or_reset_mail(mail_app, outbox, url):
    """No PUBLIC_URL and no TRUSTED_HOSTS (the test app has SERVER_NAME samenplan.test): the
    link is built on SERVER_NAME, never on the Host header someone sent."""
    forge_host(mail_app)
    response = ask_link(mail_app.test_client(), url, SANDRA)
    assert response.status_code == 200
    [message] = mails(outbox, SANDRA, wait=10)
    links = links_in(message)
    assert links, text_of(message)
    for link in links:
        assert "evil.example" not in link, link
        assert urlsplit(link).netloc == "samenplan.test", link


def test_a_forged_host_never_reaches_an_invitation_mail(mail_app, outbox, demo):
    forge_host(mail_app)
    fatima = mail_app.test_client()
    login(fatima, FATIMA)
    url = f"/gezin/{demo.family_id}/uitnodigen"
    response = fatima.post(url, data={
        "csrf_token": csrf_token(page(fatima.get(url))), "name": "Ans de Vries",
        "email": "ans@buren.example", "role": "network", "function": "buurvrouw",
    })
    assert response.status_code == 302, page(response)
    [message] = mails(outbox, "ans@buren.example", wait=10)
    links = links_in(message)
    assert links, text_of(message)
    for link in links:
        assert "evil.example" not in link, link
        assert urlsplit(link).netloc == "samenplan.test", link


def test_public_url_wins_over_every_host(app, database_url, outbox):
    with app_with(database_url, MAIL_OUTBOX=str(outbox), PUBLIC_URL="https://samenplan.example/") as configured:
        forge_host(configured)
        ask_link(configured.test_client(), "/login/link", SANDRA)
        [message] = mails(outbox, SANDRA, wait=10)
        [link] = links_in(message)
        assert link.startswith("https://samenplan.example/login/link/"), link


def test_a_trusted_host_may_be_used_and_any_other_is_refused(app, database_url, outbox):
    """Without PUBLIC_URL the request's host is used only when TRUSTED_HOSTS names it; every
    other Host header is refused with 400 before anything is sent."""
    with app_with(database_url, MAIL_OUTBOX=str(outbox), SERVER_NAME=None,
                  TRUSTED_HOSTS=["samenplan.example"]) as configured:
        client = configured.test_client()
        form = client.get("/login/link", base_url="https://samenplan.example")
        client.post("/login/link", base_url="https://samenplan.example", data={
            "email": SANDRA, "csrf_token": csrf_token(page(form)),
        }, headers={"Referer": "https://samenplan.example/login/link"})
        [message] = mails(outbox, SANDRA, wait=10)
        [link] = links_in(message)
        assert link.startswith("https://samenplan.example/login/link/"), link

        attacker = configured.test_client()
        assert attacker.get("/login/link", base_url="http://evil.example").status_code == 400
        assert attacker.post("/login/link", base_url="http://evil.example",
                             data={"email": SANDRA}).status_code == 400
    assert len(mails(outbox)) == 1


def test_without_any_trusted_base_no_link_is_sent_and_the_answer_is_dutch(app, database_url, outbox, caplog):
    """No PUBLIC_URL, no TRUSTED_HOSTS, no SERVER_NAME: nothing says where samenplan lives, so
    no link is built at all. The page says so in Dutch, the same for known and unknown
    addresses, and the log says what to set."""
    with app_with(database_url, MAIL_OUTBOX=str(outbox), SERVER_NAME=None) as bare:
        forge_host(bare)
        known = ask_link(bare.test_client(), "/login/link", SANDRA)
        unknown = ask_link(bare.test_client(), "/login/link", "niemand@demo.samenplan.nl")
        time.sleep(0.3)
    assert known.status_code == unknown.status_code == 500
    assert without_tokens(page(known)) == without_tokens(page(unknown))
    assert "geen link per e-mail sturen" in page(known)
    assert "evil.example" not in page(known)
    assert mails(outbox) == []
    assert any("PUBLIC_URL" in record.getMessage() for record in caplog.records)


# --- 11. ids out of range ------------------------------------------------------------------------
TOO_BIG = ["99999999999999999999", str(2**63), str(2**31), "0", "9" * 5000]


@pytest.mark.parametrize("number", TOO_BIG, ids=["20-digits", "2^63", "2^31", "zero", "5000-digits"])
def test_an_id_out_of_range_is_404_on_every_kind_of_route(app, demo, number):
    """Beyond 2**63 SQLite raises OverflowError, beyond 2**31 PostgreSQL refuses an `integer`
    parameter, and int() of thousands of digits raises: each a 500 (under `make run`, the
    debugger) before. Now the URL does not match: 404 before any view runs."""
    sandra = app.test_client()
    login(sandra, SANDRA)
    family, goal = demo.family_id, demo.goals[1]
    for url in (f"/gezin/{family}/doelen/{number}", f"/gezin/{number}",
                f"/gezin/{number}/doelen/{goal}", f"/gezin/{family}/doelen/{number}/bewerken"):
        response = sandra.get(url)
        assert response.status_code == 404, url
        assert "Niet gevonden" in page(response)
    token = csrf_token(page(sandra.get("/account")))
    for url in (f"/account/sessies/{number}/beeindigen", f"/gezin/{family}/acties/{number}/klaar",
                f"/gezin/{family}/doelen/{number}/acties"):
        assert sandra.post(url, data={"csrf_token": token}).status_code == 404, url
    # and before logging in the same
    assert app.test_client().get(f"/gezin/{family}/doelen/{number}").status_code == 404
    # the real ids still work
    assert sandra.get(f"/gezin/{family}/doelen/{goal}").status_code == 200


def test_the_largest_id_is_an_ordinary_not_found(app, demo):
    from samenplan.ids import MAX_ID

    sandra = app.test_client()
    login(sandra, SANDRA)
    assert sandra.get(f"/gezin/{demo.family_id}/doelen/{MAX_ID}").status_code == 404


def test_parse_id_for_query_strings_and_form_fields(app):
    from samenplan.ids import MAX_ID, parse_id

    assert parse_id("1") == 1 and parse_id(str(MAX_ID)) == MAX_ID and parse_id(" 42 ") == 42
    for bad in ("0", str(MAX_ID + 1), "99999999999999999999", "9" * 5000, "-3", "1e3", "abc", "", "٣"):
        with pytest.raises(ValueError):
            parse_id(bad)
    with app.test_request_context("/?record=99999999999999999999&ok=7"):
        from flask import request

        assert request.args.get("record", type=parse_id) is None
        assert request.args.get("ok", type=parse_id) == 7


# --- 12. the login limit counts wrong passwords, per address and per account ---------------------
ACCOUNT_LIMITED = "Er is te vaak een verkeerd wachtwoord gebruikt voor dit account."
ADDRESS_LIMITED = "Vanaf deze internetverbinding is te vaak een verkeerd wachtwoord gebruikt."


@pytest.fixture
def limited_app(app, database_url, outbox):
    """Three wrong passwords a minute, per address and per account (the real limiter, in
    memory); e-mail to the outbox."""
    with app_with(database_url, LOGIN_RATE_LIMIT="3 per minute", MAIL_OUTBOX=str(outbox)) as limited:
        yield limited


def from_address(flask_app, address: str):
    client = flask_app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_logging_in_is_never_counted(limited_app):
    """An office, a school or a shelter where many log in from one address: only wrong
    passwords count against the address."""
    office = from_address(limited_app, "198.51.100.1")
    for account in (SANDRA, MARK, RIET, LISA, SANDRA, MARK):
        response = login(office, account)
        assert response.status_code == 302, (account, response.status_code)
        office.post("/logout", data={"csrf_token": csrf_token(page(office.get("/account")))})


def test_an_empty_field_is_not_a_wrong_password(limited_app):
    client = from_address(limited_app, "198.51.100.2")
    for _ in range(5):
        token = csrf_token(page(client.get("/login")))
        assert client.post("/login", data={"email": MARK, "password": "", "csrf_token": token}).status_code == 400
    assert login(client, MARK).status_code == 302


def test_wrong_passwords_elsewhere_do_not_stop_the_right_one_below_the_account_limit(limited_app):
    attacker = from_address(limited_app, "203.0.113.66")
    for _ in range(2):
        assert login(attacker, MARK, "raden-maar").status_code == 401
    # Mark himself, from home and then from work, with his own password
    assert login(from_address(limited_app, "192.0.2.10"), MARK).status_code == 302
    assert login(from_address(limited_app, "192.0.2.20"), MARK).status_code == 302


def test_a_locked_account_is_told_in_words_and_gets_in_with_a_login_link(limited_app, outbox):
    """Someone hammers Mark's account from ever other addresses. The account limit stops the
    guessing, also for Mark's own password - but he is told so in words, and the login link
    (limited on its own) still works for him."""
    for n in range(3):
        assert login(from_address(limited_app, f"203.0.113.{n + 1}"), MARK, "raden-maar").status_code == 401
    assert login(from_address(limited_app, "203.0.113.99"), MARK, "nog-eens").status_code == 429

    mark = from_address(limited_app, "192.0.2.10")
    blocked = login(mark, MARK)
    html = page(blocked)
    assert blocked.status_code == 429
    assert ACCOUNT_LIMITED in html
    assert "Wacht even, of log in met een link per e-mail." in html
    assert html.count("<h1>") == 1
    assert 'href="/login/link"' in html
    assert 'action="/login/link"' in html and f'value="{MARK}"' in html  # what he typed, kept
    assert mark.get("/").status_code == 302  # not logged in

    # the offered form: a login link by e-mail, and with it Mark is in
    sent = mark.post("/login/link", data={"email": MARK, "csrf_token": csrf_token(html)})
    assert sent.status_code == 200
    [message] = mails(outbox, MARK, wait=10)
    [link] = links_in(message)
    path = urlsplit(link).path
    landed = mark.post(path, data={"csrf_token": csrf_token(page(mark.get(path)))})
    assert landed.status_code == 302 and path_of(landed) == "/"
    assert mark.get("/").status_code == 200

    # the address Mark came from is not limited: others log in from there as usual
    assert login(from_address(limited_app, "192.0.2.10"), SANDRA).status_code == 302


def test_wrong_passwords_from_one_address_limit_that_address(limited_app):
    guesser = from_address(limited_app, "203.0.113.7")
    for account in (SANDRA, MARK, LISA):  # one wrong password each: no account is limited
        assert login(guesser, account, "raden-maar").status_code == 401
    blocked = login(guesser, RIET)
    assert blocked.status_code == 429
    assert ADDRESS_LIMITED in page(blocked)
    assert 'href="/login/link"' in page(blocked)
    # the accounts themselves are not limited
    for account in (SANDRA, MARK, LISA, RIET):
        assert login(from_address(limited_app, "192.0.2.30"), account).status_code == 302


# --- 13. "Bevestig dat jij het bent" before changing how you log in ------------------------------
CONFIRM = "/account/bevestigen"
NEW_ADDRESS = "sandra.nieuw@voorbeeld.nl"
NEW_PASSWORD = "wij fietsen samen naar school"


def user_row(flask_app, address: str):
    from samenplan.auth.models import User

    with db_session(flask_app) as session:
        user = session.scalar(select(User).where(User.email == address))
        if user is not None:
            session.expunge(user)
        return user


def set_user(flask_app, address: str, **values) -> None:
    from samenplan.auth.models import User

    with db_session(flask_app) as session:
        session.execute(update(User).where(User.email == address).values(**values))
        session.commit()


def age_logins(flask_app, address: str, minutes: int = 11) -> None:
    """As if the user logged in (or last confirmed who they are) `minutes` ago."""
    from samenplan.auth.models import User, UserSession
    from samenplan.db import utcnow

    with db_session(flask_app) as session:
        user_id = session.scalar(select(User.id).where(User.email == address))
        session.execute(update(UserSession).where(UserSession.user_id == user_id).values(
            authenticated_at=utcnow() - timedelta(minutes=minutes)))
        session.commit()


def logged_in_a_while_ago(flask_app, address: str):
    client = flask_app.test_client()
    login(client, address)
    age_logins(flask_app, address)
    return client


def recovery_codes_left(flask_app, address: str) -> list[str]:
    from samenplan.auth.models import RecoveryCode

    user = user_row(flask_app, address)
    with db_session(flask_app) as session:
        return list(session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))))


def app_code(step_offset: int = 0, secret: str = DEMO_TOTP_SECRET) -> str:
    from samenplan.auth.twofactor import code_at

    return code_at(secret, int(time.time() // 30) + step_offset)


def confirm(client, next_url: str, **answer):
    return confirm_at(client, f"{CONFIRM}?{urlencode({'next': next_url})}", **answer)


def confirm_at(client, url: str, **answer):
    """Answer the confirmation step at `url` (as the redirect to it said)."""
    return client.post(url, data={**answer, "csrf_token": csrf_token(page(client.get(url)))})


def confirm_target(response) -> str:
    """Where the confirmation step sends the user back to (its `next`)."""
    assert response.status_code == 302, response.status_code
    assert path_of(response) == CONFIRM, response.headers["Location"]
    return parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]


def account_token(client) -> str:
    return csrf_token(page(client.get("/account")))


@pytest.fixture
def sandra_with_app(app):
    """Sandra has turned on two-factor login (the demo secret)."""
    set_user(app, SANDRA, totp_secret=DEMO_TOTP_SECRET, totp_last_step=0)
    return app


def test_setting_up_the_app_asks_who_you_are_first(app):
    sandra = logged_in_a_while_ago(app, SANDRA)
    response = sandra.get("/login/tweestaps/instellen")
    assert confirm_target(response) == "/login/tweestaps/instellen"
    with sandra.session_transaction() as session:
        assert "enrol_secret" not in session  # no secret shown or kept yet
    shown = sandra.get(response.headers["Location"])
    html = page(shown)
    assert shown.status_code == 200
    assert html.count("<h1>") == 1 and "Bevestig dat jij het bent" in html
    assert '<label for="password">Je wachtwoord</label>' in html
    assert 'name="code"' not in html  # she has no app yet: only her password can say it is her
    # enrolling straight away, with a code of her own app, is refused just the same
    own = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with sandra.session_transaction() as session:
        session["enrol_secret"] = own
    sneaky = sandra.post("/login/tweestaps/instellen", data={
        "code": app_code(secret=own), "csrf_token": account_token(sandra)})
    assert confirm_target(sneaky) == "/login/tweestaps/instellen"
    assert user_row(app, SANDRA).totp_secret is None


def test_replacing_the_app_asks_who_you_are_first(sandra_with_app):
    """The attack of the issue: someone at Sandra's unlocked phone puts their own app in."""
    sandra = logged_in_a_while_ago(sandra_with_app, SANDRA)
    assert confirm_target(sandra.get("/login/tweestaps/instellen")) == "/login/tweestaps/instellen"
    assert user_row(sandra_with_app, SANDRA).totp_secret == DEMO_TOTP_SECRET


@pytest.mark.parametrize("url", ["/account/herstelcodes", "/account/tweestaps-uit"])
def test_recovery_codes_and_switching_off_ask_who_you_are_first(sandra_with_app, url):
    app = sandra_with_app
    with app.app_context():  # Sandra has recovery codes, as after enrolling
        from samenplan import db
        from samenplan.auth import twofactor
        from samenplan.auth.models import User

        session = db.session()
        twofactor.new_recovery_codes(session, session.scalar(select(User).where(User.email == SANDRA)))
        session.commit()
    before = recovery_codes_left(app, SANDRA)
    sandra = logged_in_a_while_ago(app, SANDRA)
    response = sandra.post(url, data={"csrf_token": account_token(sandra)})
    assert confirm_target(response) == "/account#tweestaps"
    assert user_row(app, SANDRA).totp_secret == DEMO_TOTP_SECRET
    assert recovery_codes_left(app, SANDRA) == before


def test_a_new_e_mail_address_asks_who_you_are_first(app, outbox):
    sandra = logged_in_a_while_ago(app, SANDRA)
    assert confirm_target(sandra.get("/account/e-mailadres")) == "/account/e-mailadres"
    posted = sandra.post("/account/e-mailadres", data={"email": NEW_ADDRESS, "csrf_token": account_token(sandra)})
    assert confirm_target(posted) == "/account/e-mailadres"
    time.sleep(0.2)
    assert mails(outbox) == []
    assert user_row(app, SANDRA).email == SANDRA


def test_a_wrong_password_or_code_is_refused(sandra_with_app):
    app = sandra_with_app
    sandra = logged_in_a_while_ago(app, SANDRA)
    target = "/login/tweestaps/instellen"
    for answer in ({"password": "niet-mijn-wachtwoord"}, {"code": "000000"}, {"code": app_code(-10)}):
        refused = confirm(sandra, target, **answer)
        assert refused.status_code == 401, answer
        assert "Dat klopt niet. Kijk of je het goed hebt getypt" in page(refused)
    empty = confirm(sandra, target, password="", code="")
    assert empty.status_code == 422
    assert "Vul je wachtwoord in, of de code uit je app." in page(empty)
    # still not confirmed
    assert confirm_target(sandra.get(target)) == target


def test_the_right_password_goes_through_and_back(app):
    sandra = logged_in_a_while_ago(app, SANDRA)
    target = confirm_target(sandra.get("/login/tweestaps/instellen"))
    done = confirm(sandra, target, password=DEMO_PASSWORD)
    assert done.status_code == 302 and location(done) == "/login/tweestaps/instellen"
    shown = sandra.get("/login/tweestaps/instellen")
    assert shown.status_code == 200 and '<div class="qr">' in page(shown)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page(shown)).group(1)
    enrolled = sandra.post("/login/tweestaps/instellen", data={
        "code": app_code(secret=secret), "csrf_token": csrf_token(page(shown))})
    assert enrolled.status_code == 200 and "Je herstelcodes" in page(enrolled)
    assert user_row(app, SANDRA).totp_secret == secret


def test_a_current_code_from_the_app_goes_through(app):
    """Fatima (a professional, with the demo app) makes new recovery codes: the POST cannot be
    repeated by a redirect, so after confirming she is back on the account page, told to do it
    again - and then it works."""
    fatima = logged_in_a_while_ago(app, FATIMA)
    before = recovery_codes_left(app, FATIMA)
    asked = fatima.post("/account/herstelcodes", data={"csrf_token": account_token(fatima)})
    assert confirm_target(asked) == "/account#tweestaps"
    shown = page(fatima.get(asked.headers["Location"]))
    assert 'name="password"' in shown and 'name="code"' in shown
    assert 'autocomplete="one-time-code"' in shown
    done = None
    for offset in (1, 2):  # her login used this step's code already: a code works once
        done = confirm_at(fatima, location(asked), code=app_code(offset))
        if done.status_code == 302:
            break
    assert done.status_code == 302 and location(done) == "/account#tweestaps"
    assert "Doe nu nog een keer wat je wilde doen." in page(fatima.get("/account"))
    made = fatima.post("/account/herstelcodes", data={"csrf_token": account_token(fatima)})
    assert made.status_code == 200
    assert len(re.findall(r"<li><code>([^<]+)</code></li>", page(made))) == 10
    assert recovery_codes_left(app, FATIMA) != before


def test_a_recovery_code_does_not_confirm(sandra_with_app):
    """A recovery code is for a lost phone at login; it is not "the code from your app"."""
    from samenplan.auth import twofactor
    from samenplan.auth.models import User

    app = sandra_with_app
    with app.app_context():
        from samenplan import db

        session = db.session()
        codes = twofactor.new_recovery_codes(session, session.scalar(select(User).where(User.email == SANDRA)))
        session.commit()
    sandra = logged_in_a_while_ago(app, SANDRA)
    assert confirm(sandra, "/account", code=codes[0]).status_code == 401


def test_confirming_lasts_ten_minutes(sandra_with_app):
    app = sandra_with_app
    sandra = logged_in_a_while_ago(app, SANDRA)
    assert confirm(sandra, "/account", password=DEMO_PASSWORD).status_code == 302
    age_logins(app, SANDRA, minutes=9)
    assert sandra.get("/account/e-mailadres").status_code == 200
    age_logins(app, SANDRA, minutes=11)
    assert confirm_target(sandra.get("/account/e-mailadres")) == "/account/e-mailadres"
    # a confirmation is for this device only: another logged-in device is not confirmed by it
    other = logged_in_a_while_ago(app, SANDRA)
    assert confirm(sandra, "/account", password=DEMO_PASSWORD).status_code == 302
    assert sandra.get("/account/e-mailadres").status_code == 200
    assert confirm_target(other.get("/account/e-mailadres")) == "/account/e-mailadres"


def test_a_fresh_login_needs_no_extra_step(app):
    sandra = app.test_client()
    login(sandra, SANDRA)
    assert sandra.get("/login/tweestaps/instellen").status_code == 200
    assert sandra.get("/account/e-mailadres").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_the_confirmation_goes_back_only_within_the_site(app, target):
    sandra = logged_in_a_while_ago(app, SANDRA)
    done = confirm(sandra, target, password=DEMO_PASSWORD)
    assert done.status_code == 302
    assert done.headers["Location"] in ("/account", "http://samenplan.test/account")


def test_guessing_at_the_confirmation_is_limited(app, database_url):
    with app_with(database_url, LOGIN_RATE_LIMIT="3 per minute") as limited:
        sandra = logged_in_a_while_ago(limited, SANDRA)
        for _ in range(3):
            assert confirm(sandra, "/account", password="raden-maar").status_code == 401
        assert confirm(sandra, "/account", password=DEMO_PASSWORD).status_code == 429
        # the current password on the password form is the same guess: the same limit
        response = sandra.post("/account/wachtwoord", data={
            "csrf_token": account_token(sandra), "current_password": DEMO_PASSWORD,
            "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
        assert response.status_code == 429
    assert login(app.test_client(), SANDRA).status_code == 302  # the password did not change


def test_a_password_change_asks_for_the_current_password_itself(app, database_url):
    """The password form has its own "current password" field: that is the confirmation, so
    there is no extra step - also long after logging in - and wrong guesses there count."""
    with app_with(database_url, LOGIN_RATE_LIMIT="3 per minute") as limited:
        sandra = logged_in_a_while_ago(limited, SANDRA)
        form = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        for _ in range(3):
            wrong = sandra.post("/account/wachtwoord", data={
                **form, "current_password": "raden-maar", "csrf_token": account_token(sandra)})
            assert wrong.status_code == 302
            assert "Je huidige wachtwoord klopt niet." in page(sandra.get("/account"))
        assert confirm(sandra, "/account", password=DEMO_PASSWORD).status_code == 429
    with app_with(database_url) as fresh:
        sandra = logged_in_a_while_ago(fresh, SANDRA)
        changed = sandra.post("/account/wachtwoord", data={
            **form, "current_password": DEMO_PASSWORD, "csrf_token": account_token(sandra)})
        assert changed.status_code == 302 and location(changed) == "/account#wachtwoord"
        assert login(fresh.test_client(), SANDRA, NEW_PASSWORD).status_code == 302


# --- a new e-mail address ---------------------------------------------------------------------
def ask_new_address(client, address: str):
    html = page(client.get("/account/e-mailadres"))
    return client.post("/account/e-mailadres", data={"email": address, "csrf_token": csrf_token(html)})


def email_link(outbox: Path, address: str) -> str:
    [message] = mails(outbox, address, wait=10)
    [link] = links_in(message)
    assert urlsplit(link).netloc == "samenplan.test"
    return urlsplit(link).path


def test_changing_the_e_mail_address_end_to_end(mail_app, outbox):
    from samenplan.auth import services
    from samenplan.db import utcnow

    sandra = mail_app.test_client()
    login(sandra, SANDRA)
    account = page(sandra.get("/account"))
    assert 'href="/account/e-mailadres"' in account and "E-mailadres veranderen" in account

    asked = ask_new_address(sandra, NEW_ADDRESS.upper())
    html = page(asked)
    assert asked.status_code == 200
    assert html.count("<h1>") == 1 and "Kijk in je e-mail" in html
    assert f"We hebben een e-mail gestuurd naar {NEW_ADDRESS}." in html

    # a link to the new address ...
    [to_new] = mails(outbox, NEW_ADDRESS, wait=10)
    assert to_new["Subject"] == "Bevestig je nieuwe e-mailadres voor samenplan"
    assert "Je wilt dit e-mailadres gebruiken voor samenplan." in text_of(to_new)
    assert "De link werkt 24 uur en maar één keer." in text_of(to_new)
    link = email_link(outbox, NEW_ADDRESS)
    assert link.startswith("/account/e-mailadres/")
    # ... and a notice, without a link, to the old one
    [notice] = mails(outbox, SANDRA, wait=10)
    assert notice["Subject"] == "Je e-mailadres bij samenplan veranderen"
    assert NEW_ADDRESS in text_of(notice)
    assert "Het verandert pas als iemand op de link klikt" in text_of(notice)
    assert "Heb jij dit niet gevraagd? Log dan meteen in en kies een nieuw wachtwoord." in text_of(notice)
    assert links_in(notice) == []

    # nothing changed yet; a login link still in the old mailbox works until the change
    assert user_row(mail_app, SANDRA) is not None
    with mail_app.app_context():
        from samenplan import db

        _user, old_login_link = services.issue_token(db.session(), SANDRA, "login", utcnow())

    # opening the link (say, on her phone, not logged in) shows a button; a GET changes nothing
    phone = mail_app.test_client()
    shown = phone.get(link)
    assert shown.status_code == 200
    assert f"Wil je voortaan dit e-mailadres gebruiken voor samenplan: {NEW_ADDRESS}?" in page(shown)
    assert user_row(mail_app, NEW_ADDRESS) is None
    done = phone.post(link, data={"csrf_token": csrf_token(page(shown))})
    assert done.status_code == 302 and path_of(done) == "/login"
    assert f"Je e-mailadres is nu {NEW_ADDRESS}." in page(phone.get("/login"))
    assert user_row(mail_app, SANDRA) is None
    assert user_row(mail_app, NEW_ADDRESS).name.startswith("Sandra")

    # she logs in with the new address; the old one is gone; so is the old mailbox's login link
    assert login(mail_app.test_client(), NEW_ADDRESS).status_code == 302
    assert login(mail_app.test_client(), SANDRA).status_code == 401
    assert mail_app.test_client().get(f"/login/link/{old_login_link}").status_code == 410
    # on the device where she asked, she is still logged in and sees the new address
    assert NEW_ADDRESS in page(sandra.get("/account"))

    # the link works once
    again = mail_app.test_client()
    assert again.get(link).status_code == 410
    assert again.post(link, data={"csrf_token": csrf_token(page(again.get("/login")))}).status_code == 410
    assert "Deze link werkt niet meer." in page(again.get(link))


def test_the_change_link_when_logged_in_goes_back_to_the_account(mail_app, outbox):
    sandra = mail_app.test_client()
    login(sandra, SANDRA)
    ask_new_address(sandra, NEW_ADDRESS)
    link = email_link(outbox, NEW_ADDRESS)
    done = sandra.post(link, data={"csrf_token": csrf_token(page(sandra.get(link)))})
    assert done.status_code == 302 and path_of(done) == "/account"
    assert f"Je e-mailadres is nu {NEW_ADDRESS}." in page(sandra.get("/account"))


def test_only_the_newest_change_link_works(mail_app, outbox):
    sandra = mail_app.test_client()
    login(sandra, SANDRA)
    ask_new_address(sandra, "eerste@voorbeeld.nl")
    first = email_link(outbox, "eerste@voorbeeld.nl")
    ask_new_address(sandra, NEW_ADDRESS)
    newest = email_link(outbox, NEW_ADDRESS)
    assert sandra.get(first).status_code == 410
    assert sandra.post(first, data={"csrf_token": account_token(sandra)}).status_code == 410
    assert user_row(mail_app, "eerste@voorbeeld.nl") is None
    assert sandra.post(newest, data={"csrf_token": account_token(sandra)}).status_code == 302
    assert user_row(mail_app, NEW_ADDRESS) is not None


def test_a_change_link_expires_after_24_hours(mail_app, outbox):
    from samenplan.auth.models import LoginToken
    from samenplan.db import utcnow

    sandra = mail_app.test_client()
    login(sandra, SANDRA)
    ask_new_address(sandra, NEW_ADDRESS)
    link = email_link(outbox, NEW_ADDRESS)
    with db_session(mail_app) as session:
        row = session.scalar(select(LoginToken).where(LoginToken.purpose == "email"))
        assert row.expires_at - row.created_at == timedelta(hours=24)
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.commit()
    assert sandra.get(link).status_code == 410
    assert sandra.post(link, data={"csrf_token": account_token(sandra)}).status_code == 410
    assert user_row(mail_app, SANDRA) is not None


def test_the_change_link_is_stored_hashed(mail_app, outbox):
    from samenplan.auth.models import LoginToken
    from samenplan.tokens import hash_token

    sandra = mail_app.test_client()
    login(sandra, SANDRA)
    ask_new_address(sandra, NEW_ADDRESS)
    token = email_link(outbox, NEW_ADDRESS).rsplit("/", 1)[1]
    with db_session(mail_app) as session:
        row = session.scalar(select(LoginToken).where(LoginToken.purpose == "email"))
        assert row.token_hash == hash_token(token) and token not in row.token_hash
        assert row.new_email == NEW_ADDRESS


def test_bad_input_is_explained_and_kept(mail_app, outbox):
    sandra = mail_app.test_client()
    login(sandra, SANDRA)
    for typed, message in (("geen-adres", "Dit is geen e-mailadres. Kijk of je het goed hebt getypt."),
                           ("", "Vul je nieuwe e-mailadres in."),
                           (SANDRA.upper(), "Dit is al je e-mailadres.")):
        refused = ask_new_address(sandra, typed)
        html = page(refused)
        assert refused.status_code == 422, typed
        assert message in html
        assert f'value="{typed}"' in html or not typed
        assert 'aria-invalid="true"' in html
    time.sleep(0.2)
    assert mails(outbox) == []


def test_an_address_of_another_account_gets_the_same_answer_and_no_link(mail_app, outbox):
    """Whether an address has an account is not told (it says someone takes part in a plan):
    the same page, the same notice to the old address, but no link goes out."""
    sandra = mail_app.test_client()
    login(sandra, SANDRA)
    taken = ask_new_address(sandra, MARK)
    free = ask_new_address(sandra, NEW_ADDRESS)
    assert taken.status_code == free.status_code == 200
    assert without_tokens(page(taken)).replace(MARK, "X") == without_tokens(page(free)).replace(NEW_ADDRESS, "X")
    assert len(mails(outbox, SANDRA, wait=10)) >= 1
    email_link(outbox, NEW_ADDRESS)
    time.sleep(0.3)
    assert mails(outbox, MARK) == []
    assert len(mails(outbox, SANDRA)) == 2
    assert user_row(mail_app, MARK).name.startswith("Mark")


def test_an_address_that_comes_from_the_organisation_is_not_changed_here(mail_app, outbox):
    """Fatima's organisation logs in through its own provider, which finds her by her address:
    samenplan does not change it (and her provider does her second factor)."""
    from samenplan.orgs.models import Organisation

    with db_session(mail_app) as session:
        organisation = session.scalar(select(Organisation).where(Organisation.name == "Sociaal Wijkteam Noord"))
        organisation.oidc_issuer = "https://login.wijkteam-noord.demo"
        organisation.oidc_client_id = "samenplan"
        organisation.oidc_domains = "wijkteam-noord.demo"
        session.commit()
    fatima = mail_app.test_client()
    login(fatima, FATIMA)
    account = page(fatima.get("/account"))
    assert "Je e-mailadres komt van je organisatie." in account
    assert 'href="/account/e-mailadres"' not in account
    shown = fatima.get("/account/e-mailadres")
    assert shown.status_code == 403
    assert "Vraag het aan de beheerder van je organisatie." in page(shown)
    posted = fatima.post("/account/e-mailadres", data={"email": "fatima@elders.example",
                                                       "csrf_token": account_token(fatima)})
    assert posted.status_code == 403
    time.sleep(0.2)
    assert mails(outbox) == []
    assert user_row(mail_app, FATIMA) is not None
