"""The routes of holding an evaluation, its report, and the plan's versions (issue 12 items
3-5). Thin: parse, call a service (evaluations/holding.py) or a reading (report.py,
versions.py), render. Every part of the agenda is its own form post; with htmx it swaps only
its own part (one partial serves the page and the fragment), without JavaScript the page
comes back at that part. Whoever may not chair the evaluation gets 404 on every post."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.domain.scaling import QUESTION_KEYS, validate_score
from samenplan.domain.vocabulary import EvaluationDecision, EvaluationStatus
from samenplan.evaluations import holding, report as reports, versions
from samenplan.evaluations.forms import (
    AttendanceForm, DecisionForm, EvaluationForm, HoldScalingForm, HoldScoreForm, VersionForm,
)
from samenplan.evaluations.models import Evaluation, GoalDecision
from samenplan.evaluations.views import bp
from samenplan.extensions import htmx
from samenplan.goals.forms import ActionForm, action_form_for
from samenplan.goals.models import Goal
from samenplan.goals.reading import ActionView, MergeRow, action_view, load_measured
from samenplan.plans.models import PlanSection
from samenplan.domain.vocabulary import SectionKind
from samenplan.privacy.access import Access
from samenplan.records.history import Stale
from samenplan.web import load_or_404, loaded_version, participant_name, require_access

PREFIX = "/gezin/<int:family_id>/evaluaties/<int:evaluation_id>"


def _chair_or_404(family_id: int, evaluation_id: int) -> tuple[Access, Evaluation]:
    access = require_access(family_id)
    evaluation = load_or_404(access, Evaluation, evaluation_id)
    if not holding.may_chair(access, evaluation):
        abort(404)
    return access, evaluation


def _holding_or_404(family_id: int, evaluation_id: int) -> tuple[Access, Evaluation]:
    access, evaluation = _chair_or_404(family_id, evaluation_id)
    if evaluation.status != EvaluationStatus.IN_PROGRESS:
        abort(404)
    return access, evaluation


def _goal_or_404(access: Access, goal_id: int) -> Goal:
    goal = load_or_404(access, Goal, goal_id)
    if goal.parent_id is not None:
        abort(404)
    return goal


def _hold_url(access: Access, evaluation: Evaluation, anchor: str = "", **args) -> str:
    url = url_for("evaluations.hold", family_id=access.family_id, evaluation_id=evaluation.id,
                  **args)
    return f"{url}#{anchor}" if anchor else url


# --- the agenda ----------------------------------------------------------------------------
@dataclass
class GoalPart:
    """One goal on the agenda: what the report says so far, its actions, and the forms."""

    r: reports.GoalReport
    actions: list[ActionView]
    score_form: HoldScoreForm
    scaling_form: HoldScalingForm
    decision_form: DecisionForm
    action_form: ActionForm
    saved: str = ""
    merge: list[MergeRow] = field(default_factory=list)
    scaling_errors: list[str] = field(default_factory=list)

    @property
    def goal(self) -> Goal:
        return self.r.goal

    @property
    def done(self) -> list[ActionView]:
        return [a for a in self.actions if a.action.done]

    @property
    def overdue(self) -> list[ActionView]:
        return [a for a in self.actions if a.overdue]

    @property
    def open(self) -> list[ActionView]:
        return [a for a in self.actions if not a.action.done and not a.overdue]


def _parts(access: Access, evaluation: Evaluation, posted: dict | None = None) -> list[GoalPart]:
    """Every goal on the agenda with its forms; `posted`: {goal id: {form name: form}} to
    keep what was typed (with its errors) in the part it was posted to."""
    posted = posted or {}
    rep = reports.load(access, evaluation, every_goal=True)
    _scores, _answers, actions = load_measured(access, [r.goal.id for r in rep.goals])
    parts = []
    for r in rep.goals:
        mine = posted.get(r.goal.id, {})
        prefix = f"doel-{r.goal.id}"  # each form its own: every label points at its own field
        score_form = mine.get("score") or HoldScoreForm(formdata=None, prefix=f"{prefix}-stap",
                                                         for_family=False)
        if "score" not in mine and r.level is not None:
            score_form.level.data = r.level
        scaling_form = mine.get("scaling") or HoldScalingForm(formdata=None, prefix=f"{prefix}-schaal")
        scaling_form.respondent.choices = holding.answer_choices(access, r.goal)
        decision_form = mine.get("decision") or DecisionForm(formdata=None, prefix=f"{prefix}-besluit")
        if "decision" not in mine and r.decision is not None:
            decision_form.decision.data = r.decision.decision.value
            decision_form.note.data = r.decision.note
            decision_form.version.data = r.decision.version
        action_form = mine.get("action") or action_form_for(access, r.goal)
        parts.append(GoalPart(
            r, [action_view(access, a) for a in actions if a.goal_id == r.goal.id],
            score_form, scaling_form, decision_form, action_form,
            saved=mine.get("saved", ""), merge=mine.get("merge", []),
            scaling_errors=mine.get("scaling_errors", [])))
    return parts


def _attendance_form(access: Access, evaluation: Evaluation, posted: AttendanceForm | None = None):
    form = posted or AttendanceForm(formdata=None)
    form.attendees.validate_choice = False  # the service refuses anyone outside the plan (404)
    form.attendees.choices = [(p.id, participant_name(access, p))
                              for p in access.visible_participants]
    if posted is None:
        form.attendees.data = list(evaluation.attendee_ids or [])
        form.version.data = evaluation.version
    return form


def _strengths(access: Access) -> list[PlanSection]:
    """"Wat gaat goed": the agenda starts with it."""
    return access.load_visible(access.select_visible(PlanSection).where(
        PlanSection.section == SectionKind.STRENGTHS, PlanSection.archived_at.is_(None))
        .order_by(PlanSection.id))


def _render_hold(access: Access, evaluation: Evaluation, status: int = 200, *,
                 posted: dict | None = None, attendance: AttendanceForm | None = None,
                 attendance_merge: list[MergeRow] | None = None,
                 next_form: EvaluationForm | None = None, close_form: VersionForm | None = None):
    saved = request.args.get("opgeslagen", "")
    parts = _parts(access, evaluation, posted)
    for part in parts:
        if saved == f"doel-{part.goal.id}" and not part.saved:
            part.saved = request.args.get("wat", "")
    if next_form is None:
        next_form = EvaluationForm(formdata=None, prefix="volgende")
        next_form.place.data = evaluation.place
        next_form.at.data = holding.services.to_local(evaluation.starts_at).time().replace(tzinfo=None)
    if close_form is None:
        close_form = VersionForm(formdata=None)
        close_form.version.data = evaluation.version
    return render_template(
        "evaluations/hold.html", access=access, evaluation=evaluation,
        when=holding.services.to_local(evaluation.starts_at), parts=parts,
        attendance=_attendance_form(access, evaluation, attendance),
        attendance_merge=attendance_merge, strengths=_strengths(access), next_form=next_form,
        close_form=close_form, saved=saved, start_form=VersionForm(formdata=None),
    ), status


def _part_response(access: Access, evaluation: Evaluation, goal: Goal, what: str,
                   posted: dict | None = None, status: int = 200):
    """After a part is saved (or refused): with htmx only that goal's part, else the page at it."""
    if posted is None and not htmx:
        return redirect(_hold_url(access, evaluation, f"doel-{goal.id}", opgeslagen=f"doel-{goal.id}",
                                  wat=what))
    mine = dict((posted or {}).get(goal.id, {}))
    if posted is None:
        mine["saved"] = what
    if htmx:
        part = next((p for p in _parts(access, evaluation, {goal.id: mine})
                     if p.goal.id == goal.id), None)
        if part is None:
            abort(404)
        return render_template("evaluations/_hold_goal.html", access=access,
                               evaluation=evaluation, part=part), status
    return _render_hold(access, evaluation, status, posted={goal.id: mine})


@bp.get(PREFIX + "/houden")
@login_required
def hold(family_id: int, evaluation_id: int):
    access, evaluation = _chair_or_404(family_id, evaluation_id)
    if evaluation.status == EvaluationStatus.HELD:
        return redirect(url_for("evaluations.report", family_id=family_id,
                                evaluation_id=evaluation.id))
    if evaluation.status != EvaluationStatus.IN_PROGRESS:
        return redirect(url_for("evaluations.show", family_id=family_id,
                                evaluation_id=evaluation.id))
    return _render_hold(access, evaluation)


def _step(access: Access, evaluation: Evaluation, service, stale_url: str, done_url: str):
    """"Evaluatie houden" and "Evaluatie afsluiten": a button that sends the version shown;
    an older one changes nothing and brings the chair back to look first."""
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service(access, evaluation, loaded_version(form.version.data))
    except holding.REFUSED:
        abort(404)
    except Stale:
        access.session.rollback()
        return redirect(stale_url)
    return redirect(done_url)


@bp.post(PREFIX + "/houden")
@login_required
def start(family_id: int, evaluation_id: int):
    access, evaluation = _chair_or_404(family_id, evaluation_id)
    return _step(access, evaluation, holding.start,
                 url_for("evaluations.show", family_id=family_id, evaluation_id=evaluation.id,
                         opgeslagen="stale"),
                 _hold_url(access, evaluation))


@bp.post(PREFIX + "/aanwezig")
@login_required
def attendance(family_id: int, evaluation_id: int):
    access, evaluation = _holding_or_404(family_id, evaluation_id)
    form = _attendance_form(access, evaluation, AttendanceForm())
    if not form.validate_on_submit():
        return _render_hold(access, evaluation, 422, attendance=form)
    try:
        holding.set_attendance(access, evaluation, list(form.attendees.data or []),
                               loaded_version(form.version.data))
    except holding.REFUSED:
        abort(404)
    except Stale as exc:
        access.session.refresh(exc.record)
        names = {p.id: participant_name(access, p) for p in access.participants}
        merge = [MergeRow(_("Wie zijn er?"),
                          ", ".join(names[i] for i in exc.record.attendee_ids or [] if i in names),
                          ", ".join(names[i] for i in form.attendees.data or [] if i in names))]
        form.version.data = exc.record.version
        return _render_hold(access, evaluation, 409, attendance=form, attendance_merge=merge)
    return redirect(_hold_url(access, evaluation, "aanwezig", opgeslagen="aanwezig"))


@bp.post(PREFIX + "/doelen/<int:goal_id>/stap")
@login_required
def score(family_id: int, evaluation_id: int, goal_id: int):
    access, evaluation = _holding_or_404(family_id, evaluation_id)
    goal = _goal_or_404(access, goal_id)
    form = HoldScoreForm(prefix=f"doel-{goal.id}-stap", for_family=False)
    if form.validate_on_submit():
        try:
            holding.score(access, evaluation, goal, form.level.data, form.note.data or "")
        except holding.REFUSED:
            abort(404)
        except (holding.Invalid, holding.goals.Invalid) as exc:
            access.session.rollback()
            form.level.errors = [_(str(exc))]
        else:
            return _part_response(access, evaluation, goal, "stap")
    return _part_response(access, evaluation, goal, "", {goal.id: {"score": form}}, 422)


@bp.post(PREFIX + "/doelen/<int:goal_id>/schaalvragen")
@login_required
def scaling(family_id: int, evaluation_id: int, goal_id: int):
    access, evaluation = _holding_or_404(family_id, evaluation_id)
    goal = _goal_or_404(access, goal_id)
    form = HoldScalingForm(prefix=f"doel-{goal.id}-schaal")
    form.respondent.choices = holding.answer_choices(access, goal)
    errors, answers = [], {}
    if not form.validate_on_submit():
        errors.append(_("De pagina was verlopen. Verstuur het formulier nog een keer."))
    for key in QUESTION_KEYS:
        raw = (form[key].data or "").strip()
        if raw == "":
            continue
        try:
            answers[key] = (validate_score(raw), "", "")
        except ValueError as exc:
            form[key].errors = [_(str(exc))]
            errors.append(_(str(exc)))
    if not errors:
        try:
            holding.answer(access, evaluation, goal, form.respondent.data or "zelf", answers)
        except holding.REFUSED:
            abort(404)
        except (holding.Invalid, holding.goals.Invalid) as exc:
            access.session.rollback()
            errors.append(_(str(exc)))
        else:
            return _part_response(access, evaluation, goal, "schaalvragen")
    return _part_response(access, evaluation, goal, "",
                          {goal.id: {"scaling": form, "scaling_errors": errors}}, 422)


def _decision_merge(access: Access, current: GoalDecision, form: DecisionForm) -> list[MergeRow]:
    def words(code) -> str:
        parsed = EvaluationDecision.parse(code)
        return _(parsed.label) if parsed else ""

    return [MergeRow(str(form.decision.label.text), words(current.decision), words(form.decision.data)),
            MergeRow(str(form.note.label.text), current.note or "", form.note.data or "")]


@bp.post(PREFIX + "/doelen/<int:goal_id>/besluit")
@login_required
def decide(family_id: int, evaluation_id: int, goal_id: int):
    access, evaluation = _holding_or_404(family_id, evaluation_id)
    goal = _goal_or_404(access, goal_id)
    form = DecisionForm(prefix=f"doel-{goal.id}-besluit")
    if form.validate_on_submit():
        try:
            holding.decide(access, evaluation, goal, form.decision.data or "", form.note.data or "",
                           loaded_version(form.version.data))
        except holding.REFUSED:
            abort(404)
        except Stale as exc:
            access.session.rollback()
            current = holding.decision_of(access, evaluation, goal)
            if current is None:
                abort(404)
            form.version.data = current.version
            return _part_response(access, evaluation, goal, "", {goal.id: {
                "decision": form, "merge": _decision_merge(access, current, form)}}, 409)
        except holding.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return _part_response(access, evaluation, goal, "besluit")
    return _part_response(access, evaluation, goal, "", {goal.id: {"decision": form}}, 422)


@bp.post(PREFIX + "/doelen/<int:goal_id>/acties")
@login_required
def add_action(family_id: int, evaluation_id: int, goal_id: int):
    access, evaluation = _holding_or_404(family_id, evaluation_id)
    goal = _goal_or_404(access, goal_id)
    form = action_form_for(access, goal)
    if form.validate_on_submit():
        try:
            holding.add_action(access, evaluation, goal, form.what.data,
                               form.assignee.data or None, form.due_date.data)
        except holding.REFUSED:
            abort(404)
        except holding.Invalid as exc:
            access.session.rollback()
            form.what.errors = [_(str(exc))]
        else:
            return _part_response(access, evaluation, goal, "actie")
    return _part_response(access, evaluation, goal, "", {goal.id: {"action": form}}, 422)


@bp.post(PREFIX + "/volgende")
@login_required
def plan_next(family_id: int, evaluation_id: int):
    access, evaluation = _holding_or_404(family_id, evaluation_id)
    form = EvaluationForm(prefix="volgende")
    if form.validate_on_submit():
        try:
            holding.plan_next(access, evaluation, form.day.data, form.at.data,
                              form.place.data or "", form.video_url.data or "")
        except holding.REFUSED:
            abort(404)
        except holding.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_hold_url(access, evaluation, "volgende", opgeslagen="volgende"))
    return _render_hold(access, evaluation, 422, next_form=form)


@bp.post(PREFIX + "/afsluiten")
@login_required
def close(family_id: int, evaluation_id: int):
    access, evaluation = _holding_or_404(family_id, evaluation_id)
    return _step(access, evaluation, holding.close,
                 _hold_url(access, evaluation, "afsluiten", opgeslagen="stale"),
                 url_for("evaluations.report", family_id=family_id, evaluation_id=evaluation.id,
                         opgeslagen="1"))


# --- the report ----------------------------------------------------------------------------
def _report_or_404(family_id: int, evaluation_id: int):
    access = require_access(family_id)
    evaluation = load_or_404(access, Evaluation, evaluation_id)
    if evaluation.status != EvaluationStatus.HELD:
        abort(404)
    return access, evaluation


def _version_of(access: Access, evaluation: Evaluation):
    return next((v for v in versions.versions(access) if v.evaluation_id == evaluation.id), None)


@bp.get(PREFIX + "/verslag")
@login_required
def report(family_id: int, evaluation_id: int):
    access, evaluation = _report_or_404(family_id, evaluation_id)
    return render_template("evaluations/report.html", access=access,
                           rep=reports.load(access, evaluation),
                           plan_version=_version_of(access, evaluation),
                           saved=request.args.get("opgeslagen"))


@bp.get(PREFIX + "/verslag.pdf")
@login_required
def report_pdf(family_id: int, evaluation_id: int):
    from samenplan.plans.pdf import html_to_pdf

    access, evaluation = _report_or_404(family_id, evaluation_id)
    html = render_template("evaluations/report.html", access=access, pdf=True, printing=True,
                           rep=reports.load(access, evaluation),
                           plan_version=_version_of(access, evaluation), notifications=[])
    day = holding.day_of(evaluation).isoformat()
    return current_app.response_class(html_to_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="verslag-evaluatie-{day}.pdf"',
        "Cache-Control": "no-store",  # personal data
    })


# --- versions of the plan ------------------------------------------------------------------
@bp.get("/gezin/<int:family_id>/versies")
@login_required
def plan_versions(family_id: int):
    access = require_access(family_id)
    found = versions.versions(access)
    return render_template("evaluations/versions.html", access=access, versions=found,
                           when=lambda v: reports.reading.when(v.frozen_at))


@bp.get("/gezin/<int:family_id>/versies/<int:number>")
@login_required
def plan_version(family_id: int, number: int):
    access = require_access(family_id)
    found = versions.version_by_number(access, number)
    if found is None:
        abort(404)
    return render_template("evaluations/version.html", access=access,
                           view=versions.read(access, found), versions_=versions,
                           when=reports.reading.when(found.frozen_at))


@bp.get("/gezin/<int:family_id>/versies/vergelijk")
@login_required
def compare(family_id: int):
    access = require_access(family_id)
    older = versions.version_by_number(access, request.args.get("van", type=int) or 0)
    newer = versions.version_by_number(access, request.args.get("met", type=int) or 0)
    if older is None or newer is None:
        abort(404)
    differences = versions.compare(access, versions.read(access, older),
                                   versions.read(access, newer))
    return render_template("evaluations/compare.html", access=access, older=older, newer=newer,
                           differences=differences, all_versions=versions.versions(access))
