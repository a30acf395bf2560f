"""``newsprism users add|list|role``: newsroom accounts from the command line.

Passwords are read from a hidden prompt or, for scripts, from standard input
(``--password-stdin``) so they never appear in the process list or shell history.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from newsprism.cli.common import DatabaseOption, console, fail, open_repo, settings_for
from newsprism.newsroom.users import ROLES, UserError, check_role, check_username, hash_password
from newsprism.store.newsroom import NewsroomStore

users_app = typer.Typer(
    name="users", help="Manage newsroom accounts (reader, editor, admin).", no_args_is_help=True
)


def _store(database: str | None) -> NewsroomStore:
    return NewsroomStore(open_repo(settings_for(database)).engine)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "editor",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Create an account (argon2id-hashed password)."""
    try:
        check_username(username)
        check_role(role)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        hashed = hash_password(password)
    except UserError as exc:
        raise fail(str(exc)) from exc
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
    username: Annotated[str, typer.Argument(help="Existing login name.")],
    role: Annotated[str, typer.Argument(help=f"One of: {', '.join(ROLES)}.")],
    database: DatabaseOption = None,
) -> None:
    """Change an account's role (takes effect on the user's next request)."""
    try:
        check_role(role)
    except UserError as exc:
        raise fail(str(exc)) from exc
    store = _store(database)
    if not store.set_role(username, role):
        raise fail(f"no user {username!r}")
    store.log("cli", "role", after={"username": username, "role": role})
    console.print(f"{username} is now {role}")
