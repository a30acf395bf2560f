"""How the CLI tests run a command: in-process through Typer's runner, on an optional store."""

from __future__ import annotations

from typer.testing import CliRunner

from newsprism.cli import app

runner = CliRunner()


def run(*args: str, db: str | None = None) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``newsprism ARGS`` (``db`` as NEWSPRISM_DATABASE_URL)."""
    env = {"NEWSPRISM_DATABASE_URL": db} if db else {}
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr
