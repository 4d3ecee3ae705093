"""Two-factor login with TOTP (RFC 6238) and single-use recovery codes."""
from __future__ import annotations

import secrets
import time

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from samenplan.auth.models import RecoveryCode, User
from samenplan.db import utcnow
from samenplan.tokens import hash_token

class _TOTP(pyotp.TOTP):
    # New secrets are 160 bits (pyotp.random_base32). 80 bits, the minimum of RFC 4226, is
    # accepted so secrets from older apps (and the demo's of DESIGN.md §6) keep working.
    min_secret_length_bits = 80


ISSUER = "samenplan"
RECOVERY_CODES = 10
STEP = 30


def required_for(session: Session, user: User) -> bool:
    """Mandatory for professionals who log in with a password, for the functioneel beheerders
    of organisations and for the administrator; optional for the rest."""
    from samenplan.auth.services import works_as_professional

    return works_as_professional(session, user)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return _TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The enrolment QR code as inline SVG (no script, nothing fetched)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, title="QR-code", dark="#000", light="#fff"))


def code_at(secret: str, step: int) -> str:
    """The code for one time step (tests and the demo use it)."""
    return _TOTP(secret).at(step * STEP)


def check_code(secret: str, code: str, last_step: int, at: float | None = None) -> int | None:
    """The time step the code belongs to (this one or a neighbour, for clock drift), or None.
    A step at or before `last_step` was used already: refused, so a code works once."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = _TOTP(secret)
    now = at if at is not None else time.time()
    step_now = int(now // STEP)
    for step in (step_now - 1, step_now, step_now + 1):
        if step > last_step and secrets.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def verify(session: Session, user: User, code: str) -> bool:
    """A TOTP code or an unused recovery code; marks it used."""
    return verify_app_code(session, user, code) or use_recovery_code(session, user, code)


def verify_app_code(session: Session, user: User, code: str) -> bool:
    """A current code from the authenticator app (not a recovery code); works once."""
    if not user.totp_secret:
        return False
    step = check_code(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    claimed = session.execute(update(User).where(
        User.id == user.id, User.totp_last_step < step,
    ).values(totp_last_step=step)).rowcount
    session.commit()
    return claimed == 1


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    cleaned = (code or "").strip().lower().replace(" ", "").replace("-", "")
    if len(cleaned) < 10:
        return False
    claimed = session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_token(cleaned),
        RecoveryCode.used_at.is_(None),
    ).values(used_at=utcnow())).rowcount
    session.commit()
    return claimed == 1


def enrol(session: Session, user: User, secret: str, code: str) -> list[str] | None:
    """Turn on 2FA when the code proves the app has the secret; returns new recovery codes."""
    step = check_code(secret, code, 0)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    codes = new_recovery_codes(session, user)
    session.commit()
    return codes


def new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_token(c.replace("-", "")))
                    for c in codes)
    session.flush()
    return codes


def unused_recovery_codes(session: Session, user: User) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def disable(session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = 0
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.commit()
