from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from samenplan.domain.i18n import _ as _mark
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
    from samenplan.db import utcnow
    from samenplan.families.worklist import home as home_view  # the casusregisseur's worklist
    from samenplan.orgs.services import organisations_managed_by

    view = home_view(db.session(), current_user, participations, utcnow())
    return render_template(
        "families/home.html", participations=participations,
        evaluations=view.upcoming, worklists=view.worklists, evaluation_answer_form=_answer_form(),
        without_casusregisseur={f for f in family_ids if f not in chaired},
        managed=organisations_managed_by(db.session(), current_user),
        may_start=bool(intake.organisations_i_may_start_for(db.session(), current_user)),
    )


def _answer_form():
    from samenplan.evaluations.forms import AnswerForm

    return AnswerForm(formdata=None)


# --- invitations -------------------------------------------------------------------------------
import smtplib  # noqa: E402

from flask import abort, current_app, flash, redirect, request, url_for  # noqa: E402
from flask_babel import gettext as _  # noqa: E402

from samenplan import mail  # noqa: E402
from samenplan.auth.views import after_first_factor  # noqa: E402
from samenplan.db import utcnow  # noqa: E402
from samenplan.confirmations import flash_at  # noqa: E402
from samenplan.extensions import limiter  # noqa: E402
from samenplan.families import services  # noqa: E402
from samenplan.families.forms import AcceptForm, InvitationForm  # noqa: E402
from samenplan.orgs.models import Organisation  # noqa: E402
from samenplan.web import external_url, public_base, require_access  # noqa: E402


def _invitation_form(access) -> InvitationForm:
    form = InvitationForm()
    roles = services.roles_i_may_invite(access)
    form.role.choices = [(r, _(Role(r).label)) for r in roles]
    taken = {p.person_id for p in access.participants if p.person_id}
    form.person.choices = [(0, _("Kies…"))] + [
        (p.id, p.name) for p in access.persons
        if p.id not in taken and services.has_an_age_for_a_login(p, access.now)
    ]
    orgs = db.session().scalars(select(Organisation).where(Organisation.active)
                                .order_by(Organisation.name)).all()
    form.organisation.choices = [(0, _("Kies…"))] + [(o.id, o.name) for o in orgs]
    form.involvement_subjects.choices = [(p.id, p.first_name) for p in access.persons]
    return form


def _network_member_id(value) -> int | None:
    """The network map's entry an invitation is sent from; a tampered value is none of them."""
    if not value:
        return None
    try:
        return parse_id(value)
    except ValueError:
        abort(404)


@bp.route("/gezin/<int:family_id>/uitnodigen", methods=["GET", "POST"])
@login_required
def invite(family_id: int):
    access = require_access(family_id)
    if not services.roles_i_may_invite(access):
        abort(404)
    form = _invitation_form(access)
    error = None
    chosen = request.args.get("persoon", type=parse_id)  # "Uitnodigen" on the persons page
    if request.method == "GET" and chosen and chosen in dict(form.person.choices):
        form.role.data, form.person.data = "family", chosen
        form.name.data = next(p.name for p in access.persons if p.id == chosen)
    from_map = request.args.get("netwerk", type=parse_id)  # "Uitnodigen" on the network map
    if request.method == "GET" and from_map:
        from samenplan.network.models import NetworkMember
        from samenplan.network.services import may_invite_from

        member = access.get(NetworkMember, from_map)
        if member is not None and may_invite_from(access, member):
            form.role.data, form.name.data = "network", member.name
            form.function.data, form.network_member.data = member.relation, member.id
    if form.validate_on_submit():
        public_base()  # no safe base for the link: stop before an invitation is made
        try:
            invitation, token = services.invite(access, services.InvitationInput(
                email=form.email.data, name=form.name.data, role=form.role.data,
                person_id=form.person.data or None, organisation_id=form.organisation.data or None,
                function=form.function.data or "",
                involvement_subject_ids=form.involvement_subjects.data or [],
                involvement_category=form.involvement_category.data or None,
                network_member_id=_network_member_id(form.network_member.data),
            ))
        except services.NotAllowed:
            abort(403)
        except services.Invalid as exc:
            error = _(str(exc), **exc.params)
        else:
            link = external_url("families.invitation", token=token)
            try:
                mail.send(invitation.email, _("Uitnodiging voor het plan van %(name)s", name=access.family.name),
                          render_template("mail/invitation.txt", invitation=invitation, link=link,
                                          inviter=access.user.name, role=_(invitation.role.label)))
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
                    raise services.Invalid(_mark("De twee wachtwoorden zijn niet hetzelfde."))
                user = services.create_account(session, invite_row, form.name.data, form.password.data)
            participant = services.accept(session, invite_row, user, now)
        except services.Invalid as exc:
            session.rollback()
            error = _(str(exc), **exc.params)
        except services.NotAllowed:
            abort(403)
        else:
            flash(_("Welkom! Je doet nu mee aan het plan."), "ok")
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
        role_label=_(invite_row.role.label),
    ), 422 if error else 200


# --- taking on a family, and its persons ---------------------------------------------------------
from samenplan.families import intake, reading  # noqa: E402
from samenplan.families.forms import PersonForm, StartFamilyForm  # noqa: E402
from samenplan.ids import parse_id  # noqa: E402
from samenplan.privacy.facts import Representation, Role  # noqa: E402
from samenplan.records.history import Stale  # noqa: E402
from samenplan.web import loaded_version  # noqa: E402


def _show_invalid(form, exc: intake.Invalid) -> str | None:
    """The service's message under the field it is about; returned when it is about the form."""
    message = _(exc.message, **exc.params)
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        return message
    field.errors = [*field.errors, message]
    return None


def _id_or_404(value) -> int | None:
    """An id posted in a form ("" for none); anything else is no id of this family: 404."""
    if value in (None, ""):
        return None
    try:
        return parse_id(value)
    except ValueError:
        abort(404)


@bp.route("/gezin/nieuw", methods=["GET", "POST"])
@login_required
def start_family():
    """A professional who may start families takes one on: its name and its first person."""
    session = db.session()
    organisations = intake.organisations_i_may_start_for(session, current_user)
    if not organisations:
        abort(404)
    form = StartFamilyForm()
    form.organisation.choices = [("", _("Kies…"))] + [(str(o.id), o.name) for o in organisations]
    error = None
    if form.validate_on_submit():
        organisation_id = _id_or_404(form.organisation.data)
        try:
            access = intake.start_family(session, current_user, intake.FamilyInput(
                name=form.family_name.data, organisation_id=organisation_id,
                first_person=intake.PersonInput(
                    first_name=form.first_name.data, last_name=form.last_name.data,
                    date_of_birth=form.date_of_birth.data, household=intake.NEW_HOUSEHOLD,
                    lvb=form.lvb.data,
                ),
            ), utcnow())
        except intake.NotAllowed:
            abort(403)
        except intake.Invalid as exc:
            session.rollback()
            error = _show_invalid(form, exc)
        else:
            flash(_("Het gezin %(name)s is aangemeld. Jij bent de casusregisseur. Zet nu de andere "
                    "gezinsleden erbij.", name=access.family.name), "ok")
            return redirect(url_for("families.persons", family_id=access.family_id))
    return render_template(
        "families/start.html", form=form, error=error, organisations=organisations,
    ), 422 if form.is_submitted() else 200


def _family_or_chair(family_id: int):
    """The persons list is for the casusregisseur and the family; 404 for anyone else."""
    access = require_access(family_id)
    if access.viewer.role not in (Role.CASUSREGISSEUR, Role.FAMILY):
        abort(404)
    return access


def _chair(family_id: int):
    access = require_access(family_id)
    if not reading.is_chair(access):
        abort(404)
    return access


@bp.get("/gezin/<int:family_id>/gezinsleden")
@login_required
def persons(family_id: int):
    access = _family_or_chair(family_id)
    return render_template("families/persons.html", access=access,
                           view=reading.persons_view(access))


def _person_form(access, person=None) -> PersonForm:
    form = PersonForm()
    form.household.choices = reading.household_choices(access, person)
    form.holders.choices = reading.holder_choices(access, person)
    form.guardian.choices = reading.guardian_choices(access, person)
    for kind in Representation:
        form[kind.value].choices = reading.representative_choices(access, person)
    return form


def _person_input(form, access, person=None, *, knows_lvb: bool = True) -> intake.PersonInput:
    return intake.PersonInput(
        first_name=form.first_name.data or "", last_name=form.last_name.data or "",
        date_of_birth=form.date_of_birth.data, household=form.household.data or "",
        lvb=form.lvb.data if knows_lvb else None,
        holder_ids=[_id_or_404(v) for v in form.holders.data or [] if v],
        guardian_id=_id_or_404(form.guardian.data),
        representatives={kind.value: form[kind.value].data or "" for kind in Representation},
        version=loaded_version(form.version.data),
    )


@bp.route("/gezin/<int:family_id>/gezinsleden/nieuw", methods=["GET", "POST"])
@login_required
def add_person(family_id: int):
    access = _chair(family_id)
    form = _person_form(access)
    if request.method == "GET" and access.persons:
        form.household.data = str(access.persons[0].household or "")
    error = None
    if form.validate_on_submit():
        try:
            person = intake.add_person(access, _person_input(form, access))
        except intake.NotFound:
            abort(404)
        except intake.Invalid as exc:
            access.session.rollback()
            error = _show_invalid(form, exc)
        else:
            flash_at(f"persoon-{person.id}", _("%(name)s staat erbij.", name=person.name))
            return redirect(url_for("families.persons", family_id=family_id) + f"#persoon-{person.id}")
    return render_template("families/person.html", access=access, form=form, error=error,
                           person=None, knows_lvb=True), 422 if form.is_submitted() else 200


@bp.route("/gezin/<int:family_id>/gezinsleden/<int:person_id>", methods=["GET", "POST"])
@login_required
def person(family_id: int, person_id: int):
    """Correcting a person (the casusregisseur), with the person's history below."""
    access = _chair(family_id)
    try:
        found = intake.person_of(access, person_id)
    except intake.NotFound:
        abort(404)
    knows_lvb = access.may_know_lvb(found)
    form = _person_form(access, found)
    if request.method == "GET":
        form.first_name.data, form.last_name.data = found.first_name, found.last_name
        form.date_of_birth.data, form.lvb.data = found.date_of_birth, found.lvb
        form.household.data = str(found.household) if found.household is not None else ""
        form.holders.data = [str(p.id) for p in found.authority_holders]
        form.guardian.data = str(found.authority_organisations[0].id) if found.authority_organisations else ""
        for kind, value in reading.representative_values(found).items():
            form[kind].data = value
        form.version.data = found.version
    error, merge, status = None, None, 200
    if form.validate_on_submit():
        try:
            intake.update_person(access, found, _person_input(form, access, found, knows_lvb=knows_lvb))
        except intake.NotFound:
            abort(404)
        except Stale as exc:
            # theirs next to what was typed, which stays in the form, now at the current version
            form.version.data = exc.record.version
            merge, status = reading.merge_rows(access, exc.record, form), 409
        except intake.Invalid as exc:
            access.session.rollback()
            error, status = _show_invalid(form, exc), 422
        else:
            flash_at(f"persoon-{found.id}", _("De gegevens van %(name)s zijn opgeslagen.", name=found.name))
            return redirect(url_for("families.persons", family_id=family_id) + f"#persoon-{found.id}")
    elif form.is_submitted():
        status = 422
    return render_template(
        "families/person.html", access=access, form=form, error=error, person=found,
        knows_lvb=knows_lvb, merge=merge, history=reading.person_history(access, found),
    ), status
