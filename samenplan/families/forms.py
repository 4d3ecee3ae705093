from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from samenplan.forms import CheckboxesField
from samenplan.privacy.facts import Category


class InvitationForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=200)])
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Email(_l("Vul een geldig e-mailadres in.")), Length(max=320)],
    )
    role = SelectField(_l("Doet mee als"))
    # checked by the service (a person of this family, 12 or older, without an account): a
    # child under 12 gets a message in words, not "not a valid choice"
    person = SelectField(_l("Welk gezinslid is het? (alleen bij gezin)"), coerce=int,
                         validators=[Optional()], validate_choice=False)
    organisation = SelectField(_l("Organisatie (alleen bij hulpverlener)"), coerce=int, validators=[Optional()])
    involvement_subjects = CheckboxesField(
        _l("Bij wie helpt deze hulpverlener? (alleen bij hulpverlener)"), coerce=int,
        validators=[Optional()],
        description=_l("Alleen wie mag weten dat deze hulp er is, ziet deze hulpverlener in het plan."),
    )
    involvement_category = SelectField(
        _l("Waar gaat de hulp over? (alleen bij hulpverlener)"),
        choices=[("", _l("Kies…"))] + [(code, _l(label)) for code, label in Category.choices()],
        validators=[Optional()],
    )
    function = StringField(_l("Rol of functie (mag leeg)"), validators=[Optional(), Length(max=200)],
                           description=_l("Bijvoorbeeld: oma, buurvrouw, mentor."))
    # invited from this entry of the network map (checked by the service, through the door)
    network_member = HiddenField(validators=[Optional()])


class AcceptForm(FlaskForm):
    name = StringField(_l("Je naam"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Kies een wachtwoord"), validators=[Optional(), Length(max=256)],
                             render_kw={"autocomplete": "new-password"},
                             description=_l("Minstens 15 tekens. Een korte zin is makkelijk te onthouden."))
    password_again = PasswordField(_l("Nog een keer hetzelfde wachtwoord"), validators=[Optional(), Length(max=256)],
                                   render_kw={"autocomplete": "new-password"})


class DutchDateField(DateField):
    """A date typed in a date field (2012-03-14) or by hand (14-03-2012), with a Dutch message
    when it is no date; what was typed stays in the field."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label, validators, format=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"],
            invalid_value_message=_l("Dit is geen datum. Schrijf het zo: 14-03-2012."), **kwargs,
        )


class PersonFields(FlaskForm):
    """A gezinslid: names, date of birth, where they live, LVB. Who holds authority and who
    represents them are added for a person of a family that has more persons (PersonForm)."""

    first_name = StringField(_l("Voornaam"), validators=[DataRequired(_l("Vul de voornaam in.")), Length(max=100)],
                             render_kw={"autocomplete": "off"})
    last_name = StringField(_l("Achternaam"), validators=[DataRequired(_l("Vul de achternaam in.")), Length(max=100)],
                            render_kw={"autocomplete": "off"})
    date_of_birth = DutchDateField(
        _l("Geboortedatum"), validators=[InputRequired(_l("Vul de geboortedatum in."))],
        render_kw={"type": "date"},
    )
    household = SelectField(_l("Woont bij"), validate_choice=False)  # checked by the service
    lvb = BooleanField(
        _l("Heeft een lichte verstandelijke beperking (LVB)"),
        description=_l("Dan houdt samenplan het plan kleiner en eenvoudiger. Alleen wie dit mag "
                       "weten, ziet het."),
    )


class StartFamilyForm(PersonFields):
    family_name = StringField(
        _l("Naam van het gezin"),
        validators=[DataRequired(_l("Vul de naam van het gezin in.")), Length(max=200)],
        description=_l("Bijvoorbeeld: Bakker, of Jansen / de Boer."),
        render_kw={"autocomplete": "off"},
    )
    organisation = SelectField(_l("Voor welke organisatie meld je het gezin aan?"), validate_choice=False)


class PersonForm(PersonFields):
    # every id below is checked by the service against this family (another's: 404)
    holders = CheckboxesField(_l("Wie heeft gezag over dit kind?"), validate_choice=False,
                              validators=[Optional()],
                              description=_l("Alleen voor een kind onder de 18 jaar."))
    guardian = SelectField(
        _l("Of heeft een organisatie het gezag? (voogd)"), validate_choice=False,
        description=_l("Bijvoorbeeld een gecertificeerde instelling voor jeugdbescherming. "
                       "Een hulpverlener van die organisatie geeft dan toestemming voor het kind."),
    )
    mentor = SelectField(_l("Mentor"), validate_choice=False)
    curator = SelectField(_l("Curator"), validate_choice=False)
    bewindvoerder = SelectField(_l("Bewindvoerder"), validate_choice=False,
                                description=_l("Een bewindvoerder geeft alleen toestemming over "
                                               "geld en schulden."))
    version = HiddenField()
