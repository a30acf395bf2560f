"""``newsprism users add|list|role|password|remove|logout``: newsroom accounts from the command line.

Passwords are read from a hidden prompt or, for scripts, from standard input
(``--password-stdin``) so they never appear in the process list or shell history.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from newsprism.cli.common import EXIT_USAGE, DatabaseOption, console, fail, open_repo, settings_for
from newsprism.newsroom.users import ROLES, UserError, check_role, check_username, hash_password
from newsprism.store.newsroom import NewsroomStore

users_app = typer.Typer(
    name="users", help="Manage newsroom accounts (reader, editor, admin).", no_args_is_help=True
)


ExistingUser = Annotated[str, typer.Argument(help="Existing login name.")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _store(database: str | None) -> NewsroomStore:
    return NewsroomStore(open_repo(settings_for(database)).engine)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "editor",
    password_stdin: PasswordStdin = False,
    database: DatabaseOption = None,
) -> None:
    """Create an account (argon2id-hashed password)."""
    try:
        check_username(username)
        check_role(role)
        hashed = hash_password(_read_password(password_stdin))
    except UserError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    if not _store(database).add_user(username, hashed, role):
        raise fail(f"user {username!r} already exists")
    console.print(f"added {username} ({role})")


@users_app.command("list")
def list_users(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    database: DatabaseOption = None,
) -> None:
    """List accounts and their roles (never the hashes)."""
    users = _store(database).list_users()
    if fmt == "json":
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "created_at": u.created_at.isoformat() if u.created_at else None,
            }
            for u in users
        ]
        sys.stdout.write(json.dumps({"users": rows}, indent=2) + "\n")
        return
    table = Table(title="Newsroom accounts")
    table.add_column("username")
    table.add_column("role")
    table.add_column("created")
    for u in users:
        table.add_row(u.username, u.role, u.created_at.date().isoformat() if u.created_at else "-")
    console.print(table)


@users_app.command("role")
def set_role(
    username: ExistingUser,
    role: Annotated[str, typer.Argument(help=f"One of: {', '.join(ROLES)}.")],
    database: DatabaseOption = None,
) -> None:
    """Change an account's role (takes effect on the user's next request)."""
    try:
        check_role(role)
    except UserError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    store = _store(database)
    if not store.set_role(username, role):
        raise fail(f"no user {username!r}")
    store.log("cli", "role", after={"username": username, "role": role})
    console.print(f"{username} is now {role}")


@users_app.command("password")
def change_password(
    username: ExistingUser,
    password_stdin: PasswordStdin = False,
    database: DatabaseOption = None,
) -> None:
    """Set a new password; every session of the account ends (sign in again)."""
    try:
        hashed = hash_password(_read_password(password_stdin))
    except UserError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    store = _store(database)
    ended = store.change_password(username, hashed)
    if ended is None:
        raise fail(f"no user {username!r}")
    store.log("cli", "password", after={"username": username, "sessions_ended": ended})
    console.print(f"password of {username} changed; {ended} session(s) ended")


@users_app.command("remove")
def remove(
    username: ExistingUser,
    database: DatabaseOption = None,
) -> None:
    """Delete an account; its sessions end at once (the audit log keeps its past actions)."""
    store = _store(database)
    if not store.remove_user(username):
        raise fail(f"no user {username!r}")
    store.log("cli", "remove_user", after={"username": username})
    console.print(f"removed {username}")


@users_app.command("logout")
def logout_everywhere(
    username: ExistingUser,
    database: DatabaseOption = None,
) -> None:
    """End every session of an account (a lost laptop, a copied cookie) without other changes."""
    store = _store(database)
    if store.get_user(username) is None:
        raise fail(f"no user {username!r}")
    ended = store.end_user_sessions(username)
    store.log("cli", "logout", after={"username": username, "sessions_ended": ended})
    console.print(f"{ended} session(s) of {username} ended")
