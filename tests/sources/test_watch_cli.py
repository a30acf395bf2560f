"""``watch --once`` and ``--force``: the exit status says whether the feeds worked, the summary counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sources_support import LoopbackServer, article_html, rss
from typer.testing import CliRunner

from newsprism.cli.sources import standalone_app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    return ["--database", f"sqlite:///{tmp_path / 'watch.db'}"]


@pytest.fixture(autouse=True)
def loopback(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPRISM_ALLOWED_HOSTS", server.host)
    monkeypatch.setenv("NEWSPRISM_HOST_INTERVAL", "0")


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(standalone_app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.output


def _good_feed(server: LoopbackServer) -> str:
    server.static("/good", rss([{"title": "One", "link": server.url("/story/1")}]), "application/rss+xml")
    server.static("/story/1", article_html(1))
    return server.url("/good")


def test_every_feed_refused_is_exit_3_then_force_polls_again(server: LoopbackServer, db: list[str]) -> None:
    server.static("/refused", "no", "text/plain", status=403)
    server.static("/broken", "<rss><channel><item>", "application/rss+xml")
    for path in ("/refused", "/broken"):
        assert invoke("sources", "add", server.url(path), *db)[0] == 0
    code, out = invoke("watch", "--once", *db)
    assert code == 3, out
    assert "polled 2 source(s): 0 ok, 2 failed" in out
    listed = {
        s["url"].rsplit("/", 1)[1]: s
        for s in json.loads(invoke("sources", "list", "-f", "json", *db)[1])["sources"]
    }
    assert listed["refused"]["last_status"] == 403 and "403" in listed["refused"]["last_error"]
    assert listed["broken"]["last_error"] and listed["broken"]["next_poll_at"]
    # the cause is fixed, but both feeds wait out their back-off: a plain pass polls nothing...
    server.static("/refused", rss([]), "application/rss+xml")
    code, out = invoke("watch", "--once", *db)
    assert code == 0 and "no source is due yet" in out and "--force" in out
    # ...and --force polls them now: one works again, one is still broken
    code, out = invoke("watch", "--once", "--force", *db)
    assert code == 1, out
    assert "polled 2 source(s): 1 ok, 1 failed" in out


def test_all_feeds_fine_is_exit_0_with_counts(server: LoopbackServer, db: list[str]) -> None:
    invoke("sources", "add", _good_feed(server), "--outlet", "Loopback", *db)
    code, out = invoke("watch", "--once", *db)
    assert code == 0, out
    summary = "polled 1 source(s): 1 ok, 0 failed; 1 article(s) added, 0 duplicate(s), 0 entry(ies) failed"
    assert summary in out


def test_failed_entries_in_a_working_feed_are_exit_1(server: LoopbackServer, db: list[str]) -> None:
    items = [
        {"title": "One", "link": server.url("/story/1")},
        {"title": "Gone", "link": server.url("/story/404")},
    ]
    server.static("/mixed", rss(items), "application/rss+xml")
    server.static("/story/1", article_html(1))
    server.static("/story/404", "gone", "text/plain", status=404)
    invoke("sources", "add", server.url("/mixed"), *db)
    code, out = invoke("watch", "--once", *db)
    assert code == 1, out
    assert "1 ok, 0 failed; 1 article(s) added" in out and "1 entry(ies) failed" in out
    listed = invoke("sources", "list", "--format", "json", *db)[1]
    assert "1 of 2 new entries failed" in listed  # the source's last error says which
