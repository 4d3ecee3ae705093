"""The plan's phase and its closing (issue 13 items 2 and 4): thin routes over
closure/services.py. Only the casusregisseur pauses, resumes, closes and reopens (anyone else:
404); a family member of 12+ says akkoord (or not) to closing on their own phone."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.closure import services
from samenplan.closure.forms import AgreeForm, ButtonForm, EndActionForm, PauseForm, WordForm
from samenplan.closure.guard import allowed_on_closed
from samenplan.goals.models import Action
from samenplan.ids import parse_id
from samenplan.privacy.access import Access
from samenplan.records.history import Stale
from samenplan.web import load_or_404, loaded_version, participant_name, require_access, say

bp = Blueprint("closure", __name__, url_prefix="/gezin/<int:family_id>")


def _chair_or_404(family_id: int) -> Access:
    access = require_access(family_id)
    if not services.is_chair(access):
        abort(404)
    return access


# --- the phase: pause, resume, reopen --------------------------------------------------------
def _phase_page(access: Access, status: int = 200, pause_form=None, word_form=None):
    plan = services.plan_of(access)
    return render_template(
        "closure/phase.html", access=access, plan=plan, changes=list(reversed(plan.phase_changes)),
        pause_form=pause_form or PauseForm(), word_form=word_form or WordForm(),
        names={p.user_id: participant_name(access, p) for p in access.participants},
    ), status


@bp.get("/fase")
@login_required
def phase(family_id: int):
    """The plan's phase and its history ("Wat is er veranderd?"): every participant."""
    access = require_access(family_id)
    return _phase_page(access)


@bp.post("/fase/stilzetten")
@login_required
def pause(family_id: int):
    access = _chair_or_404(family_id)
    form = PauseForm()
    if form.validate_on_submit():
        try:
            services.pause(access, form.reason.data, form.look_again_on.data)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [say(exc.message)]
        except services.Refused as exc:
            access.session.rollback()
            flash(say(exc.message), "error")
        else:
            flash(_("De hulp staat nu stil."), "success")
            return redirect(url_for("plans.plan", family_id=family_id))
    return _phase_page(access, 422, pause_form=form)


@bp.post("/fase/verder")
@login_required
def resume(family_id: int):
    access = _chair_or_404(family_id)
    return _word_step(access, services.resume, _("De hulp gaat weer verder."))


@bp.post("/fase/heropenen")
@login_required
@allowed_on_closed
def reopen(family_id: int):
    access = _chair_or_404(family_id)
    return _word_step(access, services.reopen, _("Het plan is weer open. Je kunt het weer veranderen."))


def _word_step(access: Access, step, done: str):
    form = WordForm()
    if form.validate_on_submit():
        try:
            step(access, form.reason.data)
        except services.Invalid as exc:
            access.session.rollback()
            form.reason.errors = [say(exc.message)]
        except services.Refused as exc:
            access.session.rollback()
            flash(say(exc.message), "error")
        else:
            flash(done, "success")
            return redirect(url_for("plans.plan", family_id=access.family_id))
    return _phase_page(access, 422, word_form=form)


# --- closing -------------------------------------------------------------------------------
def _closing_page(access: Access, status: int = 200, agree_form=None, end_forms=None,
                  refused=None):
    if services.is_chair(access):
        state = services.closing(access)
        end_forms = end_forms or {}
        for check in state.checks:
            if check.code == "actions":
                for action in check.items:
                    if action.id not in end_forms:
                        form = EndActionForm(prefix=f"actie-{action.id}", formdata=None)
                        form.version.data = action.version
                        end_forms[action.id] = form
        return render_template(
            "closure/closing.html", access=access, state=state, end_forms=end_forms,
            agree_form=agree_form or AgreeForm(), button=ButtonForm(), refused=refused,
            saved=request.args.get("opgeslagen"),
        ), status
    person = access.participant.person
    if person is None or not services.may_agree_for(access, person):
        abort(404)
    plan = services.plan_of(access)
    return render_template(
        "closure/agree.html", access=access, plan=plan, person=person,
        said=services.agreements(access, plan).get(person.id),
        agree_form=agree_form or AgreeForm(), saved=request.args.get("opgeslagen"),
    ), status


@bp.get("/afronden")
@login_required
def closing(family_id: int):
    """The closing screen (the casusregisseur), or a family member's akkoord (12+)."""
    return _closing_page(require_access(family_id))


@bp.post("/afronden/voorstellen")
@login_required
def propose(family_id: int):
    """"Voorstel: het plan afronden", from the evaluation being held: the family members of
    12+ with a login are asked for their akkoord on their own phone."""
    access = _chair_or_404(family_id)
    if ButtonForm().validate_on_submit():
        try:
            services.propose(access)
        except services.Refused as exc:
            access.session.rollback()
            flash(say(exc.message), "error")
    return redirect(url_for("closure.closing", family_id=family_id))


@bp.post("/afronden/akkoord")
@login_required
def agree(family_id: int):
    access = require_access(family_id)
    form = AgreeForm()
    agrees = request.form.get("antwoord") == "akkoord"
    try:
        person_id = parse_id(form.person_id.data)
    except ValueError:
        abort(404)
    if form.validate_on_submit():
        try:
            services.agree(access, person_id, agrees, form.reason.data)
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form.reason.errors = [say(exc.message)]
        except services.Refused as exc:
            access.session.rollback()
            return _closing_page(access, 409, agree_form=form, refused=say(exc.message))
        else:
            return redirect(url_for("closure.closing", family_id=family_id,
                                    opgeslagen="akkoord") + "#akkoord")
    return _closing_page(access, 422, agree_form=form)


@bp.post("/afronden/terugvalplan")
@login_required
def relapse_known(family_id: int):
    access = _chair_or_404(family_id)
    if ButtonForm().validate_on_submit():
        try:
            services.record_relapse_known(access)
        except services.Refused as exc:
            access.session.rollback()
            return _closing_page(access, 409, refused=say(exc.message))
    return redirect(url_for("closure.closing", family_id=family_id,
                            opgeslagen="terugvalplan") + "#terugvalplan")


@bp.post("/acties/<int:action_id>/beeindigen")
@login_required
def end_action(family_id: int, action_id: int):
    access = _chair_or_404(family_id)
    action = load_or_404(access, Action, action_id)
    form = EndActionForm(prefix=f"actie-{action.id}")
    if form.validate_on_submit():
        try:
            services.end_action(access, action, form.how.data, form.note.data,
                                loaded_version(form.version.data))
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [say(exc.message)]
        except services.Refused as exc:
            access.session.rollback()
            return _closing_page(access, 409, refused=say(exc.message))
        except Stale:
            access.session.rollback()
            return _closing_page(access, 409, refused=_(
                "Iemand anders heeft deze actie net veranderd. Kijk of hij nog open staat."))
        else:
            return redirect(url_for("closure.closing", family_id=family_id,
                                    opgeslagen="acties") + "#acties")
    return _closing_page(access, 422, end_forms={action.id: form})


@bp.post("/afronden")
@login_required
def close(family_id: int):
    access = _chair_or_404(family_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.close(access)
    except services.Refused as exc:
        access.session.rollback()
        return _closing_page(access, 409, refused=say(exc.message))
    flash(_("Het plan is afgerond. Het eindverslag staat klaar."), "success")
    return redirect(url_for("plans.plan", family_id=family_id))


bp.add_app_template_global(say, "closure_say")


@bp.app_template_global()
def plan_phase(access: Access, plan):
    """For templates/plans/_phase.html: how the plan's phase is shown to this reader."""
    from samenplan.closure.reading import phase_line

    return phase_line(access, plan)
