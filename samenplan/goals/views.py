from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf.csrf import generate_csrf

from samenplan.confirmations import flash_at
from samenplan.extensions import htmx
from samenplan.goals import services
from flask import flash
from flask_babel import gettext as _

from samenplan.domain.ages import local_day
from samenplan.domain.examples import EXAMPLE_GOALS, search_examples
from samenplan.domain.gas import prefilled
from samenplan.domain.goals import (
    ENDING_HINT, ENDING_STATUSES, LIFE_DOMAIN_LABELS, can_transition, life_domain_choices,
)
from samenplan.domain.scaling import QUESTION_KEYS, validate_score
from samenplan.db import utcnow
from samenplan.goals.forms import (
    NOBODY, ActionForm, AgreementForm, GasScoreForm, GoalForm, LadderForm, StatusForm,
    SubGoalForm, action_form_for, participant_choices, sub_goal_title_form, with_action_forms,
)
from samenplan.goals.reading import (
    action_view, changes_since, history_labels, in_words, load_goal_detail, load_history,
    merge_rows, sub_goal_merge,
)
from samenplan.records.history import Stale
from samenplan.escalations import reading as escalation_reading
from samenplan.goals.models import Action, Goal
from samenplan.plans.services import goal_view
from samenplan.privacy.access import Access
from samenplan.privacy import policy
from samenplan.privacy.unseen import draft_warning, mark_unseen, reader_warning
from samenplan.web import (
    draft_audience, load_or_404, loaded_version, page_or_fragment, participant_name, require_access,
    url_pattern,
)

bp = Blueprint("goals", __name__, url_prefix="/gezin/<int:family_id>")


@bp.app_context_processor
def _goal_template_helpers() -> dict:
    from samenplan import charts
    from samenplan.domain.goals import life_domain_name

    def for_family(access: Access) -> bool:
        return not access.viewer.role.is_professional

    # the life domains as the reader says them: plain names for a family or network reader
    return {
        "charts": charts,
        "life_domains_for": lambda access: life_domain_choices(for_family(access)),
        "life_domain_for": lambda access, code: life_domain_name(code, for_family(access)),
    }


class GoalCards:
    """What the goal cards of one family's page share, made once for the page (a plan page has
    forty cards): the URLs of their links and forms, each kind from one `url_for`
    (`web.url_pattern`), and the forms' token. Templates: `goal_cards(family_id)`."""

    def __init__(self, family_id: int):
        def pattern(endpoint: str, key: str = "goal_id"):
            return url_pattern(endpoint, key, family_id=family_id)

        self.card = pattern("goals.goal_card")
        self.add_action = pattern("goals.add_action")
        self.move = pattern("goals.move")
        self.edit = pattern("goals.edit_goal")
        self.toggle = pattern("goals.toggle_action", "action_id")
        self.ask_for_reader = url_for("privacy.ask_for_reader", family_id=family_id)
        self.csrf_token = generate_csrf()


bp.add_app_template_global(GoalCards, "goal_cards")


def today():
    return local_day(utcnow())


def _goal_form(access: Access, goal: Goal | None = None) -> GoalForm:
    form = GoalForm(obj=None)
    form.subjects.choices = [(p.id, p.first_name) for p in access.persons]
    form.life_domain.choices = [("", _("Kies een leefgebied"))] + [
        (code, _(label)) for code, label in life_domain_choices(not access.viewer.role.is_professional)]
    form.owner.choices = participant_choices(access, goal.owner_participant_id if goal else None)
    if goal is not None:
        form.owner.choices = mark_unseen(access, access.record_facts(goal), form.owner.choices,
                                         policy.GOAL)
    if goal is not None and request.method == "GET":
        form.version.data = goal.version
        form.title.data = goal.title
        form.description.data = goal.description
        form.subjects.data = [p.id for p in goal.effective_subjects]
        form.category.data = goal.effective_category
        form.life_domain.data = goal.life_domain
        form.status.data = goal.status
        form.owner.data = goal.owner_participant_id or NOBODY
        form.start_date.data = goal.start_date
        form.end_date.data = goal.end_date
        form.goal_type.data = goal.goal_type
        form.indicator.data = goal.indicator
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
        goal_type=form.goal_type.data, indicator=form.indicator.data or "",
        version=loaded_version(form.version.data), status_reason=form.status_reason.data or "",
    )


def _draft_audience(access: Access, form: GoalForm):
    return draft_audience(access, form)


def _owner_warning(access: Access, form: GoalForm, goal: Goal | None):
    """On the goal form: the trekker chosen cannot see the goal as it would be saved."""
    return draft_warning(access, goal, form.subjects.data or [], form.category.data,
                         form.owner.data or None)


def _warn_unseen(access: Access, record, participant_id: int | None, kind: str) -> None:
    """After a save: the one it is given to cannot see it. The save stands (giving it to them is
    allowed); the message says so, and the goal's card offers to ask for consent."""
    participant = next((p for p in access.participants if p.id == participant_id), None)
    warning = reader_warning(access, access.record_facts(record), participant, kind)
    if warning is not None:
        flash(_("Opgeslagen.") + " " + warning.text, "warning")


def _plan_url(access: Access, anchor: str | None = None, saved: Goal | None = None) -> str:
    """The plan page (at `anchor`); after a save, with the saved goal's confirmation on its
    card, where the eye is (`opgeslagen_doel`)."""
    args = {"opgeslagen_doel": saved.id} if saved is not None else {}
    url = url_for("plans.plan", family_id=access.family_id, **args)
    return f"{url}#{anchor}" if anchor else url


def _examples():
    """Example goals for inspiration, searched by `q` and `leefgebied` in the query string."""
    domain = request.args.get("leefgebied") or None
    if domain not in LIFE_DOMAIN_LABELS:
        domain = None
    return search_examples(request.args.get("q", "")[:100], domain), domain


@bp.get("/doelen/voorbeelden")
@login_required
def examples(family_id: int):
    access = require_access(family_id)
    found, domain = _examples()
    return page_or_fragment(
        "goals/examples_page.html", "goals/_examples.html", access=access, examples=found,
        q=request.args.get("q", ""), domain=domain,
    )


@bp.route("/doelen/nieuw", methods=["GET", "POST"])
@login_required
def new_goal(family_id: int):
    access = require_access(family_id)
    if not access.may_create("goal"):
        abort(403)
    form = _goal_form(access)
    example = request.args.get("voorbeeld", "")
    if request.method == "GET" and example:
        # copied into the form to be made their own, never linked to the example
        form.title.data = example[:300]
        match = next((e for e in EXAMPLE_GOALS if _(e.text) == example), None)
        if match:
            form.life_domain.data = match.domain
    if form.validate_on_submit():
        try:
            goal = services.create_goal(access, _goal_input(form))
        except services.NotAllowed:
            abort(404)
        _warn_unseen(access, goal, goal.owner_participant_id, policy.GOAL)
        return redirect(_plan_url(access, f"doel-{goal.id}", saved=goal))
    status = 422 if form.is_submitted() else 200
    found, domain = _examples()
    return render_template(
        "goals/goal_form_page.html", access=access, form=form, goal=None,
        audience=_draft_audience(access, form), examples=found, q=request.args.get("q", ""),
        domain=domain, owner_warning=_owner_warning(access, form, None),
    ), status


@bp.route("/doelen/<int:goal_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_goal(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    if not access.can_edit(goal, "goal").allowed:
        abort(404)
    form = _goal_form(access, goal)
    if form.validate_on_submit():
        try:
            services.update_goal(access, goal, _goal_input(form))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            return _merge(access, exc.record, form)
        except services.Widening as exc:
            access.session.rollback()
            names = ", ".join(dict.fromkeys(participant_name(access, p, True) for p in exc.newly))
            form.category.errors = [_(
                "Dit kan niet: dan zien ook %(names)s dit doel, en zij mochten het nog niet zien. "
                "Alleen wie toestemming geeft voor de mensen over wie het gaat, kan het zo "
                "veranderen. Vraag het hen, of kies een kleinere groep.", names=names,
            )]
        except services.Invalid as exc:
            access.session.rollback()
            form.status.errors = [_(str(exc))]
        else:
            if htmx:
                return _goal_fragment(access, goal)
            _warn_unseen(access, goal, goal.owner_participant_id, policy.GOAL)
            return redirect(_plan_url(access, f"doel-{goal.id}", saved=goal))
    status = 422 if form.is_submitted() else 200
    return page_or_fragment(
        "goals/goal_form_page.html", "goals/_goal_form.html", status,
        access=access, form=form, goal=goal, audience=_draft_audience(access, form),
        owner_warning=_owner_warning(access, form, goal),
    )


@bp.get("/doelen/<int:goal_id>")
@login_required
def goal_card(family_id: int, goal_id: int):
    """The goal page; to htmx ('Annuleren' in the inline edit form) just the goal card."""
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    if htmx and not htmx.boosted:
        return _goal_fragment(access, goal)
    return _detail_page(access, goal)


def _ladder_form(access: Access, posted: bool = True) -> LadderForm:
    """The ladder form (from what was `posted`, or empty); the weight only on a
    professional's (DESIGN §2: the weight is for professionals only)."""
    form = LadderForm() if posted else LadderForm(formdata=None)
    return form if access.viewer.role.is_professional else form.for_family()


def _detail_page(access: Access, goal: Goal, status: int = 200, **forms):
    detail = load_goal_detail(access, goal)
    ladder_form = forms.get("ladder_form") or _ladder_form(access, posted=False)
    if "ladder_form" not in forms:
        # level 0 IS the goal as written: an empty one starts in the goal's own words
        ladder_form.fill(prefilled(detail.ladder, goal.title))
        ladder_form.indicator.data = goal.indicator
        ladder_form.start.data = goal.gas_start
        ladder_form.baseline.data = "" if goal.gas_baseline is None else str(goal.gas_baseline)
        if "weight" in ladder_form:
            ladder_form.weight.data = goal.gas_weight
        ladder_form.version.data = goal.version
    score_form = forms.get("score_form") or GasScoreForm(formdata=None,
                                                         for_family=detail.for_family)
    if "score_form" not in forms:
        score_form.scored_on.data = today()
        if detail.current_level is not None:
            score_form.level.data = detail.current_level
    mine = next((a for a in goal.agreements if a.participant_id == access.participant.id), None)
    agreement_form = forms.get("agreement_form") or AgreementForm(formdata=None)
    if "agreement_form" not in forms:
        agreement_form.version.data = goal.version
        if mine is not None:
            agreement_form.agrees.data = "ja" if mine.agrees else "nee"
            agreement_form.reason.data = mine.reason
    # the title of each sub-goal the viewer may change, each from the version shown
    title_forms = {c.id: sub_goal_title_form(c) for c in detail.children
                   if c.id in detail.editable_children}
    title_forms.update(forms.get("title_forms", {}))
    status_form = StatusForm(formdata=None)
    status_form.status.data = goal.status
    status_form.version.data = goal.version
    # behaald and gestopt are decided at an evaluation; outside one, only the casusregisseur
    status_form.status.choices = [
        (code, label) for code, label in status_form.status.choices
        if code == goal.status or (can_transition(goal.status, code)
                                   and (detail.may_end or code not in ENDING_STATUSES))
    ]
    parent = access.get(Goal, goal.parent_id) if goal.parent_id else None
    return render_template(
        "goals/detail.html", access=access, d=detail, parent=parent,
        escalations=escalation_reading.for_goal(access, [av.action for av in detail.actions],
                                                detail.escalations),
        ladder_form=ladder_form, score_form=score_form, agreement_form=agreement_form,
        status_form=status_form, sub_form=forms.get("sub_form") or SubGoalForm(formdata=None),
        scaling_errors=forms.get("scaling_errors"), scaling_values=forms.get("scaling_values", {}),
        my_agreement=mine, agreement_merge=forms.get("agreement_merge"),
        title_forms=title_forms, title_merges=forms.get("title_merges", {}),
        ending_hint=ENDING_HINT,
    ), status


@bp.get("/doelen/<int:goal_id>/geschiedenis")
@login_required
def history(family_id: int, goal_id: int):
    """'Wat is er veranderd?': the goal's revisions the viewer may see."""
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    return render_template(
        "goals/history.html", access=access, goal=goal,
        entries=load_history(access, goal, history_labels(access)),
        in_words=lambda field, value: in_words(access, field, value),
    )


def _back_to_goal(access: Access, goal: Goal, anchor: str):
    return redirect(url_for("goals.goal_card", family_id=access.family_id, goal_id=goal.id) + f"#{anchor}")


@bp.post("/doelen/<int:goal_id>/akkoord")
@login_required
def agreement(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    form = AgreementForm()
    if form.validate_on_submit():
        loaded = loaded_version(form.version.data)
        try:
            services.set_agreement(access, goal, form.agrees.data == "ja", form.reason.data or "",
                                   loaded)
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            # the goal changed since it was read: what changed next to the answer, still typed
            form.version.data = exc.record.version
            return _detail_page(access, goal, 409, agreement_form=form,
                                agreement_merge=changes_since(access, goal, loaded))
        except services.Invalid as exc:
            form.reason.errors = [_(str(exc))]
        else:
            flash_at("akkoord", _("Je antwoord is opgeslagen."))
            return _back_to_goal(access, goal, "akkoord")
    return _detail_page(access, goal, 422, agreement_form=form)


@bp.post("/doelen/<int:goal_id>/ladder")
@login_required
def ladder(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    form = _ladder_form(access)
    if form.validate_on_submit():
        baseline = int(form.baseline.data) if form.baseline.data not in (None, "") else None
        weight = form.weight.data if "weight" in form else None
        try:
            warning = services.save_ladder(
                access, goal, form.descriptions(), baseline, weight, form.indicator.data or "",
                loaded_version(form.version.data), start=form.start.data or "",
            )
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            # what was typed stays in the form; the ladder as saved now is on the page above it
            form.version.data = exc.record.version
            (form.weight if "weight" in form else form.baseline).errors = [_(
                                      "Iemand anders heeft dit doel net veranderd. Kijk naar de "
                                      "stappen zoals ze nu zijn. Wil je jouw versie toch bewaren? "
                                      "Sla dan opnieuw op.")]
            return _detail_page(access, goal, 409, ladder_form=form)
        except services.Invalid as exc:
            (form.weight if "weight" in form else form.baseline).errors = [_(str(exc))]
        else:
            flash_at("ladder", _("De stappen naar het doel zijn opgeslagen."))
            if warning is not None:
                flash_at("ladder", _(warning), "warning")
            return _back_to_goal(access, goal, "ladder")
    return _detail_page(access, goal, 422, ladder_form=form)


@bp.post("/doelen/<int:goal_id>/gas")
@login_required
def gas_score(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    form = GasScoreForm(for_family=not access.viewer.role.is_professional)
    if form.validate_on_submit():
        try:
            services.score_gas(access, goal, form.level.data, form.scored_on.data, form.note.data or "")
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            form.level.errors = [_(str(exc))]
        else:
            flash_at("ladder", _("De score is opgeslagen."))
            return _back_to_goal(access, goal, "ladder")
    return _detail_page(access, goal, 422, score_form=form)


@bp.post("/doelen/<int:goal_id>/schaalvragen")
@login_required
def scaling(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    answers, errors, values = {}, {}, {}
    for key in QUESTION_KEYS:
        raw = (request.form.get(f"{key}-score") or "").strip()
        why = request.form.get(f"{key}-waarom", "")
        higher = request.form.get(f"{key}-hoger", "")
        values[key] = (raw, why, higher)
        if raw == "":
            continue
        try:
            answers[key] = (validate_score(raw), why, higher)
        except ValueError as exc:
            errors[key] = _(str(exc))
    if not errors:
        try:
            services.answer_scaling(access, goal, answers, today())
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            errors["algemeen"] = _(str(exc))
        else:
            flash_at("schaalvragen", _("Dank je! Je antwoorden zijn opgeslagen."))
            return _back_to_goal(access, goal, "schaalvragen")
    return _detail_page(access, goal, 422, scaling_errors=errors, scaling_values=values)


@bp.post("/doelen/<int:goal_id>/tussendoelen")
@login_required
def sub_goal(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    form = SubGoalForm()
    if form.validate_on_submit():
        try:
            services.add_sub_goal(access, goal, form.title.data)
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            form.title.errors = [_(str(exc))]
        else:
            flash_at("tussendoelen", _("Opgeslagen."))
            return _back_to_goal(access, goal, "tussendoelen")
    return _detail_page(access, goal, 422, sub_form=form)


@bp.post("/doelen/<int:goal_id>/tussendoelen/<int:sub_goal_id>/titel")
@login_required
def sub_goal_title(family_id: int, goal_id: int, sub_goal_id: int):
    """A sub-goal's title, changed on its parent's page from the version it showed."""
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    child = load_or_404(access, Goal, sub_goal_id)
    if child.parent_id != goal.id:
        abort(404)
    form = sub_goal_title_form(child, request.form)
    if form.validate_on_submit():
        try:
            services.rename_sub_goal(access, child, form.title.data,
                                     loaded_version(form.version.data))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            # theirs next to what was typed, which stays in the form, now at the current version
            form.version.data = exc.record.version
            return _detail_page(access, goal, 409, title_forms={child.id: form},
                                title_merges={child.id: sub_goal_merge(exc.record, form)})
        except services.Invalid as exc:
            form.title.errors = [_(str(exc))]
        else:
            flash_at(f"tussendoel-{child.id}", _("De titel is opgeslagen."))
            return _back_to_goal(access, goal, f"tussendoel-{child.id}")
    return _detail_page(access, goal, 422, title_forms={child.id: form})


@bp.post("/doelen/<int:goal_id>/status")
@login_required
def status(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    if not access.can_edit(goal, "goal").allowed:
        abort(404)
    form = StatusForm()
    if not form.validate_on_submit():
        flash_at("doel-status", " ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return _back_to_goal(access, goal, "doel-status")
    try:
        services.change_status(access, goal, form.status.data, form.reason.data,
                               loaded_version(form.version.data))
    except services.NotAllowed:
        abort(404)
    except Stale:
        flash_at("doel-status", _("Iemand anders heeft dit doel net veranderd. Kijk of je de status nog wilt veranderen."), "error")
    except services.Invalid as exc:
        flash_at("doel-status", _(str(exc)), "error")
    else:
        flash_at("doel-status", _("De status is opgeslagen."))
    return _back_to_goal(access, goal, "doel-status")


@bp.post("/doelen/<int:goal_id>/verplaats")
@login_required
def move(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    try:
        services.move_goal(access, goal, -1 if request.form.get("richting") == "omhoog" else 1)
    except services.NotAllowed:
        abort(404)
    return redirect(_plan_url(access, f"doel-{goal.id}"))


@bp.post("/doelen/zichtbaar")
@login_required
def audience_preview(family_id: int):
    """'Zichtbaar voor' for a goal that is still being written."""
    access = require_access(family_id)
    form = _goal_form(access)
    return render_template(
        "privacy/_audience.html", access=access, audience=_draft_audience(access, form), draft=True
    )


@bp.post("/doelen/<int:goal_id>/acties")
@login_required
def add_action(family_id: int, goal_id: int):
    access = require_access(family_id)
    goal = load_or_404(access, Goal, goal_id)
    form = action_form_for(access, goal)
    if form.validate_on_submit():
        try:
            action = services.add_action(
                access, goal, form.what.data, form.assignee.data or None, form.due_date.data
            )
        except services.NotAllowed:
            abort(404)
        if htmx:
            return _goal_fragment(access, goal)
        _warn_unseen(access, action, action.assignee_participant_id, policy.ACTION)
        return redirect(_plan_url(access, f"doel-{goal.id}", saved=goal))
    if htmx:
        return _goal_fragment(access, goal, action_form=form, status=422)
    return render_template(
        "goals/action_form_page.html", access=access, goal=goal, form=form
    ), 422


@bp.post("/acties/<int:action_id>/klaar")
@login_required
def toggle_action(family_id: int, action_id: int):
    access = require_access(family_id)
    action = load_or_404(access, Action, action_id)
    done = request.form.get("done") == "1"
    try:
        services.set_action_done(access, action, done, loaded_version(request.form.get("version")))
    except services.NotAllowed:
        abort(404)
    except Stale:
        # someone else ticked it first: show how it is now, change nothing
        notice = (_("Iemand anders heeft dit net op klaar gezet.") if action.done
                  else _("Iemand anders heeft dit net teruggezet op niet klaar."))
        if htmx:
            return render_template("goals/_action.html", access=access,
                                   av=action_view(access, action), notice=notice), 409
        flash_at(f"actie-{action.id}", notice, "error")
        return redirect(_plan_url(access, f"actie-{action.id}"))
    if htmx:
        return render_template("goals/_action.html", access=access, av=action_view(access, action))
    flash_at(f"actie-{action.id}", _("Klaar. Goed gedaan!") if done else _("Staat weer open."))
    return redirect(_plan_url(access, f"actie-{action.id}"))


def _merge(access: Access, goal: Goal, form: GoalForm):
    """The merge screen: the goal as it is now next to what this person typed, which stays in
    the form; saving it again (from the current version) is a knowing choice."""
    access.session.refresh(goal)
    form.version.data = goal.version
    return page_or_fragment(
        "goals/goal_form_page.html", "goals/_goal_form.html", 409, access=access, goal=goal,
        form=form, theirs=merge_rows(access, goal, form), audience=_draft_audience(access, form),
    )


def _goal_fragment(access: Access, goal: Goal, action_form: ActionForm | None = None, status=200):
    view = goal_view(access, goal)
    with_action_forms(access, [view], posted=action_form)
    return render_template("goals/_goal.html", access=access, gv=view), status
