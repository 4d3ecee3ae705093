"""The meting form (the casusregisseur, with the family): its fields per domain are made for
the domains the chair may score for this caregiver (services.domains_for)."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import Optional

from samenplan.domain import selfreliance as rules
from samenplan.domain.vocabulary import LifeDomain, SelfRelianceLevel, SelfRelianceMoment
from samenplan.selfreliance.services import NOTE_MAX, level_field, note_field


class MetingForm(FlaskForm):
    caregiver = SelectField(_l("Voor wie is de meting?"), validators=[Optional()],
                            validate_choice=False)
    day = DateField(_l("Datum van de meting"), validators=[Optional()])
    moment = SelectField(_l("Wanneer is de meting?"), validators=[Optional()],
                         validate_choice=False)
    evaluation = SelectField(_l("Bij welke evaluatie?"), validators=[Optional()],
                             validate_choice=False,
                             description=_l("Mag leeg blijven, bijvoorbeeld bij de start."))

    domain_fields: list[str] = []


def version_field(category) -> str:
    return f"version_{category.value}"


def meting_form(domains: list[LifeDomain], with_caregiver: bool, **kwargs) -> MetingForm:
    """A form with a level (1-5 or not scored) and a short note for each of `domains`, and the
    version of each of the meting's records it was loaded at."""

    class Form(MetingForm):
        pass

    levels = [("", gettext("Niet gescoord"))] + [
        (m.value, f"{m.value} · {gettext(m.label)}") for m in SelfRelianceLevel]
    names = []
    for domain in domains:
        setattr(Form, level_field(domain), SelectField(
            gettext(domain.label), choices=levels, validators=[Optional()], validate_choice=False))
        setattr(Form, note_field(domain), StringField(
            gettext("Toelichting bij %(domain)s", domain=gettext(domain.label)),
            validators=[Optional()], render_kw={"maxlength": NOTE_MAX}))
        names += [level_field(domain), note_field(domain)]
    for category in rules.GROUPS:
        setattr(Form, version_field(category), HiddenField(validators=[Optional()]))
    if not with_caregiver:
        Form.caregiver = None
    Form.domain_fields = names
    form = Form(**kwargs)
    form.moment.choices = [(m.value, gettext(m.label)) for m in SelfRelianceMoment]
    return form
