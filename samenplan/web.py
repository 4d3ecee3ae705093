"""Small helpers shared by the views."""
from __future__ import annotations

from flask import Response, abort, current_app, has_request_context, render_template, request, url_for
from flask_login import current_user
from werkzeug.sansio.utils import host_is_trusted

from samenplan import db
from samenplan.config import PublicURLMissing
from samenplan.extensions import htmx
from samenplan.privacy.access import Access, access_for, took_part_before


def not_activity(view):
    """Marks a view that a page calls by itself (the live plan's poll): its requests do not
    count as the user being active, so an open tab does not keep an idle login open."""
    view.not_activity = True
    return view


def require_access(family_id: int) -> Access:
    """The current user's access to this family's plan; 404 when they take no part in it."""
    access = access_for(db.session(), current_user, family_id)
    if access is None:
        if current_user.is_authenticated and took_part_before(db.session(), current_user, family_id):
            from flask_babel import gettext as _

            abort(Response(render_template(
                "error.html", code=404, title=_("Je doet niet meer mee aan dit plan"),
                text=_("Je deel in dit plan is beëindigd. Daarom kun je het niet meer zien. "
                       "Denk je dat dit niet klopt? Vraag het de casusregisseur."),
            ), 404))
        abort(404)
    return access


def load_or_404(access: Access, model, record_id: int):
    """One record through the privacy door, or 404: whether it does not exist or may not be
    seen looks the same (flaskr's `get_post`). Every route that shows one record starts here."""
    record = access.get(model, record_id)
    if record is None:
        abort(404)
    return record


def draft_audience(access: Access, form):
    """"Zichtbaar voor" of a record still being written (any record's form with `subjects` and
    `category`): whom it would reach with the subjects ticked (of this family only) and the
    category chosen; nothing chosen yet: whom the subjects' general information reaches."""
    from samenplan.privacy.facts import Category

    category = Category.parse(form.category.data) or Category.ALGEMEEN
    valid_ids = {p.id for p in access.persons}
    subject_ids = [i for i in (form.subjects.data or []) if i in valid_ids]
    return access.audience_for_draft(subject_ids, category)


def loaded_version(value) -> int | None:
    """The version a form says it was loaded at (records/history.py); anything that is not a
    plain number counts as unknown, and a save from an unknown version is stale."""
    try:
        return int(str(value)) if value not in (None, "") and len(str(value)) < 10 else None
    except ValueError:
        return None


def merge_rows(access: Access, stale, form, rows_of) -> list:
    """A stale save (records/history.py `Stale`) becomes the merge screen: the record as it is
    now (reloaded) next to what was typed, which stays in `form`; the form now names the
    current version, so saving it again is a knowing choice. `rows_of(record, form)` makes the
    screen's rows (the feature's `*_merge_rows`)."""
    access.session.refresh(stale.record)
    form.version.data = stale.record.version
    return rows_of(stale.record, form)


def page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """The whole page for a normal request, only the partial for an htmx request.
    The page template includes the same partial, so there is one source of truth."""
    template = fragment if htmx and not htmx.boosted else page
    return render_template(template, **context), status


#: stands for the id while a URL pattern is made (`url_pattern`): a number no record has
_ANY_ID = 9_007_199_254_740_993


def url_pattern(endpoint: str, key: str, **values):
    """`url_for(endpoint, **values, key=n)` for any id n, from one `url_for` (a page of forty
    goal cards has three hundred links and forms): the URL is built once with a stand-in for
    the id, which each call replaces by the id, an int."""
    probe = url_for(endpoint, **values, **{key: _ANY_ID})
    before, found, after = probe.partition(str(_ANY_ID))
    if not found or str(_ANY_ID) in after:
        raise ValueError(f"{endpoint}: {key} is not one part of its URL")

    def url(record_id: int) -> str:
        return f"{before}{int(record_id)}{after}"

    return url


def public_base() -> str:
    """Where this samenplan lives, as `scheme://host`, for links that leave the site (e-mail, a
    login provider's redirect). Never taken from a request header that is not trusted:
    PUBLIC_URL first; else the request's host, but only when TRUSTED_HOSTS names it (Flask has
    then refused every other Host already); else SERVER_NAME. Without any of them there is no
    safe base: PublicURLMissing (the app shows a Dutch error page and logs why)."""
    config = current_app.config
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"].rstrip("/")
    trusted = config.get("TRUSTED_HOSTS")
    in_request = has_request_context()
    if trusted and in_request and host_is_trusted(request.host, trusted):
        return request.host_url.rstrip("/")
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    current_app.logger.error(
        "refusing to build a link from the Host header %r: set PUBLIC_URL (or TRUSTED_HOSTS)",
        request.host if in_request else "(no request: a command)",
    )
    raise PublicURLMissing("PUBLIC_URL is not set and the request's host is not trusted")


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail or a login provider, on `public_base()`: never on an
    untrusted Host header, or a forged Host would mail a victim a link to an attacker's site,
    with the token in it (password-reset poisoning). Works outside a request too (a command
    such as `send-reminders`): the path is built on its own, never absolute on SERVER_NAME."""
    return public_base() + app_path(endpoint, **values)


def app_path(endpoint: str, **values) -> str:
    """The path of `endpoint` (with the application root), in a request or outside one, where
    `url_for` would make an absolute URL on SERVER_NAME, or fail without it."""
    if has_request_context():
        return url_for(endpoint, _external=False, **values)
    config = current_app.config
    adapter = current_app.url_map.bind(config.get("SERVER_NAME") or "localhost",
                                       script_name=config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


def notice_text(notification) -> str:
    """A notification in the reader's language, from its kind and parameters."""
    from datetime import date, datetime

    from flask_babel import format_date, format_datetime, gettext

    from samenplan.privacy.facts import Category
    from samenplan.privacy.labels import NOTICE_TEXTS

    template = NOTICE_TEXTS.get(notification.kind)
    if template is None:
        return gettext("Er is iets veranderd in het plan.")
    params = dict(notification.params or {})
    if "category" in params:
        params["category"] = gettext(Category(params["category"]).label)
    if "categories" in params:
        params["what"] = gettext("één stuk informatie") if params.get("one_record") else ", ".join(
            gettext(Category(c).label) for c in params["categories"])
    for key in ("due", "day"):  # a reminder's day: "3 december"
        if key in params:
            params[key] = format_date(date.fromisoformat(params[key]), "d MMMM")
    if "until" in params:
        params["until"] = format_datetime(datetime.fromisoformat(params["until"]), "d MMMM HH:mm")
    return gettext(template, **params)


def say(message) -> str:
    """A message from a service or the domain in the reader's language: a plain message id
    (marked with `samenplan.domain.i18n._`), or a `Message` with its parameters."""
    from flask_babel import gettext

    from samenplan.domain.i18n import Message

    if isinstance(message, Message):
        return gettext(message.msgid, **message.params)
    return gettext(str(message))


def shown_function(access: Access, participant) -> str:
    """A participant's role as this viewer reads it: the casusregisseur is "vaste
    hulpverlener" to the family and the network (DESIGN.md §7); anyone else's role as written."""
    from flask_babel import gettext

    from samenplan.privacy.facts import Role

    if participant.role is Role.CASUSREGISSEUR and not access.viewer.role.is_professional:
        return gettext("vaste hulpverlener")
    return participant.function or ""


def participant_name(access: Access, participant, with_organisation: bool = False) -> str:
    """A participant's name as this viewer may see it: "een hulpverlener" for a professional
    whose participation the viewer may not know of (it says something about someone)."""
    from flask_babel import gettext

    if participant is None:
        return ""
    if not access.sees_participant(participant):
        return gettext("een hulpverlener")
    name = participant.display_name
    if with_organisation and participant.organisation is not None:
        name = f"{name} ({participant.organisation.name})"
    return name
