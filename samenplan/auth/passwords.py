from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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
