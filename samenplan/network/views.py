"""/gezin/<id>/netwerk: the network map and its list, adding and changing an entry."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.goals.reading import in_words
from samenplan.network import reading, services
from samenplan.network.forms import NetworkMemberForm
from samenplan.network.models import NetworkMember
from samenplan.privacy.access import Access
from samenplan.records.edit_views import Editing, history_page, save
from samenplan.web import load_or_404, loaded_version, require_access

bp = Blueprint("network", __name__, url_prefix="/gezin/<int:family_id>/netwerk")

def _form(access: Access, member: NetworkMember | None = None) -> NetworkMemberForm:
    form = NetworkMemberForm()
    form.subjects.choices = [(p.id, p.first_name) for p in access.persons]
    if member is not None and request.method == "GET":
        form.version.data = member.version
        form.name.data, form.relation.data = member.name, member.relation
        form.subjects.data = [p.id for p in member.effective_subjects]
        form.category.data = member.effective_category
        form.effect.data = member.effect
        form.gives_now.data, form.could_give.data = list(member.gives_now), list(member.could_give)
        form.note.data = member.note
    return form


def _input(form: NetworkMemberForm) -> services.MemberInput:
    return services.MemberInput(
        name=form.name.data or "", relation=form.relation.data or "",
        subject_ids=list(form.subjects.data or []), category=form.category.data or "",
        effect=form.effect.data or "", gives_now=list(form.gives_now.data or []),
        could_give=list(form.could_give.data or []), note=form.note.data or "",
        version=loaded_version(form.version.data),
    )


def _saved_values(member: NetworkMember) -> dict:
    return {
        "name": member.name, "relation": member.relation,
        "subjects": [p.id for p in member.effective_subjects], "category": member.effective_category,
        "effect": member.effect, "gives_now": list(member.gives_now),
        "could_give": list(member.could_give), "note": member.note,
    }


def _hidden_from(access: Access, form, member: NetworkMember | None) -> dict:
    """A harmful contact who takes part: the form says that they will never read this."""
    linked = member is not None and member.participant_id is not None
    return {"hidden_from": member.name if linked and form.effect.data == "schaadt" else None}


def _list_url(access: Access, member_id: int | None = None, saved: bool = False) -> str:
    url = url_for("network.page", family_id=access.family_id, opgeslagen=member_id if saved else None)
    return f"{url}#netwerk-{member_id}" if member_id else url


@bp.get("")
@login_required
def page(family_id: int):
    access = require_access(family_id)
    views = [reading.member_view(access, m) for m in reading.visible_members(access)]
    return render_template(
        "network/page.html", access=access, saved=request.args.get("opgeslagen", type=int), members=views,
        map_members=reading.map_members(views), may_add=access.may_create(services.KIND),
    )


EDITING = Editing(
    template="network/form_page.html", form=_form, data=_input,
    create=services.create_member, update=services.update_member, saved_values=_saved_values,
    saved_url=lambda access, member: _list_url(access, member.id, saved=True), extra=_hidden_from,
)


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new(family_id: int):
    access = require_access(family_id)
    if not access.may_create(services.KIND):
        abort(404)
    return save(EDITING, access)


@bp.route("/<int:member_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(family_id: int, member_id: int):
    access = require_access(family_id)
    member = load_or_404(access, NetworkMember, member_id)
    if not access.can_edit(member, services.KIND).allowed:
        abort(404)
    return save(EDITING, access, member)


@bp.get("/<int:member_id>/geschiedenis")
@login_required
def history(family_id: int, member_id: int):
    access = require_access(family_id)
    member = load_or_404(access, NetworkMember, member_id)
    return history_page(access, member, member.name, _list_url(access, member.id),
                        _("Terug naar het netwerk"), reading.FIELD_LABELS, _history_words)


def _history_words(access: Access, field: str, value) -> str:
    from samenplan.domain.vocabulary import ContactEffect, SupportKind

    if field == "effect" and ContactEffect.parse(value) is not None:
        return _(ContactEffect(value).label)
    if field in ("gives_now", "could_give"):
        return ", ".join(_(SupportKind(c).label) for c in value or [] if SupportKind.parse(c)) or _("(leeg)")
    if field == "participant_id":
        return _("ja") if value else _("nee")
    return in_words(access, field, value)
