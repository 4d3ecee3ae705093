from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samenplan.auth.models import User
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


def load_user(session: Session, token: str) -> User | None:
    """flask-login's id is "user_id:session_version"; a bumped version ends old sessions."""
    try:
        user_id, version = (int(part) for part in token.split(":", 1))
    except ValueError:
        return None
    user = session.get(User, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user
