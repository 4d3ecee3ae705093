"""tests/support/clients.py's direct login (no form, no second step) opens the same session a
real login does, so the tests that use it see the app as a logged-in user would."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from samenplan.db import utcnow
from tests.support.clients import csrf_token, db_session, log_in_directly, login, page, path_of
from tests.support.people import FATIMA, SANDRA


def session_row(app, client):
    from samenplan.auth.models import UserSession
    from samenplan.auth.services import hash_token

    with client.session_transaction() as cookie:
        token = cookie.get("sid")
    assert token, "no server-side session in the cookie"
    with db_session(app) as session:
        row = session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token)))
        session.expunge(row)
    return row


def cookie_keys(client) -> set[str]:
    with client.session_transaction() as cookie:
        return set(cookie) - {"csrf_token"}


@pytest.mark.parametrize("email", [SANDRA, FATIMA])
def test_a_direct_login_opens_the_session_a_real_login_opens(app, email):
    real, direct = app.test_client(), app.test_client()
    assert login(real, email).status_code == 302
    log_in_directly(direct, email)
    by_form, straight = session_row(app, real), session_row(app, direct)
    assert straight.user_id == by_form.user_id
    assert straight.idle_seconds == by_form.idle_seconds  # short for Fatima, long for Sandra
    assert straight.user_agent == by_form.user_agent
    assert straight.ended_at is None
    assert straight.authenticated_at is not None and utcnow() - straight.authenticated_at < timedelta(minutes=1)
    assert cookie_keys(direct) == cookie_keys(real)
    assert direct.get("/").status_code == 200
    assert path_of(direct.get("/login")) == "/"  # logged in: the login page sends one home


def test_a_professional_is_logged_in_for_the_short_idle_time(app):
    professional = log_in_directly(app.test_client(), FATIMA)
    row = session_row(app, professional)
    assert row.idle_seconds == app.config["IDLE_TIMEOUT_PROFESSIONAL"]
    assert row.idle_seconds < app.config["IDLE_TIMEOUT_FAMILY"]


def test_a_direct_login_ends_when_idle_too_long(app):
    from samenplan.auth.models import UserSession

    client = log_in_directly(app.test_client(), FATIMA)
    row = session_row(app, client)
    with db_session(app) as session:
        session.execute(update(UserSession).where(UserSession.id == row.id).values(
            last_seen_at=utcnow() - timedelta(seconds=row.idle_seconds + 5)))
        session.commit()
    assert path_of(client.get("/")) == "/login"


def test_a_direct_login_is_fresh_and_logs_out_like_any_other(app):
    from samenplan.auth import services
    from samenplan.auth.models import User

    client = log_in_directly(app.test_client(), SANDRA)
    row = session_row(app, client)
    with db_session(app) as session:
        user = session.get(User, row.user_id)
        assert services.is_fresh(session, user, cookie_token(client), utcnow())
    html = page(client.get("/account"))
    assert client.post("/logout", data={"csrf_token": csrf_token(html)}).status_code == 302
    with db_session(app) as session:
        from samenplan.auth.models import UserSession

        assert session.get(UserSession, row.id).ended_at is not None
    assert path_of(client.get("/")) == "/login"


def test_a_professional_who_must_still_set_up_the_second_factor_is_not_let_in(app):
    from samenplan.auth.models import User

    with db_session(app) as session:
        session.execute(update(User).where(User.email == FATIMA).values(totp_secret=None))
        session.commit()
    with pytest.raises(AssertionError, match="second factor"):
        log_in_directly(app.test_client(), FATIMA)


def cookie_token(client) -> str:
    with client.session_transaction() as cookie:
        return cookie["sid"]
