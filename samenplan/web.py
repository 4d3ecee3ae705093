"""Small helpers shared by the views."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
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


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail or a login provider. It is built on PUBLIC_URL (required
    in production), never on the Host header of the request that asked for it: otherwise a
    forged Host would mail a victim a link to an attacker's site, with the token in it."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + url_for(endpoint, **values)
