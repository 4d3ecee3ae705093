from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from samenplan.ids import parse_id


def _id_or_none(value):
    if value in (None, "", "0"):
        return None
    try:
        return parse_id(value)
    except (TypeError, ValueError):
        return -1  # no one's id: the service answers 404


class EscalateForm(FlaskForm):
    contact = SelectField(_l("Naar wie schaal je op?"), coerce=_id_or_none,
                          validate_choice=False, validators=[Optional()],
                          description=_l("Iemand van de organisatie die de actie doet."))
    reason = TextAreaField(_l("Waarom schaal je op?"), validators=[Optional(), Length(max=2000)],
                           description=_l("Deze tekst zien alle mensen die de actie mogen zien."))


class OutcomeForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    outcome = TextAreaField(_l("Wat heeft het opgeleverd?"),
                            validators=[Optional(), Length(max=2000)])
