from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from samenplan import db
from samenplan.db import utcnow
from samenplan.ids import parse_id
from samenplan.notices import services
from samenplan.web import notice_text

bp = Blueprint("notices", __name__)
bp.add_app_template_global(notice_text)


@bp.app_context_processor
def _unread_count():
    """The top bar's "Meldingen (3)": counted when a page shows it, in the request's one query."""
    def unread_count() -> int:
        if not current_user.is_authenticated:
            return 0
        return len(services.unread(db.session(), current_user.id))

    return {"unread_count": unread_count}


@bp.get("/meldingen")
@login_required
def index():
    page = request.args.get("pagina", default=1, type=parse_id) or 1
    items, pages = services.page_of(db.session(), current_user.id, page)
    return render_template("notices/index.html", items=items, page=min(page, pages), pages=pages)


@bp.post("/meldingen/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Read it and go where it points."""
    found = services.mark_read(db.session(), current_user.id, utcnow(), notification_id)
    if found is None:
        abort(404)
    return redirect(services.safe_link(found.link or url_for("notices.index")))


@bp.post("/meldingen/gelezen")
@login_required
def read_all():
    services.mark_read(db.session(), current_user.id, utcnow())
    flash(_("Alle meldingen zijn gelezen."), "ok")
    return redirect(url_for("notices.index"))
