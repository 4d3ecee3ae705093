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
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from samenplan import create_app
from tests.conftest import DEMO_PASSWORD, DEMO_TOTP_SECRET, csrf_token, login

SANDRA = "sandra@demo.samenplan.nl"
MARK = "mark@demo.samenplan.nl"
FATIMA = "fatima@wijkteam-noord.demo"
FORGED = "evil.example:5311"


# --- helpers -----------------------------------------------------------------------------------
def page(response) -> str:
    return response.get_data(as_text=True)


def path_of(response) -> str:
    return urlsplit(response.headers["Location"]).path


def location(response) -> str:
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def make_app(database_url: str, **overrides):
    """Configured as tests/conftest.py's `app`, with settings of our own."""
    config = {
        "DATABASE_URL": database_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "samenplan.test",
    }
    config.update(overrides)
    return create_app(config)


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


@contextmanager
def db_session(flask_app):
    with flask_app.app_context():
        from samenplan import db

        yield db.session()


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
RIET = "riet@demo.samenplan.nl"
LISA = "lisa@demo.samenplan.nl"
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
