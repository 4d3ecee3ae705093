from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, Optional

from samenplan.domain.vocabulary import ActionEnding


class PauseForm(FlaskForm):
    reason = TextAreaField(_l("Waarom staat de hulp stil?"), validators=[Optional(), Length(max=2000)],
                           description=_l("Iedereen die in het plan meedoet, leest dit."))
    look_again_on = DateField(_l("Wanneer kijken jullie weer?"), validators=[Optional()])


class WordForm(FlaskForm):
    """Resuming (a word) or reopening (the reason)."""

    reason = TextAreaField(_l("Waarom?"), validators=[Optional(), Length(max=2000)])


class AgreeForm(FlaskForm):
    person_id = HiddenField()
    reason = TextAreaField(_l("Waarom niet?"), validators=[Optional(), Length(max=2000)])


class EndActionForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    how = RadioField(_l("Hoe eindigt deze actie?"), choices=[(code, _l(label)) for code, label in ActionEnding.choices()],
                     validators=[Optional()])
    note = TextAreaField(_l("Waarom niet meer nodig, of aan wie draag je hem over?"),
                         validators=[Optional(), Length(max=500)])


class ButtonForm(FlaskForm):
    """Only the CSRF token: the button pressed says it."""
