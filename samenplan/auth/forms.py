from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=320)],
        render_kw={"autocomplete": "username", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class EmailForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=320)],
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
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul uw naam in.")), Length(max=200)])
    locale = SelectField(_l("Taal"), choices=[("nl", "Nederlands"), ("en", "English")])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"), validators=[DataRequired(_l("Vul de code in.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
        description=_l("De 6 cijfers uit uw app. Of een herstelcode."),
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Uw huidige wachtwoord"), validators=[DataRequired(_l("Vul uw huidige wachtwoord in."))],
        render_kw={"autocomplete": "current-password"},
    )
