from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from samenplan.domain.vocabulary import OrganisationKind


class OrganisationForm(FlaskForm):
    # its own id: on an organisation's page this form stands below the beheerder's form, whose
    # "Naam" would otherwise have the same id and take this field's label
    name = StringField(_l("Naam van de organisatie"), id="organisatie-naam",
                       validators=[DataRequired(_l("Vul de naam van de organisatie in.")), Length(max=200)])
    kind = SelectField(
        _l("Wat voor organisatie is het?"),
        choices=[("", _l("Kies…"))] + [(code, _l(label)) for code, label in OrganisationKind.choices()],
        validators=[DataRequired(_l("Kies wat voor organisatie het is."))],
    )
    domains = StringField(
        _l("E-maildomeinen"), validators=[Optional(), Length(max=1000)],
        description=_l("Waarop de e-mailadressen van de organisatie eindigen, met komma's ertussen. "
                       "Bijvoorbeeld: wijkteam-noord.nl, gemeente.nl"),
    )


class PersonForm(FlaskForm):
    """Someone to add by name and e-mail address (a functioneel beheerder)."""

    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=200)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-mailadres"),
                       validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=320)],
                       render_kw={"autocomplete": "off", "inputmode": "email"})


class ProfessionalForm(PersonForm):
    may_start = BooleanField(_l("Mag gezinnen starten (casusregisseur worden van een nieuw gezin)"))


class MayStartForm(FlaskForm):
    allowed = RadioField(
        _l("Mag gezinnen starten?"),
        choices=[("ja", _l("Ja, mag een nieuw gezin starten")), ("nee", _l("Nee"))],
        validators=[DataRequired(_l("Kies ja of nee."))],
    )


class SSOForm(FlaskForm):
    issuer = StringField(
        _l("Adres van de inlogdienst (issuer)"), validators=[DataRequired(_l("Vul het adres van de inlogdienst in (de issuer).")), Length(max=300)],
        render_kw={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"},
        description=_l("Bijvoorbeeld: https://login.wijkteam-noord.nl. Je ICT-afdeling weet het."),
    )
    client_id = StringField(_l("Client-id"), validators=[DataRequired(_l("Vul de client-id in.")), Length(max=300)],
                            render_kw={"autocomplete": "off", "spellcheck": "false"})
    client_secret = PasswordField(
        _l("Geheim (client secret)"), validators=[Optional(), Length(max=300)],
        render_kw={"autocomplete": "new-password"},
    )
    domains = StringField(
        _l("Voor welke e-maildomeinen"), validators=[DataRequired(_l("Vul in voor welke e-maildomeinen de inlogdienst werkt.")), Length(max=1000)],
        description=_l("Met komma's ertussen. Alleen domeinen van je eigen organisatie."),
    )
