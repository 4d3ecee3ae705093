"""The joint analysis (gezamenlijke analyse): a guided screen the casusregisseur goes through
with the family at the start, and again later; family members may fill in their own part on
their phone. Step by step, each answer saved at once as an entry of the plan's section through
the sections service (plans/sections.py): nothing is lost when a phone locks. Changing an entry
goes through the plan's own edit screen (with its merge screen), and back here."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.domain import analysis
from samenplan.plans import sections as services
from samenplan.plans.analysis import load_analysis
from samenplan.plans.views import _section_form, _section_input
from samenplan.privacy.access import Access
from samenplan.web import draft_audience, require_access

bp = Blueprint("analysis", __name__)

#: the timeline page (built as its own feature): linked from the step about earlier help
#: only when this installation has it
TIMELINE_RULE = "/gezin/<int:family_id>/tijdlijn"


def _require_writer(family_id: int) -> Access:
    """The analysis writes in the plan's sections: for who may (not the network)."""
    access = require_access(family_id)
    if not services.may_add(access):
        abort(404)
    return access


def timeline_url(family_id: int) -> str | None:
    """The timeline page's address when the app has that page, else None."""
    for rule in current_app.url_map.iter_rules():
        if (rule.rule == TIMELINE_RULE and rule.endpoint in current_app.view_functions
                and "GET" in (rule.methods or ())):
            return url_for(rule.endpoint, family_id=family_id)
    return None


@bp.get("/gezin/<int:family_id>/analyse")
@login_required
def start(family_id: int):
    access = _require_writer(family_id)
    return render_template("plans/analysis.html", access=access, steps=analysis.STEPS,
                           view=load_analysis(access))


def step_url(access: Access, step: analysis.Step, anchor: str | None = None, **args) -> str:
    url = url_for("analysis.step", family_id=access.family_id, code=step.code, **args)
    return f"{url}#{anchor}" if anchor else url


@bp.route("/gezin/<int:family_id>/analyse/<code>", methods=["GET", "POST"])
@login_required
def step(family_id: int, code: str):
    access = _require_writer(family_id)
    current = analysis.step(code)
    if current is None:
        abort(404)
    form = status = None
    if current.section is not None:
        form = _section_form(access, current.section)
        if form.validate_on_submit():
            try:
                section = services.create_section(access, current.section, _section_input(form))
            except services.NotAllowed:
                abort(404)
            except services.Invalid as exc:
                access.session.rollback()
                form[exc.field].errors = [_(str(exc))]
            else:  # saved at once; the step shows it, with "Nog een"
                return redirect(step_url(access, current, f"sectie-{section.id}", opgeslagen=section.id))
        status = 422 if form.is_submitted() else 200
    elif request.method == "POST":
        abort(405)
    saved_id = request.args.get("opgeslagen", type=int)
    return render_template(
        "plans/analysis_step.html", access=access, step=current, form=form,
        kind=current.section, number=analysis.number(current), total=len(analysis.STEPS),
        previous=analysis.before(current), next=analysis.after(current),
        entries=load_analysis(access, current).entries.get(current.code, []),
        saved_id=saved_id, show_form=form is not None and (not saved_id or form.is_submitted()),
        audience=draft_audience(access, form) if form is not None else None,
        form_action=step_url(access, current), cancel_url=step_url(access, current),
        timeline=timeline_url(access.family_id) if current.section is None else None,
    ), status or 200
