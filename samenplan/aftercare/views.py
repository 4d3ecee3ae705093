from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.closure.guard import allowed_on_closed
from samenplan.aftercare import reading, services
from samenplan.aftercare.forms import AnswerForm, PlanForm
from samenplan.web import require_access

bp = Blueprint("aftercare", __name__)


def _index_url(family_id: int, **args) -> str:
    return url_for("aftercare.index", family_id=family_id, **args)


def _plan_form(view: reading.Page) -> PlanForm:
    form = PlanForm()
    form.suggested.choices = [(d.isoformat(), format_date(d, "d MMMM yyyy"))
                              for d in view.suggested]
    if request.method == "GET":
        form.suggested.data = [d.isoformat() for d in view.suggested]
    return form


@bp.get("/gezin/<int:family_id>/nazorg")
@login_required
def index(family_id: int):
    access = require_access(family_id)
    view = reading.page(access)
    return render_template("aftercare/index.html", access=access, page=view,
                           form=_plan_form(view) if view.may_plan else None,
                           saved=request.args.get("opgeslagen"))


@bp.post("/gezin/<int:family_id>/nazorg/plannen")
@allowed_on_closed
@login_required
def plan(family_id: int):
    access = require_access(family_id)
    view = reading.page(access)
    if not view.may_plan:
        abort(404)
    form = _plan_form(view)
    if form.validate_on_submit():
        from datetime import date

        try:
            days = [date.fromisoformat(v) for v in form.suggested.data or []]
        except ValueError:
            abort(400)
        if form.other_day.data:
            days.append(form.other_day.data)
        try:
            services.plan_moments(access, days, bool(form.at_closure.data))
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form.other_day.errors = [_(str(exc))]
        else:
            return redirect(_index_url(family_id, opgeslagen="gepland"))
    return render_template("aftercare/index.html", access=access, page=view, form=form,
                           saved=None), 422


@bp.route("/gezin/<int:family_id>/nazorg/<int:moment_id>/antwoord", methods=["GET", "POST"])
@allowed_on_closed
@login_required
def answer(family_id: int, moment_id: int):
    access = require_access(family_id)
    try:
        moment = services.open_moment(access, moment_id)
    except services.NotAllowed:
        abort(404)
    own = services.own_person(access)
    if own is None and not services.is_chair(access):
        abort(404)
    form = AnswerForm()
    if own is None:
        form.person.choices = [("", _("Kies een gezinslid"))] + [
            (str(p.id), p.name) for p in services.answerers(access)]
    else:
        del form.person
    if form.validate_on_submit():
        data = services.AnswerInput(
            person_id=form.person.data if own is None else None, score=form.score.data,
            going_well=form.going_well.data or "", worries=form.worries.data or "",
            wants_contact=bool(form.wants_contact.data), category=form.category.data)
        try:
            record = services.answer(access, moment.id, data)
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_index_url(family_id, opgeslagen="antwoord") + f"#antwoord-{record.id}")
    return render_template("aftercare/answer.html", access=access, form=form, moment=moment,
                           by_call=own is None), 422 if form.is_submitted() else 200


@bp.app_context_processor
def _closing_links():
    return {"closing_links": closing_links}


def closing_links(access, plan) -> dict | None:
    """For the plan page (`plan`: the plan it loaded): on a closed plan, the nazorg page, a
    check-in the viewer may answer now, and the satisfaction form when the viewer may fill it
    in. No statement at all on a plan that is not closed."""
    from samenplan.satisfaction import services as satisfaction

    if plan is None or not plan.closed:
        return None
    return {"open_moments": reading.open_for_me(access),
            "satisfaction": satisfaction.may_answer(access)}
