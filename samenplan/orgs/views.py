"""Screens for the administrator (/beheer) and for an organisation's functioneel beheerder
(/organisatie/<id>). Thin: parse, call a service, render. Who may call a route is decided in
its first line (`_admin()`, `_managed(org_id)`): anyone else gets 404, as if it were not there;
and every id in a URL is looked up *within* that organisation, so another organisation's ids
are 404 too."""
from __future__ import annotations

import smtplib

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from samenplan import db, mail
from samenplan.auth.forms import ButtonForm
from samenplan.auth.views import fresh_login_required
from samenplan.db import utcnow
from samenplan.orgs import services
from samenplan.orgs.forms import MayStartForm, OrganisationForm, PersonForm, ProfessionalForm, SSOForm
from samenplan.languages import in_language_of
from samenplan.web import external_url, public_base

admin_bp = Blueprint("beheer", __name__, url_prefix="/beheer")
bp = Blueprint("orgs", __name__, url_prefix="/organisatie")


def _admin():
    """The administrator, or 404 for anyone else (logged in or not: login_required first)."""
    if not current_user.is_admin:
        abort(404)
    return current_user._get_current_object()


def _managed(org_id: int):
    """The organisation when the current user is its functioneel beheerder, else 404."""
    organisation = services.managed_organisation(db.session(), current_user, org_id)
    if organisation is None:
        abort(404)
    return organisation


def _member(organisation, member_id: int):
    try:
        return services.member_of(db.session(), organisation, member_id)
    except services.NotFound:
        abort(404)


def _show_invalid(form, exc: services.Invalid) -> str | None:
    """The service's message under the field it is about; returned when it is about the form."""
    message = _(exc.message, **exc.params)
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        return message
    field.errors = [*field.errors, message]
    return None


def _send_welcome(invited: services.Invited, intro) -> None:
    """The mail to someone who now works for (or manages) an organisation: a link to choose a
    password, or to log in through the organisation's provider, or to log in as ever. In the
    recipient's language (`intro`: a lazy message)."""
    user = invited.user
    with in_language_of(user):
        if invited.token:
            link, subject = external_url("auth.welcome", token=invited.token), _("Welkom bij samenplan")
        elif invited.via_sso:
            link, subject = external_url("auth.sso_login"), _("Welkom bij samenplan")
        else:
            link, subject = external_url("auth.login"), _("Je doet nu mee in samenplan")
        text = render_template("mail/welcome.txt", user=user, intro=str(intro), link=link,
                               choose_password=bool(invited.token), via_sso=invited.via_sso,
                               organisation=invited.member.organisation.name)
    try:
        mail.send(user.email, subject, text)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("organisation member #%s: mail not sent", invited.member.id)
        flash(_("De e-mail aan %(email)s kon niet worden verstuurd. Probeer het later nog eens: "
                "nodig de persoon dan opnieuw uit.", email=user.email), "error")
    else:
        flash(_("%(name)s krijgt een e-mail op %(email)s.", name=user.name, email=user.email), "ok")


# --- the administrator ---------------------------------------------------------------------------
def _overview(form, error=None, status=200):
    return render_template(
        "orgs/admin_home.html", form=form, error=error,
        rows=services.organisations_overview(db.session()),
        admins=services.administrators(db.session()),
    ), status


@admin_bp.get("")
@login_required
def home():
    _admin()
    return _overview(OrganisationForm(formdata=None))


@admin_bp.post("/organisaties")
@login_required
def add_organisation():
    admin = _admin()
    form = OrganisationForm()
    error = None
    if form.validate_on_submit():
        try:
            organisation = services.add_organisation(db.session(), admin, services.OrganisationInput(
                name=form.name.data, kind=form.kind.data, domains=form.domains.data or ""), utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("%(name)s is toegevoegd. Wijs nu een functioneel beheerder aan.", name=organisation.name), "ok")
            return redirect(url_for("beheer.organisation", org_id=organisation.id) + "#beheerder")
    return _overview(form, error, 422)


def _admin_organisation(org_id: int):
    from samenplan.orgs.models import Organisation

    organisation = db.session().get(Organisation, org_id)
    if organisation is None:
        abort(404)
    return organisation


def _confirmed(form) -> bool:
    """A confirmation page: GET shows what will happen; a POST with the page's CSRF token does
    it (without one: 400)."""
    if request.method != "POST":
        return False
    if not form.validate_on_submit():
        abort(400)
    return True


def _organisation_page(organisation, form=None, person_form=None, error=None, status=200):
    if form is None:
        form = OrganisationForm(formdata=None, data={
            "name": organisation.name, "kind": organisation.kind,
            "domains": ", ".join(organisation.own_domains)})
    return render_template(
        "orgs/admin_organisation.html", organisation=organisation, form=form,
        person_form=person_form or PersonForm(formdata=None), error=error,
        beheerders=services.beheerders_of(db.session(), organisation),
    ), status


@admin_bp.route("/organisaties/<int:org_id>", methods=["GET", "POST"])
@login_required
def organisation(org_id: int):
    admin = _admin()
    organisation = _admin_organisation(org_id)
    if request.method == "GET":
        return _organisation_page(organisation)
    form = OrganisationForm()
    error = None
    if form.validate_on_submit():
        try:
            services.update_organisation(db.session(), admin, organisation, services.OrganisationInput(
                name=form.name.data, kind=form.kind.data, domains=form.domains.data or ""), utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("Opgeslagen."), "ok")
            return redirect(url_for("beheer.organisation", org_id=org_id))
    return _organisation_page(organisation, form=form, error=error, status=422)


@admin_bp.post("/organisaties/<int:org_id>/beheerders")
@login_required
@fresh_login_required(back_to=lambda: url_for("beheer.organisation", org_id=request.view_args["org_id"]))
def name_beheerder(org_id: int):
    admin = _admin()
    organisation = _admin_organisation(org_id)
    form = PersonForm()
    error = None
    if form.validate_on_submit():
        public_base()  # no safe base for the link: stop before anyone is added
        try:
            invited = services.name_beheerder(db.session(), admin, organisation, form.email.data,
                                              form.name.data, utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            _send_welcome(invited, _l(
                "%(inviter)s heeft je functioneel beheerder van %(organisation)s gemaakt in samenplan. "
                "Je zet de hulpverleners van je organisatie in samenplan, en haalt ze eruit als ze weggaan.",
                inviter=admin.name, organisation=organisation.name))
            return redirect(url_for("beheer.organisation", org_id=org_id) + "#beheerders")
    return _organisation_page(organisation, person_form=form, error=error, status=422)


def _back_to_organisation():
    return url_for("beheer.organisation", org_id=request.view_args["org_id"])


@admin_bp.route("/organisaties/<int:org_id>/beheerders/<int:member_id>/afnemen", methods=["GET", "POST"])
@login_required
def take_beheerder_role(org_id: int, member_id: int):
    """The administrator takes the beheerder role away; the person keeps working there."""
    admin = _admin()
    organisation = _admin_organisation(org_id)
    member = _member(organisation, member_id)
    if not (member.active and member.is_beheerder):
        abort(404)
    form = ButtonForm()
    error = None
    if _confirmed(form):
        try:
            services.take_beheerder_role(db.session(), admin, organisation, member.id, utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("%(name)s is geen functioneel beheerder meer van %(organisation)s.",
                    name=member.user.name, organisation=organisation.name), "ok")
            return redirect(url_for("beheer.organisation", org_id=org_id) + "#beheerders")
    return render_template(
        "orgs/take_role.html", organisation=organisation, member=member, form=form, error=error,
        back=url_for("beheer.organisation", org_id=org_id) + "#beheerders",
    ), 422 if error else 200


@admin_bp.route("/organisaties/<int:org_id>/stoppen", methods=["GET", "POST"])
@login_required
@fresh_login_required(back_to=_back_to_organisation)
def stop_organisation(org_id: int):
    """Shows what stopping means (how many people, how many plans: never which) before the
    button does it."""
    admin = _admin()
    organisation = _admin_organisation(org_id)
    form = ButtonForm()
    error = None
    if organisation.active and _confirmed(form):
        try:
            reach = services.deactivate_organisation(db.session(), admin, organisation, utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(ngettext(
                "%(organisation)s doet niet meer mee aan samenplan. %(num)s persoon kan er niet meer in.",
                "%(organisation)s doet niet meer mee aan samenplan. %(num)s mensen kunnen er niet meer in.",
                reach.members, organisation=organisation.name), "ok")
            return redirect(url_for("beheer.organisation", org_id=org_id))
    elif request.method == "POST":
        abort(404)  # stopped already: nothing to confirm
    return render_template(
        "orgs/stop.html", organisation=organisation, form=form, error=error,
        reach=services.reach_of(db.session(), organisation),
    ), 422 if error else 200


@admin_bp.route("/beheerders/<int:user_id>/weghalen", methods=["GET", "POST"])
@login_required
@fresh_login_required(back_to=lambda: url_for("beheer.home") + "#beheerders")
def remove_admin(user_id: int):
    """An administrator less, never the last: the page says so before the button."""
    admin = _admin()
    try:
        other = services.administrator(db.session(), user_id)
    except services.NotFound:
        abort(404)
    form = ButtonForm()
    error = None
    last = len(services.administrators(db.session())) <= 1
    if not last and _confirmed(form):
        try:
            removed = services.remove_admin(db.session(), admin, other.id, utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("%(name)s is geen beheerder van samenplan meer.", name=removed.user.name), "ok")
            if removed.user.id == admin.id:
                return redirect(url_for("families.home"))
            return redirect(url_for("beheer.home") + "#beheerders")
    elif request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        error = _("%(name)s is de enige beheerder van samenplan. Er moet altijd één beheerder zijn. "
                  "Maak eerst iemand anders beheerder.", name=other.name)
    return render_template(
        "orgs/remove_admin.html", other=other, form=form, error=error, last=last,
        is_me=other.id == admin.id,
    ), 422 if error else 200


# --- the organisation's functioneel beheerder ----------------------------------------------------
def _members_page(organisation, form=None, error=None, status=200, appoint_error=None):
    from samenplan.handover import services as handover

    session = db.session()
    return render_template(
        "orgs/organisation.html", organisation=organisation, form=form or ProfessionalForm(formdata=None),
        error=error, members=services.members_of(session, organisation),
        awaits_password=lambda m: services.awaits_password(organisation, m),
        orphaned=handover.orphaned(session, organisation),
        appointable=handover.appointable(session, organisation), button=ButtonForm(),
        appoint_error=appoint_error,
    ), status


@bp.post("/<int:org_id>/zonder-casusregisseur/<int:user_id>")
@login_required
def appoint(org_id: int, user_id: int):
    """A colleague becomes the casusregisseur of the families a leaver left without one."""
    from samenplan.handover import services as handover
    from samenplan.ids import parse_id

    organisation = _managed(org_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        member_id = parse_id(request.form.get("member", ""))
    except ValueError:
        member_id = 0
    try:
        count = handover.appoint(db.session(), current_user._get_current_object(), organisation,
                                 user_id, member_id, utcnow())
    except (handover.Invalid, handover.Refused) as exc:
        db.session().rollback()
        return _members_page(organisation, status=422, appoint_error=_(str(exc.message)))
    flash(ngettext("%(num)d gezin heeft weer een casusregisseur.",
                   "%(num)d gezinnen hebben weer een casusregisseur.", count), "ok")
    return redirect(url_for("orgs.members", org_id=org_id) + "#zonder-casusregisseur")


@bp.get("/<int:org_id>")
@login_required
def members(org_id: int):
    return _members_page(_managed(org_id))


@bp.post("/<int:org_id>/hulpverleners")
@login_required
def invite(org_id: int):
    organisation = _managed(org_id)
    form = ProfessionalForm()
    error = None
    if form.validate_on_submit():
        public_base()
        try:
            invited = services.invite_professional(
                db.session(), current_user._get_current_object(), organisation, form.email.data,
                form.name.data, bool(form.may_start.data), utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            _send_welcome(invited, _l(
                "%(inviter)s heeft je als hulpverlener van %(organisation)s in samenplan gezet. Dan kun "
                "je meedoen aan de plannen van gezinnen die je uitnodigen.",
                inviter=current_user.name, organisation=organisation.name))
            return redirect(url_for("orgs.members", org_id=org_id) + f"#lid-{invited.member.id}")
    return _members_page(organisation, form, error, 422)


def _member_page(organisation, member, form=None, error=None, status=200):
    if form is None:
        form = MayStartForm(formdata=None, data={"allowed": "ja" if member.may_start_families else "nee"})
    return render_template(
        "orgs/member.html", organisation=organisation, member=member, form=form, error=error,
        is_me=member.user_id == current_user.id,
    ), status


@bp.get("/<int:org_id>/hulpverleners/<int:member_id>")
@login_required
def member(org_id: int, member_id: int):
    organisation = _managed(org_id)
    return _member_page(organisation, _member(organisation, member_id))


@bp.post("/<int:org_id>/hulpverleners/<int:member_id>/starten")
@login_required
def may_start(org_id: int, member_id: int):
    organisation = _managed(org_id)
    member = _member(organisation, member_id)
    form = MayStartForm()
    error = None
    if form.validate_on_submit():
        allowed = form.allowed.data == "ja"
        try:
            services.set_may_start(db.session(), current_user._get_current_object(), organisation,
                                   member.id, allowed, utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("%(name)s mag nu gezinnen starten.", name=member.user.name) if allowed
                  else _("%(name)s mag nu geen gezinnen starten.", name=member.user.name), "ok")
            return redirect(url_for("orgs.member", org_id=org_id, member_id=member.id))
    return _member_page(organisation, member, form, error, 422)


@bp.route("/<int:org_id>/hulpverleners/<int:member_id>/uit-dienst", methods=["GET", "POST"])
@login_required
def leave(org_id: int, member_id: int):
    """Shows what leaving means (how many plans, never which) before the button does it."""
    organisation = _managed(org_id)
    member = _member(organisation, member_id)
    form = ButtonForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            left = services.deactivate(db.session(), current_user._get_current_object(), organisation,
                                       member.id, utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("%(name)s werkt niet meer bij %(organisation)s in samenplan. Alle logins van "
                    "%(name)s zijn beëindigd.", name=left.member.user.name, organisation=organisation.name),
                  "ok")
            return redirect(url_for("orgs.members", org_id=org_id))
    elif request.method == "POST":
        abort(400)
    return render_template(
        "orgs/leave.html", organisation=organisation, member=member, form=form, error=error,
        plans=services.plans_count(db.session(), member), is_me=member.user_id == current_user.id,
    ), 422 if error else 200


@bp.route("/<int:org_id>/hulpverleners/<int:member_id>/beheerder-af", methods=["GET", "POST"])
@login_required
def beheerder_off(org_id: int, member_id: int):
    """Another functioneel beheerder of the same organisation takes the role away (never
    their own: they ask another beheerder, or the administrator)."""
    organisation = _managed(org_id)
    member = _member(organisation, member_id)
    if not (member.active and member.is_beheerder):
        abort(404)
    form = ButtonForm()
    error = None
    is_me = member.user_id == current_user.id
    if not is_me and _confirmed(form):
        try:
            services.take_beheerder_role(db.session(), current_user._get_current_object(), organisation,
                                         member.id, utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("%(name)s is geen functioneel beheerder meer van %(organisation)s.",
                    name=member.user.name, organisation=organisation.name), "ok")
            return redirect(url_for("orgs.member", org_id=org_id, member_id=member.id))
    elif request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        error = _("Je kunt je eigen rol niet afnemen. Vraag een andere functioneel beheerder of de "
                  "beheerder van samenplan.")
    return render_template(
        "orgs/take_role.html", organisation=organisation, member=member, form=form, error=error,
        back=url_for("orgs.member", org_id=org_id, member_id=member.id), is_me=is_me,
    ), 422 if error else 200


def _back_to_sso():
    return url_for("orgs.sso", org_id=request.view_args["org_id"])


@bp.route("/<int:org_id>/inloggen", methods=["GET", "POST"])
@login_required
@fresh_login_required(back_to=_back_to_sso)
def sso(org_id: int):
    """The organisation's OpenID Connect provider. Changing it changes how every professional
    of the organisation logs in: only after a recent login or "Bevestig dat jij het bent". The
    secret is never shown back."""
    organisation = _managed(org_id)
    if request.method == "GET":
        form = SSOForm(formdata=None, data={
            "issuer": organisation.oidc_issuer or "", "client_id": organisation.oidc_client_id or "",
            "domains": ", ".join(sorted(organisation.email_domains)) or ", ".join(organisation.own_domains),
        })
        return _sso_page(organisation, form)
    form = SSOForm()
    error = None
    if form.validate_on_submit():
        try:
            services.configure_sso(db.session(), current_user._get_current_object(), organisation,
                                   services.SSOInput(form.issuer.data, form.client_id.data,
                                                     form.client_secret.data or "", form.domains.data), utcnow())
        except services.Invalid as exc:
            db.session().rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("Opgeslagen. De hulpverleners van %(organisation)s kunnen nu inloggen via jullie "
                    "inlogdienst.", organisation=organisation.name), "ok")
            return redirect(url_for("orgs.sso", org_id=org_id))
    return _sso_page(organisation, form, error, 422)


def _sso_page(organisation, form, error=None, status=200):
    return render_template(
        "orgs/sso.html", organisation=organisation, form=form, error=error,
        off_form=ButtonForm(formdata=None), has_secret=bool(organisation.oidc_client_secret),
        redirect_uri=_redirect_uri(),
    ), status


def _redirect_uri() -> str | None:
    """What the organisation's ICT enters at its provider as samenplan's redirect URI."""
    from samenplan.config import PublicURLMissing

    try:
        return external_url("auth.sso_callback")
    except PublicURLMissing:
        return None


@bp.post("/<int:org_id>/inloggen/uitzetten")
@login_required
@fresh_login_required(back_to=_back_to_sso)
def sso_off(org_id: int):
    organisation = _managed(org_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.disable_sso(db.session(), current_user._get_current_object(), organisation, utcnow())
    flash(_("Inloggen via jullie inlogdienst staat uit. De hulpverleners loggen in met hun wachtwoord."), "ok")
    return redirect(url_for("orgs.sso", org_id=org_id))
