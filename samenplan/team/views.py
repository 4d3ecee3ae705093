"""The team page, a line of it, the contact card and "akkoord met het plan": thin routes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_login import login_required

from samenplan.domain.ages import local_day
from samenplan.domain.vocabulary import FundingStream, InvolvementEndReason
from samenplan.goals.reading import MergeRow  # the merge screen's row, one for every kind
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Role
from samenplan.records.history import Stale
from samenplan.team import services
from samenplan.team.forms import NO_BUDDY, CloseForm, ContactForm, LineForm, PlanAgreementForm
from samenplan.team.reading import (
    agreement_history, agreements, contact_card, contact_history, line_function, line_phone,
    row_words, team_lines,
)
from samenplan.team.reading import line_history as history_of_line
from samenplan.web import loaded_version, merge_rows, participant_name, require_access

bp = Blueprint("team", __name__, url_prefix="/gezin/<int:family_id>")


def _words(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def plan_extras(access: Access, plan_view) -> dict:
    """What the plan page shows of this feature: the contact card on its first screen (loaded
    with the plan: no query of its own), and who agreed with the plan, with the viewer's own
    answer form (one query; when the plan last changed as the viewer sees it, from the goals
    and sections the plan page loaded)."""
    content = [g.goal for g in plan_view.goals] + [
        e.record for section in plan_view.sections.values() for e in section.entries]
    changed_at = max((r.updated_at for r in content if r.updated_at is not None), default=None)
    view = agreements(access, plan_view.plan.id, changed_at, known=True)
    return {"card": contact_card(access, plan_view.plan.id, plan_view.contact, loaded=True),
            "agreement": view, "agreement_form": _agreement_form(view)}


def _agreement_form(view, form: PlanAgreementForm | None = None) -> PlanAgreementForm:
    if form is None:
        form = PlanAgreementForm(formdata=None)
        if view.mine is not None:
            form.agrees.data = "ja" if view.mine.agrees else "nee"
            form.reason.data = view.mine.reason
    form.version.data = view.my_version
    return form


# --- the team -------------------------------------------------------------------------------
@bp.get("/team")
@login_required
def team(family_id: int):
    access = require_access(family_id)
    plan = services.plan_of(access)
    return render_template("team/team.html", access=access, lines=team_lines(access),
                           card=contact_card(access, plan.id), left=services.left_unclosed(access))


def _line_form(participant) -> LineForm:
    form = LineForm(formdata=None)
    inv = participant.involvement
    form.version.data = inv.version if inv is not None else 0
    form.function.data = line_function(participant)
    form.phone.data = line_phone(participant)
    form.funding.data = inv.funding.value if inv is not None and inv.funding else ""
    form.start_date.data = inv.start_date if inv is not None else None
    form.end_date.data = inv.end_date if inv is not None else None
    return form


def _line_merge(participant, form: LineForm) -> list[MergeRow]:
    inv = participant.involvement
    funding = FundingStream.parse(form.funding.data)
    return [
        MergeRow(str(form.function.label.text), line_function(participant), form.function.data or ""),
        MergeRow(str(form.phone.label.text), line_phone(participant), form.phone.data or ""),
        MergeRow(str(form.funding.label.text),
                 gettext(inv.funding.label) if inv is not None and inv.funding else "",
                 gettext(funding.label) if funding else ""),
        MergeRow(str(form.start_date.label.text), _words(inv.start_date if inv else None),
                 _words(form.start_date.data)),
        MergeRow(str(form.end_date.label.text), _words(inv.end_date if inv else None),
                 _words(form.end_date.data)),
    ]


@bp.route("/team/<int:participant_id>", methods=["GET", "POST"])
@login_required
def line(family_id: int, participant_id: int):
    access = require_access(family_id)
    participant = services.team_member(access, participant_id)
    if participant is None or not services.may_edit_line(access, participant):
        abort(404)
    if request.method == "GET":
        return _line_page(access, participant, _line_form(participant))
    form = LineForm()
    if not form.validate_on_submit():
        return _line_page(access, participant, form, 422)
    data = services.LineInput(
        function=form.function.data or "", phone=form.phone.data or "",
        funding=form.funding.data or None, start_date=form.start_date.data,
        end_date=form.end_date.data, version=loaded_version(form.version.data),
    )
    try:
        services.save_line(access, participant, data)
    except services.NotAllowed:
        abort(404)
    except Stale as exc:
        merge = merge_rows(access, exc, form, lambda _involvement, f: _line_merge(participant, f))
        return _line_page(access, participant, form, 409, merge=merge)
    except services.Invalid as exc:
        getattr(form, exc.field or "function").errors = [str(exc)]
        return _line_page(access, participant, form, 422)
    flash(gettext("De gegevens van %(name)s zijn opgeslagen.",
                  name=participant_name(access, participant)), "ok")
    return redirect(url_for("team.team", family_id=family_id) + f"#lid-{participant.id}")


@bp.route("/team/<int:participant_id>/stoppen", methods=["GET", "POST"])
@login_required
def close(family_id: int, participant_id: int):
    """Close a professional's part: their own, or (the casusregisseur) anyone's they may see."""
    access = require_access(family_id)
    participant = services.closable_member(access, participant_id)
    if participant is None or participant.role is not Role.PROFESSIONAL \
            or not services.may_edit_line(access, participant):
        abort(404)  # the casusregisseur's own part ends by a handover, not here
    inv = participant.involvement
    if request.method == "GET":
        form = CloseForm(formdata=None)
        form.version.data = inv.version if inv is not None else 0
        form.end_date.data = (inv.end_date if inv is not None else None) or local_day(access.now)
        form.reason.data = inv.end_reason.value if inv is not None and inv.end_reason else None
        return _close_page(access, participant, form)
    form = CloseForm()
    if not form.validate_on_submit():
        return _close_page(access, participant, form, 422)
    data = services.CloseInput(end_date=form.end_date.data, reason=form.reason.data or None,
                               version=loaded_version(form.version.data))
    try:
        services.close_line(access, participant, data)
    except services.NotAllowed:
        abort(404)
    except Stale as exc:
        def rows(_involvement, f):
            reason = InvolvementEndReason.parse(f.reason.data)
            return [
                MergeRow(str(f.end_date.label.text), _words(inv.end_date if inv else None),
                         _words(f.end_date.data)),
                MergeRow(str(f.reason.label.text),
                         gettext(inv.end_reason.label) if inv is not None and inv.end_reason else "",
                         gettext(reason.label) if reason else ""),
            ]
        merge = merge_rows(access, exc, form, rows)
        return _close_page(access, participant, form, 409, merge=merge)
    except services.Invalid as exc:
        getattr(form, exc.field or "reason").errors = [str(exc)]
        return _close_page(access, participant, form, 422)
    flash(gettext("Het werk van %(name)s in dit plan is afgesloten.",
                  name=participant_name(access, participant)), "ok")
    return redirect(url_for("team.team", family_id=family_id) + f"#lid-{participant.id}")


def _close_page(access: Access, participant, form: CloseForm, status: int = 200, merge=None):
    return render_template("team/close_form.html", access=access, participant=participant,
                           name=participant_name(access, participant), form=form,
                           merge=merge), status


@bp.get("/team/<int:participant_id>/geschiedenis")
@login_required
def line_history(family_id: int, participant_id: int):
    access = require_access(family_id)
    participant = services.team_member(access, participant_id)
    if participant is None:
        abort(404)
    return render_template("team/line_history.html", access=access, participant=participant,
                           name=participant_name(access, participant),
                           entries=history_of_line(access, participant))


def _line_page(access: Access, participant, form: LineForm, status: int = 200, merge=None):
    return render_template("team/line_form.html", access=access, participant=participant,
                           name=participant_name(access, participant), form=form,
                           merge=merge), status


# --- the contact card -------------------------------------------------------------------------
def _contact_form(access: Access, form: ContactForm | None = None, current=None) -> ContactForm:
    if form is None:
        form = ContactForm(formdata=None)
        if current is not None:
            form.emergency_name.data = current.emergency_name
            form.emergency_phone.data = current.emergency_phone
            form.buddy.data = str(current.buddy_participant_id or NO_BUDDY)
            form.buddy_name.data = current.buddy_name
            form.buddy_phone.data = current.buddy_phone
        form.version.data = current.version if current is not None else 0
    form.buddy.choices = [(NO_BUDDY, _l("Niemand uit het team"))] + [
        (str(p.id), participant_name(access, p, with_organisation=True))
        for p in services.buddy_choices(access)
    ]
    return form


def _contact_merge(access: Access, current, form: ContactForm) -> list[MergeRow]:
    choices = dict(form.buddy.choices)
    buddy_now = ""
    if current is not None and current.buddy_participant_id:
        buddy_now = str(choices.get(str(current.buddy_participant_id), ""))
    return [
        MergeRow(str(form.emergency_name.label.text), current.emergency_name if current else "",
                 form.emergency_name.data or ""),
        MergeRow(str(form.emergency_phone.label.text), current.emergency_phone if current else "",
                 form.emergency_phone.data or ""),
        MergeRow(str(form.buddy.label.text), buddy_now,
                 str(choices.get(form.buddy.data or NO_BUDDY, "")) if form.buddy.data else ""),
        MergeRow(str(form.buddy_name.label.text), current.buddy_name if current else "",
                 form.buddy_name.data or ""),
        MergeRow(str(form.buddy_phone.label.text), current.buddy_phone if current else "",
                 form.buddy_phone.data or ""),
    ]


@bp.route("/team/contactkaart", methods=["GET", "POST"])
@login_required
def contact(family_id: int):
    access = require_access(family_id)
    if access.viewer.role is not Role.CASUSREGISSEUR:
        abort(404)
    plan = services.plan_of(access)
    if request.method == "GET":
        form = _contact_form(access, current=services.current_contact(access, plan.id))
        return _contact_page(access, form)
    form = _contact_form(access, ContactForm())
    if not form.validate_on_submit():
        return _contact_page(access, form, 422)
    raw_buddy = (form.buddy.data or "").strip()
    buddy_id = int(raw_buddy) if raw_buddy.isdigit() and len(raw_buddy) < 10 else None
    if raw_buddy and buddy_id is None:
        form.buddy.errors = [gettext("Kies een maatje uit de lijst.")]
        return _contact_page(access, form, 422)
    data = services.ContactInput(
        emergency_name=form.emergency_name.data or "", emergency_phone=form.emergency_phone.data or "",
        buddy_participant_id=buddy_id, buddy_name=form.buddy_name.data or "",
        buddy_phone=form.buddy_phone.data or "", version=loaded_version(form.version.data),
    )
    try:
        services.set_contact(access, data)
    except services.NotAllowed:
        abort(404)
    except services.StaleRow as exc:
        merge = _contact_merge(access, exc.current, form)
        form.version.data = exc.current.version if exc.current is not None else 0
        return _contact_page(access, form, 409, merge=merge, current=exc.current)
    except services.Invalid as exc:
        getattr(form, exc.field or "emergency_name").errors = [str(exc)]
        return _contact_page(access, form, 422)
    flash(gettext("De contactgegevens voor het gezin zijn opgeslagen."), "ok")
    return redirect(url_for("team.team", family_id=family_id) + "#contactkaart")


def _contact_page(access: Access, form: ContactForm, status: int = 200, merge=None,
                  current=None):
    return render_template("team/contact_form.html", access=access, form=form,
                           merge=merge, current=current), status


@bp.get("/team/contactkaart/geschiedenis")
@login_required
def contact_history_page(family_id: int):
    """'Wat is er veranderd?' of the contact card: for everyone who sees the card."""
    return _rows_history(family_id, contact_history, gettext("Wie kun je bellen?"), "contactkaart")


@bp.get("/plan-akkoord/geschiedenis")
@login_required
def agreement_history_page(family_id: int):
    """'Wat is er veranderd?' of who agreed with the plan: the answers of everyone the viewer
    may know takes part, each as it changed."""
    return _rows_history(family_id, agreement_history,
                         gettext("Is iedereen het eens met het plan?"), "plan-akkoord")


def _rows_history(family_id: int, history_of, title: str, anchor: str):
    access = require_access(family_id)
    return render_template(
        "records/history.html", access=access, title=title,
        back_url=url_for("plans.plan", family_id=family_id) + f"#{anchor}",
        back_label=gettext("Terug naar het plan"),
        entries=history_of(access, services.plan_of(access).id), in_words=row_words)


# --- the plan agreed ------------------------------------------------------------------------
@bp.post("/plan-akkoord")
@login_required
def plan_agreement(family_id: int):
    access = require_access(family_id)
    plan = services.plan_of(access)
    form = PlanAgreementForm()
    if form.validate_on_submit() and form.agrees.data in ("ja", "nee"):
        try:
            services.set_plan_agreement(access, form.agrees.data == "ja", form.reason.data or "",
                                        loaded_version(form.version.data))
        except services.StaleRow as exc:
            theirs = exc.current
            merge = [MergeRow(
                str(form.agrees.label.text),
                (gettext("Akkoord") if theirs.agrees else gettext("Niet akkoord")) if theirs else "",
                gettext("Akkoord") if form.agrees.data == "ja" else gettext("Niet akkoord"),
            ), MergeRow(str(form.reason.label.text), theirs.reason if theirs else "",
                        form.reason.data or "")]
            view = agreements(access, plan.id)
            return _agreement_page(access, view, _agreement_form(view, form), 409, merge)
        except services.Invalid as exc:
            form.reason.errors = [str(exc)]
        else:
            flash(gettext("Je antwoord over het plan is opgeslagen."), "ok")
            return redirect(url_for("plans.plan", family_id=family_id) + "#plan-akkoord")
    elif form.agrees.data not in ("ja", "nee") and not form.errors:
        form.agrees.errors = [gettext("Kies ja of nee.")]
    view = agreements(access, plan.id)
    form.version.data = request.form.get("version", "")
    return _agreement_page(access, view, form, 422)


def _agreement_page(access: Access, view, form, status: int, merge=None):
    return render_template("team/agreement_page.html", access=access, agreement=view,
                           agreement_form=form, merge=merge), status
