from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from samenplan import db
from samenplan.families.models import Family, Participant

bp = Blueprint("families", __name__)


@bp.get("/")
@login_required
def home():
    participations = db.session().scalars(
        select(Participant)
        .where(Participant.user_id == current_user.id, Participant.active)
        .options(selectinload(Participant.family), selectinload(Participant.organisation))
        .join(Family)
        .order_by(Family.name)
    ).all()
    return render_template("families/home.html", participations=participations)
