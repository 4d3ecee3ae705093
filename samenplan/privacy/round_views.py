"""Screens of the consent round at the kitchen table (privacy/consent_round.py), and the button
that asks consent for someone an action or goal was given to (privacy/unseen.py). On the
privacy blueprint: /gezin/<id>/toestemming/ronde[/<person>|/klaar]."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.ids import parse_id
from samenplan.privacy import consent_round, services, unseen
from samenplan.privacy.access import Access
from samenplan.privacy.views import bp
from samenplan.records.history import Stale
from samenplan.web import loaded_version, require_access

ROUND_PATH = re.compile(r"^/gezin/(\d+)/toestemming/ronde(?:/(?:\d+|klaar))?$")


def back_to_round(access: Access, value: str | None) -> str | None:
    """Where a button on the round's screens goes back to: one of this family's round screens,
    never anywhere else (no open redirect)."""
    match = ROUND_PATH.match(value or "")
    if match and int(match.group(1)) == access.family_id:
        return value
    return None


def _round_helpers(access: Access) -> dict:
    return dict(
        start_url=url_for("privacy.round_start", family_id=access.family_id),
        end_url=url_for("privacy.round_end", family_id=access.family_id),
        step_url=lambda person: url_for("privacy.round_step", family_id=access.family_id,
                                        person_id=person.id),
        consent_url=lambda consent: url_for("privacy.consent", family_id=access.family_id)
        + f"#toestemming-{consent.id}",
    )


@bp.get("/toestemming/ronde")
@login_required
def round_start(family_id: int):
    access = require_access(family_id)
    mode = services.consent_mode(access)
    persons = consent_round.persons_of_round(access, mode)
    return render_template(
        "privacy/round_start.html", access=access, mode=mode, persons=persons,
        summary=consent_round.summary_of(access, persons), **_round_helpers(access),
    )


def _step_input() -> consent_round.StepInput:
    """The step's form as sent: ticked kinds per grantee ("mag:<grantee>"), what the screen
    showed ticked ("was:<grantee>"), the versions of the consents shown ("versie:<id>"), and
    who said yes at the table ("aan_tafel"). Anything that is no id is refused."""
    chosen: dict[str, set[str]] = {}
    shown: dict[str, set[str]] = {}
    versions: dict[int, int | None] = {}
    for name in request.form:
        prefix, _sep, rest = name.partition(":")
        if prefix == "mag":
            chosen[rest] = set(request.form.getlist(name))
        elif prefix == "was":
            shown[rest] = set(request.form.getlist(name))
        elif prefix == "versie":
            try:
                versions[parse_id(rest)] = loaded_version(request.form.get(name))
            except ValueError:
                raise services.Invalid(consent_round.NOT_OFFERED) from None
    try:
        at_table = [parse_id(v) for v in request.form.getlist("aan_tafel")]
    except ValueError:
        raise services.Invalid(consent_round.NOT_A_CONSENTER) from None
    return consent_round.StepInput(chosen, shown, at_table, versions)


def _after_step(access: Access, step: consent_round.Step):
    """Where the round goes after a step is saved: on ("verder") or back ("vorige")."""
    if request.form.get("naar") == "vorige" and step.previous is not None:
        return url_for("privacy.round_step", family_id=access.family_id, person_id=step.previous.id)
    if step.next is not None:
        return url_for("privacy.round_step", family_id=access.family_id, person_id=step.next.id)
    return url_for("privacy.round_end", family_id=access.family_id)


def _saved_message(step: consent_round.Step, result: consent_round.StepResult) -> str:
    if not result.created and not result.withdrawn:
        return _("Er is niets veranderd voor %(name)s.", name=step.person.first_name)
    message = _("Opgeslagen voor %(name)s.", name=step.person.first_name)
    if result.withdrawn:
        message += " " + _("Wat je uitvinkte, is ingetrokken.")
    if result.waiting_for:
        message += " " + _("Nog nodig: %(names)s. Wie een account heeft, krijgt een vraag in "
                           "samenplan.", names=consent_round.join_names(result.waiting_for))
    return message


@bp.route("/toestemming/ronde/<int:person_id>", methods=["GET", "POST"])
@login_required
def round_step(family_id: int, person_id: int):
    access = require_access(family_id)
    step = consent_round.step_of(access, person_id)
    if step is None:
        abort(404)
    error, status = None, 200
    if request.method == "POST":
        try:
            result = consent_round.save_step(access, person_id, _step_input())
        except services.NotAllowed:
            access.session.rollback()
            abort(403)
        except Stale:
            access.session.rollback()
            error, status = _("Er is intussen iets veranderd aan deze toestemming. Er is niets "
                              "opgeslagen. Kijk het nog eens na en sla dan opnieuw op."), 409
        except services.Invalid as exc:
            access.session.rollback()
            error, status = _(str(exc)), 422
        else:
            flash(_saved_message(step, result), "ok")
            return redirect(_after_step(access, step))
        access = require_access(family_id)  # as it is now: nothing of this request was kept
        step = consent_round.step_of(access, person_id)
    return render_template(
        "privacy/round_step.html", access=access, step=step, error=error,
        here=url_for("privacy.round_step", family_id=family_id, person_id=person_id),
        **_round_helpers(access),
    ), status


@bp.get("/toestemming/ronde/klaar")
@login_required
def round_end(family_id: int):
    access = require_access(family_id)
    return render_template(
        "privacy/round_end.html", access=access, end=consent_round.end_of(access),
        **_round_helpers(access),
    )


@bp.post("/toestemming/vraag-voor")
@login_required
def ask_for_reader(family_id: int):
    """ "Vraag Sandra om toestemming" under an action or goal given to someone who cannot see
    it: a request to whoever must consent (privacy/unseen.py); back to the goal."""
    access = require_access(family_id)
    try:
        record_id = parse_id(request.form.get("record", ""))
        participant_id = parse_id(request.form.get("deelnemer", ""))
    except ValueError:
        abort(404)
    try:
        asked = unseen.ask_for_reader(access, record_id, participant_id)
    except services.NotAllowed:
        abort(404)
    except services.Invalid as exc:
        access.session.rollback()
        flash(_(str(exc)), "error")
        asked = None
    else:
        if asked:
            flash(_("Gevraagd aan: %(names)s. Zij krijgen een bericht in samenplan.",
                    names=consent_round.join_names(asked)), "ok")
        else:
            flash(_("De toestemming is opgeslagen."), "ok")
    from samenplan.goals.models import Action

    record = access.session.get(Action, record_id)
    goal_id = record.goal_id if record is not None else record_id
    return redirect(url_for("plans.plan", family_id=family_id) + f"#doel-{goal_id}")
