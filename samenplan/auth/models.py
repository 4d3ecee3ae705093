from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from samenplan.db import Base, utcnow


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # the application administrator (`flask admin create`): adds organisations and names
    # their functioneel beheerders; sees no family data by that role
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(10), default="nl")
    # bumped on "log out everywhere" and password change: old session cookies stop working
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # two-factor login (TOTP): the shared secret once enrolled, and the last time step used
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int] = mapped_column(default=0)

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def get_id(self) -> str:  # flask-login: invalidated by session_version
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserSession(Base):
    """One login on one device. The cookie carries only a random token; its hash lives here,
    so logging out (or "log out everywhere") ends the session for whoever holds the cookie."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    idle_seconds: Mapped[int] = mapped_column(default=1800)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the last time the user proved who they are on this device: the login itself, or the
    # "Bevestig dat jij het bent" step. Changing how one logs in needs it to be recent.
    authenticated_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginToken(Base):
    """A single-use link sent by e-mail: a login link (15 minutes), a password reset, or the
    confirmation of a new e-mail address (sent to that address, which it carries)."""

    __tablename__ = "login_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "login", "reset" or "email"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    new_email: Mapped[str | None] = mapped_column(String(320))  # purpose "email" only


class RecoveryCode(Base):
    """Single-use codes for when the phone with the authenticator app is lost."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
