"""Exit statuses every command keeps (0 all done, 1 some failed, 2 usage error, 3 nothing done),
the failure count in every summary, and ``--help`` written for people."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import typer
from cli_helpers import run, runner

from newsprism.cli import app
from newsprism.cli.common import exit_status

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'exit.db'}"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return next(p for p in sorted(EXAMPLES.rglob("*.html")))


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return path


def test_exit_status_rule() -> None:
    assert [exit_status(3, 0), exit_status(2, 1), exit_status(0, 2), exit_status(0, 0)] == [0, 1, 3, 0]


def test_ingest_statuses_and_summary(db: str, good: Path, bad: Path) -> None:
    code, out, _ = run("ingest", str(good), db=db)
    assert code == 0 and "ingested 1 article(s) into 1 story(ies); 0 duplicate(s) skipped; 0 failed" in out
    code, out, err = run("ingest", str(good), str(bad), db=db)
    assert code == 1 and "0 article(s)" in out and "1 duplicate(s) skipped; 1 failed" in out
    assert err.count("error:") == 1
    code, out, _ = run("ingest", str(bad), db=db)
    assert code == 3 and "1 failed" in out
    code, out, _ = run("ingest", str(bad), "--format", "json", db=db)
    assert code == 3 and '"failed": 1' in out


def test_extract_and_analyse_statuses(good: Path, bad: Path) -> None:
    code, _, err = run("extract", str(good), str(bad), "--format", "jsonl")
    assert code == 1 and "extracted 1 article(s); 1 failed" in err
    assert run("extract", str(bad))[0] == 3
    assert run("extract", str(good), "--format", "json")[0] == 0
    code, _, err = run("analyse", str(bad))
    assert code == 3 and "analysed 0 article(s); 1 failed" in err


def test_demo_counts_failures(db: str) -> None:
    code, out, _ = run("demo", db=db)
    assert code == 0 and "0 failed" in out


@pytest.mark.parametrize(
    "args",
    [
        ("ingest",),  # missing argument
        ("ingest", "x", "--format", "xml"),  # bad choice
        ("stories", "--no-such-option"),
        ("sources", "add", "ftp://feeds.example/rss"),  # not an http(s) URL
        ("sources", "list", "--format", "yaml"),
        ("users", "add", "sam", "--role", "boss", "--password-stdin"),
    ],
)
def test_usage_errors_are_exit_2(db: str, args: tuple[str, ...]) -> None:
    assert run(*args, db=db)[0] == 2


def test_a_single_target_that_cannot_be_acted_on_is_exit_3(db: str) -> None:
    assert run("show", "s-missing", db=db)[0] == 3
    assert run("sources", "remove", "https://nowhere.example/feed", db=db)[0] == 3
    assert run("stories", db="nosuchdb://x")[0] == 3


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += _commands(command, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


def test_help_is_clean_on_every_command() -> None:
    """No Python types (``<bool>``, ``<list[Path]>``), no ``{braces}``, no swallowed defaults."""
    commands = _commands(typer.main.get_group(app))
    assert len(commands) >= 12
    for command in commands:
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
        assert result.exit_code == 0, command
        text = result.stdout
        assert not re.search(r"<\w[\w\[\], |]*>", text), (command, text)
        assert "{" not in text and "[[" not in text, (command, text)
        assert not re.search(r"\w \.(\s|$)", text), (command, text)  # "store ." (a lost default)
    watch = runner.invoke(app, ["watch", "--help"], env={"COLUMNS": "120"}).stdout
    assert "--force" in watch and "--once" in watch
    ingest = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "120"}).stdout
    assert "PATHS..." in ingest and "[text|json]" in ingest and "sqlite:///newsprism-data" in ingest


def test_serve_with_an_unknown_review_policy_is_a_usage_error(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings read the environment when created, so the bad value reaches ``serve`` as a user's would."""
    monkeypatch.setenv("NEWSPRISM_REVIEW_POLICY", "three-editors")
    result = runner.invoke(app, ["serve", "--port", "1"], env={"NEWSPRISM_DATABASE_URL": db})
    assert result.exit_code == 2 and "unknown review policy 'three-editors'" in result.stderr
    assert result.stderr.count("error:") == 1 and "Traceback" not in result.stderr
