"""/gezin/<id>/tijdlijn: earlier help and life events, in order, per person; adding and
changing an entry."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.goals.reading import in_words
from samenplan.privacy.access import Access
from samenplan.records.edit_views import Editing, history_page, save
from samenplan.timeline import reading, services
from samenplan.timeline.forms import PersonFilterForm, TimelineEventForm
from samenplan.timeline.models import TimelineEvent
from samenplan.web import load_or_404, loaded_version, require_access

bp = Blueprint("timeline", __name__, url_prefix="/gezin/<int:family_id>/tijdlijn")


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


def _saved_values(event: TimelineEvent) -> dict:
    return {
        "kind": event.event_kind, "title": event.title,
        "subjects": [p.id for p in event.effective_subjects], "category": event.effective_category,
        "start_date": event.start_date, "end_date": event.end_date, "helper": event.helper,
        "worked": event.worked, "not_worked": event.not_worked,
    }


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


EDITING = Editing(
    template="timeline/form_page.html", form=_form, data=_input,
    create=services.create_event, update=services.update_event, saved_values=_saved_values,
    saved_url=lambda access, event: _list_url(access, event.id, saved=True),
)


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new(family_id: int):
    access = require_access(family_id)
    if not access.may_create(services.KIND):
        abort(404)
    return save(EDITING, access)


@bp.route("/<int:event_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(family_id: int, event_id: int):
    access = require_access(family_id)
    event = load_or_404(access, TimelineEvent, event_id)
    if not access.can_edit(event, services.KIND).allowed:
        abort(404)
    return save(EDITING, access, event)


@bp.get("/<int:event_id>/geschiedenis")
@login_required
def history(family_id: int, event_id: int):
    access = require_access(family_id)
    event = load_or_404(access, TimelineEvent, event_id)
    return history_page(access, event, event.title, _list_url(access, event.id),
                        _("Terug naar de tijdlijn"), reading.FIELD_LABELS, _history_words)


def _history_words(access: Access, field: str, value) -> str:
    from samenplan.domain.vocabulary import TimelineKind

    if field == "event_kind" and TimelineKind.parse(value) is not None:
        return _(TimelineKind(value).label)
    return in_words(access, field, value)
