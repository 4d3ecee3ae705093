from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from samenplan.languages import LANGUAGES


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul je e-mailadres in.")), Length(max=320)],
        render_kw={"autocomplete": "username", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul je wachtwoord in.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class EmailForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul je e-mailadres in.")), Length(max=320)],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"), validators=[DataRequired(_l("Vul een wachtwoord in.")), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
        description=_l("Minstens 15 tekens. Een korte zin is makkelijk te onthouden."),
    )
    password_again = PasswordField(
        _l("Nog een keer hetzelfde wachtwoord"),
        validators=[DataRequired(_l("Vul het wachtwoord nog een keer in."))],
        render_kw={"autocomplete": "new-password"},
    )


class AccountForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul je naam in.")), Length(max=200)])
    locale = SelectField(_l("Taal"), choices=list(LANGUAGES.items()))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"), validators=[DataRequired(_l("Vul de code in.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
        description=_l("De 6 cijfers uit je app. Of een herstelcode."),
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Je huidige wachtwoord"), validators=[DataRequired(_l("Vul je huidige wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )


class ButtonForm(FlaskForm):
    """Only the CSRF token: a page whose one action is a button."""


class ConfirmIdentityForm(FlaskForm):
    """"Bevestig dat jij het bent": the password, or a code from the app."""

    password = PasswordField(
        _l("Je wachtwoord"), validators=[Optional(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Of: de code uit je app"), validators=[Optional(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
        description=_l("De 6 cijfers die de app op je telefoon nu laat zien."),
    )

    def __init__(self, *args, has_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_password = has_password
        if not has_password:
            self.code.label.text = _l("De code uit je app")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.password.data or (self.code.data or "").strip()):
            shown = self.password if self.has_password else self.code
            shown.errors.append(_l("Vul je wachtwoord in, of de code uit je app.") if self.has_password
                                else _l("Vul de code uit je app in."))
            return False
        return True


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("Je nieuwe e-mailadres"),
        validators=[DataRequired(_l("Vul je nieuwe e-mailadres in.")), Length(max=320),
                    Email(_l("Dit is geen e-mailadres. Kijk of je het goed hebt getypt."))],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
