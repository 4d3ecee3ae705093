from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, TextAreaField, TimeField
from wtforms.validators import Length, Optional

from samenplan.forms import CheckboxesField


class EvaluationForm(FlaskForm):
    """An evaluation moment: new, changed, or on the merge screen (the casusregisseur)."""

    version = HiddenField(validators=[Optional()])
    day = DateField(_l("Datum"), validators=[Optional()])
    at = TimeField(_l("Tijd"), validators=[Optional()])
    place = StringField(_l("Waar?"), validators=[Optional(), Length(max=300)],
                        description=_l("Bijvoorbeeld: bij jullie thuis, of op kantoor."))
    video_url = StringField(_l("Of een videolink"), validators=[Optional(), Length(max=500)],
                            description=_l("Een link die begint met https://"))
    note = TextAreaField(_l("Wat wil je erbij zeggen?"), validators=[Optional(), Length(max=2000)])
    invitees = CheckboxesField(_l("Wie nodig je uit?"), coerce=int, validators=[Optional()])


class CancelForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    reason = TextAreaField(_l("Waarom gaat de evaluatie niet door?"),
                           validators=[Optional(), Length(max=1000)])


class AnswerForm(FlaskForm):
    """Only the CSRF token: the button pressed is the answer."""
