"""The editing flow the simpler kinds of record share in their views (a network entry, a
timeline event): the form at the version it was loaded, a save through the feature's service,
and its answers — the merge screen on a stale save (`web.merge_rows`), the widening refused in
words, a clear message that keeps what was typed, and after a save the list at the entry just
saved; and their "Wat is er veranderd?" page. A feature gives what is its own (`Editing`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import abort, redirect, render_template
from flask_babel import gettext as _

from samenplan.goals.reading import form_merge_rows, load_history
from samenplan.privacy.access import Access
from samenplan.records.editing import Invalid, NotAllowed, Widening
from samenplan.records.history import Stale
from samenplan.web import draft_audience, merge_rows, participant_name


@dataclass(frozen=True)
class Editing:
    """What a kind of record brings to the shared flow."""

    template: str  # its form page; gets `record` (None: new), form, theirs, error, audience
    form: Callable  # (access, record | None) -> the form, filled in from the record on a GET
    data: Callable  # (form) -> the service's input
    create: Callable  # (access, data) -> the new record
    update: Callable  # (access, record, data) -> the record
    saved_values: Callable  # (record) -> {field name: value as saved now}, for the merge screen
    saved_url: Callable  # (access, record) -> where a save goes: the list, at the entry
    extra: Callable = field(default=lambda access, form, record: {})  # more for the form page


def widening_message(access: Access, exc: Widening) -> str:
    names = ", ".join(dict.fromkeys(participant_name(access, p, True) for p in exc.newly))
    return _(
        "Dit kan niet: dan zien ook %(names)s dit, en zij mochten het nog niet zien. "
        "Alleen wie toestemming geeft voor de mensen over wie het gaat, kan het zo "
        "veranderen. Vraag het hen, of kies een kleinere groep.", names=names,
    )


def save(editing: Editing, access: Access, record=None):
    """The form page of a new record (`record` None) or of a change, and its save."""
    form = editing.form(access, record)
    theirs, error, status = None, None, 200
    if form.validate_on_submit():
        data = editing.data(form)
        try:
            saved = (editing.create(access, data) if record is None
                     else editing.update(access, record, data))
        except NotAllowed:
            abort(404)
        except Stale as exc:
            theirs = merge_rows(access, exc, form,
                                lambda now, f: form_merge_rows(f, editing.saved_values(now)))
            status = 409
        except Widening as exc:
            access.session.rollback()
            form.category.errors = [widening_message(access, exc)]
        except Invalid as exc:
            access.session.rollback()
            error = _(str(exc))
        else:
            # the confirmation is where the eye is: on the entry just saved
            return redirect(editing.saved_url(access, saved))
    if form.is_submitted() and status == 200:
        status = 422
    return render_template(
        editing.template, access=access, form=form, record=record, theirs=theirs, error=error,
        audience=draft_audience(access, form), **editing.extra(access, form, record),
    ), status


def history_page(access: Access, record, title: str, back_url: str, back_label: str,
                 labels: dict[str, str], in_words: Callable):
    """'Wat is er veranderd?' of one record: its revisions the viewer may see."""
    return render_template(
        "records/history.html", access=access, title=title, back_url=back_url,
        back_label=back_label, entries=load_history(access, record, labels),
        in_words=lambda name, value: in_words(access, name, value),
    )
