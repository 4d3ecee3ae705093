from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from samenplan.goals.forms import with_action_forms
from samenplan.plans.services import load_plan
from samenplan.notices.services import unread
from samenplan.team.views import plan_extras
from samenplan.web import require_access

bp = Blueprint("plans", __name__)


@bp.get("/gezin/<int:family_id>")
@login_required
def plan(family_id: int):
    access = require_access(family_id)
    view = load_plan(access)
    with_action_forms(access, view.goals)
    return render_template(
        "plans/plan.html", access=access, view=view,
        notifications=[n for n in unread(access.session, access.user.id)
                       if n.family_id == access.family_id],
        **plan_extras(access, view),
    )
