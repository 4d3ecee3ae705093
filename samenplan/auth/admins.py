"""The application administrator, made on the command line (`flask admin create EMAIL`): the
first account of a new installation (DESIGN.md §5: never the demo). They add organisations and
name their functioneel beheerders (samenplan/orgs); they see no family data by that role, and
like professionals they must log in in two steps.

No password is ever typed on the command line: the administrator chooses it through a
single-use link (7 days), mailed to them, or printed for the operator when no mail is set up.
Mailed links are built on PUBLIC_URL only."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from samenplan.auth.models import User
from samenplan.auth.services import add_link, normalise_email
from samenplan.db import utcnow
from samenplan.privacy import audit

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FALLBACK_BASE = "http://127.0.0.1:5000"  # `make run`'s address, when nothing else says


class AdminRefused(ValueError):
    """Nothing was changed; the message is for the operator (English, like the other commands)."""


@dataclass
class MadeAdmin:
    user: User
    summary: str
    link: str | None  # the one-time link to choose a password (None: they have one already)

    def send_mail(self) -> None:
        from flask_babel import gettext as _

        from samenplan import mail

        with current_app.test_request_context():
            text = render_template(
                "mail/welcome.txt", user=self.user, link=self.link, choose_password=True, via_sso=False,
                organisation="", intro=_("Je bent nu beheerder van samenplan. Je zet organisaties in "
                                         "samenplan en wijst per organisatie een functioneel beheerder aan."),
            )
            mail.send(self.user.email, _("Welkom bij samenplan"), text)


def create_admin(session: Session, email: str, name: str, *, another: bool = False,
                 now: datetime | None = None) -> MadeAdmin:
    config = current_app.config
    address = normalise_email(email)
    if not EMAIL_RE.match(address) or len(address) > 320:
        raise AdminRefused(f"{email!r} is not an e-mail address")
    if config.get("SMTP_HOST") and not config.get("PUBLIC_URL"):
        raise AdminRefused("set PUBLIC_URL first: the mailed link is built on it")
    name = " ".join((name or "").split())
    user = session.scalar(select(User).where(User.email == address))
    admins = session.scalars(select(User.email).where(User.is_admin).order_by(User.id)).all()
    now = now or utcnow()
    if user is not None and user.is_admin:
        if user.password_hash:
            raise AdminRefused(f"{address} is an administrator already")
        summary = f"{address} is an administrator already but has not chosen a password yet: a new link."
    else:
        if admins and not another:
            raise AdminRefused(
                f"there is an administrator already ({', '.join(admins)}); "
                "add --another to make one more")
        if user is None:
            if not name:
                raise AdminRefused("give the administrator's name (--name)")
            if len(name) > 200:
                raise AdminRefused("the name may be 200 characters at most")
            user = User(email=address, name=name, password_hash=None, created_at=now)
            session.add(user)
            summary = f"Administrator {name} <{address}> created."
        else:
            summary = f"The existing account {user.name} <{address}> is now an administrator."
        user.is_admin = True
        user.active = True
    session.flush()
    token = add_link(session, user, "welcome", now, void_earlier=True) if not user.password_hash else None
    audit.append(session, [audit.Event("admin_create", target_kind="user", target_id=user.id,
                                       params=(("first", not admins),))])
    session.commit()
    if token is None:
        summary += " They log in with their password, and must set up two-factor login."
    return MadeAdmin(user, summary, _link(token) if token else None)


def _link(token: str) -> str:
    config = current_app.config
    base = config.get("PUBLIC_URL") or (
        f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
        if config.get("SERVER_NAME") else FALLBACK_BASE)
    from samenplan.web import app_path

    # built on the URL map itself: a made-up request would be refused where TRUSTED_HOSTS is set
    return base.rstrip("/") + app_path("auth.welcome", token=token)
