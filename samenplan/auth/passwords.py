from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from samenplan.domain.i18n import Message, _

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane); raise with the environment on bigger
# machines. The test suite lowers it (tests/conftest.py): its logins are not what it tests.
_hasher = PasswordHasher(
    time_cost=int(os.environ.get("ARGON2_TIME_COST", "2")),
    memory_cost=int(os.environ.get("ARGON2_MEMORY_KIB", "19456")),
    parallelism=1,
)
# verified against when the e-mail is unknown, so a miss costs as much time as a hit
_DUMMY_HASH = _hasher.hash("samenplan-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# --- choosing a password (NIST SP 800-63B: length and a blocklist, no composition rules) ----
MIN_LENGTH_SINGLE_FACTOR = 15  # a password alone protects the account
MIN_LENGTH_WITH_SECOND_FACTOR = 8
MAX_LENGTH = 256
# words every attacker tries first against this service in particular
_LOCAL_BLOCKLIST = {
    "samenplan", "samenplan123", "gezinsplan", "wachtwoord", "wachtwoord1", "wachtwoord123",
    "welkom", "welkom01", "welkom123", "welkomwelkom", "geheim", "geheim123", "voorjaar2026",
    "zomer2026", "najaar2026", "winter2026", "samen-demo-2026", "1234567890abcde",
}


def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # a bundled list: no network call

    return frozenset(FREQUENCY_LISTS["passwords"]) | _LOCAL_BLOCKLIST


_COMMON: frozenset[str] | None = None


def password_problems(password: str, *, email: str = "", second_factor: bool = False) -> list[Message]:
    """Why this password may not be used (plain words, translated where shown), or [] when it
    is fine."""
    global _COMMON
    if _COMMON is None:
        _COMMON = _common_passwords()
    minimum = MIN_LENGTH_WITH_SECOND_FACTOR if second_factor else MIN_LENGTH_SINGLE_FACTOR
    problems = []
    if len(password) < minimum:
        problems.append(Message(_(
            "Kies een wachtwoord van minstens %(minimum)s tekens. Een korte zin is makkelijk te "
            "onthouden, bijvoorbeeld: wij eten om zes uur."), {"minimum": minimum}))
    if len(password) > MAX_LENGTH:
        problems.append(Message(_("Een wachtwoord mag hoogstens %(maximum)s tekens zijn."),
                                {"maximum": MAX_LENGTH}))
    folded = password.strip().lower()
    local = email.split("@", 1)[0].lower() if email else ""
    if folded in _COMMON or folded.replace(" ", "") in _COMMON:
        problems.append(Message(_("Dit wachtwoord wordt heel vaak gebruikt. Kies iets anders.")))
    elif local and len(local) >= 4 and local in folded and len(folded) - len(local) < 6:
        problems.append(Message(_("Gebruik niet (bijna alleen) je e-mailadres als wachtwoord.")))
    elif len(set(folded)) <= 2:
        problems.append(Message(_("Gebruik niet steeds hetzelfde teken.")))
    return problems
