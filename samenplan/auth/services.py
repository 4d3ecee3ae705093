from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from samenplan.auth.models import User, UserSession
from samenplan.families.models import Participant
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


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
