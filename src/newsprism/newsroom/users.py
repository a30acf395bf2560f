"""Accounts: argon2id password hashes and the three roles (reader < editor < admin).

Roles are ordered so a check reads as "at least editor"; an admin can do everything an editor
can, plus manage accounts.
"""

from __future__ import annotations

import re
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
