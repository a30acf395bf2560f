"""``newsprism users add|list|role`` through Typer's runner on a temporary store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsprism.cli.users import users_app
from newsprism.newsroom.users import verify_password
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository


def test_add_list_and_change_roles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    added = runner.invoke(
        users_app,
        ["add", "erin", "--role", "editor", "--password-stdin", "--database", url],
        input="harbour-lights-42\n",
    )
    assert added.exit_code == 0, added.output
    prompt = runner.invoke(
        users_app,
        ["add", "rita", "--role", "reader", "--database", url],
        input="reading-glasses-7\nreading-glasses-7\n",
    )
    assert prompt.exit_code == 0, prompt.output
    again = runner.invoke(
        users_app, ["add", "erin", "--password-stdin", "--database", url], input="another-pass-1\n"
    )
    assert again.exit_code == 3 and "already exists" in again.output
    weak = runner.invoke(users_app, ["add", "sam", "--password-stdin", "--database", url], input="short\n")
    assert weak.exit_code == 2 and "at least 8" in weak.output
    bad_role = runner.invoke(
        users_app,
        ["add", "sam", "--role", "boss", "--password-stdin", "--database", url],
        input="long-enough-1\n",
    )
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
    listed = runner.invoke(users_app, ["list", "--format", "json", "--database", url])
    rows = json.loads(listed.output)["users"]
    assert [(r["username"], r["role"]) for r in rows] == [("erin", "editor"), ("rita", "reader")]
    assert "hash" not in listed.output
    assert runner.invoke(users_app, ["list", "--database", url]).exit_code == 0
    assert runner.invoke(users_app, ["role", "rita", "admin", "--database", url]).exit_code == 0
    assert runner.invoke(users_app, ["role", "nobody", "admin", "--database", url]).exit_code == 3
    assert runner.invoke(users_app, ["role", "rita", "god", "--database", url]).exit_code == 2
    repo = Repository.open(url)
    store = NewsroomStore(repo.engine)
    record = store.get_user("erin")
    assert record is not None and verify_password(record.password_hash, "harbour-lights-42")
    assert store.get_user("rita").role == "admin"  # type: ignore[union-attr]
    assert store.audit_entries()[0].action == "role"
    repo.close()
