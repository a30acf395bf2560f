"""Accounts: argon2id password hashes and the three roles (reader < editor < admin).

Roles are ordered so a check reads as "at least editor"; an admin can do everything an editor
can, plus manage accounts.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

Role = Literal["reader", "editor", "admin"]
ROLES: tuple[Role, ...] = ("reader", "editor", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# a real hash of a random string: verifying against it when the user does not exist keeps the
# login's timing the same for known and unknown usernames
_DUMMY_HASH = _hasher.hash("not-a-password-0d4c9a")


class UserError(ValueError):
    """A user-facing problem with an account request (bad name, weak password, unknown role)."""


def check_role(role: str) -> Role:
    if role not in _RANK:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def check_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise UserError("username must be 2-64 letters, digits, '.', '_' or '-'")
    return username


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password must be at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; constant work whether or not the account exists."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def has_role(role: str | None, needed: Role) -> bool:
    """Whether ``role`` is at least ``needed`` (unknown or missing roles have none)."""
    return role in _RANK and _RANK[role] >= _RANK[needed]


class LoginBackoff:
    """Per-account back-off after failed sign-ins, on top of the per-address limit.

    A password guesser spread over many addresses passes a per-IP limit; this one follows the
    account instead: ``free`` failures in a row cost nothing, each further one doubles the wait
    before the next attempt (1 s, 2 s, 4 s... capped at ``cap``). A success resets it. Unknown
    usernames are tracked the same way, so the answer does not reveal which accounts exist.
    In-process state, like the other limiters: each server worker keeps its own.
    """

    def __init__(self, free: int = 5, base: float = 1.0, cap: float = 900.0, max_keys: int = 100_000) -> None:
        self.free, self.base, self.cap, self.max_keys = free, base, cap, max_keys
        self._state: dict[str, tuple[int, float]] = {}  # username -> (failures, not before)
        self._lock = threading.Lock()

    def wait(self, username: str, now: float | None = None) -> float:
        """Seconds before ``username`` may try again (0 when it may now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            _failures, not_before = self._state.get(username, (0, 0.0))
        return max(0.0, not_before - now)

    def failed(self, username: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._state.get(username, (0, 0.0))[0] + 1
            delay = (
                0.0 if failures <= self.free else min(self.cap, self.base * 2 ** (failures - self.free - 1))
            )
            self._state[username] = (failures, now + delay)
            if len(self._state) > self.max_keys:  # a flood of invented names: keep the locked ones
                self._state = {k: v for k, v in self._state.items() if v[1] > now}

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._state.pop(username, None)
