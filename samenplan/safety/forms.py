from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from samenplan.domain.scaling import SCORE_MAX, SCORE_MIN
from samenplan.domain.vocabulary import SafetyItemKind
from samenplan.forms import CheckboxesField


class PlanForm(FlaskForm):
    """How long the safety plan applies, and when it is looked at again."""

    version = HiddenField(validators=[Optional()])
    applies_from = DateField(_l("Het plan geldt vanaf"), validators=[Optional()])
    applies_to = DateField(_l("Het plan geldt tot"), validators=[Optional()],
                           description=_l("Mag leeg: dan geldt het tot jullie het veranderen."))
    review_on = DateField(_l("Wanneer bekijken we het plan opnieuw?"), validators=[Optional()])


class ItemForm(FlaskForm):
    """One item of the safety plan: new, changed, or on the merge screen. `consenters` is
    shown to the casusregisseur only (consent given at the table)."""

    version = HiddenField(validators=[Optional()])
    item_kind = SelectField(
        _l("Wat voor afspraak is dit?"),
        choices=[("", _l("Kies wat voor afspraak dit is"))]
        + [(code, _l(label)) for code, label in SafetyItemKind.choices()],
        validators=[DataRequired(_l("Kies wat voor afspraak dit is."))],
    )
    title = StringField(
        _l("Kop (mag leeg)"),
        validators=[Optional(), Length(max=300, message=_l("Maak de kop korter (hoogstens 300 tekens)."))],
    )
    body = TextAreaField(
        _l("Wat spreken jullie af?"),
        validators=[DataRequired(_l("Schrijf de afspraak op.")),
                    Length(max=5000, message=_l("Maak de tekst korter (hoogstens 5.000 tekens)."))],
        description=_l("Bijvoorbeeld: wie de kinderen kunnen bellen, en wanneer."),
    )
    subjects = CheckboxesField(_l("Over wie gaat dit?"), coerce=int,
                               validators=[DataRequired(_l("Kies minstens één persoon."))])
    named = CheckboxesField(
        _l("Wie doet mee aan deze afspraak?"), coerce=int,
        description=_l("Wie je hier kiest, mag deze afspraak zien. Daarvoor is toestemming nodig."),
    )
    named_others = StringField(
        _l("Andere mensen (die niet in samenplan zitten)"),
        validators=[Optional(), Length(max=300, message=_l("Maak dit korter (hoogstens 300 tekens)."))],
        description=_l("Bijvoorbeeld: een tante of de buurman. Zij zien de afspraak niet in samenplan."),
    )
    consenters = CheckboxesField(
        _l("Wie gaf aan tafel toestemming?"), coerce=int,
        description=_l("Alleen voor wie nieuw in de afspraak staat. Vink niemand aan: dan vraagt "
                       "samenplan het hen."),
    )


class ExplanationForm(FlaskForm):
    """When and by whom the safety plan was explained to a child (also to correct it: from
    the version it was loaded at)."""

    version = HiddenField(validators=[Optional()])

    child_id = SelectField(_l("Aan welk kind?"), coerce=int,
                           validators=[InputRequired(_l("Kies een kind."))])
    explained_on = DateField(_l("Wanneer?"),
                             validators=[InputRequired(_l("Zet erbij wanneer het is uitgelegd."))])
    explained_by = StringField(
        _l("Wie legde het uit?"),
        validators=[DataRequired(_l("Schrijf op wie het heeft uitgelegd.")), Length(max=200)],
    )
    note = TextAreaField(_l("Wat wil je erover kwijt? (mag leeg)"),
                         validators=[Optional(), Length(max=2000)])


class AnswerForm(FlaskForm):
    """An answer on the safety scale, 0-10."""

    respondent = SelectField(_l("Wie antwoordt?"), validators=[DataRequired()])
    score = RadioField(
        _l("Hoe veilig is het thuis? 0 is helemaal niet veilig, 10 is helemaal veilig."),
        choices=[(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)],
        validators=[InputRequired(_l("Kies een cijfer van 0 tot en met 10."))],
    )
    why = StringField(_l("Wat maakt dat het dit cijfer is? (mag leeg)"),
                       validators=[Optional(), Length(max=1000)])
