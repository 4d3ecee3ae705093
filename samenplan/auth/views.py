from __future__ import annotations

from functools import wraps
from typing import Callable
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from samenplan.confirmations import flash_at
from samenplan import db, languages
from samenplan.db import utcnow
from samenplan.auth import services, twofactor
from samenplan import mail
from samenplan.auth.forms import (
    AccountForm, ButtonForm, ChangeEmailForm, ChangePasswordForm, CodeForm, ConfirmIdentityForm,
    EmailForm, LoginForm, NewPasswordForm,
)
from samenplan.extensions import limiter, login_manager
from samenplan.web import external_url, public_base, say

bp = Blueprint("auth", __name__)


SESSION_KEY = "sid"
PENDING_KEY = "pending_login"  # password checked, second factor still to come
PENDING_SECONDS = 300


@login_manager.user_loader
def _load_user(token: str):
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return services.load_user(db.session(), token, session.get(SESSION_KEY), utcnow(),
                              activity=not getattr(view, "not_activity", False))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


ACCOUNT_KEY = "login:"


def _submitted_email() -> str:
    return ACCOUNT_KEY + services.normalise_email(request.form.get("email", ""))


def _wrong_password(response) -> bool:
    """Only a wrong password counts against the login limits: logging in (or a form with a
    field left empty) never locks anyone out."""
    return response.status_code == 401


def _too_many_wrong_passwords(limit):
    """The login limits' answer, instead of a bare 429: in words, with the way in that still
    works - a login link by e-mail (limited on its own)."""
    account = any(str(arg).startswith(ACCOUNT_KEY) for arg in limit.request_args)
    form = EmailForm(formdata=None, data={"email": request.form.get("email", "")[:320]})
    html = render_template("auth/too_many_attempts.html", account=account, form=form)
    return current_app.make_response((html, 429))


def _safe_next(target: str | None, default: str | None = None) -> str:
    if target:
        parts = urlsplit(target)
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//") and "\\" not in target):
            return target
    return default or url_for("families.home")


# Counted: wrong passwords per client address, and per account (whichever address they come
# from). When the account's limit is reached its owner still gets in with a login link.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_wrong_password,
               on_breach=_too_many_wrong_passwords)
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email,
               deduct_when=_wrong_password, on_breach=_too_many_wrong_passwords)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("families.home"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = services.authenticate(db.session(), form.email.data, form.password.data)
        if user is not None:
            return after_first_factor(user, _safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.post("/logout")
@login_required
def logout():
    language = languages.valid(getattr(current_user, "locale", None))
    services.close_session(db.session(), session.get(SESSION_KEY), utcnow())
    logout_user()
    session.clear()
    if language:  # the login page goes on in the language they used
        session[languages.CHOSEN_KEY] = language
    flash(_("Je bent uitgelogd."), "ok")
    return redirect(url_for("auth.login"))


# --- login by e-mail link, password reset, account ------------------------------------------
def _send_link(purpose: str, endpoint: str, template: str, subject) -> None:
    """Mail a one-time link, in the account's language (`subject` a lazy message)."""
    public_base()  # refuses (the same for every address) when no link can be built safely
    issued = services.issue_token(db.session(), request.form.get("email", ""), purpose, utcnow())
    if issued is None:
        return  # same answer either way: nobody learns which addresses exist
    user, token = issued
    link = external_url(endpoint, token=token)
    with languages.in_language_of(user):
        mail.send_in_background(user.email, str(subject),
                                render_template(template, user=user, link=link))


def _link_request_page(purpose: str, endpoint: str, mail_template: str, subject, page: str):
    """Ask for a link by e-mail; the answer is the same whether or not the address exists."""
    form = EmailForm()
    if form.validate_on_submit():
        _send_link(purpose, endpoint, mail_template, subject)
        return render_template("auth/link_sent.html", email=form.email.data)
    return render_template(page, form=form), 422 if form.errors else 200


@bp.route("/login/link", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email)
def login_link():
    return _link_request_page("login", "auth.login_with_link", "mail/login_link.txt",
                              _l("Inloggen bij samenplan"), "auth/login_link.html")


@bp.route("/login/link/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def login_with_link(token: str):
    """GET shows a button (mail scanners that follow links must not use up the link);
    POST logs in."""
    now = utcnow()
    if request.method == "GET":
        valid = services.find_token(db.session(), token, "login", now) is not None
        return render_template("auth/login_with_link.html", valid=valid, form=EmailForm(formdata=None)), 200 if valid else 410
    form = EmailForm(formdata=None)
    if not form.validate_on_submit() and form.errors.get("csrf_token"):
        abort(400)
    user = services.use_token(db.session(), token, "login", now)
    if user is None:
        return render_template("auth/login_with_link.html", valid=False, form=form), 410
    return after_first_factor(user, url_for("families.home"))


def after_first_factor(user, target: str):
    """Password, e-mail link or invitation done: on to the second factor where the account
    has or needs one, else straight in."""
    if user.totp_secret or twofactor.required_for(db.session(), user):
        language = languages.chosen()
        session.clear()
        session[PENDING_KEY] = {"user": user.id, "at": utcnow().timestamp(), "next": target}
        if language:
            session[languages.CHOSEN_KEY] = language
        return redirect(url_for("auth.second_factor"))
    _start_session(user)
    return redirect(target)


def _start_session(user) -> None:
    flashes = session.get("_flashes")  # a new session, but keep what the user is to be told
    language = languages.chosen()  # and the language they chose on the login page
    session.clear()
    if flashes:
        session["_flashes"] = flashes
    idle = services.idle_limit(
        db.session(), user, current_app.config["IDLE_TIMEOUT_PROFESSIONAL"],
        current_app.config["IDLE_TIMEOUT_FAMILY"],
    )
    session[SESSION_KEY] = services.open_session(
        db.session(), user, idle, request.headers.get("User-Agent", ""), utcnow(), locale=language,
    )
    login_user(user)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email)
def forgot_password():
    return _link_request_page("reset", "auth.reset_password", "mail/reset.txt",
                              _l("Nieuw wachtwoord voor samenplan"), "auth/forgot.html")


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def reset_password(token: str):
    now = utcnow()
    row = services.find_token(db.session(), token, "reset", now)
    if row is None:
        return render_template("auth/reset.html", valid=False, form=None), 410
    form = NewPasswordForm()
    problems = []
    if form.validate_on_submit():
        if form.password.data != form.password_again.data:
            problems = [_("De twee wachtwoorden zijn niet hetzelfde.")]
        else:
            from samenplan.auth.models import User
            from samenplan.auth.passwords import password_problems

            user = db.session().get(User, row.user_id)
            problems = [say(p) for p in password_problems(form.password.data, email=user.email)]
            if not problems and services.use_token(db.session(), token, "reset", now):
                services.set_password(db.session(), user, form.password.data, now)
                flash(_("Je nieuwe wachtwoord is opgeslagen. Je kunt nu inloggen."), "ok")
                return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", valid=True, form=form, problems=problems), 422 if (problems or form.errors) else 200


@bp.route("/welkom/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def welcome(token: str):
    """Choosing a password for a new account (an administrator, a functioneel beheerder or a
    professional an organisation added): the mailed link, once. GET only shows the form (a
    mail scanner that follows links must not use it up); after the password, on to the second
    factor, which these accounts must set up."""
    from samenplan.auth.models import User
    from samenplan.auth.passwords import password_problems

    now = utcnow()
    row = services.find_token(db.session(), token, "welcome", now)
    if row is None:
        return render_template("auth/welcome.html", valid=False, form=None), 410
    user = db.session().get(User, row.user_id)
    form = NewPasswordForm()
    problems = []
    if form.validate_on_submit():
        if form.password.data != form.password_again.data:
            problems = [_("De twee wachtwoorden zijn niet hetzelfde.")]
        else:
            problems = [say(p) for p in password_problems(form.password.data, email=user.email)]
            if not problems:
                claimed = services.use_token(db.session(), token, "welcome", now)
                if claimed is None:
                    return render_template("auth/welcome.html", valid=False, form=None), 410
                services.set_password(db.session(), claimed, form.password.data, now)
                flash(_("Je wachtwoord is opgeslagen."), "ok")
                return after_first_factor(claimed, url_for("families.home"))
    return render_template(
        "auth/welcome.html", valid=True, form=form, problems=problems, user=user,
    ), 422 if (problems or form.errors) else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = AccountForm(obj=current_user if request.method == "GET" else None)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.locale = form.locale.data
        db.session().commit()
        flash(_("Opgeslagen."), "ok")
        return redirect(url_for("auth.account"))
    now = utcnow()
    sessions = services.active_sessions(db.session(), current_user, now)
    return render_template(
        "auth/account.html", form=form, sessions=sessions, password_form=ChangePasswordForm(formdata=None),
        email_from_organisation=_email_from_organisation(current_user),
        twofactor_required=twofactor.required_for(db.session(), current_user),
        recovery_left=twofactor.unused_recovery_codes(db.session(), current_user),
        is_current=lambda row: services.is_current(row, session.get(SESSION_KEY)),
    ), 422 if form.errors else 200


def _reauth_key() -> str:
    who = current_user.id if current_user.is_authenticated else request.remote_addr
    return f"reauth:{who}"


def _reauth_failed(response) -> bool:
    return response.status_code == 401 or bool(g.get("reauth_failed"))


# Guessing the password (or app code) from a logged-in session: the confirmation step and the
# password change share one limit per account, counting only wrong answers.
reauth_limit = limiter.shared_limit(_login_limit, scope="reauth", key_func=_reauth_key,
                                    methods=["POST"], deduct_when=_reauth_failed)


@bp.post("/account/wachtwoord")
@login_required
@reauth_limit
def change_password():
    """Asks for the current password on the form itself (that is the re-authentication, so
    no separate confirmation step), and the new one twice."""
    from samenplan.auth.passwords import verify_password

    form = ChangePasswordForm()
    problems = []
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            g.reauth_failed = True
            problems = [_("Je huidige wachtwoord klopt niet.")]
        elif form.password.data != form.password_again.data:
            problems = [_("De twee wachtwoorden zijn niet hetzelfde.")]
        else:
            user = current_user._get_current_object()
            problems = [say(p) for p in services.set_password(db.session(), user, form.password.data, utcnow())]
            if not problems:
                _start_session(user)  # every other device is logged out; this one stays in
                flash_at("wachtwoord", _("Je nieuwe wachtwoord is opgeslagen. Op andere apparaten "
                                         "ben je uitgelogd."))
                return redirect(url_for("auth.account") + "#wachtwoord")
    for p in problems:
        flash_at("wachtwoord", p, "error")
    for errors in form.errors.values():
        for e in errors:
            flash_at("wachtwoord", e, "error")
    return redirect(url_for("auth.account") + "#wachtwoord")


@bp.post("/account/sessies/<int:session_id>/beeindigen")
@login_required
def end_one_session(session_id: int):
    services.end_session(db.session(), current_user, session_id, utcnow())
    flash_at("sessies", _("Dat apparaat is uitgelogd."))
    return redirect(url_for("auth.account") + "#sessies")


@bp.post("/account/overal-uitloggen")
@login_required
def logout_everywhere():
    count = services.end_all_sessions(db.session(), current_user, utcnow(), keep_token=session.get(SESSION_KEY))
    flash_at("sessies", _("Je bent op %(n)s andere apparaten uitgelogd.", n=count))
    return redirect(url_for("auth.account") + "#sessies")



# --- "Bevestig dat jij het bent": a recent proof before changing how one logs in -------------
def login_is_fresh() -> bool:
    """Logged in, or confirmed who they are, on this device in the last 10 minutes."""
    return current_user.is_authenticated and services.is_fresh(
        db.session(), current_user._get_current_object(), session.get(SESSION_KEY), utcnow())


def _confirm_first(target: str, again: bool = False):
    values = {"next": target}
    if again:
        values["opnieuw"] = "1"
    return redirect(url_for("auth.confirm_identity", **values))


def fresh_login_required(back_to: Callable[[], str] | None = None):
    """For views that change how someone logs in (second factor, recovery codes, e-mail
    address): without a recent login or confirmation, first "Bevestig dat jij het bent", then
    back. A GET comes back to itself; a POST cannot be replayed by a redirect, so it comes
    back to `back_to()` (default: the account page), where the user does it again."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not login_is_fresh():
                if request.method == "GET":
                    return _confirm_first(request.full_path.rstrip("?"))
                return _confirm_first(back_to() if back_to else url_for("auth.account"), again=True)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _email_from_organisation(user) -> bool:
    """Professionals of an organisation that logs in through its own provider: their address
    comes from there (single sign-on finds them by it), so samenplan does not change it."""
    from samenplan.orgs import sso

    return sso.organisation_for_email(db.session(), user.email) is not None


@bp.route("/account/bevestigen", methods=["GET", "POST"])
@login_required
@reauth_limit
def confirm_identity():
    user = current_user._get_current_object()
    target = _safe_next(request.args.get("next"), default=url_for("auth.account"))
    again = request.args.get("opnieuw") == "1"
    if request.method == "GET" and login_is_fresh():
        return redirect(target)
    form = ConfirmIdentityForm(has_password=bool(user.password_hash))
    failed = False
    if form.validate_on_submit():
        if services.confirm_identity(db.session(), user, session.get(SESSION_KEY), utcnow(),
                                     password=form.password.data or "", code=form.code.data or ""):
            flash(_("Dank je. Doe nu nog een keer wat je wilde doen.") if again
                  else _("Dank je. Je kunt verder."), "ok")
            return redirect(target)
        failed = True
    return render_template(
        "auth/confirm_identity.html", form=form, failed=failed, cancel=url_for("auth.account"),
        can_password=bool(user.password_hash), can_code=bool(user.totp_secret),
        via_organisation=_email_from_organisation(user),
    ), 401 if failed else (422 if form.errors else 200)


def _account_anchor(anchor: str) -> Callable[[], str]:
    return lambda: url_for("auth.account", _anchor=anchor)


@bp.route("/account/e-mailadres", methods=["GET", "POST"])
@login_required
@fresh_login_required(back_to=lambda: url_for("auth.change_email"))
def change_email():
    """A new address: a link goes to the new address (it changes only when that link is
    opened), a notice to the old one."""
    user = current_user._get_current_object()
    if _email_from_organisation(user):
        return render_template("auth/change_email.html", form=None), 403
    form = ChangeEmailForm()
    if form.validate_on_submit():
        public_base()  # before anything is saved or sent: links must have a safe base
        new_email = services.normalise_email(form.email.data)
        try:
            token = services.request_email_change(db.session(), user, new_email, utcnow())
        except services.EmailChangeRefused as exc:
            form.email.errors.append(_(str(exc)))
        else:
            # the same answer, and the same mails to the old address, whether or not another
            # account has the new address (then no link goes out)
            if token:
                mail.send_in_background(new_email, _("Bevestig je nieuwe e-mailadres voor samenplan"), render_template(
                    "mail/email_change.txt", user=user,
                    link=external_url("auth.confirm_email_change", token=token)))
            mail.send_in_background(user.email, _("Je e-mailadres bij samenplan veranderen"), render_template(
                "mail/email_change_notice.txt", user=user, new_email=new_email))
            return render_template("auth/email_change_sent.html", email=new_email)
    return render_template("auth/change_email.html", form=form), 422 if form.errors else 200


@bp.route("/account/e-mailadres/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def confirm_email_change(token: str):
    """GET shows a button (a mail scanner that follows links must not use the link up);
    POST changes the address. Works without being logged in: the link proves the new
    mailbox, the request behind it was made after "Bevestig dat jij het bent"."""
    now = utcnow()
    form = ButtonForm()
    if request.method == "GET":
        row = services.find_email_change(db.session(), token, now)
        return render_template("auth/confirm_email_change.html", valid=row is not None, form=form,
                               new_email=row.new_email if row else None), 200 if row else 410
    if not form.validate_on_submit():
        abort(400)
    user = services.confirm_email_change(db.session(), token, now)
    if user is None:
        return render_template("auth/confirm_email_change.html", valid=False, form=form, new_email=None), 410
    flash(_("Je e-mailadres is nu %(email)s.", email=user.email), "ok")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("auth.account"))
    return redirect(url_for("auth.login"))


# --- second factor ---------------------------------------------------------------------------
def _pending_user():
    from samenplan.auth.models import User

    pending = session.get(PENDING_KEY)
    if not pending or utcnow().timestamp() - pending["at"] > PENDING_SECONDS:
        return None
    return db.session().get(User, pending["user"])


def _pending_key() -> str:
    pending = session.get(PENDING_KEY) or {}
    return f"2fa:{pending.get('user', request.remote_addr)}"


@bp.route("/login/tweestaps", methods=["GET", "POST"])
@limiter.limit("10 per 5 minutes", methods=["POST"], key_func=_pending_key)
def second_factor():
    user = _pending_user()
    if user is None:
        flash(_("Log opnieuw in."), "error")
        return redirect(url_for("auth.login"))
    if not user.totp_secret:
        return redirect(url_for("auth.enrol_second_factor"))
    form = CodeForm()
    failed = False
    if form.validate_on_submit():
        if twofactor.verify(db.session(), user, form.code.data):
            target = session[PENDING_KEY]["next"]
            _start_session(user)
            return redirect(target)
        failed = True
    return render_template("auth/second_factor.html", form=form, failed=failed), 401 if failed else 200


@bp.route("/login/tweestaps/instellen", methods=["GET", "POST"])
def enrol_second_factor():
    """Set up the authenticator app: during login (mandatory for professionals) or from
    the account page (optional for families)."""
    if current_user.is_authenticated and not login_is_fresh():
        return _confirm_first(url_for("auth.enrol_second_factor"))  # replacing a factor: prove it first
    user = current_user._get_current_object() if current_user.is_authenticated else _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.totp_secret and not current_user.is_authenticated:
        return redirect(url_for("auth.second_factor"))
    secret = session.get("enrol_secret") or twofactor.new_secret()
    session["enrol_secret"] = secret
    form = CodeForm()
    failed = False
    if form.validate_on_submit():
        codes = twofactor.enrol(db.session(), user, secret, form.code.data)
        if codes is not None:
            session.pop("enrol_secret", None)
            target = (session.get(PENDING_KEY) or {}).get("next") or url_for("auth.account")
            if not current_user.is_authenticated:
                _start_session(user)
            return render_template("auth/recovery_codes.html", codes=codes, next=target)
        failed = True
    uri = twofactor.provisioning_uri(secret, user.email)
    return render_template(
        "auth/enrol.html", form=form, failed=failed, qr=twofactor.qr_svg(uri), secret=secret,
        required=twofactor.required_for(db.session(), user),
    ), 422 if failed else 200


@bp.post("/account/herstelcodes")
@login_required
@fresh_login_required(back_to=_account_anchor("tweestaps"))
def new_recovery_codes():
    user = current_user._get_current_object()
    if not user.totp_secret:
        abort(404)
    codes = twofactor.new_recovery_codes(db.session(), user)
    db.session().commit()
    return render_template("auth/recovery_codes.html", codes=codes, next=url_for("auth.account"))


@bp.post("/account/tweestaps-uit")
@login_required
@fresh_login_required(back_to=_account_anchor("tweestaps"))
def disable_second_factor():
    user = current_user._get_current_object()
    if twofactor.required_for(db.session(), user):
        flash(_("Voor hulpverleners is inloggen in twee stappen verplicht."), "error")
    else:
        twofactor.disable(db.session(), user)
        flash(_("Inloggen in twee stappen staat uit."), "ok")
    return redirect(url_for("auth.account"))


# --- single sign-on through the organisation -----------------------------------------------
SSO_KEY = "sso_flow"


@bp.route("/login/organisatie", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def sso_login():
    from dataclasses import asdict

    from samenplan.orgs import sso

    form = EmailForm()
    error = None
    if form.validate_on_submit():
        organisation = sso.organisation_for_email(db.session(), form.email.data)
        if organisation is None:
            error = _("Je organisatie logt niet via samenplan in. Log in met je wachtwoord.")
        else:
            try:
                url, flow = sso.start(organisation, external_url("auth.sso_callback"),
                                      login_hint=form.email.data)
            except (sso.SSOError, OSError, ValueError) as exc:
                current_app.logger.warning("SSO start failed for organisation %s: %s", organisation.id, exc)
                error = _("De inlogdienst van je organisatie antwoordt nu niet. Probeer het later opnieuw.")
            else:
                session[SSO_KEY] = asdict(flow)
                return redirect(url)
    return render_template("auth/sso.html", form=form, error=error), 422 if error else 200


@bp.get("/login/organisatie/terug")
def sso_callback():
    from samenplan.orgs import sso

    stored = session.pop(SSO_KEY, None)
    try:
        if stored is None:
            raise sso.SSOError("no login in progress")
        if request.args.get("error"):
            raise sso.SSOError(f"provider error {request.args.get('error')}")
        user = sso.finish(db.session(), sso.Flow(**stored), request.args.get("state", ""),
                          request.args.get("code", ""), external_url("auth.sso_callback"))
    except (sso.SSOError, OSError, ValueError, KeyError) as exc:
        current_app.logger.warning("SSO login refused: %s", exc)
        return render_template("auth/sso.html", form=EmailForm(formdata=None),
                               error=_("Inloggen via je organisatie is niet gelukt. Probeer het opnieuw of log in met je wachtwoord.")), 401
    _start_session(user)  # the organisation's provider did the second factor
    return redirect(url_for("families.home"))
