from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from samenplan.forms import CheckboxesField
from samenplan.privacy.labels import CATEGORY_LABELS


class InvitationForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=200)])
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Email(_l("Vul een geldig e-mailadres in.")), Length(max=320)],
    )
    role = SelectField(_l("Doet mee als"))
    person = SelectField(_l("Welk gezinslid is het? (alleen bij gezin)"), coerce=int, validators=[Optional()])
    organisation = SelectField(_l("Organisatie (alleen bij hulpverlener)"), coerce=int, validators=[Optional()])
    involvement_subjects = CheckboxesField(
        _l("Bij wie helpt deze hulpverlener? (alleen bij hulpverlener)"), coerce=int,
        validators=[Optional()],
        description=_l("Alleen wie mag weten dat deze hulp er is, ziet deze hulpverlener in het plan."),
    )
    involvement_category = SelectField(
        _l("Waar gaat de hulp over? (alleen bij hulpverlener)"),
        choices=[("", _l("Kies…"))] + [(code, _l(label)) for code, label in CATEGORY_LABELS.items()],
        validators=[Optional()],
    )
    function = StringField(_l("Rol of functie (mag leeg)"), validators=[Optional(), Length(max=200)],
                           description=_l("Bijvoorbeeld: oma, buurvrouw, mentor."))


class AcceptForm(FlaskForm):
    name = StringField(_l("Uw naam"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Kies een wachtwoord"), validators=[Optional(), Length(max=256)],
                             render_kw={"autocomplete": "new-password"},
                             description=_l("Minstens 15 tekens. Een korte zin is makkelijk te onthouden."))
    password_again = PasswordField(_l("Nog een keer hetzelfde wachtwoord"), validators=[Optional(), Length(max=256)],
                                   render_kw={"autocomplete": "new-password"})
