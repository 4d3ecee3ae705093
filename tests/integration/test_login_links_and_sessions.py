"""Login links and password reset by e-mail (over the real SMTP server of
test_mail_and_invitations.py), sessions, "log out everywhere" and the idle timeout."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from tests.integration.test_mail_and_invitations import (  # noqa: F401 - fixtures
    alerts,
    link_in,
    mail_app,
    mail_app_with,
    mailbox,
    only_mail_to,
    post_form,
    smtp_server,
    text_part,
)
from tests.support.clients import csrf_token, db_session, login, page, path_of
from tests.support.people import DEMO_PASSWORD, FATIMA, MARK, SANDRA

NEW_PASSWORD = "de kat slaapt op de bank"



def settle(mailbox, count: int, wait: float = 10.0) -> None:
    """Mail goes out after the answer (in the background): wait until `count` messages are in,
    then a moment longer, so an unexpected extra one would be caught too."""
    import time

    deadline = time.monotonic() + wait
    while len(mailbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)


def request_link(client, address: str, url: str = "/login/link"):
    return post_form(client, url, {"email": address})


def logged_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert path_of(response) == "/login"
        return False
    assert response.status_code == 200
    return True


def _normalised(html: str, address: str) -> str:
    """The page with what may differ legitimately (the typed address, CSRF tokens) blanked."""
    html = html.replace(address, "EMAIL")
    return re.sub(r"[A-Za-z0-9._-]{40,}", "TOKEN", html)


def login_tokens(flask_app, address: str, purpose: str):
    from samenplan.auth.models import LoginToken, User

    with db_session(flask_app) as session:
        rows = session.scalars(select(LoginToken).join(User, User.id == LoginToken.user_id).where(
            User.email == address, LoginToken.purpose == purpose)).all()
        for row in rows:
            session.expunge(row)
        return rows


# --- login links -----------------------------------------------------------------------------
def test_login_link_mail_arrives_and_logs_in_once(mail_app, mailbox):
    sandra = mail_app.test_client()
    response = request_link(sandra, SANDRA)
    assert response.status_code == 200
    assert "Kijk in je e-mail" in page(response)

    received = only_mail_to(mailbox, SANDRA)
    assert received.message["Subject"] == "Inloggen bij samenplan"
    text = text_part(received)
    assert "Hallo Sandra Jansen," in text
    assert "De link werkt 15 minuten en maar één keer." in text
    link = link_in(received)
    assert link.startswith("/login/link/")

    # opening the link (or a mail scanner fetching it) does not log in ...
    shown = sandra.get(link)
    assert shown.status_code == 200
    assert "Nu inloggen" in page(shown)
    assert not logged_in(sandra)
    assert sandra.get(link).status_code == 200, "a GET must not use up the link"
    # ... only the button does
    pressed = sandra.post(link, data={"csrf_token": csrf_token(page(shown))})
    assert pressed.status_code == 302 and path_of(pressed) == "/"
    assert logged_in(sandra)

    # a second time: refused, in Dutch, on GET and on POST, and it does not log anyone in
    other = mail_app.test_client()
    again = other.get(link)
    assert again.status_code == 410
    assert "Deze link werkt niet meer. Een link werkt 15 minuten en maar één keer." in alerts(page(again))
    replay = other.post(link, data={"csrf_token": csrf_token(page(other.get("/login")))})
    assert replay.status_code == 410
    assert not logged_in(other)


def test_login_link_post_needs_the_csrf_token(mail_app, mailbox):
    sandra = mail_app.test_client()
    request_link(sandra, SANDRA)
    link = link_in(only_mail_to(mailbox, SANDRA))
    sandra.get(link)
    assert sandra.post(link).status_code == 400
    assert not logged_in(sandra)
    # the link was not used up by the refused POST
    assert sandra.post(link, data={"csrf_token": csrf_token(page(sandra.get(link)))}).status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(mail_app, mailbox):
    known = request_link(mail_app.test_client(), SANDRA)
    unknown = request_link(mail_app.test_client(), "niemand@demo.samenplan.nl")
    assert known.status_code == unknown.status_code == 200
    assert _normalised(page(known), SANDRA) == _normalised(page(unknown), "niemand@demo.samenplan.nl")
    settle(mailbox, 1)
    assert len(mailbox.to(SANDRA)) == 1
    assert mailbox.to("niemand@demo.samenplan.nl") == []
    assert len(mailbox.messages) == 1


def test_a_slow_mail_server_does_not_reveal_which_addresses_exist(mail_app, mailbox):
    """The mail server takes a second to accept a message. The answer for a known address
    must not take a second longer than for an unknown one: the response time would tell an
    attacker which addresses have an account (send the mail after answering, e.g. queued)."""
    import time

    mailbox.delay = 1.0

    def timed(address: str) -> float:
        client = mail_app.test_client()
        html = page(client.get("/login/link"))
        start = time.perf_counter()
        response = client.post("/login/link", data={"email": address, "csrf_token": csrf_token(html)})
        assert response.status_code == 200
        return time.perf_counter() - start

    unknown = timed("niemand@demo.samenplan.nl")
    known = timed(SANDRA)
    only_mail_to(mailbox, SANDRA)  # it is sent all the same (and done before the next test)
    assert abs(known - unknown) < 0.5, f"known address {known:.2f}s, unknown {unknown:.2f}s"


def test_a_mail_server_that_is_down_does_not_reveal_which_addresses_exist(app, database_url, smtp_server, mailbox):
    """With the mail server unreachable, a known and an unknown address still get the same
    answer (not an error page for the known one only)."""
    from tests.support.servers import free_port

    # errors become the 500 page, as in production (TESTING would re-raise them)
    with mail_app_with(database_url, smtp_server, SMTP_PORT=free_port(), PROPAGATE_EXCEPTIONS=False) as broken:
        known = request_link(broken.test_client(), SANDRA)
        unknown = request_link(broken.test_client(), "niemand@demo.samenplan.nl")
        assert unknown.status_code == 200
        assert known.status_code == unknown.status_code
        assert _normalised(page(known), SANDRA) == _normalised(page(unknown), "niemand@demo.samenplan.nl")


def test_inactive_account_gets_no_link(mail_app, mailbox):
    from samenplan.auth.models import User

    with db_session(mail_app) as session:
        session.execute(update(User).where(User.email == "mark@demo.samenplan.nl").values(active=False))
        session.commit()
    response = request_link(mail_app.test_client(), "mark@demo.samenplan.nl")
    assert response.status_code == 200 and "Kijk in je e-mail" in page(response)
    assert mailbox.messages == []


def test_login_link_expires_after_15_minutes(mail_app, mailbox):
    from samenplan.auth.models import LoginToken

    sandra = mail_app.test_client()
    request_link(sandra, SANDRA)
    link = link_in(only_mail_to(mailbox, SANDRA))
    (row,) = login_tokens(mail_app, SANDRA, "login")
    assert row.expires_at - row.created_at == dt.timedelta(minutes=15)
    form = page(sandra.get(link))

    # 15 minutes and a second later
    with db_session(mail_app) as session:
        session.execute(update(LoginToken).where(LoginToken.id == row.id).values(
            created_at=row.created_at - dt.timedelta(minutes=15, seconds=1),
            expires_at=row.expires_at - dt.timedelta(minutes=15, seconds=1)))
        session.commit()
    assert sandra.get(link).status_code == 410
    late = sandra.post(link, data={"csrf_token": csrf_token(form)})
    assert late.status_code == 410
    assert "Deze link werkt niet meer." in page(late)
    assert not logged_in(sandra)


def test_a_tampered_login_link_does_not_work(mail_app, mailbox):
    sandra = mail_app.test_client()
    request_link(sandra, SANDRA)
    link = link_in(only_mail_to(mailbox, SANDRA))
    changed = link[:-1] + ("A" if link[-1] != "A" else "B")
    assert sandra.get(changed).status_code == 410
    assert sandra.post(changed, data={"csrf_token": csrf_token(page(sandra.get(link)))}).status_code == 410
    assert not logged_in(sandra)


def test_login_link_requests_are_rate_limited(app, database_url, smtp_server, mailbox):
    """LOGIN_RATE_LIMIT="3 per minute": per client address, and per e-mail address (so
    changing address, or changing IP, does not help)."""
    with mail_app_with(database_url, smtp_server, LOGIN_RATE_LIMIT="3 per minute") as limited:
        client = limited.test_client()
        for _ in range(3):
            assert request_link(client, SANDRA).status_code == 200
        blocked = request_link(client, "mark@demo.samenplan.nl")
        assert blocked.status_code == 429
        assert "Je probeerde het te vaak." in page(blocked)
        settle(mailbox, 3)
        assert len(mailbox.messages) == 3
        assert mailbox.to("mark@demo.samenplan.nl") == []

        # from other addresses, the same e-mail address is limited too
        for n in range(3):
            elsewhere = limited.test_client()
            elsewhere.environ_base["REMOTE_ADDR"] = f"192.0.2.{10 + n}"
            assert request_link(elsewhere, "riet@demo.samenplan.nl").status_code == 200
        elsewhere = limited.test_client()
        elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.99"
        assert request_link(elsewhere, "riet@demo.samenplan.nl").status_code == 429
        settle(mailbox, 6)
        assert len(mailbox.to("riet@demo.samenplan.nl")) == 3

        # the password-reset request has the same limits
        resetter = limited.test_client()
        resetter.environ_base["REMOTE_ADDR"] = "198.51.100.7"
        for _ in range(3):
            assert request_link(resetter, "lisa@demo.samenplan.nl", "/wachtwoord-vergeten").status_code == 200
        assert request_link(resetter, "lisa@demo.samenplan.nl", "/wachtwoord-vergeten").status_code == 429
        settle(mailbox, 9)
        assert len(mailbox.to("lisa@demo.samenplan.nl")) == 3


def test_links_in_mail_do_not_follow_a_forged_host_header(app, database_url, smtp_server, mailbox):
    """Behind a proxy that passes on any Host header (no SERVER_NAME configured, as in
    production), someone asks a reset link for Sandra with `Host: evil.example`. The link in
    her mail must still point at samenplan, or one click hands the token to the attacker
    (password-reset poisoning). PUBLIC_URL is the setting meant for this."""
    with mail_app_with(database_url, smtp_server, SERVER_NAME=None,
                       PUBLIC_URL="https://samenplan.example") as production_like:
        attacker = production_like.test_client()
        url = "/wachtwoord-vergeten"
        form = attacker.get(url, base_url="http://evil.example")
        if form.status_code == 400:  # fixed by refusing unknown hosts (TRUSTED_HOSTS): fine too
            return
        attacker.post(url, base_url="http://evil.example",
                      data={"email": SANDRA, "csrf_token": csrf_token(page(form))})
        text = text_part(only_mail_to(mailbox, SANDRA))
        links = re.findall(r"https?://\S+", text)
        assert links, text
        assert all(not link.startswith("http://evil.example") for link in links), links
        assert all(link.startswith("https://samenplan.example/") for link in links), links


# --- password reset --------------------------------------------------------------------------
def test_password_reset_by_mail(mail_app, mailbox):
    phone = mail_app.test_client()  # Sandra is logged in on her phone ...
    login(phone, SANDRA)
    assert logged_in(phone)

    laptop = mail_app.test_client()  # ... and forgot her password on the laptop
    response = request_link(laptop, SANDRA, "/wachtwoord-vergeten")
    assert response.status_code == 200 and "Kijk in je e-mail" in page(response)
    received = only_mail_to(mailbox, SANDRA)
    assert received.message["Subject"] == "Nieuw wachtwoord voor samenplan"
    assert "Je wilde een nieuw wachtwoord voor samenplan." in text_part(received)
    link = link_in(received)
    assert link.startswith("/wachtwoord/")

    too_short = post_form(laptop, link, {"password": "kort", "password_again": "kort"})
    assert too_short.status_code == 422
    assert any("minstens 15 tekens" in a for a in alerts(page(too_short)))
    common = post_form(laptop, link, {"password": "1234567890abcde", "password_again": "1234567890abcde"})
    assert any("heel vaak gebruikt" in a for a in alerts(page(common)))
    # the refused attempts did not use up the link
    saved = post_form(laptop, link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert saved.status_code == 302 and path_of(saved) == "/login"
    assert "Je nieuwe wachtwoord is opgeslagen." in page(laptop.get("/login"))

    # the phone's session has ended
    assert not logged_in(phone)
    # the old password no longer works, the new one does
    old = login(mail_app.test_client(), SANDRA, DEMO_PASSWORD)
    assert old.status_code == 401
    new = mail_app.test_client()
    assert path_of(login(new, SANDRA, NEW_PASSWORD)) == "/"
    assert logged_in(new)

    # the link works once
    again = laptop.get(link)
    assert again.status_code == 410
    assert "Deze link werkt niet meer." in page(again)


def test_password_reset_for_unknown_address_looks_the_same(mail_app, mailbox):
    known = request_link(mail_app.test_client(), SANDRA, "/wachtwoord-vergeten")
    unknown = request_link(mail_app.test_client(), "niemand@demo.samenplan.nl", "/wachtwoord-vergeten")
    assert known.status_code == unknown.status_code
    assert _normalised(page(known), SANDRA) == _normalised(page(unknown), "niemand@demo.samenplan.nl")
    settle(mailbox, 1)
    assert len(mailbox.messages) == 1


def test_a_reset_link_is_not_a_login_link(mail_app, mailbox):
    """The two kinds of link are not interchangeable."""
    client = mail_app.test_client()
    request_link(client, SANDRA, "/wachtwoord-vergeten")
    token = link_in(only_mail_to(mailbox, SANDRA)).rsplit("/", 1)[1]
    assert client.get(f"/login/link/{token}").status_code == 410
    assert client.post(f"/login/link/{token}",
                       data={"csrf_token": csrf_token(page(client.get("/login")))}).status_code == 410
    assert not logged_in(client)


# --- sessions ------------------------------------------------------------------------------------
def _client_with_agent(flask_app, agent: str):
    client = flask_app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    return client


def test_account_lists_sessions_and_logs_out_everywhere_else(app):
    phone = _client_with_agent(app, "Telefoon van Sandra")
    login(phone, SANDRA)
    laptop = _client_with_agent(app, "Laptop van Sandra")
    login(laptop, SANDRA)

    account = laptop.get("/account")
    html = page(account)
    assert account.status_code == 200
    assert "Waar ben je ingelogd?" in html
    assert "Telefoon van Sandra" in html and "Laptop van Sandra" in html
    assert html.count("dit apparaat") == 1
    rows = re.findall(r'<li class="session-row">(.*?)</li>', html, re.S)
    assert len(rows) == 2
    (this_row,) = [r for r in rows if "dit apparaat" in r]
    assert "Laptop van Sandra" in this_row

    ended = laptop.post("/account/overal-uitloggen", data={"csrf_token": csrf_token(html)})
    assert ended.status_code == 302
    assert "Je bent op 1 andere apparaten uitgelogd." in page(laptop.get("/account"))
    assert not logged_in(phone)
    assert logged_in(laptop)
    after = page(laptop.get("/account"))
    assert "Telefoon van Sandra" not in after
    assert len(re.findall(r'<li class="session-row">', after)) == 1


def test_logging_out_one_other_device(app):
    from samenplan.auth.models import User, UserSession

    phone = _client_with_agent(app, "Telefoon van Sandra")
    login(phone, SANDRA)
    laptop = _client_with_agent(app, "Laptop van Sandra")
    login(laptop, SANDRA)
    with db_session(app) as session:
        phone_session = session.scalar(select(UserSession.id).join(User, User.id == UserSession.user_id).where(
            User.email == SANDRA, UserSession.user_agent == "Telefoon van Sandra"))
    html = page(laptop.get("/account"))
    assert laptop.post(f"/account/sessies/{phone_session}/beeindigen",
                       data={"csrf_token": csrf_token(html)}).status_code == 302
    assert not logged_in(phone)
    assert logged_in(laptop)


def test_someone_cannot_end_another_users_session(app):
    from samenplan.auth.models import User, UserSession

    sandra = _client_with_agent(app, "Telefoon van Sandra")
    login(sandra, SANDRA)
    mark = app.test_client()
    login(mark, MARK)
    with db_session(app) as session:
        sandras = session.scalar(select(UserSession.id).join(User, User.id == UserSession.user_id).where(
            User.email == SANDRA))
    mark.post(f"/account/sessies/{sandras}/beeindigen", data={"csrf_token": csrf_token(page(mark.get("/account")))})
    assert logged_in(sandra)


def _idle(flask_app, address: str, minutes: int) -> None:
    """Pretend the user's sessions were last seen `minutes` ago."""
    from samenplan.auth.models import User, UserSession
    from samenplan.db import utcnow

    with db_session(flask_app) as session:
        user = session.scalar(select(User.id).where(User.email == address))
        session.execute(update(UserSession).where(UserSession.user_id == user, UserSession.ended_at.is_(None))
                        .values(last_seen_at=utcnow() - dt.timedelta(minutes=minutes)))
        session.commit()


def test_professionals_are_logged_out_after_30_idle_minutes(app, demo):
    assert app.config["IDLE_TIMEOUT_PROFESSIONAL"] == 1800
    fatima = app.test_client()
    login(fatima, FATIMA)
    assert fatima.get(f"/gezin/{demo.family_id}").status_code == 200
    _idle(app, FATIMA, 31)
    response = fatima.get(f"/gezin/{demo.family_id}")
    assert response.status_code == 302 and path_of(response) == "/login"
    assert not logged_in(fatima)


def test_professionals_stay_logged_in_when_active(app, demo):
    fatima = app.test_client()
    login(fatima, FATIMA)
    _idle(app, FATIMA, 29)
    assert fatima.get(f"/gezin/{demo.family_id}").status_code == 200
    _idle(app, FATIMA, 29)  # the request above counted as activity
    assert fatima.get(f"/gezin/{demo.family_id}").status_code == 200


def test_family_members_stay_logged_in_after_31_idle_minutes(app, demo):
    assert app.config["IDLE_TIMEOUT_FAMILY"] > 31 * 60
    sandra = app.test_client()
    login(sandra, SANDRA)
    _idle(app, SANDRA, 31)
    assert sandra.get(f"/gezin/{demo.family_id}").status_code == 200
    # ... but not forever
    _idle(app, SANDRA, app.config["IDLE_TIMEOUT_FAMILY"] // 60 + 1)
    response = sandra.get(f"/gezin/{demo.family_id}")
    assert response.status_code == 302 and path_of(response) == "/login"


@pytest.mark.parametrize("address", [FATIMA, SANDRA])
def test_an_idle_session_disappears_from_the_list(app, address):
    old = _client_with_agent(app, "Oude computer")
    login(old, address)
    _idle(app, address, 24 * 60)
    new = _client_with_agent(app, "Nieuwe computer")
    login(new, address)
    html = page(new.get("/account"))
    assert "Nieuwe computer" in html and "Oude computer" not in html
