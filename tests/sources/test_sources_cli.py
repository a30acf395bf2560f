"""``sources add|import|export|list|remove``, ``watch`` and ``fetch`` through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sources_support import LoopbackServer, article_html
from typer.testing import CliRunner

from newsprism.cli.sources import standalone_app
from newsprism.sources.opml import FeedSubscription, build_opml

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    return ["--database", f"sqlite:///{tmp_path / 'cli.db'}"]


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(standalone_app, list(args))
    return result.exit_code, result.output


def test_add_list_update_remove(db: list[str]) -> None:
    assert (
        invoke("sources", "add", "https://a.example/feed", "--outlet", "Alpha", "--interval", "300", *db)[0]
        == 0
    )
    code, out = invoke("sources", "add", "https://a.example/feed", "--language", "fr", "--disabled", *db)
    assert code == 0 and "updated" in out
    code, out = invoke("sources", "list", "--format", "json", *db)
    (source,) = json.loads(out)["sources"]
    assert source["outlet"] == "Alpha" and source["language"] == "fr" and source["enabled"] is False
    assert source["poll_interval_seconds"] == 300 and source["last_error"] is None
    code, out = invoke("sources", "list", *db)
    assert code == 0 and "Alpha" in out and "never" in out
    assert invoke("sources", "remove", "https://a.example/feed", *db)[0] == 0
    code, out = invoke("sources", "remove", "https://a.example/feed", *db)
    assert code == 3 and "no source" in out


def test_add_refuses_non_http_urls(db: list[str]) -> None:
    code, out = invoke("sources", "add", "file:///etc/passwd", *db)
    assert code == 2 and "only http" in out


def test_opml_import_and_export(db: list[str], tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(
        build_opml(
            [
                FeedSubscription("https://a.example/rss", "Alpha", "en", 600),
                FeedSubscription("https://b.example/atom", "Beta"),
                FeedSubscription("ftp://bad.example/feed", "Bad"),
            ]
        )
    )
    code, out = invoke("sources", "import", str(opml), *db)
    assert code == 1 and "imported 2 feed(s)" in out and "1 invalid" in out
    code, out = invoke("sources", "import", str(opml), *db)
    assert "imported 0 feed(s); 2 already subscribed" in out
    exported = tmp_path / "out.opml"
    assert invoke("sources", "export", str(exported), *db)[0] == 0
    text = exported.read_text()
    assert 'xmlUrl="https://a.example/rss"' in text and 'newsprismInterval="600"' in text
    code, out = invoke("sources", "export", *db)
    assert code == 0 and out.startswith("<?xml") and "Beta" in out
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>')
    code, out = invoke("sources", "import", str(bomb), *db)
    assert code == 3 and "refused" in out


def test_watch_without_sources_says_what_to_do(db: list[str]) -> None:
    code, out = invoke("watch", "--once", *db)
    assert code == 3 and "sources add" in out


def test_fetch_ingests_single_articles(
    db: list[str], server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("newsprism.pipeline", reason="the pipeline stages have not landed yet")
    monkeypatch.setenv("NEWSPRISM_ALLOWED_HOSTS", server.host)
    monkeypatch.setenv("NEWSPRISM_HOST_INTERVAL", "0")
    server.static("/story/1", article_html(1))
    server.static("/private/2", article_html(2))
    code, out = invoke("fetch", server.url("/story/1?utm_source=x"), server.url("/private/2"), *db)
    assert code == 1 and "ingested 1 article(s)" in out and "robots.txt disallows" in out
    code, out = invoke("fetch", server.url("/story/1"), *db)
    assert code == 0 and "1 duplicate(s)" in out
    monkeypatch.delenv("NEWSPRISM_ALLOWED_HOSTS")
    code, out = invoke("fetch", server.url("/story/1"), *db)
    assert code == 3 and "non-public" in out
