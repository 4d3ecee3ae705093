from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, Optional

from samenplan.forms import CheckboxesField


class StartForm(FlaskForm):
    successor = RadioField(_l("Wie neemt het over?"), choices=[], validators=[Optional()],
                           validate_choice=False)
    switch_on = DateField(_l("Op welke dag neemt die het over?"), validators=[Optional()],
                          description=_l("Tot die dag zijn jullie allebei casusregisseur. Maak "
                                         "in die tijd samen kennis met het gezin."))
    reason = TextAreaField(_l("Waarom draag je over? (mag leeg blijven)"),
                           validators=[Optional(), Length(max=2000)],
                           description=_l("Iedereen die in het plan meedoet, leest dit."))


class MeetingForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    meeting_on = DateField(_l("Wanneer was de kennismaking?"), validators=[Optional()])
    persons = CheckboxesField(_l("Wie van het gezin was erbij?"), choices=[], coerce=str,
                              validators=[Optional()], validate_choice=False)
    note = TextAreaField(_l("Hoe ging het? (mag leeg blijven)"),
                         validators=[Optional(), Length(max=2000)])


class SwitchForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    old_chair_stops = BooleanField(_l("De vorige casusregisseur stopt met het werk in dit plan"),
                                   default=True)


class CancelForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    reason = TextAreaField(_l("Waarom gaat de overdracht niet door?"),
                           validators=[Optional(), Length(max=2000)])
