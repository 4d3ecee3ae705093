"""English (issue 14 item 3): the language chosen on the account page, or on the login page
before logging in, is used on every screen and in the mail the user gets; the family's own
words stay as they wrote them."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.integration.test_login_links_and_sessions import (  # noqa: F401 - fixtures
    mail_app, mailbox, only_mail_to, request_link, smtp_server,
)
from tests.support.clients import as_user, csrf_token, db_session, login, page, path_of
from tests.support.people import LISA, SANDRA

GOAL_4 = "Lisa gaat elke schooldag naar school"


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def set_language(app, email: str, locale: str) -> None:
    from samenplan.auth.models import User

    with db_session(app) as session:
        session.scalar(select(User).where(User.email == email)).locale = locale
        session.commit()


def test_lisa_chooses_english_on_her_account_page_and_reads_her_plan_in_english(app, demo):
    lisa = as_user(app, LISA)
    account = page(lisa.get("/account"))
    assert html_lang(account) == "nl"
    saved = lisa.post("/account", data={"name": "Lisa de Boer", "locale": "en",
                                        "csrf_token": csrf_token(account)})
    assert saved.status_code == 302
    home = page(lisa.get("/"))
    assert html_lang(home) == "en" and "Log out" in home and "Uitloggen" not in home
    plan = page(lisa.get(f"/gezin/{demo.family_id}"))
    assert html_lang(plan) == "en"
    for english, dutch in (("Safety plan", "Veiligheidsplan"), ("Who looked?", "Wie keek?"),
                           ("Skip to content", "Naar de inhoud"), ("Log out", "Uitloggen")):
        assert english in plan and dutch not in plan, english
    assert GOAL_4 in plan  # the family's own words, as they wrote them
    # and back: Dutch again
    lisa.post("/account", data={"name": "Lisa de Boer", "locale": "nl",
                                "csrf_token": csrf_token(plan)})
    assert "Veiligheidsplan" in page(lisa.get(f"/gezin/{demo.family_id}"))


def test_the_language_chosen_on_the_login_page_is_kept_and_saved_at_login(app, demo):
    from samenplan.auth.models import User

    visitor = app.test_client()
    login_page = page(visitor.get("/login", headers={"Accept-Language": "nl"}))
    assert html_lang(login_page) == "nl" and "English" in login_page
    chosen = visitor.post("/taal", data={"locale": "en", "next": "/login",
                                         "csrf_token": csrf_token(login_page)})
    assert chosen.status_code == 302 and path_of(chosen) == "/login"
    english = page(visitor.get("/login", headers={"Accept-Language": "nl"}))
    assert html_lang(english) == "en" and 'aria-pressed="true">English' in english
    assert "Log in" in english

    login(visitor, SANDRA)
    assert html_lang(page(visitor.get("/"))) == "en"
    with db_session(app) as session:
        assert session.scalar(select(User.locale).where(User.email == SANDRA)) == "en"
    home = page(visitor.get("/"))
    visitor.post("/logout", data={"csrf_token": csrf_token(home)})
    assert html_lang(page(visitor.get("/login"))) == "en"  # the login page goes on in English


def test_the_language_buttons_refuse_what_they_do_not_offer(app):
    visitor = app.test_client()
    token = csrf_token(page(visitor.get("/login")))
    assert visitor.post("/taal", data={"locale": "de", "csrf_token": token}).status_code == 400
    assert visitor.post("/taal", data={"locale": "en"}).status_code == 400  # no CSRF token
    # a `next` elsewhere leads back to the login page, never off the site
    away = visitor.post("/taal", data={"locale": "en", "next": "//evil.example/x", "csrf_token": token})
    assert path_of(away) == "/login"
    assert html_lang(page(visitor.get("/login", headers={"Accept-Language": "nl"}))) == "en"


def test_a_browser_asking_for_english_gets_the_login_page_in_english(app):
    assert html_lang(page(app.test_client().get("/login", headers={"Accept-Language": "en-GB,en"}))) == "en"
    assert html_lang(page(app.test_client().get("/login", headers={"Accept-Language": "de"}))) == "nl"


def test_mail_goes_out_in_the_recipients_language(mail_app, mailbox):
    set_language(mail_app, SANDRA, "en")
    try:
        dutch_browser = mail_app.test_client()
        response = request_link(dutch_browser, SANDRA)
        assert response.status_code == 200 and html_lang(page(response)) == "nl"
        received = only_mail_to(mailbox, SANDRA)
        assert received.message["Subject"] == "Log in to samenplan"
    finally:
        set_language(mail_app, SANDRA, "nl")
