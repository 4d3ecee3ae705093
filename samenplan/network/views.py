"""/gezin/<id>/netwerk: the network map and its list, adding and changing an entry."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from samenplan.goals.reading import MergeRow, _in_words, in_words, load_history
from samenplan.network import reading, services
from samenplan.network.forms import NetworkMemberForm
from samenplan.network.models import NetworkMember
from samenplan.privacy.access import Access
from samenplan.privacy.facts import Category
from samenplan.records.history import Stale
from samenplan.web import load_or_404, loaded_version, participant_name, require_access

bp = Blueprint("network", __name__, url_prefix="/gezin/<int:family_id>/netwerk")

MERGED = ("name", "relation", "subjects", "category", "effect", "gives_now", "could_give", "note")


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


def _draft_audience(access: Access, form):
    category = Category.parse(form.category.data) or Category.ALGEMEEN
    valid = {p.id for p in access.persons}
    return access.audience_for_draft([i for i in (form.subjects.data or []) if i in valid], category)


def _merge_rows(member: NetworkMember, form) -> list[MergeRow]:
    theirs = {
        "name": member.name, "relation": member.relation,
        "subjects": [p.id for p in member.effective_subjects], "category": member.effective_category,
        "effect": member.effect, "gives_now": list(member.gives_now),
        "could_give": list(member.could_give), "note": member.note,
    }
    return [MergeRow(str(form[n].label.text), _in_words(form[n], theirs[n]), _in_words(form[n], form[n].data))
            for n in MERGED]


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


def _save(access: Access, member: NetworkMember | None):
    form = _form(access, member)
    theirs, error = None, None
    status = 200
    if form.validate_on_submit():
        try:
            if member is None:
                saved = services.create_member(access, _input(form))
            else:
                saved = services.update_member(access, member, _input(form))
        except services.NotAllowed:
            abort(404)
        except Stale as exc:
            access.session.refresh(exc.record)
            form.version.data = exc.record.version
            theirs, status = _merge_rows(exc.record, form), 409
        except services.Widening as exc:
            access.session.rollback()
            names = ", ".join(dict.fromkeys(participant_name(access, p, True) for p in exc.newly))
            form.category.errors = [_(
                "Dit kan niet: dan zien ook %(names)s dit, en zij mochten het nog niet zien. "
                "Alleen wie toestemming geeft voor de mensen over wie het gaat, kan het zo "
                "veranderen. Vraag het hen, of kies een kleinere groep.", names=names,
            )]
        except services.Invalid as exc:
            access.session.rollback()
            error = _(str(exc))
        else:
            # the confirmation is where the eye is: on the entry just saved
            return redirect(_list_url(access, saved.id, saved=True))
    if form.is_submitted() and status == 200:
        status = 422
    # a harmful contact who takes part: say on the form that they will never read this
    linked = member is not None and member.participant_id is not None
    hidden_from = member.name if linked and form.effect.data == "schaadt" else None
    return render_template(
        "network/form_page.html", access=access, form=form, member=member, theirs=theirs, error=error,
        hidden_from=hidden_from,
        audience=_draft_audience(access, form),
    ), status


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new(family_id: int):
    access = require_access(family_id)
    if not access.may_create(services.KIND):
        abort(404)
    return _save(access, None)


@bp.route("/<int:member_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(family_id: int, member_id: int):
    access = require_access(family_id)
    member = load_or_404(access, NetworkMember, member_id)
    if not access.can_edit(member, services.KIND).allowed:
        abort(404)
    return _save(access, member)


@bp.get("/<int:member_id>/geschiedenis")
@login_required
def history(family_id: int, member_id: int):
    access = require_access(family_id)
    member = load_or_404(access, NetworkMember, member_id)
    return render_template(
        "records/history.html", access=access, title=member.name,
        back_url=_list_url(access, member.id), back_label=_("Terug naar het netwerk"),
        entries=load_history(access, member, reading.FIELD_LABELS),
        in_words=lambda field, value: _history_words(access, field, value),
    )


def _history_words(access: Access, field: str, value) -> str:
    from samenplan.domain.vocabulary import ContactEffect, SupportKind

    if field == "effect" and ContactEffect.parse(value) is not None:
        return _(ContactEffect(value).label)
    if field in ("gives_now", "could_give"):
        return ", ".join(_(SupportKind(c).label) for c in value or [] if SupportKind.parse(c)) or _("(leeg)")
    if field == "participant_id":
        return _("ja") if value else _("nee")
    return in_words(access, field, value)
