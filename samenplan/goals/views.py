from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import login_required

from samenplan.extensions import htmx
from samenplan.goals import services
from samenplan.goals.forms import NOBODY, ActionForm, GoalForm, action_form_for, participant_choices
from samenplan.goals.models import Action, Goal
from samenplan.plans.services import goal_view
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category
from samenplan.web import page_or_fragment, require_access

bp = Blueprint("goals", __name__, url_prefix="/gezin/<int:family_id>")


def _goal_form(access: Access, goal: Goal | None = None) -> GoalForm:
    form = GoalForm(obj=None)
    form.subjects.choices = [(p.id, p.first_name) for p in access.persons]
    form.owner.choices = participant_choices(access)
    if goal is not None and request.method == "GET":
        form.title.data = goal.title
        form.description.data = goal.description
        form.subjects.data = [p.id for p in goal.subjects]
        form.category.data = goal.category
        form.life_domain.data = goal.life_domain
        form.status.data = goal.status
        form.owner.data = goal.owner_participant_id or NOBODY
        form.start_date.data = goal.start_date
        form.end_date.data = goal.end_date
    elif goal is None and request.method == "GET":
        form.owner.data = access.participant.id
        if access.participant.person_id:
            form.subjects.data = [access.participant.person_id]
    return form


def _goal_input(form: GoalForm) -> services.GoalInput:
    return services.GoalInput(
        title=form.title.data, description=form.description.data or "",
        subject_ids=list(form.subjects.data or []), category=form.category.data,
        life_domain=form.life_domain.data, status=form.status.data,
        owner_participant_id=form.owner.data or None,
        start_date=form.start_date.data, end_date=form.end_date.data,
    )


def _draft_audience(access: Access, form: GoalForm):
    try:
        category = Category(form.category.data or "algemeen")
    except ValueError:
        category = Category.ALGEMEEN
    valid_ids = {p.id for p in access.persons}
    subject_ids = [i for i in (form.subjects.data or []) if i in valid_ids]
    return access.audience_for_draft(subject_ids, category)


def _plan_url(access: Access, anchor: str | None = None) -> str:
    url = url_for("plans.plan", family_id=access.family_id)
    return f"{url}#{anchor}" if anchor else url


@bp.route("/doelen/nieuw", methods=["GET", "POST"])
@login_required
def new_goal(family_id: int):
    access = require_access(family_id)
    if not access.may_create("goal"):
        abort(403)
    form = _goal_form(access)
    if form.validate_on_submit():
        try:
            goal = services.create_goal(access, _goal_input(form))
        except services.NotAllowed:
            abort(404)
        return redirect(_plan_url(access, f"doel-{goal.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "goals/goal_form_page.html", access=access, form=form, goal=None,
        audience=_draft_audience(access, form),
    ), status


@bp.route("/doelen/<int:goal_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_goal(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = access.get(Goal, goal_id)
    if goal is None or not access.can_edit(goal, "goal").allowed:
        abort(404)
    form = _goal_form(access, goal)
    if form.validate_on_submit():
        try:
            services.update_goal(access, goal, _goal_input(form))
        except services.NotAllowed:
            abort(404)
        if htmx:
            return _goal_fragment(access, goal)
        return redirect(_plan_url(access, f"doel-{goal.id}"))
    status = 422 if form.is_submitted() else 200
    return page_or_fragment(
        "goals/goal_form_page.html", "goals/_goal_form.html", status,
        access=access, form=form, goal=goal, audience=_draft_audience(access, form),
    )


@bp.get("/doelen/<int:goal_id>")
@login_required
def goal_card(family_id: int, goal_id: int):
    """The goal card on its own (htmx: 'Annuleren' in the inline edit form)."""
    access = require_access(family_id)
    goal = access.get(Goal, goal_id)
    if goal is None:
        abort(404)
    if not htmx:
        return redirect(_plan_url(access, f"doel-{goal.id}"))
    return _goal_fragment(access, goal)


@bp.post("/doelen/zichtbaar")
@login_required
def audience_preview(family_id: int):
    """'Zichtbaar voor' for a goal that is still being written."""
    access = require_access(family_id)
    form = _goal_form(access)
    return render_template(
        "privacy/_audience.html", audience=_draft_audience(access, form), draft=True
    )


@bp.post("/doelen/<int:goal_id>/acties")
@login_required
def add_action(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = access.get(Goal, goal_id)
    if goal is None:
        abort(404)
    form = action_form_for(access)
    if form.validate_on_submit():
        try:
            services.add_action(
                access, goal, form.what.data, form.assignee.data or None, form.due_date.data
            )
        except services.NotAllowed:
            abort(404)
        if htmx:
            return _goal_fragment(access, goal)
        return redirect(_plan_url(access, f"doel-{goal.id}"))
    if htmx:
        return _goal_fragment(access, goal, action_form=form, status=422)
    return render_template(
        "goals/action_form_page.html", access=access, goal=goal, form=form
    ), 422


@bp.post("/acties/<int:action_id>/klaar")
@login_required
def toggle_action(family_id: int, action_id: int):
    access = require_access(family_id)
    action = access.get(Action, action_id)
    if action is None:
        abort(404)
    done = request.form.get("done") == "1"
    try:
        services.set_action_done(access, action, done)
    except services.NotAllowed:
        abort(404)
    if htmx:
        return render_template("goals/_action.html", access=access, action=action)
    return redirect(_plan_url(access, f"actie-{action.id}"))


def _goal_fragment(access: Access, goal: Goal, action_form: ActionForm | None = None, status=200):
    return render_template(
        "goals/_goal.html", access=access, gv=goal_view(access, goal),
        action_form=action_form or action_form_for(access),
    ), status
