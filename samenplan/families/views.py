from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from samenplan import db
from samenplan.auth.models import User
from samenplan.families.models import Family, Participant

bp = Blueprint("families", __name__)


@bp.get("/")
@login_required
def home():
    participations = db.session().scalars(
        select(Participant)
        .where(Participant.user_id == current_user.id, Participant.active)
        .options(selectinload(Participant.family), selectinload(Participant.organisation))
        .join(Family)
        .order_by(Family.name)
    ).all()
    family_ids = [p.family_id for p in participations]
    chaired = set(db.session().scalars(select(Participant.family_id).where(
        Participant.family_id.in_(family_ids), Participant.role == "casusregisseur", Participant.active,
    ))) if family_ids else set()
    from samenplan.orgs.services import organisations_managed_by

    return render_template(
        "families/home.html", participations=participations,
        without_casusregisseur={f for f in family_ids if f not in chaired},
        managed=organisations_managed_by(db.session(), current_user),
    )


# --- invitations -------------------------------------------------------------------------------
import smtplib  # noqa: E402

from flask import abort, current_app, flash, redirect, request, url_for  # noqa: E402
from flask_babel import gettext as _  # noqa: E402

from samenplan import mail  # noqa: E402
from samenplan.auth.views import after_first_factor  # noqa: E402
from samenplan.db import utcnow  # noqa: E402
from samenplan.extensions import limiter  # noqa: E402
from samenplan.families import services  # noqa: E402
from samenplan.families.forms import AcceptForm, InvitationForm  # noqa: E402
from samenplan.orgs.models import Organisation  # noqa: E402
from samenplan.privacy.labels import ROLE_LABELS  # noqa: E402
from samenplan.web import external_url, public_base, require_access  # noqa: E402


def _invitation_form(access) -> InvitationForm:
    form = InvitationForm()
    roles = services.roles_i_may_invite(access)
    form.role.choices = [(r, _(ROLE_LABELS[r])) for r in roles]
    taken = {p.person_id for p in access.participants if p.person_id}
    form.person.choices = [(0, _("Kies…"))] + [(p.id, p.name) for p in access.persons if p.id not in taken]
    orgs = db.session().scalars(select(Organisation).order_by(Organisation.name)).all()
    form.organisation.choices = [(0, _("Kies…"))] + [(o.id, o.name) for o in orgs]
    form.involvement_subjects.choices = [(p.id, p.first_name) for p in access.persons]
    return form


@bp.route("/gezin/<int:family_id>/uitnodigen", methods=["GET", "POST"])
@login_required
def invite(family_id: int):
    access = require_access(family_id)
    if not services.roles_i_may_invite(access):
        abort(404)
    form = _invitation_form(access)
    error = None
    if form.validate_on_submit():
        public_base()  # no safe base for the link: stop before an invitation is made
        try:
            invitation, token = services.invite(access, services.InvitationInput(
                email=form.email.data, name=form.name.data, role=form.role.data,
                person_id=form.person.data or None, organisation_id=form.organisation.data or None,
                function=form.function.data or "",
                involvement_subject_ids=form.involvement_subjects.data or [],
                involvement_category=form.involvement_category.data or None,
            ))
        except services.NotAllowed:
            abort(403)
        except services.Invalid as exc:
            error = _(str(exc))
        else:
            link = external_url("families.invitation", token=token)
            try:
                mail.send(invitation.email, _("Uitnodiging voor het plan van %(name)s", name=access.family.name),
                          render_template("mail/invitation.txt", invitation=invitation, link=link,
                                          inviter=access.user.name, role=_(ROLE_LABELS[invitation.role])))
            except (OSError, smtplib.SMTPException):
                current_app.logger.exception("invitation #%s: mail not sent", invitation.id)
                flash(_("De e-mail kon niet worden verstuurd. Trek de uitnodiging in en probeer het later opnieuw."), "error")
            else:
                flash(_("De uitnodiging is verstuurd naar %(email)s.", email=invitation.email), "ok")
            return redirect(url_for("families.invite", family_id=family_id))
    return render_template(
        "families/invite.html", access=access, form=form, error=error,
        invitations=services.invitations_of(access), now=utcnow(),
    ), 422 if form.is_submitted() else 200


@bp.post("/gezin/<int:family_id>/uitnodigingen/<int:invitation_id>/intrekken")
@login_required
def withdraw_invitation(family_id: int, invitation_id: int):
    access = require_access(family_id)
    try:
        services.withdraw(access, invitation_id)
    except services.NotAllowed:
        abort(404)
    flash(_("De uitnodiging is ingetrokken. De link werkt niet meer."), "ok")
    return redirect(url_for("families.invite", family_id=family_id))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def invitation(token: str):
    """Shows who invites whom to what, before anything is accepted; then joins."""
    session = db.session()
    now = utcnow()
    invite_row = services.find_open(session, token, now)
    if invite_row is None:
        abort(404)
    state = invite_row.state(now)
    account_exists = session.scalar(select(User.id).where(User.email == invite_row.email)) is not None
    form = AcceptForm()
    error = None
    if request.method == "POST" and state == "open" and form.validate_on_submit():
        try:
            if current_user.is_authenticated:
                user = current_user._get_current_object()
            elif account_exists:
                abort(403)
            else:
                if form.password.data != form.password_again.data:
                    raise services.Invalid("De twee wachtwoorden zijn niet hetzelfde.")
                user = services.create_account(session, invite_row, form.name.data, form.password.data)
            participant = services.accept(session, invite_row, user, now)
        except services.Invalid as exc:
            session.rollback()
            error = _(str(exc))
        except services.NotAllowed:
            abort(403)
        else:
            flash(_("Welkom! U doet nu mee aan het plan."), "ok")
            target = url_for("plans.plan", family_id=participant.family_id)
            if current_user.is_authenticated:
                return redirect(target)
            return after_first_factor(user, target)  # a new professional sets up 2FA first
    if request.method == "GET" and not form.name.data:
        form.name.data = invite_row.name
    wrong_user = current_user.is_authenticated and current_user.email != invite_row.email
    return render_template(
        "families/invitation.html", invitation=invite_row, state=state, form=form, error=error,
        account_exists=account_exists, wrong_user=wrong_user,
        role_label=_(ROLE_LABELS[invite_row.role]),
    ), 422 if error else 200
