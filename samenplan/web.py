"""Small helpers shared by the views."""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from samenplan import db
from samenplan.extensions import htmx
from samenplan.privacy.access import Access, access_for


def require_access(family_id: int) -> Access:
    """The current user's access to this family's plan; 404 when they take no part in it."""
    access = access_for(db.session(), current_user, family_id)
    if access is None:
        abort(404)
    return access


def page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """The whole page for a normal request, only the partial for an htmx request.
    The page template includes the same partial, so there is one source of truth."""
    template = fragment if htmx and not htmx.boosted else page
    return render_template(template, **context), status
