"""The languages samenplan speaks, and which one a request is answered in.

Dutch is the source language; English comes from `translations/en` (compiled by `make install`).
A logged-in user is answered in the language of their account (chosen on the account page); before
logging in, in the one chosen on the login page (kept in the session, and saved to the account
at the next login), else the browser's preference. Mail goes out in the recipient's language."""
from __future__ import annotations

from contextlib import contextmanager

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_babel import force_locale
from flask_login import current_user

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT = "nl"
CHOSEN_KEY = "locale"  # in the session: the language chosen before logging in

bp = Blueprint("languages", __name__)


def valid(code: str | None) -> str | None:
    return code if code in LANGUAGES else None


def select_locale() -> str:
    if current_user and getattr(current_user, "is_authenticated", False):
        return valid(current_user.locale) or DEFAULT
    return (valid(session.get(CHOSEN_KEY))
            or request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT)


def chosen() -> str | None:
    """The language chosen on the login page in this session, if any."""
    return valid(session.get(CHOSEN_KEY))


@contextmanager
def in_language_of(user):
    """Render (a mail) in `user`'s language, whatever the request's."""
    with force_locale(valid(getattr(user, "locale", None)) or DEFAULT):
        yield


@bp.app_context_processor
def _language_context() -> dict:
    from flask_babel import get_locale

    return {"language_choices": LANGUAGES, "current_language": str(get_locale() or DEFAULT)}


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("auth.login")


@bp.post("/taal")
def choose():
    """The language buttons of the login page (CSRF-checked, as every POST): kept in the
    session; a logged-in user changes it on the account page instead."""
    code = valid(request.form.get("locale"))
    if code is None:
        abort(400)
    session[CHOSEN_KEY] = code
    return redirect(_safe_next(request.form.get("next")))
