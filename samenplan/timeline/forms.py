from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from samenplan.domain.vocabulary import TimelineKind
from samenplan.forms import CheckboxesField
from samenplan.privacy.facts import Category


class TimelineEventForm(FlaskForm):
    # the version the entry was loaded at: a save from an older one gets the merge screen
    version = HiddenField(validators=[Optional()])
    kind = RadioField(
        _l("Wat voor stuk is het?"), choices=[(code, _l(label)) for code, label in TimelineKind.choices()],
        validators=[DataRequired(_l("Kies of het eerdere hulp is of een gebeurtenis."))],
    )
    title = StringField(
        _l("Wat was het?"),
        validators=[DataRequired(_l("Schrijf op wat er was.")), Length(max=300)],
        description=_l("Bijvoorbeeld: gesprekken bij de GGZ, of: ons tweede kind is geboren."),
    )
    subjects = CheckboxesField(
        _l("Over wie gaat het?"), coerce=int,
        validators=[DataRequired(_l("Kies minstens één persoon."))],
    )
    # nothing chosen in advance (DESIGN.md §3): earlier GGZ help is Gezondheid, debt help Geld
    category = SelectField(
        _l("Wat voor informatie is dit?"),
        choices=[("", _l("Kies wat voor informatie dit is"))]
        + [(code, _l(label)) for code, label in Category.choices()],
        validators=[DataRequired(_l("Kies wat voor informatie dit is. Dat bepaalt wie het mag zien."))],
        description=_l("Dit bepaalt wie het mag zien."),
    )
    start_date = DateField(_l("Wanneer (of: vanaf wanneer)?"),
                           validators=[DataRequired(_l("Zet erbij wanneer het was."))])
    end_date = DateField(_l("Tot wanneer? (alleen bij hulp; leeg als het nog loopt)"),
                         validators=[Optional()])
    helper = StringField(_l("Wie hielp? (alleen bij hulp)"), validators=[Optional(), Length(max=200)],
                         description=_l("Bijvoorbeeld de naam van de organisatie."))
    worked = TextAreaField(_l("Wat hielp? (alleen bij hulp)"), validators=[Optional(), Length(max=5000)])
    not_worked = TextAreaField(_l("Wat hielp niet? (alleen bij hulp)"),
                               validators=[Optional(), Length(max=5000)])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("De einddatum ligt vóór de begindatum."))


class PersonFilterForm(FlaskForm):
    """The per-person filter of the tijdlijn: a plain GET form, no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    persoon = SelectField(_l("Laat zien over"), coerce=int, validate_choice=False)
