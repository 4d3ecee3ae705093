from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from samenplan.domain.vocabulary import FundingStream, InvolvementEndReason


class LineForm(FlaskForm):
    """A professional's line in the team."""

    version = HiddenField(validators=[Optional()])  # of the involvement: a stale save is merged
    function = StringField(_l("Rol of functie"), validators=[Optional(), Length(max=200)],
                           description=_l("Bijvoorbeeld: schuldhulpverlener, mentor."))
    phone = StringField(_l("Telefoonnummer"), validators=[Optional(), Length(max=40)],
                        render_kw={"type": "tel", "autocomplete": "tel"})
    funding = SelectField(
        _l("Financiering"),
        choices=[("", _l("Niet ingevuld"))] + [(c, _l(label)) for c, label in FundingStream.choices()],
        validate_choice=False,  # checked by the service, with a message in words
    )
    start_date = DateField(_l("Betrokken vanaf"), validators=[Optional()])
    end_date = DateField(_l("Betrokken tot (mag leeg)"), validators=[Optional()])


class CloseForm(FlaskForm):
    """Closing a professional's part: when and why."""

    version = HiddenField(validators=[Optional()])  # of the involvement: a stale save is merged
    end_date = DateField(_l("Gestopt op"), validators=[Optional()])
    reason = RadioField(_l("Waarom stopt het?"),
                        choices=[(c, _l(label)) for c, label in InvolvementEndReason.choices()],
                        validate_choice=False)  # checked by the service, with a message in words


NO_BUDDY = ""


class ContactForm(FlaskForm):
    """The contact card: whom the family calls when the casusregisseur is away."""

    version = HiddenField(validators=[Optional()])  # of the card: a stale save is merged
    emergency_name = StringField(
        _l("Als de vaste hulpverlener er niet is: wie bellen ze?"),
        validators=[Optional(), Length(max=200)],
        description=_l("Bijvoorbeeld: Wijkteam Noord, of de naam van een collega."))
    emergency_phone = StringField(_l("Telefoonnummer voor als je er niet bent"),
                                  validators=[Optional(), Length(max=40)],
                                  render_kw={"type": "tel", "autocomplete": "off"})
    buddy = SelectField(_l("Maatje uit het team"), validate_choice=False)
    buddy_name = StringField(_l("Of: naam van het maatje (niet in het plan)"),
                             validators=[Optional(), Length(max=200)])
    buddy_phone = StringField(_l("Telefoonnummer van het maatje"),
                              validators=[Optional(), Length(max=40)],
                              render_kw={"type": "tel", "autocomplete": "off"})


class PlanAgreementForm(FlaskForm):
    """Akkoord with the plan as a whole, or not (with a reason)."""

    version = HiddenField(validators=[Optional()])  # the number of my answer the form shows
    agrees = RadioField(
        _l("Ben je het eens met het plan?"),
        choices=[("ja", _l("Ja, ik ben akkoord")), ("nee", _l("Nee, ik ben niet akkoord"))],
        validate_choice=False,
    )
    reason = TextAreaField(_l("Waarom niet? (nodig bij niet akkoord)"),
                           validators=[Optional(), Length(max=2000)])
