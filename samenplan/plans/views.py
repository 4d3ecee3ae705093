from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from samenplan.domain.vocabulary import SectionKind
from samenplan.extensions import htmx, login_manager
from samenplan.goals.forms import with_action_forms
from samenplan.goals.reading import in_words
from samenplan.notices.services import unread
from samenplan.plans import live
from samenplan.plans import sections as services
from samenplan.plans.forms import ArchiveForm, SectionForm
from samenplan.plans.models import PlanSection
from samenplan.plans.printing import load_print
from samenplan.plans.reading import section_history, section_merge_rows
from samenplan.plans.services import load_plan, section_entry
from samenplan.privacy.access import Access
from samenplan.records.history import Stale
from samenplan.web import (
    draft_audience, load_or_404, loaded_version, merge_rows, not_activity, page_or_fragment,
    participant_name, require_access,
)
from samenplan.team.views import plan_extras

from samenplan.evaluations.reading import plan_line as evaluation_line  # noqa: E402

bp = Blueprint("plans", __name__)


@bp.get("/gezin/<int:family_id>")
@login_required
def plan(family_id: int):
    access = require_access(family_id)
    return render_template("plans/plan.html", **_plan_context(access))


def _plan_context(access: Access) -> dict:
    """What the plan page shows this reader: also what its changed parts are made of (`parts`)."""
    view = load_plan(access)
    with_action_forms(access, view.goals)
    return dict(
        access=access, view=view,
        notifications=[n for n in unread(access.session, access.user.id)
                       if n.family_id == access.family_id],
        # after a save the confirmation stands where the eye is: in the entry, or the section
        saved_id=request.args.get("opgeslagen", type=int),
        saved_goal_id=request.args.get("opgeslagen_doel", type=int),
        archived_from=SectionKind.parse(request.args.get("van_het_plan")),
        **plan_extras(access, view),
        live_stand=live.seal(view.live),
        next_evaluation=evaluation_line(access, view.next_evaluation),
    )


@bp.get("/gezin/<int:family_id>/plan/delen")
@login_required
def parts(family_id: int):
    """The live plan's 'Vernieuwen' (static/js/live-plan.js): the parts asked for (`deel`) as
    the plan page shows them now, each place's parts in the page's order (a part no longer
    there is left out: the page removes it), and the poll from here on. Without JavaScript
    'Vernieuwen' is a link to the plan page itself."""
    access = require_access(family_id)
    context = _plan_context(access)
    return render_template("plans/_parts.html", wanted=set(request.args.getlist("deel")),
                           **context)


# --- entries of the plan's sections ----------------------------------------------------------
def _plan_url(access: Access, anchor: str | None = None, **args) -> str:
    url = url_for("plans.plan", family_id=access.family_id, **args)
    return f"{url}#{anchor}" if anchor else url


def _section_form(access: Access, kind: SectionKind, section: PlanSection | None = None) -> SectionForm:
    form = SectionForm()
    form.subjects.choices = [(p.id, p.first_name) for p in access.persons]
    if request.method == "GET" and section is not None:
        form.version.data = section.version
        form.title.data = section.title
        form.body.data = section.body
        form.subjects.data = [p.id for p in section.effective_subjects]
        form.category.data = section.effective_category
        form.horizon_date.data = section.horizon_date
        form.still_to_find.data = section.still_to_find
        form.relapse_line.data = section.relapse_line
        form.phone.data = section.phone
    elif request.method == "GET" and access.participant.person_id:
        form.subjects.data = [access.participant.person_id]  # about themself, to begin with
    return form


def _section_input(form: SectionForm) -> services.SectionInput:
    return services.SectionInput(
        title=form.title.data or "", body=form.body.data or "",
        subject_ids=list(form.subjects.data or []), category=form.category.data or "",
        horizon_date=form.horizon_date.data, still_to_find=bool(form.still_to_find.data),
        version=loaded_version(form.version.data),
        relapse_line=form.relapse_line.data or "", phone=form.phone.data or "",
    )


def _form_page(access: Access, kind: SectionKind, form: SectionForm,
               section: PlanSection | None = None, status: int = 200, theirs=None,
               form_action: str | None = None):
    return page_or_fragment(
        "plans/section_form_page.html", "plans/_section_form.html", status,
        access=access, kind=kind, form=form, section=section, theirs=theirs,
        audience=draft_audience(access, form), form_action=form_action,
    )


def _widening_message(access: Access, exc: services.Widening) -> str:
    names = ", ".join(dict.fromkeys(participant_name(access, p, True) for p in exc.newly))
    return _(
        "Dit kan niet: dan zien ook %(names)s dit stuk, en zij mochten het nog niet zien. "
        "Alleen wie toestemming geeft voor de mensen over wie het gaat, kan het zo "
        "veranderen. Vraag het hen, of kies een kleinere groep.", names=names,
    )


@bp.route("/gezin/<int:family_id>/plan/<kind>/nieuw", methods=["GET", "POST"])
@login_required
def new_section(family_id: int, kind: str):
    access = require_access(family_id)
    section_kind = SectionKind.parse(kind)
    if section_kind is None or not services.may_add(access):
        abort(404)
    if section_kind is SectionKind.SAFETY_PLAN:  # its items have a page of their own
        return redirect(url_for("safety.new_item", family_id=access.family_id))
    form = _section_form(access, section_kind)
    if form.validate_on_submit():
        try:
            section = services.create_section(access, section_kind, _section_input(form))
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_plan_url(access, f"sectie-{section.id}", opgeslagen=section.id))
    return _form_page(access, section_kind, form, status=422 if form.is_submitted() else 200)


@bp.route("/gezin/<int:family_id>/plan/<int:section_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_section(family_id: int, section_id: int):
    access = require_access(family_id)
    section = load_or_404(access, PlanSection, section_id)
    if not services.may_edit(access, section):
        abort(404)
    if section.kind == "safety_item":  # with the people it names: the safety plan's own form
        return redirect(url_for("safety.edit_item", family_id=access.family_id, item_id=section.id))
    form = _section_form(access, section.section, section)
    back = _back_to_analysis(access, section)
    if form.validate_on_submit():
        try:
            services.update_section(access, section, _section_input(form))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            return _merge(access, exc, form, **back)
        except services.Widening as exc:
            access.session.rollback()
            form.category.errors = [_widening_message(access, exc)]
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            if htmx:
                return _entry_fragment(access, section, saved=True)
            if back:
                return redirect(url_for("analysis.step", family_id=access.family_id,
                                        code=section.section, opgeslagen=section.id)
                                + f"#sectie-{section.id}")
            return redirect(_plan_url(access, f"sectie-{section.id}", opgeslagen=section.id))
    return _form_page(access, section.section, form, section,
                      status=422 if form.is_submitted() else 200, **back)


def _back_to_analysis(access: Access, section: PlanSection) -> dict:
    """An entry changed from the joint analysis ('?terug=analyse') goes back to its step there:
    the form posts with it, and a save returns to the step."""
    from samenplan.domain.analysis import step_of

    if request.args.get("terug") != "analyse" or step_of(section.section) is None:
        return {}
    return {"form_action": url_for("plans.edit_section", family_id=access.family_id,
                                   section_id=section.id, terug="analyse")}


def _merge(access: Access, stale: Stale, form: SectionForm, **extra):
    """The merge screen: the entry as it is now next to what this person typed, which stays in
    the form; saving it again (from the current version) is a knowing choice."""
    theirs = merge_rows(access, stale, form, section_merge_rows)
    return _form_page(access, stale.record.section, form, stale.record, 409, theirs=theirs,
                      **extra)


@bp.post("/gezin/<int:family_id>/plan/<int:section_id>/van-het-plan")
@login_required
def archive_section(family_id: int, section_id: int):
    """Take an entry off the plan (it is kept, with its history)."""
    access = require_access(family_id)
    section = load_or_404(access, PlanSection, section_id)
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.archive_section(access, section, loaded_version(form.version.data))
    except services.NotAllowed:
        abort(404)
    except Stale:
        flash(_("Iemand anders heeft dit net veranderd. Kijk of je het nog van het plan wilt halen."), "error")
        return redirect(url_for("plans.edit_section", family_id=access.family_id, section_id=section.id))
    return redirect(_plan_url(access, f"sectie-{section.section}", van_het_plan=section.section))


@bp.get("/gezin/<int:family_id>/plan/<int:section_id>")
@login_required
def section_card(family_id: int, section_id: int):
    """One entry: to htmx ('Annuleren' in the inline edit form) its card, else the plan at it."""
    access = require_access(family_id)
    section = load_or_404(access, PlanSection, section_id)
    if htmx and not htmx.boosted:
        return _entry_fragment(access, section)
    return redirect(_plan_url(access, f"sectie-{section.id}"))


@bp.get("/gezin/<int:family_id>/plan/<int:section_id>/geschiedenis")
@login_required
def section_history_page(family_id: int, section_id: int):
    """'Wat is er veranderd?': the entry's revisions the viewer may see."""
    access = require_access(family_id)
    section = load_or_404(access, PlanSection, section_id)
    return render_template(
        "plans/section_history.html", access=access, section=section,
        entries=section_history(access, section),
        in_words=lambda field, value: in_words(access, field, value),
    )


@bp.post("/gezin/<int:family_id>/plan/zichtbaar")
@login_required
def section_audience(family_id: int):
    """'Zichtbaar voor' for an entry that is still being written."""
    access = require_access(family_id)
    form = SectionForm()
    form.subjects.choices = [(p.id, p.first_name) for p in access.persons]
    return render_template("privacy/_audience.html", access=access,
                           audience=draft_audience(access, form), draft=True)


def _entry_fragment(access: Access, section: PlanSection, saved: bool = False):
    return render_template("plans/_section_entry.html", access=access,
                           entry=section_entry(access, section),
                           saved_id=section.id if saved else None)


@bp.get("/gezin/<int:family_id>/veranderd")
@not_activity
def changed(family_id: int):
    """The open plan's poll (plans/live.py): 304 with no body while nothing the reader may see
    changed, else the notice. Shows no record, so it writes no audit event."""
    if not current_user.is_authenticated:
        # logged out while the page was open: stop polling rather than swap a login page in
        return ("", 286) if htmx else login_manager.unauthorized()
    access = require_access(family_id)
    result = live.answer(access, request.args.get("stand"), request.headers.get("If-None-Match"))
    # the answer holds no personal data: the browser may keep it, to ask "still the same?"
    headers = {"ETag": f'"{result.etag}"', "Cache-Control": "private, no-cache"}
    if result.not_modified:
        return "", 304, headers
    # htmx stops polling at 286: the notice stays as it is, and is not read out again
    status = 286 if result.changed and htmx else 200
    return (render_template("plans/_live_notice.html", access=access, changed=result.changed,
                            parts=result.parts), status, headers)


@bp.get("/gezin/<int:family_id>/afdrukken")
@login_required
def print_plan(family_id: int):
    access = require_access(family_id)
    return render_template("plans/plan.html", **_print_context(access))


@bp.get("/gezin/<int:family_id>/afdrukken.pdf")
@login_required
def print_pdf(family_id: int):
    """The print page as a PDF (WeasyPrint), made from the same HTML as `print_plan`."""
    from samenplan.plans.pdf import html_to_pdf

    access = require_access(family_id)
    html = render_template("plans/plan.html", pdf=True, **_print_context(access))
    name = "".join(c for c in access.family.name.lower() if c.isalnum()) or "gezin"
    return current_app.response_class(html_to_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="plan-{name}.pdf"',
        "Cache-Control": "no-store",  # personal data
    })


def _print_context(access) -> dict:
    printed = load_print(access)
    return dict(access=access, view=printed.plan, printed=printed, printing=True,
                notifications=[], **plan_extras(access, printed.plan))
