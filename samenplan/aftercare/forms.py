"""The nazorg forms: planning check-ins (the casusregisseur) and answering one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from samenplan.aftercare.services import WORDS_MAX


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanForm(FlaskForm):
    at_closure = BooleanField(_l("Ook een vraag bij de afronding: hoe gaat het nu?"), default=True)
    suggested = CheckboxesField(_l("Wanneer vragen we hoe het gaat?"), validators=[Optional()],
                                validate_choice=False)
    other_day = DateField(_l("Of een andere dag"), validators=[Optional()])


class AnswerForm(FlaskForm):
    person = SelectField(_l("Met wie heb je gebeld?"), validators=[Optional()],
                         validate_choice=False)
    score = RadioField(_l("Hoe gaat het nu? Kies een cijfer van 0 tot en met 10"),
                       choices=[(str(n), str(n)) for n in range(11)], validators=[Optional()],
                       validate_choice=False,
                       description=_l("0 = het gaat helemaal niet goed, 10 = het gaat heel goed."))
    going_well = TextAreaField(_l("Wat gaat goed?"), validators=[Optional()],
                               render_kw={"maxlength": WORDS_MAX, "rows": 3})
    worries = TextAreaField(_l("Waar maak je je zorgen over?"), validators=[Optional()],
                            render_kw={"maxlength": WORDS_MAX, "rows": 3})
    wants_contact = BooleanField(_l("Ik wil graag contact met mijn vaste hulpverlener"))
    category = RadioField(_l("Wie mag dit lezen?"), validators=[Optional()], default="algemeen",
                          validate_choice=False, choices=[
                              ("algemeen", _l("Iedereen in het plan die algemene informatie over mij mag zien")),
                              ("gezondheid", _l("Alleen wie mijn informatie over gezondheid mag zien"))])
