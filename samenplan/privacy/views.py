"""Screens of the privacy model: consent, shielding, emergency access, who looked, inzage."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.domain.i18n import _ as _mark
from samenplan.privacy import policy, services
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category
from samenplan.privacy.forms import ConsentForm, DeclineForm, EmergencyForm, ShieldForm
from samenplan.db import utcnow
from samenplan.confirmations import flash_at
from samenplan.extensions import htmx
from samenplan.privacy.models import Consent, Record, Shield
from samenplan.ids import parse_id
from samenplan.records.history import Stale
from samenplan.web import loaded_version, participant_name, require_access

bp = Blueprint("privacy", __name__, url_prefix="/gezin/<int:family_id>")
# a participant's name as the viewer may know it (participation is personal data)
bp.add_app_template_global(participant_name)


# --- consent -------------------------------------------------------------------------------
def _grantee_choices(access: Access, mode: str) -> list[tuple[str, str]]:
    """Organisations and people the viewer may know take part (participation is personal data).
    Someone who asks, asks for their own organisation or for themself."""
    known = access.visible_participants
    if mode == "ask":
        me = access.participant
        choices = [(f"participant:{me.id}", _("Ik zelf (%(name)s)", name=me.display_name))]
        if me.organisation is not None:
            choices.insert(0, (f"org:{me.organisation.id}", me.organisation.name))
        return choices
    orgs = {p.organisation.id: p.organisation.name for p in known if p.organisation is not None}
    choices = [(f"org:{oid}", name) for oid, name in sorted(orgs.items(), key=lambda kv: kv[1])]
    choices += [
        (f"participant:{p.id}", participant_name(access, p, True))
        for p in known if p.id != access.participant.id
    ]
    return choices


def _consent_mode(access: Access) -> str:
    """give (a family member, in the app), record (the casusregisseur) or ask (anyone else)."""
    return services.consent_mode(access)


def _consent_form(access: Access, mode: str) -> ConsentForm:
    form = ConsentForm()
    subjects = services.persons_i_consent_for(access) if mode == "give" else access.persons
    form.subject.choices = [(p.id, p.name) for p in subjects]
    form.grantee.choices = _grantee_choices(access, mode)
    form.consenters.choices = [(p.id, p.name) for p in access.persons]
    records = services.records_about(access, {p.id for p in subjects}) if subjects else []
    form.record.choices = [("", _("Alles van de soorten hieronder"))] + [
        (str(r.id), _record_title(r)) for r in records if r.kind != "involvement"
    ]
    return form


def _record_id(value: str | None) -> int | None:
    """The record of a record grant, from the form ("" for categories); nonsense is no record."""
    if not value:
        return None
    try:
        return parse_id(value)
    except ValueError:
        raise services.Invalid(_mark("Kies één ding uit de lijst.")) from None


def _ids(values: list[str]) -> list[int]:
    found = []
    for value in values:
        try:
            found.append(parse_id(value))
        except ValueError:
            continue
    return found


def _end_of(day) -> datetime | None:
    return datetime.combine(day, time(23, 59)) if day else None


@bp.route("/toestemming", methods=["GET", "POST"])
@login_required
def consent(family_id: int):
    access = require_access(family_id)
    mode = _consent_mode(access)
    form = _consent_form(access, mode)
    error = None
    if request.method == "POST" and form.validate_on_submit():
        if mode == "record":
            how = form.how.data if form.how.data in ("tafel", "papier") else "verzoek"
        else:
            how = "app" if mode == "give" else "verzoek"
        try:
            created = services.grant(access, services.GrantInput(
                subject_id=form.subject.data, grantee=form.grantee.data,
                categories=form.categories.data or [], purpose=form.purpose.data or "",
                end_at=_end_of(form.end_date.data), how=how,
                consenter_ids=form.consenters.data or [],
                record_id=_record_id(form.record.data),
            ))
        except services.NotAllowed:
            abort(403)
        except services.Invalid as exc:
            access.session.rollback()
            error = _(str(exc))
        else:
            where = f"toestemming-{created.id}"
            if created.how == "verzoek":
                flash_at(where, _("Je vraag is verstuurd. Wie toestemming moet geven, krijgt een bericht."))
            else:
                flash_at(where, _("De toestemming is opgeslagen."))
            return redirect(url_for("privacy.consent", family_id=family_id) + f"#toestemming-{created.id}")
    consents = services.consents_visible_to(access)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "privacy/consent.html", access=access, form=form, mode=mode, error=error,
        consents=consents, overview=_overview(access, consents), **_consent_helpers(access),
    ), status


def _consent_helpers(access: Access) -> dict:
    """What a consent's card (privacy/_consent.html) needs besides the consent."""
    return dict(
        status_of=lambda c: services.consent_status(access, c),
        actions_of=lambda c: services.consent_actions(access, c),
        persons_by_id={p.id: p for p in access.persons},
        names_of=lambda ids: ", ".join(p.first_name for p in access.persons if p.id in ids),
        # whose yes a consent still waits for: persons, and organisations (a guardian, a legal
        # representative)
        missing_names=lambda st: ", ".join(
            [p.first_name for p in access.persons if p.id in st.missing]
            + services.organisation_names(access, st.missing_organisations)),
        grantee_name=lambda c: _grantee_name(access, c),
        record_title=lambda r: _record_title(r) if access.decide(r).allowed else _("iets wat je niet kunt zien"),
        changed_by=lambda user_id: _changed_by(access, user_id),
        may_undo=lambda c: services.may_undo_revoke(access, c),
    )


def _changed_by(access: Access, user_id: int | None) -> str:
    """Who revoked a consent or lifted a shield, named as the viewer may know them."""
    participant = services.participant_of_user(access, user_id)
    return participant_name(access, participant) if participant is not None else _("iemand")


@dataclass(frozen=True)
class StaleAction:
    """What the viewer tried to do with a consent or shield that changed since their page was
    loaded, and whether it can still be done now (then the screen offers it again, with what
    they typed)."""

    action: str  # services.APPROVE, DECLINE, ASK, REVOKE, or "lift"
    still_possible: bool
    reason: str = ""  # typed with a decline
    consenter_ids: tuple[int, ...] = ()  # ticked when recording a yes given at the table


def _grantee_name(access: Access, consent: Consent) -> str:
    if consent.grantee_organisation is not None:
        return consent.grantee_organisation.name
    return participant_name(access, consent.grantee_participant)


def _overview(access: Access, consents: list[Consent]):
    """persons down, grantees across, categories in the cells (pending marked)."""
    columns: dict[str, str] = {}
    cells: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for c in consents:
        status = services.consent_status(access, c)
        if status.state not in ("actief", "wacht") or c.record_id is not None:
            continue
        if c.grantee_organisation_id:
            key = f"org:{c.grantee_organisation_id}"
        else:
            key = f"participant:{c.grantee_participant_id}"
        columns[key] = _grantee_name(access, c)
        for cat in c.categories:
            cells.setdefault((c.subject_id, key), []).append((cat.category, status.state))
    persons = [p for p in access.persons if any(k[0] == p.id for k in cells)]
    return {"persons": persons, "columns": columns, "cells": cells}


def _visible_consent(access: Access, consent_id: int) -> Consent:
    consent = next((c for c in services.consents_visible_to(access) if c.id == consent_id), None)
    if consent is None:
        abort(404)
    return consent


def _consent_anchor(family_id: int, consent: Consent) -> str:
    return url_for("privacy.consent", family_id=family_id) + f"#toestemming-{consent.id}"


@bp.get("/toestemming/<int:consent_id>")
@login_required
def consent_card(family_id: int, consent_id: int):
    """One consent's card, for htmx ('Laat maar' on the changed-consent screen); otherwise
    the consent page at that card."""
    access = require_access(family_id)
    consent = _visible_consent(access, consent_id)
    if htmx and not htmx.boosted:
        return _consent_fragment(access, consent)
    return redirect(_consent_anchor(family_id, consent))


def _consent_fragment(access: Access, consent: Consent, status: int = 200, **context):
    """The card, and the overview out of band (what was done may change it too)."""
    consents = services.consents_visible_to(access)
    return render_template(
        "privacy/_consent_fragment.html", access=access, c=consent, oob=True,
        overview=_overview(access, consents), **_consent_helpers(access), **context,
    ), status


def _consent_done(access: Access, consent: Consent, message: str, kind: str = "ok"):
    """After a button on a consent: its card for htmx, the consent page for anyone else (or
    the screen of the consent round the button was on), and the message where the eye is."""
    if htmx and not htmx.boosted:
        return _consent_fragment(access, consent, 200 if kind == "ok" else 422,
                                 notice=message, notice_kind=kind)
    round_url = back_to_round(access, request.form.get("terug"))
    if round_url:
        flash(message, kind)
        return redirect(round_url)
    flash_at(f"toestemming-{consent.id}", message, kind)
    return redirect(_consent_anchor(access.family_id, consent))


def _consent_changed(access: Access, consent: Consent, action: str, **typed):
    """409: the consent changed since the page was loaded. Nothing was done; the screen shows
    it as it is now and offers to still do it (from the current version) or to leave it."""
    # now, not when this request began: a revoke that got in meanwhile counts as revoked
    access.now = utcnow()
    actions = services.consent_actions(access, consent)
    possible = action in actions or (action == services.APPROVE and services.RECORD in actions)
    stale = StaleAction(action, possible, **typed)
    if htmx and not htmx.boosted:
        return _consent_fragment(access, consent, 409, stale=stale)
    return render_template(
        "privacy/changed.html", access=access, kind="consent", card="privacy/_consent.html",
        c=consent, stale=stale, **_consent_helpers(access),
    ), 409


def _form_version() -> int | None:
    return loaded_version(request.form.get("version"))


@bp.post("/toestemming/<int:consent_id>/akkoord")
@login_required
def approve_consent(family_id: int, consent_id: int):
    access = require_access(family_id)
    consent = _visible_consent(access, consent_id)
    on_behalf_of = _ids(request.form.getlist("consenters"))
    try:
        services.approve(access, consent, on_behalf_of, _form_version())
    except services.NotAllowed:
        abort(403)
    except Stale:
        return _consent_changed(access, consent, services.APPROVE, consenter_ids=tuple(on_behalf_of))
    except services.Invalid as exc:
        return _consent_done(access, consent, _(str(exc)), "error")
    return _consent_done(access, consent, _("De toestemming is opgeslagen."))


@bp.post("/toestemming/<int:consent_id>/weigeren")
@login_required
def decline_consent(family_id: int, consent_id: int):
    access = require_access(family_id)
    consent = _visible_consent(access, consent_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _consent_done(access, consent, _("Schrijf hooguit 1000 tekens."), "error")
    reason = form.reason.data or ""
    try:
        services.decline(access, consent, reason, _form_version())
    except services.NotAllowed:
        abort(403)
    except Stale:
        return _consent_changed(access, consent, services.DECLINE, reason=reason)
    except services.Invalid as exc:
        return _consent_done(access, consent, _(str(exc)), "error")
    return _consent_done(
        access, consent, _("Je hebt nee gezegd. Niemand krijgt iets te zien op grond van deze vraag."),
    )


@bp.post("/toestemming/<int:consent_id>/vragen")
@login_required
def ask_consent(family_id: int, consent_id: int):
    access = require_access(family_id)
    consent = _visible_consent(access, consent_id)
    try:
        asked = services.ask(access, consent, _form_version())
    except Stale:
        return _consent_changed(access, consent, services.ASK)
    except services.Invalid as exc:
        return _consent_done(access, consent, _(str(exc)), "error")
    return _consent_done(access, consent, _("Gevraagd aan: %(names)s.", names=", ".join(asked)))


@bp.get("/toestemming/<int:consent_id>/intrekken")
@login_required
def confirm_revoke(family_id: int, consent_id: int):
    """Withdrawing is asked once: "Weet je het zeker?" in the card (htmx) or on its own page
    (without JavaScript). Reads only; the yes posts to revoke_consent."""
    access = require_access(family_id)
    consent = _visible_consent(access, consent_id)
    if services.REVOKE not in services.consent_actions(access, consent):
        return redirect(_consent_anchor(family_id, consent))
    if htmx and not htmx.boosted:
        return _consent_fragment(access, consent, confirm_revoke=True)
    return render_template("privacy/confirm_revoke.html", access=access, c=consent,
                           confirm_revoke=True, **_consent_helpers(access))


@bp.post("/toestemming/<int:consent_id>/terugzetten")
@login_required
def undo_revoke(family_id: int, consent_id: int):
    """'Ongedaan maken': whoever withdrew a consent takes it back, for a short while after."""
    access = require_access(family_id)
    consent = _visible_consent(access, consent_id)
    try:
        services.undo_revoke(access, consent, _form_version())
    except services.NotAllowed:
        abort(403)
    except Stale:
        return _consent_changed(access, consent, services.REVOKE)
    return _consent_done(access, consent, _("De toestemming geldt weer, zoals eerst."))


@bp.post("/toestemming/<int:consent_id>/intrekken")
@login_required
def revoke_consent(family_id: int, consent_id: int):
    access = require_access(family_id)
    consent = _visible_consent(access, consent_id)
    try:
        services.revoke(access, consent, _form_version())
    except services.NotAllowed:
        abort(403)
    except Stale:
        return _consent_changed(access, consent, services.REVOKE)
    except services.Invalid as exc:
        return _consent_done(access, consent, _(str(exc)), "error")
    return _consent_done(access, consent, _(
        "De toestemming is ingetrokken. Vanaf nu ziet niemand meer iets op grond van deze toestemming."
    ))


# --- shielding -----------------------------------------------------------------------------
def _shield_form(access: Access) -> ShieldForm:
    form = ShieldForm()
    subjects = services.persons_i_shield_for(access)
    form.subject.choices = [(p.id, p.name) for p in subjects]
    form.participant.choices = [
        (p.id, participant_name(access, p, True))
        for p in access.visible_participants if p.id != access.participant.id
    ]
    subject_ids = {p.id for p in subjects}
    records = services.records_about(access, subject_ids) if subject_ids else []
    form.target.choices = [(f"cat:{code}", _("Alle informatie: %(cat)s", cat=_(label)))
                           for code, label in Category.choices()]
    form.target.choices += [(f"record:{r.id}", _record_title(r)) for r in records]
    return form


def _record_title(record: Record) -> str:
    """What a record is called in lists (only ever shown to whoever may read the record)."""
    if record.kind == "involvement":
        return _("Dat %(name)s meehelpt", name=record.participant.display_name)
    return (getattr(record, "title", None) or getattr(record, "what", None)
            or getattr(record, "name", None) or _("Informatie"))  # name: a network entry


@bp.route("/afscherming", methods=["GET", "POST"])
@login_required
def shields(family_id: int):
    access = require_access(family_id)
    form = _shield_form(access)
    can_shield = bool(form.subject.choices)
    error = None
    if request.method == "POST":
        if not can_shield:
            abort(403)
        if form.validate_on_submit():
            kind, _sep, value = (form.target.data or "").partition(":")
            try:
                services.add_shield(
                    access, form.subject.data, form.participant.data,
                    int(value) if kind == "record" else None,
                    value if kind == "cat" else None, form.reason.data or "",
                )
            except services.NotAllowed:
                abort(403)
            except services.Invalid as exc:
                error = _(str(exc))
            else:
                flash(_("Afgeschermd. Vanaf nu ziet deze persoon dit niet meer."), "ok")
                return redirect(url_for("privacy.shields", family_id=family_id))
    shields = services.shields_visible_to(access)
    return render_template(
        "privacy/shields.html", access=access, form=form, can_shield=can_shield, error=error,
        shields=shields, **_shield_helpers(access, shields),
    ), 422 if request.method == "POST" else 200


def _shield_helpers(access: Access, shields: list[Shield]) -> dict:
    """What a shield's card (privacy/_shield.html) needs besides the shield."""
    return dict(
        # a record's title only where this viewer may read the record itself
        titles={
            s.id: _record_title(s.record) for s in shields
            if s.record is not None and access.decide(s.record).allowed
        },
        may_lift=lambda s: services.may_lift(access, s),
        changed_by=lambda user_id: _changed_by(access, user_id),
    )


def _visible_shield(access: Access, shield_id: int) -> Shield:
    """A shield the viewer may see, or 404: one set against them is not there for them."""
    shield = next((s for s in services.shields_visible_to(access) if s.id == shield_id), None)
    if shield is None:
        abort(404)
    return shield


def _shield_anchor(family_id: int, shield: Shield) -> str:
    return url_for("privacy.shields", family_id=family_id) + f"#afscherming-{shield.id}"


def _shield_fragment(access: Access, shield: Shield, status: int = 200, **context):
    return render_template(
        "privacy/_shield.html", access=access, s=shield, **_shield_helpers(access, [shield]),
        **context,
    ), status


@bp.get("/afscherming/<int:shield_id>")
@login_required
def shield_card(family_id: int, shield_id: int):
    """One shield's card, for htmx ('Laat maar'); otherwise the shields page at that card."""
    access = require_access(family_id)
    shield = _visible_shield(access, shield_id)
    if htmx and not htmx.boosted:
        return _shield_fragment(access, shield)
    return redirect(_shield_anchor(family_id, shield))


@bp.post("/afscherming/<int:shield_id>/opheffen")
@login_required
def lift_shield(family_id: int, shield_id: int):
    access = require_access(family_id)
    shield = _visible_shield(access, shield_id)
    try:
        services.lift_shield(access, shield, _form_version())
    except services.NotAllowed:
        abort(403)
    except Stale:
        return _shield_changed(access, shield)
    except services.Invalid as exc:
        message, kind = _(str(exc)), "error"
    else:
        message, kind = _("De afscherming is opgeheven."), "ok"
    if htmx and not htmx.boosted:
        return _shield_fragment(access, shield, 200 if kind == "ok" else 422,
                                notice=message, notice_kind=kind)
    flash_at(f"afscherming-{shield.id}", message, kind)
    return redirect(_shield_anchor(family_id, shield))


def _shield_changed(access: Access, shield: Shield):
    """409: the shield changed (was lifted) since the page was loaded; nothing was done."""
    access.now = utcnow()  # as it is now, not when this request began
    stale = StaleAction("lift", services.may_lift(access, shield))
    if htmx and not htmx.boosted:
        return _shield_fragment(access, shield, 409, stale=stale)
    return render_template(
        "privacy/changed.html", access=access, kind="shield", card="privacy/_shield.html",
        s=shield, stale=stale, **_shield_helpers(access, [shield]),
    ), 409


# --- emergency access ----------------------------------------------------------------------
@bp.route("/doorbreken", methods=["GET", "POST"])
@login_required
def emergency(family_id: int):
    access = require_access(family_id)
    if not access.viewer.role.is_professional:
        abort(404)
    form = EmergencyForm()
    form.subject.choices = [(p.id, p.name) for p in access.persons]
    hours = current_app.config["EMERGENCY_ACCESS_HOURS"]
    error = None
    if form.validate_on_submit():
        try:
            item = services.break_glass(access, services.EmergencyInput(
                subject_id=form.subject.data, category=form.category.data, aim=form.aim.data,
                without_information=form.without_information.data,
                consent_attempts=form.consent_attempts.data, weighing=form.weighing.data,
                needed=form.needed.data, withhold_from_family=form.withhold_from_family.data,
                withhold_reason=form.withhold_reason.data or "",
            ), hours)
        except services.Invalid as exc:
            error = _(str(exc))
        else:
            flash(_("Je hebt %(hours)s uur toegang. De casusregisseur is op de hoogte gebracht.", hours=hours), "ok")
            return redirect(url_for("privacy.emergency_detail", family_id=family_id, emergency_id=item.id))
    mine = services.emergencies_visible_to(access)
    return render_template(
        "privacy/emergency.html", access=access, form=form, hours=hours, error=error, items=mine,
    ), 422 if form.is_submitted() else 200


@bp.get("/doorbreken/<int:emergency_id>")
@login_required
def emergency_detail(family_id: int, emergency_id: int):
    access = require_access(family_id)
    item = next((e for e in services.emergencies_visible_to(access) if e.id == emergency_id), None)
    if item is None:
        abort(404)
    return render_template("privacy/emergency_detail.html", access=access, item=item)


@bp.post("/doorbreken/<int:emergency_id>/beeindigen")
@login_required
def end_emergency(family_id: int, emergency_id: int):
    access = require_access(family_id)
    item = next((e for e in services.emergencies_visible_to(access) if e.id == emergency_id), None)
    if item is None:
        abort(404)
    try:
        services.end_emergency(access, item)
    except services.NotAllowed:
        abort(404)
    flash(_("De toegang is beëindigd."), "ok")
    return redirect(url_for("privacy.emergency_detail", family_id=family_id, emergency_id=item.id))


# --- who looked, inzage --------------------------------------------------------------------
@bp.get("/wie-keek")
@login_required
def who_looked(family_id: int):
    access = require_access(family_id)
    persons = services.persons_i_see_log_for(access)
    if not persons:
        abort(404)
    record_id = request.args.get("record", type=parse_id)
    include_own = request.args.get("ook_van_mij") == "1"
    page = request.args.get("pagina", default=1, type=parse_id) or 1
    ids = {p.id for p in persons}
    events = services.log_for_persons(access, ids, record_id, include_own=include_own)
    pages = max(1, -(-len(events) // LOG_PAGE))
    page = min(page, pages)
    visible = {r.id: r for r in services.records_about(access, ids)}
    return render_template(
        "privacy/who_looked.html", access=access, records=visible, persons=persons,
        events=events[(page - 1) * LOG_PAGE: page * LOG_PAGE], page=page, pages=pages,
        record_id=record_id, include_own=include_own, record_title=_record_title,
    )


LOG_PAGE = 50  # events per page of "Wie keek?"


#: the free-text fields of each kind of record, for "alles wat samenplan over je weet"
RECORD_TEXT_FIELDS = ("description", "body", "relation", "note", "helper", "worked", "not_worked")


def _record_text(record: Record) -> str:
    return "\n".join(text for name in RECORD_TEXT_FIELDS
                     if (text := (getattr(record, name, None) or "").strip()))


def _inzage_data(access: Access) -> dict:
    persons = services.persons_i_see_log_for(access)
    ids = {p.id for p in persons}
    records = services.records_about(access, ids)
    consents = [c for c in services.consents_visible_to(access) if c.subject_id in ids]
    shields = [s for s in services.shields_visible_to(access) if s.subject_id in ids]
    emergencies = services.emergencies_visible_to(access, ids)
    events = services.log_for_persons(access, ids)
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "gemaakt_op": iso(access.now),
        "personen": [
            {"id": p.id, "naam": p.name, "geboortedatum": iso(p.date_of_birth), "lvb": p.lvb,
             "gezag": [h.name for h in p.authority_holders],
             "voogd": [o.name for o in p.authority_organisations],
             "vertegenwoordigers": [
                 {"als": r.kind, "wie": r.representative.name if r.representative else r.organisation.name}
                 for r in p.representatives
                 if policy.can_see_representation(access.viewer, p.id, r.kind, access.facts,
                                                  access.now).allowed],
             "huishouden": p.household}
            for p in persons
        ],
        "gegevens": [
            {"id": r.id, "soort": r.kind, "categorie": r.effective_category,
             "over": [s.name for s in r.effective_subjects], "titel": _record_title(r),
             "tekst": _record_text(r),
             "gemaakt": iso(r.created_at), "gewijzigd": iso(r.updated_at)}
            for r in records
        ],
        "toestemmingen": [
            {"id": c.id, "over": c.subject.name,
             "aan": _grantee_name(access, c), "alleen_gegeven": c.record_id,
             "categorieen": [x.category for x in c.categories], "doel": c.purpose,
             "vanaf": iso(c.start_at), "tot": iso(c.end_at), "ingetrokken": iso(c.revoked_at),
             "status": services.consent_status(access, c).state}
            for c in consents
        ],
        "afschermingen": [
            {"id": s.id, "over": s.subject.name, "voor": s.participant.display_name,
             "gegeven": s.record_id, "categorie": s.category, "opgeheven": iso(s.lifted_at)}
            for s in shields
        ],
        "doorbreken": [
            {"id": e.id, "door": e.participant.display_name, "over": e.subject.name,
             "categorie": e.category, "van": iso(e.start_at), "tot": iso(e.end_at),
             "reden": e.aim}
            for e in emergencies
        ],
        "logboek": [
            {"wanneer": iso(e.at), "wie": e.actor.name if e.actor else None, "wat": e.action,
             "gegeven": e.record_id, "categorie": e.category, "grond": e.ground}
            for e in events
        ],
    }


@bp.get("/inzage")
@login_required
def inzage(family_id: int):
    access = require_access(family_id)
    if not services.persons_i_see_log_for(access):
        abort(404)
    return render_template("privacy/inzage.html", access=access, data=_inzage_data(access))


@bp.get("/inzage.json")
@login_required
def inzage_json(family_id: int):
    access = require_access(family_id)
    if not services.persons_i_see_log_for(access):
        abort(404)
    body = json.dumps(_inzage_data(access), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="samenplan-inzage-{access.now:%Y%m%d}.json"',
        "Cache-Control": "no-store",
    })


# the consent round at the kitchen table: its screens are on this blueprint too
from samenplan.privacy.round_views import back_to_round  # noqa: E402
