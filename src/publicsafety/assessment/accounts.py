"""Facilitator and admin accounts: Argon2 password hashes, logins, and login rate limiting."""

from __future__ import annotations

import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from publicsafety.assessment.store import AnswerStore
from publicsafety.errors import PublicSafetyError

ROLES = ("facilitator", "admin")
MAX_FAILURES = 5  # failed logins per username and per address ...
WINDOW_SECONDS = 15 * 60  # ... within this window, then wait
MIN_PASSWORD = 10

_hasher = PasswordHasher()


class LoginLimited(Exception):
    """Too many failed logins recently."""


def add_account(
    store: AnswerStore, username: str, password: str, role: str = "facilitator"
) -> None:
    if role not in ROLES:
        raise PublicSafetyError(f"unknown role {role!r}", fix=f"use one of: {', '.join(ROLES)}")
    if not username.strip() or len(password) < MIN_PASSWORD:
        raise PublicSafetyError(
            "a username and a password of at least 10 characters are needed",
            fix="choose a longer password (a few unrelated words work well)",
        )
    store.add_user(username.strip(), role, _hasher.hash(password))


def login(store: AnswerStore, username: str, password: str, address: str) -> str | None:
    """A login token, or None for a wrong name/password. Raises LoginLimited after too many
    failures for this username or from this address, checked before the password is."""
    keys = (f"user:{username.strip().lower()}", f"addr:{address}")
    since = time.time() - WINDOW_SECONDS
    if any(store.failures_since(k, since) >= MAX_FAILURES for k in keys):
        raise LoginLimited()
    user = store.user(username.strip())
    ok = False
    if user is not None:
        try:
            ok = _hasher.verify(user["pw_hash"], password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        # Same work for unknown names, so timing does not tell which names exist.
        _hasher.hash(password)
    if not ok:
        for k in keys:
            store.record_failure(k)
        return None
    return store.new_login(user["username"])  # type: ignore[index]
