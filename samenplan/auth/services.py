from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samenplan.domain.i18n import _ as _mark
from samenplan.auth import twofactor
from samenplan.auth.models import LoginToken, User, UserSession
from samenplan.auth.passwords import password_problems
from samenplan.families.models import Participant
from samenplan.tokens import hash_token, new_token
from samenplan.auth.passwords import hash_password, needs_rehash, verify_password
from samenplan.db import utcnow


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user for these credentials, or None. Takes the same time whether or not the
    address exists."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    ok = verify_password(user.password_hash if user else None, password)
    if not (user and ok and user.active):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.commit()
    return user


def load_user(session: Session, token: str, session_token: str | None, now,
              activity: bool = True) -> User | None:
    """flask-login's id is "user_id:session_version"; a bumped version ends old sessions.
    The login itself must still be open server-side, and not idle for too long. A request
    that is no `activity` of the user (an open page polling by itself) does not keep it open."""
    try:
        user_id, version = (int(part) for part in token.split(":", 1))
    except ValueError:
        return None
    if not session_token:
        return None
    found = session.execute(  # the account and its open login on this device, in one query
        select(User, UserSession).join(UserSession, UserSession.user_id == User.id).where(
            User.id == user_id, UserSession.token_hash == _hash(session_token),
            UserSession.ended_at.is_(None),
        )
    ).first()
    if found is None:
        return None
    user, row = found
    if user.session_version != version or not user.active:
        return None
    if now - row.last_seen_at > timedelta(seconds=row.idle_seconds):
        row.ended_at = now
        session.commit()
        return None
    if activity and now - row.last_seen_at > timedelta(seconds=60):  # not a write on every click
        row.last_seen_at = now
        session.commit()
    return user


_hash = hash_token


def works_as_professional(session: Session, user: User) -> bool:
    """A professional (taking part in a plan as one, or an active member of an organisation,
    its functioneel beheerders included) or the administrator: two-factor login is
    mandatory for them, and their logins end sooner when idle."""
    from samenplan.orgs.models import OrganisationMember

    if user.is_admin:
        return True
    member = session.scalar(select(OrganisationMember.id).where(
        OrganisationMember.user_id == user.id, OrganisationMember.active,
    ).limit(1))
    if member is not None:
        return True
    return session.scalar(select(Participant.id).where(
        Participant.user_id == user.id, Participant.active,
        Participant.role.in_(("professional", "casusregisseur")),
    ).limit(1)) is not None


def idle_limit(session: Session, user: User, professional_seconds: int, family_seconds: int) -> int:
    """Professionals (and those who manage them) are logged out after a short idle time;
    families get longer."""
    return professional_seconds if works_as_professional(session, user) else family_seconds


def open_session(session: Session, user: User, idle_seconds: int, user_agent: str, now,
                 locale: str | None = None) -> str:
    """A new server-side login; returns the token to keep in the (signed) cookie. `locale`: the
    language chosen on the login page, from now on the account's."""
    token = secrets.token_urlsafe(32)
    if locale:
        user.locale = locale
    session.add(UserSession(
        user_id=user.id, token_hash=_hash(token), created_at=now, last_seen_at=now,
        idle_seconds=idle_seconds, user_agent=(user_agent or "")[:300], authenticated_at=now,
    ))
    session.commit()
    return token


def close_session(session: Session, session_token: str | None, now) -> None:
    if session_token:
        session.execute(update(UserSession).where(
            UserSession.token_hash == _hash(session_token), UserSession.ended_at.is_(None),
        ).values(ended_at=now))
        session.commit()


def end_all_sessions(session: Session, user: User, now, keep_token: str | None = None) -> int:
    """Log out everywhere (but, if given, on this device)."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != _hash(keep_token))
    result = session.execute(stmt.values(ended_at=now))
    session.commit()
    return result.rowcount or 0


def active_sessions(session: Session, user: User, now) -> list[UserSession]:
    rows = session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
    ).order_by(UserSession.last_seen_at.desc())).all()
    return [r for r in rows if now - r.last_seen_at <= timedelta(seconds=r.idle_seconds)]


def end_session(session: Session, user: User, session_id: int, now) -> None:
    session.execute(update(UserSession).where(
        UserSession.id == session_id, UserSession.user_id == user.id,
    ).values(ended_at=now))
    session.commit()


def is_current(row: UserSession, session_token: str | None) -> bool:
    return bool(session_token) and row.token_hash == _hash(session_token)


# --- "Bevestig dat jij het bent": a recent proof before changing how one logs in -----------
FRESH_FOR = timedelta(minutes=10)


def _open_session_row(session: Session, user: User, session_token: str | None) -> UserSession | None:
    if not session_token:
        return None
    return session.scalar(select(UserSession).where(
        UserSession.token_hash == _hash(session_token), UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),
    ))


def is_fresh(session: Session, user: User, session_token: str | None, now: datetime) -> bool:
    """Did the user log in, or confirm who they are, on this device in the last 10 minutes?"""
    row = _open_session_row(session, user, session_token)
    return bool(row and row.authenticated_at and now - row.authenticated_at <= FRESH_FOR)


def confirm_identity(session: Session, user: User, session_token: str | None, now: datetime, *,
                     password: str = "", code: str = "") -> bool:
    """The current password, or a current code from the authenticator app, proves it is
    still the user at this device: the session counts as fresh again for 10 minutes."""
    row = _open_session_row(session, user, session_token)
    if row is None or not user.active:
        return False
    if password:
        ok = bool(user.password_hash) and verify_password(user.password_hash, password)
    else:
        ok = bool(code) and twofactor.verify_app_code(session, user, code)
    if ok:
        row.authenticated_at = now
        session.commit()
    return ok


# --- single-use links by e-mail ----------------------------------------------------------------
TOKEN_LIFETIME = {"login": timedelta(minutes=15), "reset": timedelta(hours=1), "email": timedelta(hours=24),
                  # "choose your password": for a new administrator, beheerder or professional
                  "welcome": timedelta(days=7)}


def _new_link(session: Session, user: User, purpose: str, now: datetime, **extra) -> str:
    token = add_link(session, user, purpose, now, **extra)
    session.commit()
    return token


def add_link(session: Session, user: User, purpose: str, now: datetime, *, void_earlier: bool = False,
             **extra) -> str:
    """A new single-use link in the caller's transaction (the caller commits); with
    `void_earlier`, the unused links of the same purpose sent before stop working."""
    if void_earlier:
        _void_links(session, user, now, purpose=purpose)
    token, digest = new_token()
    session.add(LoginToken(user_id=user.id, purpose=purpose, token_hash=digest, created_at=now,
                           expires_at=now + TOKEN_LIFETIME[purpose], **extra))
    session.flush()
    return token


def _void_links(session: Session, user: User, now: datetime, purpose: str | None = None) -> None:
    stmt = update(LoginToken).where(LoginToken.user_id == user.id, LoginToken.used_at.is_(None))
    if purpose:
        stmt = stmt.where(LoginToken.purpose == purpose)
    session.execute(stmt.values(used_at=now))


def issue_token(session: Session, email: str, purpose: str, now: datetime) -> tuple[User, str] | None:
    """A single-use link for an existing, active account; None otherwise (the caller says
    the same thing either way)."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return None
    return user, _new_link(session, user, purpose, now)


def find_token(session: Session, token: str, purpose: str, now: datetime) -> LoginToken | None:
    row = session.scalar(select(LoginToken).where(
        LoginToken.token_hash == hash_token(token), LoginToken.purpose == purpose,
    ))
    if row is None or row.used_at is not None or now >= row.expires_at:
        return None
    return row


def _claim(session: Session, row: LoginToken, now: datetime) -> bool:
    """Marks the link used, atomically: a link works once, even when clicked twice at once."""
    claimed = session.execute(update(LoginToken).where(
        LoginToken.id == row.id, LoginToken.used_at.is_(None),
    ).values(used_at=now)).rowcount
    session.commit()
    return claimed == 1


def use_token(session: Session, token: str, purpose: str, now: datetime) -> User | None:
    row = find_token(session, token, purpose, now)
    if row is None or not _claim(session, row, now):
        return None
    user = session.get(User, row.user_id)
    return user if user and user.active else None


# --- a new e-mail address ----------------------------------------------------------------------
class EmailChangeRefused(ValueError):
    """The new address cannot be used; the message is for the user (Dutch, via gettext)."""


def request_email_change(session: Session, user: User, new_email: str, now: datetime) -> str | None:
    """A link for the new address, or None when another account has it already (the caller
    answers the same either way: nobody learns which addresses have an account). A new
    request voids the links of earlier ones."""
    address = normalise_email(new_email)
    if address == user.email:
        raise EmailChangeRefused(_mark("Dit is al je e-mailadres."))
    _void_links(session, user, now, purpose="email")
    session.commit()
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        return None
    return _new_link(session, user, "email", now, new_email=address)


def find_email_change(session: Session, token: str, now: datetime) -> LoginToken | None:
    return find_token(session, token, "email", now)


def confirm_email_change(session: Session, token: str, now: datetime) -> User | None:
    """Opens the link (once): the account gets the address the link was sent to. Every other
    link still waiting in the old mailbox stops working. None when the link is used, expired
    or unknown, or the address was taken in the meantime."""
    row = find_token(session, token, "email", now)
    if row is None or not row.new_email or not _claim(session, row, now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if session.scalar(select(User.id).where(User.email == row.new_email, User.id != user.id)) is not None:
        return None
    user.email = row.new_email
    _void_links(session, user, now)
    try:
        session.commit()
    except IntegrityError:  # taken at this very moment by another account
        session.rollback()
        return None
    return user


def set_password(session: Session, user: User, password: str, now: datetime) -> list[str]:
    """Problems with the new password, or [] after saving it; then every other session ends."""
    problems = password_problems(password, email=user.email)
    if problems:
        return problems
    user.password_hash = hash_password(password)
    user.session_version += 1
    # links still in someone's mailbox stop working with the old password
    _void_links(session, user, now)
    session.commit()
    end_all_sessions(session, user, now)
    return []
