"""Two-factor login (TOTP and recovery codes): mandatory for professionals with a password,
optional for family and network."""
from __future__ import annotations

import re
import time

from sqlalchemy import select, update

from samenplan.auth.twofactor import code_at
from tests.support.clients import csrf_token, login, page, pass_second_factor, path_of
from tests.support.people import DAAN, DEMO_PASSWORD, DEMO_TOTP_SECRET, FATIMA, SANDRA


def db(flask_app):
    from samenplan import db as samenplan_db

    return samenplan_db.session()


def logged_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def password_step(client, address: str, password: str = DEMO_PASSWORD):
    token = csrf_token(page(client.get("/login")))
    return client.post("/login", data={"email": address, "password": password, "csrf_token": token})


def send_code(client, code: str, url: str = "/login/tweestaps"):
    token = csrf_token(page(client.get(url)))
    return client.post(url, data={"code": code, "csrf_token": token})


def step_now() -> int:
    return int(time.time() // 30)


def set_user(flask_app, address: str, **values) -> None:
    from samenplan.auth.models import User

    with flask_app.app_context():
        session = db(flask_app)
        session.execute(update(User).where(User.email == address).values(**values))
        session.commit()


def user_row(flask_app, address: str):
    from samenplan.auth.models import User

    with flask_app.app_context():
        session = db(flask_app)
        user = session.scalar(select(User).where(User.email == address))
        session.expunge(user)
        return user


def recovery_codes(html: str) -> list[str]:
    return re.findall(r"<li><code>([^<]+)</code></li>", html)


def logout(client) -> None:
    html = page(client.get("/account"))
    client.post("/logout", data={"csrf_token": csrf_token(html)})
    assert not logged_in(client)


# --- professionals with a password: TOTP is mandatory -----------------------------------------
def test_a_professional_must_pass_the_second_step(app, demo):
    fatima = app.test_client()
    first = password_step(fatima, FATIMA)
    assert first.status_code == 302 and path_of(first) == "/login/tweestaps"
    # the password alone gives nothing
    assert not logged_in(fatima)
    assert fatima.get(f"/gezin/{demo.family_id}").status_code == 302
    shown = fatima.get("/login/tweestaps")
    assert shown.status_code == 200
    assert "Inloggen: stap 2" in page(shown)
    assert 'autocomplete="one-time-code"' in page(shown)

    done = send_code(fatima, code_at(DEMO_TOTP_SECRET, step_now()))
    assert done.status_code == 302 and path_of(done) == "/"
    assert logged_in(fatima)
    assert fatima.get(f"/gezin/{demo.family_id}").status_code == 200


def test_a_wrong_code_is_refused_in_dutch(app):
    fatima = app.test_client()
    password_step(fatima, FATIMA)
    right = {code_at(DEMO_TOTP_SECRET, s) for s in range(step_now() - 2, step_now() + 3)}
    wrong = next(c for c in ("000000", "123456", "999999", "314159") if c not in right)
    refused = send_code(fatima, wrong)
    assert refused.status_code == 401
    assert "Deze code klopt niet of is al gebruikt." in page(refused)
    assert not logged_in(fatima)
    # a code of long ago, or letters, neither
    assert send_code(fatima, code_at(DEMO_TOTP_SECRET, step_now() - 10)).status_code == 401
    assert send_code(fatima, "abcdef").status_code == 401
    assert not logged_in(fatima)
    # the right one still works afterwards
    assert send_code(fatima, code_at(DEMO_TOTP_SECRET, step_now())).status_code == 302


def test_a_code_works_once(app):
    code = code_at(DEMO_TOTP_SECRET, step_now())
    first = app.test_client()
    password_step(first, FATIMA)
    assert send_code(first, code).status_code == 302

    # the same code, seen over a shoulder, in another browser within the same 30 seconds
    second = app.test_client()
    password_step(second, FATIMA)
    replay = send_code(second, code)  # still inside the window of clock drift, but used
    assert replay.status_code == 401
    assert "Deze code klopt niet of is al gebruikt." in page(replay)
    assert not logged_in(second)
    # an older code than the one used is refused too
    assert send_code(second, code_at(DEMO_TOTP_SECRET, step_now() - 1)).status_code == 401


def test_the_second_step_without_the_first_gives_nothing(app):
    client = app.test_client()
    response = client.get("/login/tweestaps")
    assert response.status_code == 302 and path_of(response) == "/login"
    token = csrf_token(page(client.get("/login")))
    client.post("/login/tweestaps", data={"code": code_at(DEMO_TOTP_SECRET, step_now()), "csrf_token": token})
    assert not logged_in(client)


def test_the_second_step_expires_after_five_minutes(app):
    fatima = app.test_client()
    password_step(fatima, FATIMA)
    token = csrf_token(page(fatima.get("/login/tweestaps")))  # the page was opened in time ...
    with fatima.session_transaction() as session:  # ... but the code typed in 5 minutes later
        pending = dict(session["pending_login"])
        pending["at"] -= 301
        session["pending_login"] = pending
    late = fatima.post("/login/tweestaps", data={"code": code_at(DEMO_TOTP_SECRET, step_now()), "csrf_token": token})
    assert late.status_code == 302 and path_of(late) == "/login"
    assert not logged_in(fatima)


def test_a_recovery_code_works_once(app):
    fatima = app.test_client()
    login(fatima, FATIMA)
    account = page(fatima.get("/account"))
    made = fatima.post("/account/herstelcodes", data={"csrf_token": csrf_token(account)})
    assert made.status_code == 200
    codes = recovery_codes(page(made))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Je hebt nog 10 herstelcodes." in page(fatima.get("/account"))
    logout(fatima)

    lost_phone = app.test_client()
    password_step(lost_phone, FATIMA)
    used = send_code(lost_phone, codes[3].upper().replace("-", " "))  # typed as read out: forgiving
    assert used.status_code == 302
    assert logged_in(lost_phone)
    assert "Je hebt nog 9 herstelcodes." in page(lost_phone.get("/account"))

    again = app.test_client()
    password_step(again, FATIMA)
    refused = send_code(again, codes[3])
    assert refused.status_code == 401
    assert "Deze code klopt niet of is al gebruikt." in page(refused)
    assert not logged_in(again)
    # another of the codes still works
    assert send_code(again, codes[4]).status_code == 302


def test_recovery_codes_of_one_user_do_not_work_for_another(app):
    fatima = app.test_client()
    login(fatima, FATIMA)
    codes = recovery_codes(page(fatima.post("/account/herstelcodes",
                                            data={"csrf_token": csrf_token(page(fatima.get("/account")))})))
    daan = app.test_client()
    password_step(daan, DAAN)
    assert send_code(daan, codes[0]).status_code == 401
    assert not logged_in(daan)


def test_the_second_step_is_rate_limited(app):
    fatima = app.test_client()
    password_step(fatima, FATIMA)
    right = {code_at(DEMO_TOTP_SECRET, s) for s in range(step_now() - 2, step_now() + 3)}
    wrong = next(c for c in ("000000", "123456", "999999", "314159") if c not in right)
    statuses = [send_code(fatima, wrong).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    assert "Je probeerde het te vaak." in page(send_code(fatima, wrong))
    # even the right code waits now
    assert send_code(fatima, code_at(DEMO_TOTP_SECRET, step_now())).status_code == 429
    assert not logged_in(fatima)


# --- enrolment -----------------------------------------------------------------------------------
def test_a_professional_without_a_secret_must_enrol(app, demo):
    set_user(app, FATIMA, totp_secret=None, totp_last_step=0)
    fatima = app.test_client()
    first = password_step(fatima, FATIMA)
    assert first.status_code == 302 and path_of(first) == "/login/tweestaps"
    to_enrol = fatima.get("/login/tweestaps")
    assert to_enrol.status_code == 302 and path_of(to_enrol) == "/login/tweestaps/instellen"
    assert not logged_in(fatima)

    shown = fatima.get("/login/tweestaps/instellen")
    html = page(shown)
    assert shown.status_code == 200
    assert "Voor hulpverleners is dit verplicht" in html
    # the QR code is inline SVG: nothing is fetched from elsewhere, the secret goes nowhere
    qr = re.search(r'<div class="qr">(.*?)</div>', html, re.S).group(1)
    assert qr.strip().startswith("<svg") and "</svg>" in qr
    assert "<img" not in html
    assert not re.search(r'(src|href)="https?://', html)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    assert len(secret) >= 32  # 160 bits
    with fatima.session_transaction() as session:
        assert session["enrol_secret"] == secret
    # reloading the page keeps the same secret (the app on the phone was set up already)
    assert secret in page(fatima.get("/login/tweestaps/instellen"))

    wrong = send_code(fatima, code_at(DEMO_TOTP_SECRET, step_now()), "/login/tweestaps/instellen")
    assert wrong.status_code == 422
    assert "Deze code klopt niet." in page(wrong)
    assert not logged_in(fatima)

    enrol_step = step_now()
    enrolled = send_code(fatima, code_at(secret, enrol_step), "/login/tweestaps/instellen")
    assert enrolled.status_code == 200
    codes = recovery_codes(page(enrolled))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Je herstelcodes" in page(enrolled)
    assert logged_in(fatima)
    assert fatima.get(f"/gezin/{demo.family_id}").status_code == 200
    assert user_row(app, FATIMA).totp_secret == secret

    # from now on the new secret is asked for (the enrolment code cannot be replayed)
    later = app.test_client()
    password_step(later, FATIMA)
    assert send_code(later, code_at(secret, enrol_step)).status_code == 401
    assert send_code(later, code_at(secret, enrol_step + 1)).status_code == 302


def test_enrolment_needs_the_password_first(app):
    set_user(app, FATIMA, totp_secret=None)
    client = app.test_client()
    response = client.get("/login/tweestaps/instellen")
    assert response.status_code == 302 and path_of(response) == "/login"
    assert user_row(app, FATIMA).totp_secret is None


def test_a_professional_with_a_secret_cannot_enrol_again_during_login(app):
    """Knowing the password is not enough to replace the second factor."""
    fatima = app.test_client()
    password_step(fatima, FATIMA)
    response = fatima.get("/login/tweestaps/instellen")
    assert response.status_code == 302 and path_of(response) == "/login/tweestaps"
    own = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with fatima.session_transaction() as session:
        session["enrol_secret"] = own
    token = csrf_token(page(fatima.get("/login/tweestaps")))
    response = fatima.post("/login/tweestaps/instellen", data={"code": code_at(own, step_now()), "csrf_token": token})
    assert response.status_code == 302 and path_of(response) == "/login/tweestaps"
    assert user_row(app, FATIMA).totp_secret == DEMO_TOTP_SECRET
    assert not logged_in(fatima)


def test_professionals_cannot_turn_it_off(app):
    fatima = app.test_client()
    login(fatima, FATIMA)
    account = page(fatima.get("/account"))
    assert "Uitzetten" not in account
    refused = fatima.post("/account/tweestaps-uit", data={"csrf_token": csrf_token(account)})
    assert refused.status_code == 302
    assert "Voor hulpverleners is inloggen in twee stappen verplicht." in page(fatima.get("/account"))
    assert user_row(app, FATIMA).totp_secret == DEMO_TOTP_SECRET


# --- family and network: optional --------------------------------------------------------------
def test_family_members_log_in_without_a_second_step(app):
    sandra = app.test_client()
    response = password_step(sandra, SANDRA)
    assert response.status_code == 302 and path_of(response) == "/"
    assert logged_in(sandra)
    account = page(sandra.get("/account"))
    assert "Inloggen in twee stappen" in account
    assert 'href="/login/tweestaps/instellen"' in account


def test_a_family_member_turns_it_on_from_the_account_page_and_off_again(app):
    sandra = app.test_client()
    login(sandra, SANDRA)
    shown = sandra.get("/login/tweestaps/instellen")
    html = page(shown)
    assert shown.status_code == 200
    assert "Voor hulpverleners is dit verplicht" not in html
    assert re.search(r'<div class="qr">\s*<svg', html) and "<img" not in html
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    enrolled = send_code(sandra, code_at(secret, step_now()), "/login/tweestaps/instellen")
    assert enrolled.status_code == 200
    assert len(recovery_codes(page(enrolled))) == 10
    assert "Je hebt nog 10 herstelcodes." in page(sandra.get("/account"))
    logout(sandra)

    # now her login asks for the code
    again = app.test_client()
    first = password_step(again, SANDRA)
    assert first.status_code == 302 and path_of(first) == "/login/tweestaps"
    assert not logged_in(again)
    assert pass_second_factor(again, secret).status_code == 302
    assert logged_in(again)

    # and she may turn it off again
    account = page(again.get("/account"))
    assert again.post("/account/tweestaps-uit", data={"csrf_token": csrf_token(account)}).status_code == 302
    assert "Inloggen in twee stappen staat uit." in page(again.get("/account"))
    assert user_row(app, SANDRA).totp_secret is None
    assert path_of(password_step(app.test_client(), SANDRA)) == "/"


# --- other ways in may not skip the second factor --------------------------------------------------
def test_a_login_link_does_not_skip_the_second_factor(app):
    """The login link by e-mail is the passwordless option for families; for a professional
    (and a family member who turned 2FA on) it replaces the password, not the second factor."""
    from samenplan.auth import services

    with app.app_context():
        _user, token = services.issue_token(db(app), FATIMA, "login", services.utcnow())
    client = app.test_client()
    form = page(client.get(f"/login/link/{token}"))
    response = client.post(f"/login/link/{token}", data={"csrf_token": csrf_token(form)})
    assert response.status_code == 302 and path_of(response) == "/login/tweestaps"
    assert not logged_in(client), "a professional got in by e-mail link alone"
    assert pass_second_factor(client).status_code == 302
    assert logged_in(client)


def test_a_password_reset_does_not_skip_the_second_factor(app):
    from samenplan.auth import services

    with app.app_context():
        _user, token = services.issue_token(db(app), FATIMA, "reset", services.utcnow())
    client = app.test_client()
    form = page(client.get(f"/wachtwoord/{token}"))
    client.post(f"/wachtwoord/{token}", data={"password": "een nieuw lang wachtwoord", "password_again": "een nieuw lang wachtwoord",
                                              "csrf_token": csrf_token(form)})
    assert not logged_in(client)
    response = password_step(client, FATIMA, "een nieuw lang wachtwoord")
    assert path_of(response) == "/login/tweestaps"
    assert not logged_in(client)
