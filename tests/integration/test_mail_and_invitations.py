"""E-mail over a real SMTP server, and invitations into a family's plan.

The SMTP server is aiosmtpd on loopback with STARTTLS required (a self-signed certificate
made here); the app is configured with SMTP_HOST/SMTP_PORT/SMTP_STARTTLS/SMTP_CA_FILE, so
every mail below really travels over an encrypted SMTP connection. The fixtures and mail
helpers are imported by test_login_links_and_sessions.py.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import re
import smtplib
import ssl
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from tests.support.apps import make_app
from tests.support.clients import csrf_token, db_session, log_in_directly, login, page, path_of
from tests.support.people import FATIMA, MARK, RIET, SANDRA
from tests.support.servers import free_port

NEW_PASSWORD = "wij eten altijd om zes uur"
LINK_RE = re.compile(r"https?://samenplan\.test/\S+")


# --- a real SMTP server ------------------------------------------------------------------------
def make_certificate(directory) -> tuple[str, str]:
    """A self-signed certificate for localhost and 127.0.0.1 (PEM files: cert, key). It is
    its own CA, with the extensions a strict verifier (Python 3.13's default) wants."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "samenplan test SMTP")])
    now = dt.datetime.now(dt.timezone.utc)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    over_tls: bool


class Mailbox:
    """What the SMTP server received (aiosmtpd handler)."""

    def __init__(self):
        self.messages: list[Received] = []
        self.delay = 0.0  # seconds the server takes to accept a message (a slow mail server)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self._lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message,
                                          session.ssl is not None))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.delay = 0.0

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if address in m.rcpt_tos]


@dataclass
class SmtpServer:
    host: str
    port: int
    ca_file: str
    mailbox: Mailbox


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory):
    """aiosmtpd on 127.0.0.1, free port, STARTTLS required."""
    from aiosmtpd.controller import Controller

    cert, key = make_certificate(tmp_path_factory.mktemp("smtp"))
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(),
                            tls_context=tls, require_starttls=True)
    controller.start()
    yield SmtpServer("127.0.0.1", controller.port, cert, mailbox)
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    smtp_server.mailbox.clear()
    yield smtp_server.mailbox
    smtp_server.mailbox.clear()


def make_mail_app(database_url: str, smtp: SmtpServer, **overrides):
    """An app on the (already emptied and seeded) test database, sending mail to `smtp`;
    otherwise configured as tests/conftest.py's `app` fixture."""
    config = {
        "SMTP_HOST": smtp.host,
        "SMTP_PORT": smtp.port,
        "SMTP_STARTTLS": True,
        "SMTP_CA_FILE": smtp.ca_file,
        "MAIL_FROM": "samenplan <no-reply@samenplan.test>",
    }
    config.update(overrides)
    return make_app(database_url, **config)


@contextmanager
def mail_app_with(database_url, smtp, **overrides):
    created = make_mail_app(database_url, smtp, **overrides)
    try:
        yield created
    finally:
        created.extensions["samenplan.engine"].dispose()


@pytest.fixture
def mail_app(app, database_url, smtp_server, mailbox, tmp_path):
    """`app` (fresh demo database), but with e-mail going over real SMTP. MAIL_OUTBOX points
    at an empty folder: nothing may land there while SMTP_HOST is set."""
    with mail_app_with(database_url, smtp_server, MAIL_OUTBOX=str(tmp_path / "outbox")) as created:
        yield created


# --- helpers -----------------------------------------------------------------------------------
def text_part(received: Received) -> str:
    part = received.message.get_body(preferencelist=("plain",))
    assert part is not None, "the mail has no text/plain part"
    assert part.get_content_type() == "text/plain"
    return part.get_content()


def only_mail_to(mailbox: Mailbox, address: str, wait: float = 10.0) -> Received:
    """The one mail to `address` (waiting a little, should the app ever send in the background)."""
    import time

    deadline = time.monotonic() + wait
    while not mailbox.to(address) and time.monotonic() < deadline:
        time.sleep(0.05)
    mails = mailbox.to(address)
    assert len(mails) == 1, f"expected one mail to {address}, got {len(mails)}"
    assert mails[0].over_tls, "the mail did not travel over STARTTLS"
    return mails[0]


def link_in(received: Received) -> str:
    """The one link in the mail, as a path for the test client (host checked)."""
    links = LINK_RE.findall(text_part(received))
    assert len(links) == 1, f"expected one link, got {links}"
    parts = urlsplit(links[0])
    assert parts.netloc == "samenplan.test"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def post_form(client, url: str, data: dict, page_url: str | None = None):
    """POST like a browser: first GET the page for its CSRF token."""
    html = page(client.get(page_url or url))
    return client.post(url, data={**data, "csrf_token": csrf_token(html)})


def post_anyway(client, url: str, data: dict):
    """POST even when the page shows no form (as a replayed or scripted request would), with
    a valid CSRF token of this session taken from the login page."""
    return client.post(url, data={**data, "csrf_token": csrf_token(page(client.get("/login")))})


def invite(client, family_id: int, **fields):
    data = {"name": "Ans de Vries", "email": "ans@buren.example", "role": "network", "function": "buurvrouw"}
    data.update(fields)
    return post_form(client, f"/gezin/{family_id}/uitnodigen", data)


def invitation_row(flask_app, email_address: str):
    from samenplan.families.models import Invitation

    with db_session(flask_app) as session:
        row = session.scalar(select(Invitation).where(Invitation.email == email_address))
        if row is not None:
            session.expunge(row)
        return row


def accept_with_password(client, link: str, password: str = NEW_PASSWORD, again: str | None = None,
                         name: str = "Ans de Vries"):
    return post_form(client, link, {"name": name, "password": password,
                                    "password_again": password if again is None else again})


def alerts(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip()
            for m in re.findall(r'role="alert">(.*?)</', html, re.S)]


def user_id(flask_app, address: str) -> int | None:
    from samenplan.auth.models import User

    with db_session(flask_app) as session:
        return session.scalar(select(User.id).where(User.email == address))


# --- the SMTP server itself ----------------------------------------------------------------------
def test_the_test_smtp_server_refuses_mail_without_starttls(smtp_server, mailbox):
    """The server is real and strict: without STARTTLS nothing is accepted, so every mail the
    tests below receive came over an encrypted connection."""
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        code, _ = smtp.mail("someone@example.org")
        assert code == 530  # "Must issue a STARTTLS command first"
    assert mailbox.messages == []


def test_mail_service_sends_over_starttls_and_writes_no_outbox_file(mail_app, mailbox, tmp_path):
    from samenplan import mail

    with mail_app.app_context():
        mail.send("riet@demo.samenplan.nl", "Proef", "Dit is een proefbericht. Groet, samenplan")
    received = only_mail_to(mailbox, "riet@demo.samenplan.nl")
    assert received.message["Subject"] == "Proef"
    assert received.message["From"] == "samenplan <no-reply@samenplan.test>"
    assert received.message["Message-ID"] and received.message["Date"]
    assert "proefbericht" in text_part(received)
    assert not (tmp_path / "outbox").exists() or not any((tmp_path / "outbox").iterdir())


def test_a_wrong_ca_file_means_no_mail_is_sent(app, database_url, smtp_server, mailbox, tmp_path):
    """The certificate is checked: trusting another CA makes STARTTLS fail."""
    other_cert, _ = make_certificate(tmp_path)
    from samenplan import mail

    with mail_app_with(database_url, smtp_server, SMTP_CA_FILE=other_cert) as other:
        with other.app_context(), pytest.raises(ssl.SSLError):
            mail.send("riet@demo.samenplan.nl", "Proef", "Niet versturen.")
    assert mailbox.messages == []


# --- the casusregisseur invites a network member -----------------------------------------------
def test_invitation_mail_arrives_in_dutch_with_a_working_link(mail_app, mailbox, demo):
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    response = invite(fatima, demo.family_id)
    assert response.status_code == 302, page(response)
    assert "De uitnodiging is verstuurd naar ans@buren.example." in page(fatima.get(response.headers["Location"]))

    received = only_mail_to(mailbox, "ans@buren.example")
    assert received.message["To"] == "ans@buren.example"
    assert received.message["Subject"] == "Uitnodiging voor het plan van Jansen / de Boer"
    text = text_part(received)
    assert "Hallo Ans de Vries," in text
    assert "Fatima El Amrani nodigt je uit om mee te doen aan het plan van Jansen / de Boer" in text
    assert "Je doet mee als: Netwerk." in text
    assert "De link werkt 7 dagen en maar één keer." in text
    # nothing of the plan itself in the mail
    for title in demo.goal_titles.values():
        assert title not in text
    link = link_in(received)
    assert link.startswith("/uitnodiging/")

    # following the link (a new browser, not logged in) shows who invites whom to what
    ans = mail_app.test_client()
    shown = ans.get(link)
    html = page(shown)
    assert shown.status_code == 200
    assert "Fatima El Amrani nodigt Ans de Vries uit voor het plan van Jansen / de Boer." in html
    assert "Je doet mee als: Netwerk." in html
    assert "Maak je account" in html and "ans@buren.example" in html
    # ... and nothing of the plan, before anything is accepted
    for title in demo.goal_titles.values():
        assert title not in html
    assert "Merelstraat" not in html
    row = invitation_row(mail_app, "ans@buren.example")
    assert row.accepted_at is None and user_id(mail_app, "ans@buren.example") is None


def test_accepting_creates_the_account_under_the_password_rules(mail_app, mailbox, demo):
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    link = link_in(only_mail_to(mailbox, "ans@buren.example"))
    ans = mail_app.test_client()

    too_short = accept_with_password(ans, link, "kort1234")
    assert too_short.status_code == 422
    assert any("minstens 15 tekens" in a for a in alerts(page(too_short)))
    common = accept_with_password(ans, link, "1234567890abcde")
    assert common.status_code == 422
    assert any("heel vaak gebruikt" in a for a in alerts(page(common)))
    mismatch = accept_with_password(ans, link, NEW_PASSWORD, again=NEW_PASSWORD + "!")
    assert mismatch.status_code == 422
    assert any("niet hetzelfde" in a for a in alerts(page(mismatch)))
    assert user_id(mail_app, "ans@buren.example") is None, "a refused password created an account"
    assert invitation_row(mail_app, "ans@buren.example").accepted_at is None

    accepted = accept_with_password(ans, link)
    assert accepted.status_code == 302
    assert path_of(accepted) == f"/gezin/{demo.family_id}"
    new_id = user_id(mail_app, "ans@buren.example")
    assert new_id is not None
    row = invitation_row(mail_app, "ans@buren.example")
    assert row.accepted_at is not None and row.accepted_user_id == new_id

    from samenplan.families.models import Participant

    with db_session(mail_app) as session:
        participant = session.scalar(select(Participant).where(Participant.user_id == new_id))
        assert (participant.family_id, participant.role, participant.function) == (demo.family_id, "network", "buurvrouw")

    # the new member is logged in and sees only what consent allows: as a brand-new network
    # member nobody has consented to anything yet, so no goals and nothing private
    plan = ans.get(f"/gezin/{demo.family_id}")
    html = page(plan)
    assert plan.status_code == 200
    assert "Plan van Jansen / de Boer" in html
    assert "Er staan nog geen doelen in het plan die je mag zien." in html
    for title in demo.goal_titles.values():
        assert title not in html
    assert "Merelstraat" not in html
    for goal_id in demo.goals.values():
        assert ans.get(f"/gezin/{demo.family_id}/doelen/{goal_id}").status_code == 404

    # the new account also logs in with the chosen password
    again = mail_app.test_client()
    assert path_of(login(again, "ans@buren.example", NEW_PASSWORD)) == "/"


def test_the_invitation_link_works_once(mail_app, mailbox, demo):
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    link = link_in(only_mail_to(mailbox, "ans@buren.example"))
    assert accept_with_password(mail_app.test_client(), link).status_code == 302

    # someone else with the same link (a forwarded mail) gets nothing
    other = mail_app.test_client()
    shown = other.get(link)
    assert shown.status_code == 200
    assert "Deze uitnodiging is al gebruikt." in alerts(page(shown))
    assert "Maak je account" not in page(shown)
    # a replayed POST (with a CSRF token from another page) does not join or create anything
    replay = post_anyway(other, link, {"name": "Iemand", "password": NEW_PASSWORD,
                                       "password_again": NEW_PASSWORD})
    assert replay.status_code == 200
    assert "Deze uitnodiging is al gebruikt." in alerts(page(replay))
    assert other.get(f"/gezin/{demo.family_id}").status_code == 302  # not logged in

    from samenplan.families.models import Participant

    with db_session(mail_app) as session:
        assert len(session.scalars(select(Participant).where(
            Participant.user_id == user_id(mail_app, "ans@buren.example"))).all()) == 1


def test_an_expired_invitation_is_refused(mail_app, mailbox, demo):
    from samenplan.db import utcnow
    from samenplan.families.models import Invitation

    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    link = link_in(only_mail_to(mailbox, "ans@buren.example"))
    row = invitation_row(mail_app, "ans@buren.example")
    assert row.expires_at - row.created_at == dt.timedelta(days=7)
    with db_session(mail_app) as session:
        session.execute(update(Invitation).where(Invitation.id == row.id)
                        .values(expires_at=utcnow() - dt.timedelta(minutes=1)))
        session.commit()

    ans = mail_app.test_client()
    shown = ans.get(link)
    assert "Deze uitnodiging is verlopen. Vraag om een nieuwe." in alerts(page(shown))
    assert "Maak je account" not in page(shown)
    refused = post_anyway(ans, link, {"name": "Ans", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert refused.status_code != 302
    assert "Deze uitnodiging is verlopen. Vraag om een nieuwe." in alerts(page(refused))
    assert user_id(mail_app, "ans@buren.example") is None
    assert ans.get(f"/gezin/{demo.family_id}").status_code == 302
    # the casusregisseur sees it as expired
    assert "Verlopen." in page(fatima.get(f"/gezin/{demo.family_id}/uitnodigen"))


def test_a_withdrawn_invitation_is_refused(mail_app, mailbox, demo):
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    link = link_in(only_mail_to(mailbox, "ans@buren.example"))
    row = invitation_row(mail_app, "ans@buren.example")

    ans = mail_app.test_client()
    form_page = page(ans.get(link))  # Ans opens the mail; meanwhile Fatima withdraws it
    withdrawn = post_form(fatima, f"/gezin/{demo.family_id}/uitnodigingen/{row.id}/intrekken", {},
                          page_url=f"/gezin/{demo.family_id}/uitnodigen")
    assert withdrawn.status_code == 302
    assert "De link werkt niet meer." in page(fatima.get(withdrawn.headers["Location"]))
    assert invitation_row(mail_app, "ans@buren.example").withdrawn_at is not None

    late = ans.post(link, data={"name": "Ans", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
                                "csrf_token": csrf_token(form_page)})
    assert late.status_code != 302
    assert "Deze uitnodiging is ingetrokken." in alerts(page(late))
    assert user_id(mail_app, "ans@buren.example") is None
    assert "Deze uitnodiging is ingetrokken." in alerts(page(mail_app.test_client().get(link)))


def test_a_withdrawn_invitation_cannot_be_withdrawn_by_someone_else(mail_app, mailbox, demo):
    """Only the casusregisseur and the sender may withdraw; for anyone else it does not exist."""
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    row = invitation_row(mail_app, "ans@buren.example")
    sandra = mail_app.test_client()
    log_in_directly(sandra, SANDRA)
    refused = post_form(sandra, f"/gezin/{demo.family_id}/uitnodigingen/{row.id}/intrekken", {},
                        page_url=f"/gezin/{demo.family_id}/uitnodigen")
    assert refused.status_code == 404
    assert invitation_row(mail_app, "ans@buren.example").withdrawn_at is None


@pytest.mark.parametrize("tamper", ["flip", "truncate", "extend", "random"])
def test_a_tampered_invitation_link_is_404(mail_app, mailbox, demo, tamper):
    import secrets

    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    link = link_in(only_mail_to(mailbox, "ans@buren.example"))
    token = link.rsplit("/", 1)[1]
    changed = {
        "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "truncate": token[:-4],
        "extend": token + "x",
        "random": secrets.token_urlsafe(32),
    }[tamper]
    client = mail_app.test_client()
    response = client.get(f"/uitnodiging/{changed}")
    assert response.status_code == 404
    assert "Niet gevonden" in page(response)
    assert "Jansen" not in page(response) and "Fatima" not in page(response)
    # and the real link still works
    assert client.get(link).status_code == 200


def test_invitees_see_nothing_of_the_plan_before_they_accept(mail_app, mailbox, demo):
    """Whether or not they have an account, an invitee gets no further than the invitation."""
    from samenplan.auth.models import User
    from samenplan.auth.passwords import hash_password

    with db_session(mail_app) as session:  # Ans already uses samenplan for another family
        session.add(User(email="ans@buren.example", name="Ans de Vries", password_hash=hash_password(NEW_PASSWORD)))
        session.commit()
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    link = link_in(only_mail_to(mailbox, "ans@buren.example"))
    plan_url = f"/gezin/{demo.family_id}"
    goal_url = f"/gezin/{demo.family_id}/doelen/{demo.goals[1]}"

    anonymous = mail_app.test_client()
    anonymous.get(link)
    for url in (plan_url, goal_url):
        response = anonymous.get(url)
        assert response.status_code == 302 and path_of(response) == "/login"

    ans = mail_app.test_client()
    shown = page(ans.get(link))
    assert "Je hebt al een account. Log in en open daarna deze link opnieuw." in shown
    # without logging in, the link cannot be used to join as the existing account
    assert post_anyway(ans, link, {"name": "Ans", "password": "een heel ander lang wachtwoord",
                                   "password_again": "een heel ander lang wachtwoord"}).status_code == 403
    login(ans, "ans@buren.example", NEW_PASSWORD)
    for url in (plan_url, goal_url, f"/gezin/{demo.family_id}/uitnodigen"):
        assert ans.get(url).status_code == 404, url
    home = page(ans.get("/"))
    assert "Jansen / de Boer" not in home

    # now she accepts: the existing account joins, no second account is made
    joined = post_form(ans, link, {})
    assert joined.status_code == 302 and path_of(joined) == plan_url
    assert ans.get(plan_url).status_code == 200
    from samenplan.families.models import Participant

    with db_session(mail_app) as session:
        assert session.scalar(select(Participant.role).where(
            Participant.user_id == user_id(mail_app, "ans@buren.example"))) == "network"


def test_an_invitation_for_someone_else_cannot_be_taken_over(mail_app, mailbox, demo):
    """Logged in with another address, the link is refused: no joining in someone's place."""
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id)
    link = link_in(only_mail_to(mailbox, "ans@buren.example"))

    riet = mail_app.test_client()  # already in the plan as network, but any other account will do
    log_in_directly(riet, RIET)
    shown = page(riet.get(link))
    assert any("Deze uitnodiging is voor ans@buren.example." in a for a in alerts(shown))
    assert post_form(riet, link, {}).status_code == 403
    assert invitation_row(mail_app, "ans@buren.example").accepted_at is None


# --- a family member invites her own network -------------------------------------------------
def test_sandra_invites_her_neighbour_as_network(mail_app, mailbox, demo):
    sandra = mail_app.test_client()
    log_in_directly(sandra, SANDRA)
    form = page(sandra.get(f"/gezin/{demo.family_id}/uitnodigen"))
    options = re.findall(r'<option[^>]*value="([^"]*)"', re.search(r'<select[^>]*name="role".*?</select>', form, re.S).group(0))
    assert options == ["network"], "a family member may only invite her own network"
    assert 'name="organisation"' not in form and 'name="person"' not in form

    response = invite(sandra, demo.family_id, name="Buurvrouw Els", email="els@buren.example")
    assert response.status_code == 302, page(response)
    text = text_part(only_mail_to(mailbox, "els@buren.example"))
    assert "Sandra Jansen nodigt je uit om mee te doen aan het plan van Jansen / de Boer" in text
    link = link_in(only_mail_to(mailbox, "els@buren.example"))
    html = page(mail_app.test_client().get(link))
    assert "Sandra Jansen nodigt Buurvrouw Els uit voor het plan van Jansen / de Boer." in html
    assert "Je doet mee als: Netwerk." in html

    els = mail_app.test_client()
    assert accept_with_password(els, link, name="Els").status_code == 302
    plan = page(els.get(f"/gezin/{demo.family_id}"))
    assert "Er staan nog geen doelen in het plan die je mag zien." in plan
    # Sandra sees her own invitation, accepted
    assert "Geaccepteerd." in page(sandra.get(f"/gezin/{demo.family_id}/uitnodigen"))


@pytest.mark.parametrize("role, extra", [
    ("professional", {"organisation": "1"}),
    ("family", {"person": "1"}),
    ("casusregisseur", {}),
])
def test_sandra_cannot_invite_a_professional_or_family(mail_app, mailbox, demo, role, extra):
    from samenplan.orgs.models import Organisation

    with db_session(mail_app) as session:
        extra = dict(extra)
        if "organisation" in extra:
            extra["organisation"] = str(session.scalar(select(Organisation.id).where(Organisation.name == "GGZ Kompas")))
        if "person" in extra:
            extra["person"] = str(demo.persons["Noah"])
    sandra = mail_app.test_client()
    log_in_directly(sandra, SANDRA)
    response = invite(sandra, demo.family_id, name="Dokter Jan", email="jan@praktijk.example", role=role, **extra)
    assert response.status_code in (403, 422)
    assert invitation_row(mail_app, "jan@praktijk.example") is None
    assert mailbox.to("jan@praktijk.example") == []


def test_network_members_cannot_invite_anyone(mail_app, mailbox, demo):
    riet = mail_app.test_client()
    log_in_directly(riet, RIET)
    assert riet.get(f"/gezin/{demo.family_id}/uitnodigen").status_code == 404
    html = page(riet.get(f"/gezin/{demo.family_id}"))
    token = csrf_token(html)
    response = riet.post(f"/gezin/{demo.family_id}/uitnodigen", data={
        "name": "Iemand", "email": "iemand@example.org", "role": "network", "csrf_token": token})
    assert response.status_code == 404
    assert mailbox.messages == []


def test_casusregisseur_invites_a_professional_of_an_organisation(mail_app, mailbox, demo):
    from samenplan.orgs.models import Organisation

    with db_session(mail_app) as session:
        ggz = session.scalar(select(Organisation.id).where(Organisation.name == "GGZ Kompas"))
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    # what his taking part says, and about whom, must be chosen: it decides who sees him
    refused = invite(fatima, demo.family_id, name="Pieter Groen", email="pieter@ggz-kompas.demo",
                     role="professional", organisation=str(ggz), function="psychiater")
    assert refused.status_code == 422
    assert "Kies bij wie deze hulpverlener helpt." in page(refused)
    assert mailbox.messages == []
    response = invite(fatima, demo.family_id, name="Pieter Groen", email="pieter@ggz-kompas.demo",
                      role="professional", organisation=str(ggz), function="psychiater",
                      involvement_subjects=str(demo.persons["Sandra"]),
                      involvement_category="gezondheid")
    assert response.status_code == 302, page(response)
    link = link_in(only_mail_to(mailbox, "pieter@ggz-kompas.demo"))
    html = page(mail_app.test_client().get(link))
    assert "Je doet mee als: Hulpverlener. (GGZ Kompas)" in re.sub(r"\s+", " ", html)


def test_a_professional_joining_by_invitation_sets_up_the_second_factor_first(mail_app, mailbox, demo):
    """Two-factor login is mandatory for professionals with a password. Who works for an
    organisation is its functioneel beheerder's to say (OrganisationMember): an invitation "as
    GGZ Kompas" alone makes nobody a GGZ professional. So Pieter cannot accept it until GGZ
    Kompas's beheerder has put him in samenplan; through her mail he chooses a password and
    enrols the second factor before he sees anything, and then he joins the plan."""
    import time

    from samenplan.auth.twofactor import code_at
    from samenplan.orgs.models import Organisation

    with db_session(mail_app) as session:
        ggz = session.scalar(select(Organisation.id).where(Organisation.name == "GGZ Kompas"))
    fatima = mail_app.test_client()
    log_in_directly(fatima, FATIMA)
    invite(fatima, demo.family_id, name="Pieter Groen", email="pieter@ggz-kompas.demo",
           role="professional", organisation=str(ggz),
           involvement_subjects=str(demo.persons["Sandra"]), involvement_category="gezondheid")
    link = link_in(only_mail_to(mailbox, "pieter@ggz-kompas.demo"))
    pieter = mail_app.test_client()
    refused = accept_with_password(pieter, link, name="Pieter Groen")
    assert refused.status_code == 422
    assert "Je organisatie heeft je nog niet in samenplan gezet." in page(refused)
    assert user_id(mail_app, "pieter@ggz-kompas.demo") is None  # no account made either
    mailbox.clear()

    beheerder = mail_app.test_client()
    log_in_directly(beheerder, "beheer@ggz-kompas.demo")
    added = post_form(beheerder, f"/organisatie/{ggz}/hulpverleners",
                      {"name": "Pieter Groen", "email": "pieter@ggz-kompas.demo"},
                      page_url=f"/organisatie/{ggz}")
    assert added.status_code == 302, page(added)
    welcome = link_in(only_mail_to(mailbox, "pieter@ggz-kompas.demo"))
    assert welcome.startswith("/welkom/")
    chosen = post_form(pieter, welcome, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert user_id(mail_app, "pieter@ggz-kompas.demo") is not None
    assert chosen.status_code == 302 and path_of(chosen) == "/login/tweestaps"
    assert pieter.get(f"/gezin/{demo.family_id}").status_code == 302, "the plan before the second factor"
    to_enrol = pieter.get("/login/tweestaps")
    assert path_of(to_enrol) == "/login/tweestaps/instellen"
    html = page(pieter.get("/login/tweestaps/instellen"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    enrolled = pieter.post("/login/tweestaps/instellen", data={
        "code": code_at(secret, int(time.time() // 30)), "csrf_token": csrf_token(html)})
    assert enrolled.status_code == 200
    assert pieter.get(f"/gezin/{demo.family_id}").status_code == 404, "not in the plan before accepting"
    accepted = post_form(pieter, link, {})
    assert accepted.status_code == 302 and path_of(accepted) == f"/gezin/{demo.family_id}"
    assert pieter.get(f"/gezin/{demo.family_id}").status_code == 200
    # his taking part is about Sandra's health: Sandra may know of him, Mark may not
    goal2 = demo.goals[2]
    sandra, mark = mail_app.test_client(), mail_app.test_client()
    log_in_directly(sandra, SANDRA)
    log_in_directly(mark, MARK)
    assert "Pieter Groen" in page(sandra.get(f"/gezin/{demo.family_id}/doelen/{goal2}"))
    for url in (f"/gezin/{demo.family_id}", f"/gezin/{demo.family_id}/toestemming",
                f"/gezin/{demo.family_id}/afscherming", f"/gezin/{demo.family_id}/doelen/nieuw"):
        assert "Pieter Groen" not in page(mark.get(url)), url
