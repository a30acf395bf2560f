"""``newsprism users add|list|role``: newsroom accounts from the command line.

Passwords are read from a hidden prompt or, for scripts, from standard input
(``--password-stdin``) so they never appear in the process list or shell history.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsprism.config import Settings
from newsprism.newsroom.users import ROLES, UserError, check_role, check_username, hash_password
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository

users_app = typer.Typer(
    name="users", help="Manage newsroom accounts (reader, editor, admin).", no_args_is_help=True
)
console = Console()
err_console = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", envvar="NEWSPRISM_DATABASE_URL", help="SQLAlchemy URL of the store."),
]


def _store(database: str | None) -> NewsroomStore:
    settings = Settings(database_url=database) if database else Settings()
    try:
        return NewsroomStore(Repository.open(settings.database_url).engine)
    except Exception as exc:  # user input: one line, no traceback
        err_console.print(f"[bold red]error:[/] cannot open the store: {exc}")
        raise typer.Exit(1) from exc


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


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
        raise _fail(str(exc)) from exc
    if not _store(database).add_user(username, hashed, role):
        raise _fail(f"user {username!r} already exists")
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
        raise _fail(str(exc)) from exc
    store = _store(database)
    if not store.set_role(username, role):
        raise _fail(f"no user {username!r}")
    store.log("cli", "role", after={"username": username, "role": role})
    console.print(f"{username} is now {role}")
