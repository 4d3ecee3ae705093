from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.domain.safety import SAFETY_QUESTION
from samenplan.plans.models import PlanSection
from samenplan.privacy.access import Access
from samenplan.records.history import Stale
from samenplan.safety import reading, services
from samenplan.safety.forms import AnswerForm, ExplanationForm, ItemForm, PlanForm
from samenplan.safety.models import SafetyExplanation, SafetyItem, SafetyPlan
from samenplan.web import load_or_404, loaded_version, merge_rows, participant_name, require_access

bp = Blueprint("safety", __name__)


def _page_url(access: Access, anchor: str = "", **args) -> str:
    url = url_for("safety.page", family_id=access.family_id, **args)
    return f"{url}#{anchor}" if anchor else url


def _render_page(access: Access, status: int = 200, **forms):
    view = reading.load_page(access)
    explanation_form = forms.get("explanation_form") or _explanation_form(access, formdata=False)
    answer_form = forms.get("answer_form") or AnswerForm(formdata=None)
    answer_form.respondent.choices = view.answer_for
    return render_template(
        "safety/page.html", access=access, view=view, question=SAFETY_QUESTION,
        explanation_form=explanation_form, answer_form=answer_form,
        saved=request.args.get("opgeslagen"), saved_id=request.args.get("opgeslagen", type=int),
    ), status


@bp.get("/gezin/<int:family_id>/veiligheidsplan")
@login_required
def page(family_id: int):
    return _render_page(require_access(family_id))


# --- the plan's dates ---------------------------------------------------------------------
@bp.route("/gezin/<int:family_id>/veiligheidsplan/periode", methods=["GET", "POST"])
@login_required
def edit_plan(family_id: int):
    access = require_access(family_id)
    existing = services.safety_plan(access)
    plan = load_or_404(access, SafetyPlan, existing.id) if existing is not None else None
    if not services.may_edit_plan(access, plan):
        abort(404)
    form = PlanForm()
    if request.method == "GET" and plan is not None:
        form.version.data = plan.version
        form.applies_from.data, form.applies_to.data = plan.applies_from, plan.applies_to
        form.review_on.data = plan.review_on
    return _form_page(
        access, form, plan, lambda: services.save_plan(access, services.PlanInput(
            form.applies_from.data, form.applies_to.data, form.review_on.data,
            loaded_version(form.version.data))),
        reading.plan_merge_rows, "periode", opgeslagen="periode",
        heading=_("Hoe lang het veiligheidsplan geldt"),
        fields=("applies_from", "applies_to", "review_on"),
        action=url_for("safety.edit_plan", family_id=access.family_id),
        history_url=url_for("safety.plan_history", family_id=access.family_id))


def _form_page(access: Access, form, record, save, rows_of, anchor: str, opgeslagen: str,
               **page):
    """A form of the safety plan on a page of its own (safety/form_page.html): `save()` on a
    valid post, then back to the plan's page at `anchor`; a stale save gets the merge screen
    (`rows_of`), bad input a message at its field, keeping what was typed."""
    theirs = None
    if form.validate_on_submit():
        try:
            save()
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            theirs = merge_rows(access, exc, form, rows_of)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_page_url(access, anchor, opgeslagen=opgeslagen))
    status = 409 if theirs else (422 if form.is_submitted() else 200)
    return render_template("safety/form_page.html", access=access, form=form, record=record,
                           theirs=theirs, back=_page_url(access, anchor), **page), status


@bp.get("/gezin/<int:family_id>/veiligheidsplan/periode/geschiedenis")
@login_required
def plan_history(family_id: int):
    access = require_access(family_id)
    existing = services.safety_plan(access)
    if existing is None:
        abort(404)
    plan = load_or_404(access, SafetyPlan, existing.id)
    return render_template(
        "safety/history.html", access=access, record=plan, heading=_("Hoe lang het plan geldt"),
        entries=reading.plan_history(access, plan),
        in_words=lambda field, value: reading.in_words(access, field, value))


# --- items --------------------------------------------------------------------------------
def _item_form(access: Access, item: SafetyItem | None = None) -> ItemForm:
    form = ItemForm()
    form.subjects.choices = [(p.id, p.first_name) for p in access.persons]
    form.named.choices = [(p.id, participant_name(access, p)) for p in access.visible_participants
                          if p.id != access.participant.id]
    form.consenters.choices = [(p.id, p.first_name) for p in services.consenters(access)]
    if request.method == "GET" and item is not None:
        form.version.data = item.version
        form.item_kind.data = item.item_kind
        form.title.data, form.body.data = item.title, item.body
        form.subjects.data = [p.id for p in item.effective_subjects]
        form.named.data = list(item.named_participant_ids or [])
        form.named_others.data = item.named_others
    elif request.method == "GET":
        form.subjects.data = [p.id for p in services.children(access)]
    return form


def _item_input(form: ItemForm) -> services.ItemInput:
    return services.ItemInput(
        item_kind=form.item_kind.data or "", title=form.title.data or "", body=form.body.data or "",
        subject_ids=list(form.subjects.data or []), named_participant_ids=list(form.named.data or []),
        named_others=form.named_others.data or "", consenter_ids=list(form.consenters.data or []),
        version=loaded_version(form.version.data),
    )


def _draft_audience(access: Access, form: ItemForm):
    """"Zichtbaar voor" of an item still being written: its subjects ticked (of this family
    only), and safety information (every item is)."""
    valid_ids = {p.id for p in access.persons}
    return access.audience_for_draft([i for i in (form.subjects.data or []) if i in valid_ids],
                                     services.CATEGORY)


def _item_page(access: Access, form: ItemForm, item: SafetyItem | None = None,
               status: int = 200, theirs=None):
    return render_template(
        "safety/item_form_page.html", access=access, form=form, item=item, theirs=theirs,
        audience=_draft_audience(access, form),
        at_the_table=services.consent.may_record_at_table(access),
    ), status


@bp.post("/gezin/<int:family_id>/veiligheidsplan/zichtbaar")
@login_required
def item_audience(family_id: int):
    """'Zichtbaar voor' for an item that is still being written (htmx, as the subjects change)."""
    access = require_access(family_id)
    form = _item_form(access)
    return render_template("privacy/_audience.html", access=access,
                           audience=_draft_audience(access, form), draft=True)


def _widening_message(access: Access, exc: services.Widening) -> str:
    names = ", ".join(dict.fromkeys(participant_name(access, p, True) for p in exc.newly))
    return _(
        "Dit kan niet: dan zien ook %(names)s deze afspraak, en zij mochten die nog niet zien. "
        "Alleen wie toestemming geeft voor de mensen over wie het gaat, kan het zo veranderen. "
        "Vraag het hen, of kies minder mensen.", names=names,
    )


@bp.route("/gezin/<int:family_id>/veiligheidsplan/nieuw", methods=["GET", "POST"])
@login_required
def new_item(family_id: int):
    access = require_access(family_id)
    if not services.may_write(access):
        abort(404)
    form = _item_form(access)
    if form.validate_on_submit():
        try:
            item = services.create_item(access, _item_input(form))
        except services.NotAllowed:
            abort(404)
        except (services.Invalid, services.consent.Invalid) as exc:
            access.session.rollback()
            _field_error(form, exc)
        else:
            return redirect(_page_url(access, f"afspraak-{item.id}", opgeslagen=item.id))
    return _item_page(access, form, status=422 if form.is_submitted() else 200)


def _field_error(form: ItemForm, exc: Exception) -> None:
    name = getattr(exc, "field", "named")
    form[name].errors = [_(str(exc))]


@bp.route("/gezin/<int:family_id>/veiligheidsplan/<int:item_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_item(family_id: int, item_id: int):
    access = require_access(family_id)
    item = load_or_404(access, PlanSection, item_id)
    if not services.may_edit_item(access, item):
        abort(404)
    form = _item_form(access, item)
    if form.validate_on_submit():
        try:
            services.update_item(access, item, _item_input(form))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            return _item_page(access, form, exc.record, 409,
                              theirs=merge_rows(access, exc, form, reading.item_merge_rows))
        except services.Widening as exc:
            access.session.rollback()
            form.subjects.errors = [_widening_message(access, exc)]
        except (services.Invalid, services.consent.Invalid) as exc:
            access.session.rollback()
            _field_error(form, exc)
        else:
            return redirect(_page_url(access, f"afspraak-{item.id}", opgeslagen=item.id))
    return _item_page(access, form, item, status=422 if form.is_submitted() else 200)


@bp.get("/gezin/<int:family_id>/veiligheidsplan/<int:item_id>/geschiedenis")
@login_required
def item_history(family_id: int, item_id: int):
    access = require_access(family_id)
    item = load_or_404(access, PlanSection, item_id)
    if not isinstance(item, SafetyItem):
        abort(404)
    return render_template(
        "safety/history.html", access=access, record=item,
        heading=item.title or _(item.item_kind.label), entries=reading.item_history(access, item),
        in_words=lambda field, value: reading.in_words(access, field, value))


# --- explained to a child; the safety scale -------------------------------------------------
def _explanation_form(access: Access, explanation: SafetyExplanation | None = None,
                      formdata=True) -> ExplanationForm:
    form = ExplanationForm() if formdata else ExplanationForm(formdata=None)
    form.child_id.choices = [(p.id, p.first_name) for p in services.children(access)]
    if request.method == "GET" and explanation is not None:
        form.version.data = explanation.version
        form.child_id.data, form.explained_on.data = explanation.child_id, explanation.explained_on
        form.explained_by.data, form.note.data = explanation.explained_by, explanation.note
    return form


def _explanation_input(form: ExplanationForm) -> services.ExplanationInput:
    return services.ExplanationInput(
        form.child_id.data, form.explained_on.data, form.explained_by.data or "",
        form.note.data or "", version=loaded_version(form.version.data))


@bp.post("/gezin/<int:family_id>/veiligheidsplan/uitleg")
@login_required
def explain(family_id: int):
    access = require_access(family_id)
    form = _explanation_form(access)
    if form.validate_on_submit():
        try:
            services.add_explanation(access, _explanation_input(form))
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_page_url(access, "uitleg", opgeslagen="uitleg"))
    return _render_page(access, 422, explanation_form=form)


def _explanation_or_404(access: Access, explanation_id: int) -> SafetyExplanation:
    if not reading.shows_explanations(access):
        abort(404)
    return load_or_404(access, SafetyExplanation, explanation_id)


@bp.route("/gezin/<int:family_id>/veiligheidsplan/uitleg/<int:explanation_id>/bewerken",
          methods=["GET", "POST"])
@login_required
def edit_explanation(family_id: int, explanation_id: int):
    """Correct when, by whom or to which child the plan was explained."""
    access = require_access(family_id)
    explanation = _explanation_or_404(access, explanation_id)
    if not services.may_edit_explanation(access, explanation):
        abort(404)
    form = _explanation_form(access, explanation)
    return _form_page(
        access, form, explanation,
        lambda: services.update_explanation(access, explanation, _explanation_input(form)),
        reading.explanation_merge_rows, f"uitleg-{explanation.id}", opgeslagen="uitleg",
        heading=_("Uitgelegd aan %(child)s", child=explanation.child.first_name),
        fields=("child_id", "explained_on", "explained_by", "note"),
        action=url_for("safety.edit_explanation", family_id=access.family_id,
                       explanation_id=explanation.id),
        history_url=url_for("safety.explanation_history", family_id=access.family_id,
                            explanation_id=explanation.id))


@bp.get("/gezin/<int:family_id>/veiligheidsplan/uitleg/<int:explanation_id>/geschiedenis")
@login_required
def explanation_history(family_id: int, explanation_id: int):
    access = require_access(family_id)
    explanation = _explanation_or_404(access, explanation_id)
    return render_template(
        "safety/history.html", access=access, record=explanation,
        heading=_("Uitgelegd aan %(child)s", child=explanation.child.first_name),
        entries=reading.explanation_history(access, explanation),
        in_words=lambda field, value: reading.in_words(access, field, value))


@bp.post("/gezin/<int:family_id>/veiligheidsplan/antwoord")
@login_required
def answer(family_id: int):
    access = require_access(family_id)
    form = AnswerForm()
    form.respondent.choices = reading.answer_for(access)
    # the choices say whom the viewer may answer for; the service checks it again
    form.respondent.validate_choice = False
    if form.validate_on_submit():
        try:
            services.answer(access, form.respondent.data, form.score.data, form.why.data or "")
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_page_url(access, "schaal", opgeslagen="schaal"))
    return _render_page(access, 422, answer_form=form)
