from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField,
    TimeField,
)
from wtforms.validators import Length, Optional

from samenplan.domain.vocabulary import EvaluationDecision
from samenplan.forms import CheckboxesField
from samenplan.goals.forms import GasScoreForm


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


class VersionForm(FlaskForm):
    """Only the CSRF token and the version the page was loaded at: "Evaluatie houden",
    "Evaluatie afsluiten"."""

    version = HiddenField(validators=[Optional()])


class AttendanceForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    attendees = CheckboxesField(_l("Wie zijn er?"), coerce=int, validators=[Optional()])


class HoldScoreForm(GasScoreForm):
    """The step a goal is on at this evaluation (its day is the evaluation's)."""

    scored_on = None


class DecisionForm(FlaskForm):
    version = HiddenField(validators=[Optional()])
    decision = RadioField(_l("Wat besluiten jullie?"), choices=EvaluationDecision.choices(),
                          validators=[Optional()])
    note = TextAreaField(_l("Waarom? (nodig als het doel stopt, klaar is of even stilligt)"),
                         validators=[Optional(), Length(max=2000)])


class HoldScalingForm(FlaskForm):
    """Scaling answers entered at the table: the chair's own, or a child's without a login."""

    # any other value is refused by the service (404), not by the form
    respondent = SelectField(_l("Wie antwoordt?"), validators=[Optional()], validate_choice=False)
    voortgang = StringField(_l("Hoe gaat het met dit doel? (0-10)"), validators=[Optional()],
                            render_kw={"inputmode": "numeric"})
    motivatie = StringField(_l("Hoe graag wil je het? (0-10, alleen voor het gezin)"),
                            validators=[Optional()], render_kw={"inputmode": "numeric"})
    vertrouwen = StringField(_l("Hoeveel vertrouwen heb je erin? (0-10, alleen voor het gezin)"),
                             validators=[Optional()], render_kw={"inputmode": "numeric"})
