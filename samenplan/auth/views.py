from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from samenplan import db
from samenplan.db import utcnow
from samenplan.auth import services
from samenplan.auth.forms import LoginForm
from samenplan.extensions import limiter, login_manager

bp = Blueprint("auth", __name__)


SESSION_KEY = "sid"


@login_manager.user_loader
def _load_user(token: str):
    return services.load_user(db.session(), token, session.get(SESSION_KEY), utcnow())


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _submitted_email() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("families.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("families.home"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = services.authenticate(db.session(), form.email.data, form.password.data)
        if user is not None:
            session.clear()
            idle = services.idle_limit(
                db.session(), user, current_app.config["IDLE_TIMEOUT_PROFESSIONAL"],
                current_app.config["IDLE_TIMEOUT_FAMILY"],
            )
            session[SESSION_KEY] = services.open_session(
                db.session(), user, idle, request.headers.get("User-Agent", ""), utcnow()
            )
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.post("/logout")
@login_required
def logout():
    services.close_session(db.session(), session.get(SESSION_KEY), utcnow())
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "ok")
    return redirect(url_for("auth.login"))
