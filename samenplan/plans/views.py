from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from samenplan.extensions import htmx, login_manager
from samenplan.goals.forms import with_action_forms
from samenplan.plans import live
from samenplan.plans.printing import load_print
from samenplan.plans.services import load_plan
from samenplan.notices.services import unread
from samenplan.web import not_activity, require_access

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
        live_stand=live.seal(view.live),
    )


@bp.get("/gezin/<int:family_id>/veranderd")
@not_activity
def changed(family_id: int):
    """The open plan's poll (plans/live.py): 304 with no body while nothing the reader may see
    changed, else the notice. Shows no record, so it writes no audit event."""
    if not current_user.is_authenticated:
        # logged out while the page was open: stop polling rather than swap a login page in
        return ("", 286) if htmx else login_manager.unauthorized()
    access = require_access(family_id)
    result = live.answer(access, request.args.get("stand"), request.headers.get("If-None-Match"))
    # the answer holds no personal data: the browser may keep it, to ask "still the same?"
    headers = {"ETag": f'"{result.etag}"', "Cache-Control": "private, no-cache"}
    if result.not_modified:
        return "", 304, headers
    # htmx stops polling at 286: the notice stays as it is, and is not read out again
    status = 286 if result.changed and htmx else 200
    return (render_template("plans/_live_notice.html", access=access, changed=result.changed),
            status, headers)


@bp.get("/gezin/<int:family_id>/afdrukken")
@login_required
def print_plan(family_id: int):
    access = require_access(family_id)
    return render_template("plans/plan.html", **_print_context(access))


@bp.get("/gezin/<int:family_id>/afdrukken.pdf")
@login_required
def print_pdf(family_id: int):
    """The print page as a PDF (WeasyPrint), made from the same HTML as `print_plan`."""
    from samenplan.plans.pdf import html_to_pdf

    access = require_access(family_id)
    html = render_template("plans/plan.html", pdf=True, **_print_context(access))
    name = "".join(c for c in access.family.name.lower() if c.isalnum()) or "gezin"
    return current_app.response_class(html_to_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="plan-{name}.pdf"',
        "Cache-Control": "no-store",  # personal data
    })


def _print_context(access) -> dict:
    printed = load_print(access)
    return dict(access=access, view=printed.plan, printed=printed, printing=True,
                notifications=[])
