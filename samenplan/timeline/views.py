"""/gezin/<id>/tijdlijn: earlier help and life events, in order, per person; adding and
changing an entry."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.goals.reading import MergeRow, _in_words, in_words, load_history
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category
from samenplan.records.history import Stale
from samenplan.timeline import reading, services
from samenplan.timeline.forms import PersonFilterForm, TimelineEventForm
from samenplan.timeline.models import TimelineEvent
from samenplan.web import load_or_404, loaded_version, participant_name, require_access

bp = Blueprint("timeline", __name__, url_prefix="/gezin/<int:family_id>/tijdlijn")

MERGED = ("kind", "title", "subjects", "category", "start_date", "end_date", "helper", "worked",
          "not_worked")


def _form(access: Access, event: TimelineEvent | None = None) -> TimelineEventForm:
    form = TimelineEventForm()
    form.subjects.choices = [(p.id, p.first_name) for p in access.persons]
    if event is not None and request.method == "GET":
        form.version.data = event.version
        form.kind.data, form.title.data = event.event_kind, event.title
        form.subjects.data = [p.id for p in event.effective_subjects]
        form.category.data = event.effective_category
        form.start_date.data, form.end_date.data = event.start_date, event.end_date
        form.helper.data, form.worked.data = event.helper, event.worked
        form.not_worked.data = event.not_worked
    return form


def _input(form: TimelineEventForm) -> services.EventInput:
    return services.EventInput(
        kind=form.kind.data or "", title=form.title.data or "",
        subject_ids=list(form.subjects.data or []), category=form.category.data or "",
        start_date=form.start_date.data, end_date=form.end_date.data,
        helper=form.helper.data or "", worked=form.worked.data or "",
        not_worked=form.not_worked.data or "", version=loaded_version(form.version.data),
    )


def _draft_audience(access: Access, form):
    category = Category.parse(form.category.data) or Category.ALGEMEEN
    valid = {p.id for p in access.persons}
    return access.audience_for_draft([i for i in (form.subjects.data or []) if i in valid], category)


def _merge_rows(event: TimelineEvent, form) -> list[MergeRow]:
    theirs = {
        "kind": event.event_kind, "title": event.title,
        "subjects": [p.id for p in event.effective_subjects], "category": event.effective_category,
        "start_date": event.start_date, "end_date": event.end_date, "helper": event.helper,
        "worked": event.worked, "not_worked": event.not_worked,
    }
    return [MergeRow(str(form[n].label.text), _in_words(form[n], theirs[n]), _in_words(form[n], form[n].data))
            for n in MERGED]


def _list_url(access: Access, event_id: int | None = None, saved: bool = False) -> str:
    url = url_for("timeline.page", family_id=access.family_id, opgeslagen=event_id if saved else None)
    return f"{url}#tijdlijn-{event_id}" if event_id else url


@bp.get("")
@login_required
def page(family_id: int):
    access = require_access(family_id)
    filter_form = PersonFilterForm(request.args)
    filter_form.persoon.choices = [(0, _("iedereen"))] + [(p.id, p.first_name) for p in access.persons]
    chosen = filter_form.persoon.data if filter_form.persoon.data in {p.id for p in access.persons} else None
    events = [reading.event_view(access, e) for e in reading.visible_events(access, chosen)]
    return render_template(
        "timeline/page.html", access=access, saved=request.args.get("opgeslagen", type=int), events=events, filter_form=filter_form,
        chosen=next((p for p in access.persons if p.id == chosen), None),
        may_add=access.may_create(services.KIND),
    )


def _save(access: Access, event: TimelineEvent | None):
    form = _form(access, event)
    theirs, error = None, None
    status = 200
    if form.validate_on_submit():
        try:
            if event is None:
                saved = services.create_event(access, _input(form))
            else:
                saved = services.update_event(access, event, _input(form))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            form.version.data = exc.record.version
            theirs, status = _merge_rows(exc.record, form), 409
        except services.Widening as exc:
            access.session.rollback()
            names = ", ".join(dict.fromkeys(participant_name(access, p, True) for p in exc.newly))
            form.category.errors = [_(
                "Dit kan niet: dan zien ook %(names)s dit, en zij mochten het nog niet zien. "
                "Alleen wie toestemming geeft voor de mensen over wie het gaat, kan het zo "
                "veranderen. Vraag het hen, of kies een kleinere groep.", names=names,
            )]
        except services.Invalid as exc:
            access.session.rollback()
            error = _(str(exc))
        else:
            # the confirmation is where the eye is: on the entry just saved
            return redirect(_list_url(access, saved.id, saved=True))
    if form.is_submitted() and status == 200:
        status = 422
    return render_template(
        "timeline/form_page.html", access=access, form=form, event=event, theirs=theirs,
        error=error, audience=_draft_audience(access, form),
    ), status


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new(family_id: int):
    access = require_access(family_id)
    if not access.may_create(services.KIND):
        abort(404)
    return _save(access, None)


@bp.route("/<int:event_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(family_id: int, event_id: int):
    access = require_access(family_id)
    event = load_or_404(access, TimelineEvent, event_id)
    if not access.can_edit(event, services.KIND).allowed:
        abort(404)
    return _save(access, event)


@bp.get("/<int:event_id>/geschiedenis")
@login_required
def history(family_id: int, event_id: int):
    access = require_access(family_id)
    event = load_or_404(access, TimelineEvent, event_id)
    return render_template(
        "records/history.html", access=access, title=event.title,
        back_url=_list_url(access, event.id), back_label=_("Terug naar de tijdlijn"),
        entries=load_history(access, event, reading.FIELD_LABELS),
        in_words=lambda field, value: _history_words(access, field, value),
    )


def _history_words(access: Access, field: str, value) -> str:
    from samenplan.domain.vocabulary import TimelineKind

    if field == "event_kind" and TimelineKind.parse(value) is not None:
        return _(TimelineKind(value).label)
    return in_words(access, field, value)
