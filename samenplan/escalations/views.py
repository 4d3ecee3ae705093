"""Opschalen: the casusregisseur escalates an undone action after a reminder, and records the
outcome; everyone who may see the action sees the escalation. Thin: parse, call, render."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.escalations import reading, services
from samenplan.escalations.forms import EscalateForm, OutcomeForm
from samenplan.escalations.models import Escalation
from samenplan.goals.models import Action
from samenplan.goals.reading import load_history
from samenplan.privacy.access import Access
from samenplan.records.history import Stale
from samenplan.web import load_or_404, loaded_version, require_access

bp = Blueprint("escalations", __name__, url_prefix="/gezin/<int:family_id>")


def _escalate_form(access: Access, action: Action) -> EscalateForm:
    form = EscalateForm()
    form.contact.choices = [("", _("Kies…"))] + [
        (str(u.id), u.name) for u in services.contacts(access, action)]
    return form


@bp.route("/acties/<int:action_id>/opschalen", methods=["GET", "POST"])
@login_required
def new(family_id: int, action_id: int):
    access = require_access(family_id)
    if not services.may_escalate(access):
        abort(404)
    action = load_or_404(access, Action, action_id)
    form = _escalate_form(access, action)
    refusal = services.refusal(access, action, reminded_ids=services.reminded(access, [action.id]),
                               open_ids=services.open_for(access, [action.id]))
    if form.validate_on_submit():
        try:
            escalation = services.escalate(access, action, form.contact.data, form.reason.data or "")
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            flash(_("De actie is opgeschaald. %(name)s heeft een bericht gekregen.",
                    name=escalation.contact.name), "ok")
            return redirect(url_for("escalations.show", family_id=family_id,
                                    escalation_id=escalation.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "escalations/new.html", access=access, action=action, form=form,
        refusal=_(refusal) if refusal else None,
        organisation=action.assignee.organisation if services.organisation_known(access, action) else None,
    ), status


def _outcome_form(escalation: Escalation) -> OutcomeForm:
    form = OutcomeForm()
    if request.method == "GET":
        form.version.data = escalation.version
        form.outcome.data = escalation.outcome
    return form


def _show(access: Access, escalation: Escalation, form: OutcomeForm | None, status: int = 200,
          theirs=None):
    action = access.get(Action, escalation.action_id)
    if action is None:  # the escalation takes its privacy from the action: never happens
        abort(404)
    item = reading.view(access, escalation, action)
    return render_template(
        "escalations/show.html", access=access, item=item, form=form if item.may_close else None,
        theirs=theirs,
        entries=load_history(access, escalation, reading.HISTORY_LABELS),
        in_words=lambda name, value: reading.in_words(access, escalation, name, value),
    ), status


@bp.get("/opschalingen/<int:escalation_id>")
@login_required
def show(family_id: int, escalation_id: int):
    access = require_access(family_id)
    escalation = load_or_404(access, Escalation, escalation_id)
    return _show(access, escalation, _outcome_form(escalation))


@bp.post("/opschalingen/<int:escalation_id>/uitkomst")
@login_required
def outcome(family_id: int, escalation_id: int):
    access = require_access(family_id)
    escalation = load_or_404(access, Escalation, escalation_id)
    if not reading.view(access, escalation, escalation.action).may_close:
        abort(404)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            services.record_outcome(access, escalation, form.outcome.data or "",
                                    loaded_version(form.version.data))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            access.session.refresh(exc.record)
            form.version.data = exc.record.version
            return _show(access, exc.record, form, 409, theirs=reading.merge_rows(exc.record, form))
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            flash(_("De uitkomst is opgeslagen."), "ok")
            return redirect(url_for("escalations.show", family_id=family_id,
                                    escalation_id=escalation.id))
    return _show(access, escalation, form, 422)
