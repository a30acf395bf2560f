"""What every ``newsprism`` command group shares: consoles, ``--database``, errors, opening the store.

One place so that every user-facing error looks the same everywhere: one unwrapped line on
stderr, plain text (a path like ``data[1].html`` is not Rich markup) and a non-zero exit.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
import typer.core
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
        metavar="URL",
        show_default="sqlite:///newsprism-data/newsprism.db",
        help="SQLAlchemy URL of the store.",
    ),
]

# Exit statuses every command keeps (documented in the README): scripts and cron jobs tell
# "all done" from "some inputs failed" from "nothing worked" without parsing the output.
EXIT_OK = 0  # every input succeeded
EXIT_PARTIAL = 1  # some inputs failed, the others were done
EXIT_USAGE = 2  # the command line was wrong (Click's own status for usage errors)
EXIT_NOTHING = 3  # nothing succeeded (every page failed, every feed refused)


def exit_status(succeeded: int, failed: int) -> int:
    """The exit status for a run that handled ``succeeded`` inputs and failed on ``failed``."""
    if not failed:
        return EXIT_OK
    return EXIT_PARTIAL if succeeded else EXIT_NOTHING


def finish(succeeded: int, failed: int) -> None:
    """End a command with the status its counts call for (nothing to do when all went well)."""
    status = exit_status(succeeded, failed)
    if status:
        raise typer.Exit(status)


# ---- help text ------------------------------------------------------------------------------------
# Typer 0.29 labels every parameter with its Python annotation (``<bool>``, ``<list[Path]>``,
# ``{paths}``). Help is for people, so the labels follow Click's conventions instead: a flag has
# none, an option shows its metavar or its type in capitals (TEXT, INTEGER, PATH), a choice its
# values, and an argument its upper-case name. One override here keeps every command consistent
# (a test runs ``--help`` on all of them).
_TYPE_NAMES = {"str": "TEXT", "int": "INTEGER", "int range": "INTEGER", "float": "FLOAT", "path": "PATH"}


def _option_type(self: Any, ctx: Any) -> str | None:
    """Click's label for an option: none for a flag, the metavar, the choices, or the type name."""
    if self.is_flag or self.count:
        return None
    if self.metavar is not None:
        return str(self.metavar)
    label = typer.core.TyperOption.display_type(self, ctx).strip("<>")
    if label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    if "|" in label:
        return f"[{label}]"
    return _TYPE_NAMES.get(label.lower(), label.upper())


def _argument_type(self: Any, ctx: Any) -> str | None:
    return None  # the name column already shows the argument's name, as Click does


def _argument_name(self: Any) -> str:
    return str(self.metavar or self.name.upper())


def _argument_usage(self: Any) -> str:
    name = _argument_name(self)
    if self.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if self.required else f"[{name}]"


typer.core.TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
typer.core.TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]
typer.core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
typer.core.TyperArgument.display_name_raw = property(_argument_name)  # type: ignore[assignment,method-assign]


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


def fail(message: str, code: int = EXIT_NOTHING) -> typer.Exit:
    """Print the error and return the exit to raise (``raise fail(...)`` reads as it runs).

    The default status is 3, nothing done (a single target that could not be acted on); pass
    ``EXIT_USAGE`` for a value the command line got wrong.
    """
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
