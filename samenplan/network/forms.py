from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from samenplan.domain.vocabulary import ContactEffect, SupportKind
from samenplan.forms import CheckboxesField
from samenplan.privacy.facts import Category

SUPPORT_CHOICES = [(code, _l(label)) for code, label in SupportKind.choices()]


class NetworkMemberForm(FlaskForm):
    # the version the entry was loaded at: a save from an older one gets the merge screen
    version = HiddenField(validators=[Optional()])
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Schrijf de naam op.")), Length(max=200)])
    relation = StringField(
        _l("Wie is het voor jullie?"), validators=[Optional(), Length(max=100)],
        description=_l("Bijvoorbeeld: oma, buurvrouw, tante, vriend."),
    )
    subjects = CheckboxesField(
        _l("Voor wie in het gezin is deze persoon belangrijk?"), coerce=int,
        validators=[DataRequired(_l("Kies minstens één persoon."))],
    )
    # nothing chosen in advance (DESIGN.md §3): "algemeen" by default lets the whole family read it
    category = SelectField(
        _l("Wat voor informatie is dit?"),
        choices=[("", _l("Kies wat voor informatie dit is"))]
        + [(code, _l(label)) for code, label in Category.choices()],
        validators=[DataRequired(_l("Kies wat voor informatie dit is. Dat bepaalt wie het mag zien."))],
        description=_l("Dit bepaalt wie het mag zien. Is het contact niet goed voor het gezin? "
                       "Kies dan vaak Veiligheid."),
    )
    effect = RadioField(
        _l("Helpt het contact?"), choices=[(code, _l(label)) for code, label in ContactEffect.choices()],
        validators=[DataRequired(_l("Kies of het contact helpt of niet."))],
        description=_l("Doet deze persoon zelf mee aan het plan en is het contact niet goed? "
                       "Dan ziet die persoon dit nooit."),
    )
    # checked by the service (domain/network.py): a code that does not exist gets a message in words
    gives_now = CheckboxesField(
        _l("Wat geeft deze persoon nu?"), choices=SUPPORT_CHOICES, validate_choice=False,
        description=_l("Praktisch: oppassen, boodschappen, vervoer. Emotioneel: luisteren, "
                       "troosten. Geld: iets lenen of betalen."),
    )
    could_give = CheckboxesField(_l("Wat zou deze persoon kunnen geven?"), choices=SUPPORT_CHOICES,
                                 validate_choice=False)
    note = TextAreaField(
        _l("Wat doet deze persoon, of wat zou hij of zij kunnen doen? (mag leeg)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Bijvoorbeeld: haalt Noah op woensdag van school."),
    )
