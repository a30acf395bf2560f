"""What every ``newsprism`` command group shares: consoles, ``--database``, errors, opening the store.

One place so that every user-facing error looks the same everywhere: one unwrapped line on
stderr, plain text (a path like ``data[1].html`` is not Rich markup) and a non-zero exit.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from newsprism.config import Settings
from newsprism.store.repository import Repository

console = Console()
err_console = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="NEWSPRISM_DATABASE_URL",
        help="SQLAlchemy URL of the store [default: sqlite:///newsprism-data/newsprism.db].",
    ),
]


class _Debug:
    """Whether ``--debug`` was given: tracebacks are for developers, one-line errors for users."""

    on = False


debug = _Debug()


def print_trace(trace: str) -> None:
    """A traceback on stderr, only under ``--debug``."""
    if debug.on and trace:
        err_console.print(Text(trace.rstrip()), soft_wrap=True, highlight=False)


def print_error(message: str) -> None:
    """One unwrapped line on stderr; the message is plain text (paths may contain markup)."""
    err_console.print(Text.assemble(("error:", "bold red"), " ", message), soft_wrap=True, highlight=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print the error and return the exit to raise (``raise fail(...)`` reads as it runs)."""
    print_error(message)
    return typer.Exit(code)


def settings_for(database: str | None) -> Settings:
    """Settings with ``--database`` (or its environment variable) taking precedence."""
    return Settings(database_url=database) if database else Settings()


def open_repo(settings: Settings) -> Repository:
    """Open (and migrate) the store; a bad URL is user input, so one line and no traceback."""
    try:
        return Repository.open(settings.database_url)
    except Exception as exc:
        raise fail(f"cannot open the store at {settings.database_url}: {exc}") from exc
