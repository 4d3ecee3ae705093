from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.evaluations import reading, services
from samenplan.evaluations.forms import AnswerForm, CancelForm, EvaluationForm, VersionForm
from samenplan.evaluations.models import Evaluation
from samenplan.privacy.access import Access, Widening
from samenplan.records.history import Stale
from samenplan.web import load_or_404, loaded_version, participant_name, require_access

bp = Blueprint("evaluations", __name__)


def _list_url(access: Access, **args) -> str:
    return url_for("evaluations.index", family_id=access.family_id, **args)


def _form(access: Access) -> EvaluationForm:
    form = EvaluationForm()
    form.invitees.choices = [(p.id, participant_name(access, p))
                             for p in access.visible_participants]
    return form


def _input(form: EvaluationForm) -> services.EvaluationInput:
    return services.EvaluationInput(
        day=form.day.data, at=form.at.data, place=form.place.data or "",
        video_url=form.video_url.data or "", note=form.note.data or "",
        invitee_ids=list(form.invitees.data or []), version=loaded_version(form.version.data))


def _render_index(access: Access, form: EvaluationForm | None = None, status: int = 200):
    all_views = reading.views(access, reading.visible(access))
    if form is None and services.may_plan(access):
        form = _form(access)
        if request.method == "GET":
            form.invitees.data = [p.id for p in access.visible_participants]
    return render_template(
        "evaluations/index.html", access=access, form=form,
        upcoming=[v for v in all_views if v.upcoming],
        past=[v for v in reversed(all_views) if not v.upcoming],
        answer_form=AnswerForm(formdata=None), saved=request.args.get("opgeslagen", type=int),
    ), status


@bp.get("/gezin/<int:family_id>/evaluaties")
@login_required
def index(family_id: int):
    return _render_index(require_access(family_id))


@bp.post("/gezin/<int:family_id>/evaluaties")
@login_required
def create(family_id: int):
    access = require_access(family_id)
    if not services.may_plan(access):
        abort(404)
    form = _form(access)
    if form.validate_on_submit():
        try:
            evaluation = services.plan(access, _input(form))
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_list_url(access, opgeslagen=evaluation.id) + f"#evaluatie-{evaluation.id}")
    return _render_index(access, form, 422)


@bp.get("/gezin/<int:family_id>/evaluaties/<int:evaluation_id>")
@login_required
def show(family_id: int, evaluation_id: int):
    access = require_access(family_id)
    evaluation = load_or_404(access, Evaluation, evaluation_id)
    return render_template("evaluations/show.html", access=access,
                           view=reading.views(access, [evaluation])[0],
                           answer_form=AnswerForm(formdata=None),
                           cancel_form=_cancel_form(evaluation),
                           start_form=_start_form(evaluation),
                           saved=request.args.get("opgeslagen"))


def _start_form(evaluation: Evaluation) -> VersionForm:
    """"Evaluatie houden" (evaluations/holding_views.py), from the version shown."""
    form = VersionForm(formdata=None)
    form.version.data = evaluation.version
    return form


def _cancel_form(evaluation: Evaluation) -> CancelForm:
    form = CancelForm()
    if request.method == "GET":
        form.version.data = evaluation.version
    return form


@bp.route("/gezin/<int:family_id>/evaluaties/<int:evaluation_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(family_id: int, evaluation_id: int):
    access = require_access(family_id)
    evaluation = load_or_404(access, Evaluation, evaluation_id)
    if not reading.views(access, [evaluation])[0].may_edit:
        abort(404)
    form = _form(access)
    if request.method == "GET":
        local = services.to_local(evaluation.starts_at)
        form.version.data = evaluation.version
        form.day.data, form.at.data = local.date(), local.time().replace(tzinfo=None)
        form.place.data, form.video_url.data = evaluation.place, evaluation.video_url
        form.note.data, form.invitees.data = evaluation.note, list(evaluation.invitee_ids or [])
    theirs = None
    if form.validate_on_submit():
        try:
            services.update(access, evaluation, _input(form))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            access.session.refresh(exc.record)
            form.version.data = exc.record.version
            theirs = reading.merge_rows(exc.record, form)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        except Widening:
            access.session.rollback()
            form.invitees.errors = [_("Dan mogen mensen deze evaluatie zien die dat nu niet mogen. Daar is eerst toestemming voor nodig.")]
        else:
            return redirect(url_for("evaluations.show", family_id=family_id,
                                    evaluation_id=evaluation.id, opgeslagen="1"))
    status = 409 if theirs else (422 if form.is_submitted() else 200)
    return render_template("evaluations/form_page.html", access=access, form=form,
                           evaluation=evaluation, theirs=theirs), status


@bp.post("/gezin/<int:family_id>/evaluaties/<int:evaluation_id>/afzeggen")
@login_required
def cancel(family_id: int, evaluation_id: int):
    access = require_access(family_id)
    evaluation = load_or_404(access, Evaluation, evaluation_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel(access, evaluation, form.reason.data or "",
                            loaded_version(form.version.data))
        except services.NotAllowed:
            abort(404)
        except Stale:
            return redirect(url_for("evaluations.show", family_id=family_id,
                                    evaluation_id=evaluation.id, opgeslagen="stale"))
        except services.Invalid as exc:
            access.session.rollback()
            form.reason.errors = [_(str(exc))]
        else:
            return redirect(url_for("evaluations.show", family_id=family_id,
                                    evaluation_id=evaluation.id, opgeslagen="afgezegd"))
    return render_template("evaluations/show.html", access=access,
                           view=reading.views(access, [evaluation])[0],
                           answer_form=AnswerForm(formdata=None), cancel_form=form,
                           start_form=_start_form(evaluation), saved=None), 422


@bp.post("/gezin/<int:family_id>/evaluaties/<int:evaluation_id>/antwoord")
@login_required
def answer(family_id: int, evaluation_id: int):
    access = require_access(family_id)
    evaluation = load_or_404(access, Evaluation, evaluation_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.answer(access, evaluation, request.form.get("reply", ""))
    except services.NotAllowed:
        abort(404)
    except services.Invalid:
        access.session.rollback()
        abort(422)
    back = request.form.get("back") == "home"
    if back:
        return redirect(url_for("families.home") + f"#evaluatie-{evaluation.id}")
    return redirect(url_for("evaluations.show", family_id=family_id, evaluation_id=evaluation.id,
                            opgeslagen="antwoord"))


from samenplan.evaluations import holding_views  # noqa: E402,F401 - its routes are on this blueprint
