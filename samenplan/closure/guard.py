"""Read-only when closed: the one guard (issue 13 item 2). A closed plan's content is not
changed any more; every POST to a route of a family's plan (its URL names the family) is
refused with a clear Dutch message, before the view runs, unless the route is one that keeps
working on a closed plan:

- the family's privacy rights: every route of the `privacy` blueprint (consent, revoking it,
  shields, emergency access, inzage, "wie keek?") — OPEN_BLUEPRINTS;
- reopening the plan, and the routes marked with `@allowed_on_closed` — the hook for nazorg
  check-ins and satisfaction answers (helper C): mark their views with it.

The door (privacy/access.py `Access.can_edit`, `may_create`) says no to editing on a closed plan
too, so view models show no editing buttons and services refuse if called some other way."""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
from sqlalchemy import select

from samenplan import db
from samenplan.domain.i18n import _
from samenplan.domain.vocabulary import PlanPhase

#: blueprints whose POST routes keep working on a closed plan (privacy rights)
OPEN_BLUEPRINTS = frozenset({"privacy", "notices", "auth", "languages"})

CLOSED_MESSAGE = _("Dit plan is afgerond. Je kunt het niet meer veranderen. Moet er toch iets "
                   "veranderen? Vraag je vaste hulpverlener het plan weer te openen.")


def allowed_on_closed(view):
    """Marks a view that keeps working on a closed plan (reopening it; nazorg check-ins and
    satisfaction answers)."""
    view.allowed_on_closed = True
    return view


def _is_closed_for_user(family_id: int) -> bool:
    """Closed, and the user takes part in it: to anyone else a closed plan looks like any other
    (the view answers them 404), so nobody learns another family's plan is closed."""
    from flask_login import current_user

    from samenplan.families.models import Participant
    from samenplan.plans.models import Plan

    if not current_user.is_authenticated:
        return False
    return db.session().scalar(
        select(Plan.phase).join(Participant, Participant.family_id == Plan.family_id)
        .where(Plan.family_id == family_id, Participant.user_id == current_user.id,
               Participant.active).limit(1)) is PlanPhase.CLOSED


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_on_closed_plan():
        if request.method in ("GET", "HEAD", "OPTIONS") or request.endpoint is None:
            return None
        family_id = (request.view_args or {}).get("family_id")
        if not isinstance(family_id, int):
            return None
        if request.blueprint in OPEN_BLUEPRINTS:
            return None
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, "allowed_on_closed", False):
            return None
        if not _is_closed_for_user(family_id):
            return None
        from flask_babel import gettext

        return render_template("error.html", code=409, title=gettext("Dit plan is afgerond"),
                               text=gettext(CLOSED_MESSAGE)), 409
