"""The warm handover of the casusregisseur (issue 13 item 5): thin routes over
handover/services.py. Every participant reads the page (who chairs, who comes, what happened);
only the casusregisseur starts a handover; during the overlap either of the two chairs takes the
next step. A handover goes on when the plan is closed (nazorg needs a casusregisseur)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.closure.guard import allowed_on_closed
from samenplan.domain.i18n import _ as _mark
from samenplan.handover import reading, services
from samenplan.handover.forms import CancelForm, MeetingForm, StartForm, SwitchForm
from samenplan.privacy.access import Access
from samenplan.records.history import Stale
from samenplan.web import loaded_version, require_access, say

bp = Blueprint("handover", __name__, url_prefix="/gezin/<int:family_id>/overdracht")

#: what was just saved, by the page's ?opgeslagen= (the confirmation is shown by its step)
SAVED = {
    "gestart": _mark("De overdracht is begonnen. Jullie zijn nu allebei casusregisseur."),
    "kennismaking": _mark("De kennismaking is vastgelegd."),
    "gewisseld": _mark("De overdracht is klaar."),
    "gestopt": _mark("De overdracht gaat niet door."),
}


def _page(access: Access, status: int = 200, start_form=None, meeting_form=None,
          switch_form=None, cancel_form=None, refused: str | None = None):
    handover = access.handover if access.handover is not None and access.handover.is_open else None
    forms = {}
    if services.is_casusregisseur(access) and handover is None:
        start_form = start_form or StartForm()
        start_form.successor.choices = [
            (c.key, f"{c.name} ({c.organisation})" if c.organisation else c.name)
            for c in services.candidates(access)]
        forms["start"] = start_form
    if services.may_chair(access) and handover is not None:
        meeting_form = meeting_form or MeetingForm(
            formdata=None, meeting_on=handover.meeting_on, note=handover.meeting_note,
            persons=[str(pid) for pid in handover.met_person_ids or []])
        meeting_form.persons.choices = [(str(p.id), p.name) for p in access.persons]
        forms.update(meeting=meeting_form, switch=switch_form or SwitchForm(formdata=None),
                     cancel=cancel_form or CancelForm(formdata=None))
        for form in (forms["meeting"], forms["switch"], forms["cancel"]):
            if not form.version.data:  # new, or after a stale step: the version now
                form.version.data = handover.version
    saved = request.args.get("opgeslagen")
    return render_template(
        "handover/handover.html", access=access,
        current=reading.view_of(access, handover) if handover is not None else None,
        chair=services.chair_of(access), history=reading.history(access), forms=forms,
        refused=refused, saved=_(SAVED[saved]) if saved in SAVED else None, saved_step=saved,
        may_chair=services.may_chair(access),
    ), status


def _done(family_id: int, step: str, anchor: str):
    return redirect(url_for("handover.page", family_id=family_id, opgeslagen=step) + anchor)


@bp.get("")
@login_required
def page(family_id: int):
    return _page(require_access(family_id))


@bp.post("")
@login_required
@allowed_on_closed
def start(family_id: int):
    access = require_access(family_id)
    if not services.is_casusregisseur(access):
        abort(404)
    form = StartForm()
    if form.validate_on_submit():
        try:
            services.start(access, services.StartInput(
                successor=form.successor.data or "", switch_on=form.switch_on.data,
                reason=form.reason.data))
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [say(exc.message)]
        except services.Refused as exc:
            access.session.rollback()
            return _page(access, 409, start_form=form, refused=say(exc.message))
        else:
            return _done(family_id, "gestart", "#overdracht")
    elif form.switch_on.raw_data and form.switch_on.raw_data[0] and not form.switch_on.data:
        form.switch_on.errors = [_("Schrijf de dag als dag-maand-jaar, bijvoorbeeld 15-01-2027.")]
    return _page(access, 422, start_form=form)


def _step_or_404(family_id: int) -> Access:
    access = require_access(family_id)
    if not services.may_chair(access) or access.handover is None:
        abort(404)
    return access


STALE = _mark("Iemand anders heeft de overdracht net veranderd. Kijk hieronder hoe die er nu voor "
          "staat, en probeer het dan opnieuw.")


def _take_step(access: Access, form, form_name: str, step, saved: str, anchor: str):
    """One step of an open handover from its form: Invalid puts the message at its field,
    Refused and a stale version answer 409 with the handover as it is now (the form keeps
    what was typed, and names the version now)."""
    try:
        step()
    except services.Invalid as exc:
        access.session.rollback()
        form[exc.field].errors = [say(exc.message)]
        return _page(access, 422, **{form_name: form})
    except services.Refused as exc:
        access.session.rollback()
        return _page(access, 409, refused=say(exc.message), **{form_name: form})
    except Stale:
        access.session.rollback()
        form.version.data = ""
        return _page(access, 409, refused=_(STALE), **{form_name: form})
    return _done(access.family_id, saved, anchor)


@bp.post("/kennismaking")
@login_required
@allowed_on_closed
def meeting(family_id: int):
    access = _step_or_404(family_id)
    form = MeetingForm()
    form.persons.choices = [(str(p.id), p.name) for p in access.persons]
    if not form.validate_on_submit():
        return _page(access, 422, meeting_form=form)
    ids = [int(v) for v in form.persons.data or [] if str(v).isdigit() and len(str(v)) < 10]
    return _take_step(access, form, "meeting_form", lambda: services.record_meeting(
        access, services.MeetingInput(meeting_on=form.meeting_on.data, person_ids=ids,
                                      note=form.note.data,
                                      version=loaded_version(form.version.data))),
        "kennismaking", "#kennismaking")


@bp.post("/wisselen")
@login_required
@allowed_on_closed
def switch(family_id: int):
    access = _step_or_404(family_id)
    form = SwitchForm()
    if not form.validate_on_submit():
        return _page(access, 422, switch_form=form)
    return _take_step(access, form, "switch_form", lambda: services.switch(
        access, services.SwitchInput(version=loaded_version(form.version.data),
                                     old_chair_stops=form.old_chair_stops.data)),
        "gewisseld", "#overdracht")


@bp.post("/stoppen")
@login_required
@allowed_on_closed
def cancel(family_id: int):
    access = _step_or_404(family_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _page(access, 422, cancel_form=form)
    return _take_step(access, form, "cancel_form", lambda: services.cancel(
        access, services.CancelInput(version=loaded_version(form.version.data),
                                     reason=form.reason.data)),
        "gestopt", "#overdracht")
