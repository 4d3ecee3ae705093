from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField
from wtforms.validators import Optional

from samenplan import db
from samenplan.closure.guard import allowed_on_closed
from samenplan.domain.vocabulary import Role, SatisfactionQuestion, SatisfactionReply
from samenplan.families.models import Participant
from samenplan.satisfaction import reading, services
from samenplan.web import require_access

bp = Blueprint("satisfaction", __name__)


def _form() -> FlaskForm:
    class Form(FlaskForm):
        grade = RadioField(_l("Welk cijfer geef je de hulp? (1 tot en met 10)"),
                           choices=[(str(n), str(n)) for n in range(1, 11)],
                           validators=[Optional()], validate_choice=False)

    replies = [(r.value, _(r.label)) for r in SatisfactionReply]
    for question in SatisfactionQuestion:
        setattr(Form, question.value, RadioField(_(question.label), choices=replies,
                                                 validators=[Optional()], validate_choice=False))
    return Form()


@bp.route("/gezin/<int:family_id>/tevredenheid", methods=["GET", "POST"])
@allowed_on_closed
@login_required
def form(family_id: int):
    access = require_access(family_id)
    if not services.may_fill_in(access):
        abort(404)
    mine = services.own(access)
    the_form = _form()
    if mine is None and the_form.validate_on_submit():
        try:
            services.submit(access, the_form.grade.data,
                            {q.value: the_form[q.value].data for q in SatisfactionQuestion})
        except services.NotAllowed:
            abort(404)
        except services.Invalid as exc:
            access.session.rollback()
            the_form[exc.field].errors = [_(str(exc))]
        else:
            return redirect(url_for("satisfaction.form", family_id=family_id, opgeslagen=1))
    return render_template("satisfaction/form.html", access=access, form=the_form, mine=mine,
                           questions=list(SatisfactionQuestion),
                           reply_labels={r.value: r.label for r in SatisfactionReply},
                           saved=request.args.get("opgeslagen")), (
        422 if the_form.is_submitted() and mine is None else 200)


@bp.get("/tevredenheid")
@login_required
def totals():
    session = db.session()
    professional = session.scalar(select(Participant.id).where(
        Participant.user_id == current_user.id,
        Participant.role.in_((Role.PROFESSIONAL, Role.CASUSREGISSEUR))).limit(1))
    if professional is None:
        abort(404)
    groups = reading.totals(session, current_user, _("Gezinnen waarvan jij casusregisseur was"))
    return render_template("satisfaction/totals.html", groups=groups,
                           questions=list(SatisfactionQuestion), replies=list(SatisfactionReply),
                           minimum=reading.MIN_FAMILIES)
