from __future__ import annotations

import dataclasses

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.domain import selfreliance as rules
from samenplan.domain.ages import local_day
from samenplan.domain.i18n import _ as _mark
from samenplan.domain.vocabulary import Category, LifeDomain
from samenplan.evaluations import reading as evaluation_reading
from samenplan.goals.reading import in_words, load_history
from samenplan.privacy.access import Access
from samenplan.records.history import Stale
from samenplan.selfreliance import reading, services
from samenplan.selfreliance.forms import meting_form, version_field
from samenplan.selfreliance.models import SelfRelianceScore
from samenplan.web import load_or_404, loaded_version, require_access

bp = Blueprint("selfreliance", __name__)

HISTORY_LABELS = {  # for "Wat is er veranderd?" (gettext at render)
    "day": _mark("Datum"), "moment": _mark("Wanneer"), "evaluation_id": _mark("Bij een evaluatie"),
    "levels": _mark("Niveaus"), "notes": _mark("Toelichting"),
}


def _index_url(access: Access, **args) -> str:
    return url_for("selfreliance.index", family_id=access.family_id, **args)


@bp.get("/gezin/<int:family_id>/zelfredzaamheid")
@login_required
def index(family_id: int):
    access = require_access(family_id)
    return render_template("selfreliance/index.html", access=access,
                           caregivers=reading.page(access), plain=reading.plain(access),
                           may_score=services.may_score(access),
                           saved=request.args.get("opgeslagen", type=int))


def _choices(access: Access, form, caregiver_choices: bool) -> None:
    if caregiver_choices:
        form.caregiver.choices = [("", _("Kies een ouder of verzorger"))] + [
            (str(p.id), p.name) for p in services.caregivers(access)]
    form.evaluation.choices = [("", _("Geen evaluatie"))] + [
        (str(e.id), evaluation_reading.when(e.starts_at))
        for e in services.linkable_evaluations(access)]


def _input(form, caregiver_id=None) -> services.MetingInput:
    levels, notes = {}, {}
    for name in form.domain_fields:
        kind, code = name.split("_", 1)
        value = form[name].data or ""
        (levels if kind == "level" else notes)[code] = value
    return services.MetingInput(
        caregiver_id=caregiver_id if caregiver_id is not None else form.caregiver.data,
        day=form.day.data, moment=form.moment.data, evaluation_id=form.evaluation.data,
        levels=levels, notes=notes,
        versions={c.value: loaded_version(form[version_field(c)].data) for c in rules.GROUPS})


def _sections(access: Access, caregiver, domains: list[LifeDomain]) -> list[tuple]:
    """The form's fieldsets: per category its domains and who will read it ("Zichtbaar voor")."""
    sections = []
    for category in rules.GROUPS:
        mine = [d for d in domains if rules.group_of(d) == category]
        if mine and caregiver is not None:
            sections.append((category, mine, access.audience_for_draft([caregiver.id], category)))
        elif mine:
            sections.append((category, mine, None))
    return sections


def _new_domains(access: Access, caregiver_id: str | None):
    """The caregiver chosen (or asked for with ?voor=), and the domains of the form."""
    wanted = next((p for p in services.caregivers(access) if str(p.id) == str(caregiver_id)), None)
    if wanted is not None:
        return wanted, services.domains_for(access, wanted)
    return None, list(rules.SCORED_DOMAINS)


@bp.route("/gezin/<int:family_id>/zelfredzaamheid/nieuw", methods=["GET", "POST"])
@login_required
def new(family_id: int):
    access = require_access(family_id)
    if not services.may_score(access):
        abort(404)
    chosen = request.form.get("caregiver") if request.method == "POST" else request.args.get("voor")
    caregiver, domains = _new_domains(access, chosen)
    form = meting_form(domains, with_caregiver=True)
    _choices(access, form, True)
    if request.method == "GET":
        form.caregiver.data = str(caregiver.id) if caregiver else ""
        form.day.data = local_day(access.now)
        if caregiver is not None:
            for domain, level in services.last_levels(access, caregiver).items():
                name = services.level_field(domain)
                if name in form:
                    form[name].data = level
    if form.validate_on_submit():
        try:
            head = services.record(access, _input(form))
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_index_url(access, opgeslagen=head.id) + f"#meting-{head.id}")
    return render_template("selfreliance/form_page.html", access=access, form=form, head=None,
                           caregiver=caregiver, sections=_sections(access, caregiver, domains),
                           theirs=None), 422 if form.is_submitted() else 200


def _fill(form, parts: dict[Category, SelfRelianceScore]) -> None:
    head = parts[Category.ALGEMEEN]
    form.day.data, form.moment.data = head.day, head.moment.value
    form.evaluation.data = str(head.evaluation_id or "")
    for category, part in parts.items():
        form[version_field(category)].data = part.version
        for code, level in (part.levels or {}).items():
            name = services.level_field(LifeDomain(code))
            if name in form:
                form[name].data = str(level)
        for code, note in (part.notes or {}).items():
            name = services.note_field(LifeDomain(code))
            if name in form:
                form[name].data = note


@bp.route("/gezin/<int:family_id>/zelfredzaamheid/<int:meting_id>/bewerken",
          methods=["GET", "POST"])
@login_required
def edit(family_id: int, meting_id: int):
    access = require_access(family_id)
    head = load_or_404(access, SelfRelianceScore, meting_id)
    if head.head_id is not None or not services.may_score(access):
        abort(404)
    caregiver = next(p for p in access.persons if p.id == head.caregiver_id)
    domains = services.domains_for(access, caregiver)
    form = meting_form(domains, with_caregiver=False)
    _choices(access, form, False)
    parts = services.parts_of(access, head)
    if request.method == "GET":
        _fill(form, parts)
    theirs = None
    if form.validate_on_submit():
        try:
            services.update(access, head, _input(form, caregiver.id))
        except services.NotAllowed:
            abort(404)
        except Stale:
            access.session.rollback()
            parts = services.parts_of(access, head)
            for category, part in parts.items():
                access.session.refresh(part)
                form[version_field(category)].data = part.version
            theirs = reading.merge_rows(access, parts, form)
        except services.Invalid as exc:
            access.session.rollback()
            form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(_index_url(access, opgeslagen=head.id) + f"#meting-{head.id}")
    status = 409 if theirs else (422 if form.is_submitted() else 200)
    return render_template("selfreliance/form_page.html", access=access, form=form, head=head,
                           caregiver=caregiver, sections=_sections(access, caregiver, domains),
                           theirs=theirs), status


@bp.get("/gezin/<int:family_id>/zelfredzaamheid/deel/<int:record_id>/geschiedenis")
@login_required
def history(family_id: int, record_id: int):
    access = require_access(family_id)
    score = load_or_404(access, SelfRelianceScore, record_id)
    caregiver = next(p for p in access.persons if p.id == score.caregiver_id)
    return render_template(
        "records/history.html", access=access,
        title=_("Meting van %(name)s, %(date)s", name=caregiver.first_name,
                date=score.day.strftime("%d-%m-%Y")),
        back_url=_index_url(access) + f"#meting-{score.meting_id}",
        back_label=_("Terug naar zelfredzaamheid"),
        entries=[_only_changed_domains(entry) for entry in load_history(access, score, HISTORY_LABELS)],
        in_words=lambda field, value: _history_words(access, score, field, value),
    )


def _only_changed_domains(entry):
    """A correction of a meting names only the domains whose level or note changed, not all
    seventeen before and after (its creation names them all)."""
    if entry.created:
        return entry
    changes = []
    for change in entry.changes:
        if change.field in ("levels", "notes") and isinstance(change.before, dict) \
                and isinstance(change.after, dict):
            codes = [code for code in {**change.before, **change.after}
                     if change.before.get(code) != change.after.get(code)]
            change = dataclasses.replace(
                change, before={c: change.before[c] for c in codes if c in change.before},
                after={c: change.after[c] for c in codes if c in change.after})
        changes.append(change)
    return dataclasses.replace(entry, changes=changes)


def _history_words(access: Access, score: SelfRelianceScore, field: str, value) -> str:
    from samenplan.domain.vocabulary import SelfRelianceMoment

    if field in ("levels", "notes"):
        if not value:
            return _("(leeg)")
        own = access.participant.person_id == score.caregiver_id
        return "; ".join(
            f"{reading.domain_name(access, LifeDomain(code))}: "
            f"{reading.level_words(access, item, own) if field == 'levels' else item}"
            for code, item in value.items() if LifeDomain.parse(code) is not None)
    if field == "moment" and SelfRelianceMoment.parse(value) is not None:
        return _(SelfRelianceMoment(value).label)
    if field == "evaluation_id":
        return _("ja") if value else _("nee")
    if field == "day" and value:
        from datetime import date

        from flask_babel import format_date

        return format_date(date.fromisoformat(value), "d MMMM yyyy")
    return in_words(access, field, value)
