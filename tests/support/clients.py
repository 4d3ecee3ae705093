"""Test clients: reading their answers, logging them in, and the database next to them.

Two ways in:
- `login(client, email)`: the real login form, CSRF token included, and the second step (the
  demo's TOTP secret) where the account has one. For the tests about logging in.
- `log_in_directly(client, email)` / `as_user(app, email)`: no form and no second step; the
  session is opened by the app's own code for what happens after the last factor
  (`samenplan.auth.views._start_session`), so it is the same server-side session a real login
  makes: same idle limit (short for professionals), `authenticated_at` now (a fresh login), the
  client's own User-Agent. For every test that is not about logging in.
"""
from __future__ import annotations

import re
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from tests.support.people import DEMO_PASSWORD, DEMO_TOTP_SECRET


# --- reading answers ---------------------------------------------------------------------------
def page(response) -> str:
    return response.get_data(as_text=True)


def pdf_text(data: bytes) -> str:
    """The text of a PDF as a reader sees it (pypdf), with runs of white space as one space
    (a line that wraps on paper is one line here)."""
    import io
    import re

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages)).strip()


def body_text(response) -> str:
    """What an answer says, as text: a page as it is, a PDF by the text on its pages."""
    if response.mimetype == "application/pdf":
        return pdf_text(response.get_data())
    return response.get_data(as_text=True)


def path_of(response) -> str:
    """The path a redirect points to."""
    return urlsplit(response.headers["Location"]).path


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def post_form(client, html: str, form, **extra):
    """Send `form` (a tests.support.html Node from `html`) as a browser would: its hidden
    fields (the CSRF token, the version of what the page showed), and `extra` as its fields."""
    data = {"csrf_token": csrf_token(html)}
    data |= {node.attrs["name"]: node.attrs.get("value") or "" for node in form.find_all("input")
             if node.attrs.get("type") == "hidden" and node.attrs.get("name")}
    return client.post(form.attrs["action"], data={**data, **extra})


# --- the database ------------------------------------------------------------------------------
@contextmanager
def db_session(app):
    """The app's database session, in an app context of its own."""
    with app.app_context():
        from samenplan import db

        yield db.session()


# --- logging in through the form ---------------------------------------------------------------
def login(client, email: str, password: str = DEMO_PASSWORD):
    """Log in through the real form, CSRF token included, and through the second step
    (TOTP, the demo secret) when the account asks for it. Returns the last response."""
    form = client.get("/login")
    token = csrf_token(page(form))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code == 302 and response.headers["Location"].endswith("/login/tweestaps"):
        response = pass_second_factor(client)
    return response


def pass_second_factor(client, secret: str = DEMO_TOTP_SECRET):
    """Answer the TOTP step. A code works once, so when this account logged in a moment ago
    the next time step's code is used (the server allows one step of clock drift)."""
    from samenplan.auth.twofactor import code_at

    step = int(time.time() // 30)
    response = None
    for candidate in (step, step + 1):
        form = client.get("/login/tweestaps")
        token = csrf_token(page(form))
        response = client.post("/login/tweestaps", data={
            "code": code_at(secret, candidate), "csrf_token": token,
        })
        if response.status_code == 302:
            return response
    return response


# --- logging in directly -----------------------------------------------------------------------
def log_in_directly(client, email: str):
    """Log `client` in as `email` as if it had just passed the last login step, without the
    form: the app's own `_start_session` opens the server-side session (idle limit by role,
    fresh `authenticated_at`) and writes `sid` and flask-login's keys into the client's
    cookie session, keeping what it was still to be told (flashes). An account that would
    first have to set up its second factor cannot be logged in this way. Returns the client."""
    import flask
    from sqlalchemy import select

    from samenplan import db
    from samenplan.auth import services, twofactor
    from samenplan.auth.models import User
    from samenplan.auth.views import _start_session

    app = client.application
    with client.session_transaction() as stored:
        # the client's own address and User-Agent, as a request of its own would have them
        with app.test_request_context("/login", method="POST", environ_base=dict(client.environ_base)):
            session = db.session()
            user = session.scalar(select(User).where(User.email == services.normalise_email(email)))
            assert user is not None and user.active, f"no active account {email}"
            assert user.totp_secret or not twofactor.required_for(session, user), (
                f"{email} must set up the second factor first: log in through the form"
            )
            flask.session.update(stored)
            _start_session(user)
            opened = dict(flask.session)
        stored.clear()
        stored.update(opened)
    return client


def as_user(app, email: str):
    """A new client of `app`, logged in as `email` (directly: see `log_in_directly`)."""
    return log_in_directly(app.test_client(), email)


def confirm_revoke(client, consent_card):
    """Press "Intrekken" on a consent's card (a tests.support.html Node): it asks once. Returns
    the question's page and its "Ja, intrekken" form, for `post_form(client, *that)`."""
    from tests.support.html import card, form_with_button

    link = [a for a in consent_card.find_all("a") if a.text().startswith("Intrekken")]
    assert len(link) == 1, f"{len(link)} 'Intrekken' links in: {consent_card.text()[:300]}"
    response = client.get(link[0].attrs["href"])
    assert response.status_code == 200, response.status_code
    html = page(response)
    heading = (consent_card.find_all("h3") or consent_card.find_all("h2"))[0].text().strip()
    return html, form_with_button(card(html, heading), "Ja, intrekken")
