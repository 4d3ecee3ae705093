from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from samenplan.forms import CheckboxesField

from samenplan.domain.goals import GOAL_STATUSES, LIFE_DOMAINS
from samenplan.privacy.labels import CATEGORY_LABELS


class GoalForm(FlaskForm):
    title = StringField(
        _l("Het doel, in jullie eigen woorden"),
        validators=[DataRequired(_l("Schrijf het doel op.")), Length(max=300, message=_l("Maak het doel korter (hoogstens 300 tekens)."))],
        description=_l("Schrijf op wat er wél moet gebeuren. Bijvoorbeeld: We eten elke avond samen."),
    )
    description = TextAreaField(_l("Uitleg (mag leeg)"), validators=[Optional(), Length(max=5000)])
    subjects = CheckboxesField(
        _l("Over wie gaat dit doel?"), coerce=int,
        validators=[DataRequired(_l("Kies minstens één persoon."))],
    )
    category = SelectField(
        _l("Wat voor informatie is dit?"),
        choices=[(code, _l(label)) for code, label in CATEGORY_LABELS.items()],
        default="algemeen",
        description=_l("Dit bepaalt wie het doel mag zien."),
    )
    life_domain = SelectField(
        _l("Leefgebied"), choices=[(code, _l(label)) for code, label in LIFE_DOMAINS],
    )
    status = SelectField(_l("Status"), choices=[(code, _l(label)) for code, label in GOAL_STATUSES], default="actief")
    owner = SelectField(_l("Wie let erop dat het lukt?"), coerce=int, validate_choice=True)
    start_date = DateField(_l("Begint op"), validators=[Optional()])
    end_date = DateField(_l("Klaar op"), validators=[Optional()])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("De einddatum ligt vóór de begindatum."))


class ActionForm(FlaskForm):
    what = StringField(
        _l("Wat gaat er gebeuren?"),
        validators=[DataRequired(_l("Schrijf op wat er gaat gebeuren.")), Length(max=500)],
    )
    assignee = SelectField(_l("Wie doet het?"), coerce=int)
    due_date = DateField(_l("Wanneer klaar?"), validators=[Optional()])


NOBODY = 0  # "nog niet gekozen" in a participant select


def participant_choices(access) -> list[tuple[int, str]]:
    return [(NOBODY, _l("Nog niet gekozen"))] + [
        (p.id, f"{p.display_name} ({p.function})" if p.function else p.display_name)
        for p in access.participants
    ]


def action_form_for(access) -> ActionForm:
    form = ActionForm()
    form.assignee.choices = participant_choices(access)
    return form
