from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

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


def load_user(session: Session, token: str, session_token: str | None, now) -> User | None:
    """flask-login's id is "user_id:session_version"; a bumped version ends old sessions.
    The login itself must still be open server-side, and not idle for too long."""
    try:
        user_id, version = (int(part) for part in token.split(":", 1))
    except ValueError:
        return None
    user = session.get(User, user_id)
    if user is None or user.session_version != version or not user.active or not session_token:
        return None
    row = session.scalar(select(UserSession).where(
        UserSession.token_hash == _hash(session_token), UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),
    ))
    if row is None:
        return None
    if now - row.last_seen_at > timedelta(seconds=row.idle_seconds):
        row.ended_at = now
        session.commit()
        return None
    if now - row.last_seen_at > timedelta(seconds=60):  # not a write on every click
        row.last_seen_at = now
        session.commit()
    return user


_hash = hash_token


def idle_limit(session: Session, user: User, professional_seconds: int, family_seconds: int) -> int:
    """Professionals are logged out after a short idle time; families get longer."""
    professional = session.scalar(select(Participant.id).where(
        Participant.user_id == user.id, Participant.active,
        Participant.role.in_(("professional", "casusregisseur")),
    ).limit(1))
    return professional_seconds if professional else family_seconds


def open_session(session: Session, user: User, idle_seconds: int, user_agent: str, now) -> str:
    """A new server-side login; returns the token to keep in the (signed) cookie."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(
        user_id=user.id, token_hash=_hash(token), created_at=now, last_seen_at=now,
        idle_seconds=idle_seconds, user_agent=(user_agent or "")[:300],
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


TOKEN_LIFETIME = {"login": timedelta(minutes=15), "reset": timedelta(hours=1)}


def issue_token(session: Session, email: str, purpose: str, now: datetime) -> tuple[User, str] | None:
    """A single-use link for an existing, active account; None otherwise (the caller says
    the same thing either way)."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return None
    token, digest = new_token()
    session.add(LoginToken(user_id=user.id, purpose=purpose, token_hash=digest,
                           created_at=now, expires_at=now + TOKEN_LIFETIME[purpose]))
    session.commit()
    return user, token


def find_token(session: Session, token: str, purpose: str, now: datetime) -> LoginToken | None:
    row = session.scalar(select(LoginToken).where(
        LoginToken.token_hash == hash_token(token), LoginToken.purpose == purpose,
    ))
    if row is None or row.used_at is not None or now >= row.expires_at:
        return None
    return row


def use_token(session: Session, token: str, purpose: str, now: datetime) -> User | None:
    """Marks the link used (atomically: a link works once, even when clicked twice at once)."""
    row = find_token(session, token, purpose, now)
    if row is None:
        return None
    claimed = session.execute(update(LoginToken).where(
        LoginToken.id == row.id, LoginToken.used_at.is_(None),
    ).values(used_at=now)).rowcount
    session.commit()
    if claimed != 1:
        return None
    user = session.get(User, row.user_id)
    return user if user and user.active else None


def set_password(session: Session, user: User, password: str, now: datetime) -> list[str]:
    """Problems with the new password, or [] after saving it; then every other session ends."""
    problems = password_problems(password, email=user.email)
    if problems:
        return problems
    user.password_hash = hash_password(password)
    user.session_version += 1
    # links still in someone's mailbox stop working with the old password
    session.execute(update(LoginToken).where(
        LoginToken.user_id == user.id, LoginToken.used_at.is_(None),
    ).values(used_at=now))
    session.commit()
    end_all_sessions(session, user, now)
    return []
