from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from samenplan.forms import CheckboxesField

from samenplan.privacy.facts import Category


def category_choices():
    return [(code, _l(label)) for code, label in Category.choices()]


class ConsentForm(FlaskForm):
    subject = SelectField(_l("Over wie gaat de informatie?"), coerce=int)
    grantee = SelectField(_l("Wie mag het zien?"))
    record = SelectField(  # checked by the service: a record the viewer may see, about the subject
        _l("Alles van een soort, of één ding?"), validate_choice=False,
        description=_l("Kies één ding als iemand alleen dat mag zien, bijvoorbeeld een afspraak "
                       "uit het veiligheidsplan."),
    )
    categories = CheckboxesField(
        _l("Welke informatie?"), choices=category_choices(), validators=[Optional()],
        description=_l("Niet nodig als je hierboven één ding kiest."),
    )
    purpose = TextAreaField(
        _l("Waarvoor?"), validators=[Optional(), Length(max=1000)],
        description=_l("Bijvoorbeeld: om samen te werken aan het plan."),
    )
    end_date = DateField(_l("Tot wanneer? (mag leeg)"), validators=[Optional()])
    how = SelectField(  # only for the casusregisseur; a family member gives it in the app
        _l("Hoe is de toestemming gegeven?"),
        choices=[("tafel", _l("Gezegd aan tafel")), ("papier", _l("Op papier")),
                 ("verzoek", _l("Nog niet: vraag het in samenplan"))],
        validate_choice=False,  # only the casusregisseur's form has it; the view reads it then
    )
    consenters = CheckboxesField(_l("Wie gaf toestemming?"), coerce=int)


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Waarom niet? (mag leeg)"), validators=[Optional(), Length(max=1000)])


class ShieldForm(FlaskForm):
    subject = SelectField(_l("Over wie gaat de informatie?"), coerce=int)
    participant = SelectField(_l("Wie mag het niet zien?"), coerce=int)
    target = SelectField(
        _l("Wat wil je verbergen?"),
        description=_l("Eén stuk informatie, of alles van één soort."),
    )
    reason = TextAreaField(_l("Waarom? (mag leeg)"), validators=[Optional(), Length(max=1000)])


class EmergencyForm(FlaskForm):
    subject = SelectField(_l("Over welk kind of welke persoon?"), coerce=int)
    category = SelectField(_l("Welke informatie?"), choices=category_choices())
    aim = TextAreaField(_l("1. Wat is het doel?"), validators=[DataRequired(_l("Beantwoord deze vraag.")), Length(max=4000)])
    without_information = TextAreaField(
        _l("2. Kun je dat doel ook bereiken zonder deze informatie? Waarom niet?"),
        validators=[DataRequired(_l("Beantwoord deze vraag.")), Length(max=4000)],
    )
    consent_attempts = TextAreaField(
        _l("3. Wat heb je gedaan om toestemming te krijgen?"),
        validators=[DataRequired(_l("Beantwoord deze vraag.")), Length(max=4000)],
    )
    weighing = TextAreaField(
        _l("4. Waarom weegt het gevaar voor het kind zwaarder dan het geheim van de ander?"),
        validators=[DataRequired(_l("Beantwoord deze vraag.")), Length(max=4000)],
    )
    needed = TextAreaField(
        _l("5. Wie heeft precies welke informatie nodig?"),
        validators=[DataRequired(_l("Beantwoord deze vraag.")), Length(max=4000)],
    )
    withhold_from_family = BooleanField(_l("Het gezin mag dit nu nog niet zien in het overzicht"))
    withhold_reason = TextAreaField(
        _l("Waarom zou het het kind in gevaar brengen als het gezin dit nu ziet?"),
        validators=[Optional(), Length(max=4000)],
    )
