from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from samenplan.domain.vocabulary import RelapseLine
from samenplan.forms import CheckboxesField
from samenplan.privacy.facts import Category


class SectionForm(FlaskForm):
    """One entry of a plan section: new, changed, or on the merge screen. `horizon_date` is
    shown for a toekomstperspectief only, `still_to_find` for the help that is needed only,
    `relapse_line` and `phone` for the plan for when things go less well only (the service
    checks them: a choice is asked, none is preset)."""

    # the version the entry was loaded at: a save from an older one gets the merge screen
    version = HiddenField(validators=[Optional()])
    title = StringField(
        _l("Kop (mag leeg)"),
        validators=[Optional(), Length(max=300, message=_l("Maak de kop korter (hoogstens 300 tekens)."))],
    )
    body = TextAreaField(
        _l("Wat wil je opschrijven?"),
        validators=[DataRequired(_l("Schrijf iets op.")),
                    Length(max=10000, message=_l("Maak de tekst korter (hoogstens 10.000 tekens)."))],
        description=_l("In je eigen woorden."),
    )
    subjects = CheckboxesField(
        _l("Over wie gaat dit?"), coerce=int,
        validators=[DataRequired(_l("Kies minstens één persoon."))],
    )
    # nothing chosen in advance: "algemeen" by default would let the father see it
    category = SelectField(
        _l("Wat voor informatie is dit?"),
        choices=[("", _l("Kies wat voor informatie dit is"))]
        + [(code, _l(label)) for code, label in Category.choices()],
        validators=[DataRequired(_l("Kies wat voor informatie dit is. Dat bepaalt wie het mag zien."))],
        description=_l("Dit bepaalt wie het mag zien."),
    )
    horizon_date = DateField(
        _l("Wanneer moet dit duidelijk zijn?"), validators=[Optional()],
        description=_l("Meestal binnen een half jaar tot een jaar."),
    )
    still_to_find = BooleanField(_l("Deze hulp moet nog gevonden worden"))
    relapse_line = RadioField(
        _l("Wat voor regel is dit?"), choices=[(code, _l(label)) for code, label in RelapseLine.choices()],
        validators=[Optional()], validate_choice=False,
    )
    phone = StringField(
        _l("Telefoonnummer (mag leeg)"),
        validators=[Optional(), Length(max=40, message=_l("Maak het telefoonnummer korter."))],
        description=_l("Alleen bij ‘Wie we bellen’."),
        render_kw={"type": "tel", "autocomplete": "tel"},
    )


class ArchiveForm(FlaskForm):
    """Taking an entry off the plan, from the version the page showed."""

    version = HiddenField(validators=[Optional()])
