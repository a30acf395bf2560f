"""The watch loop with the real pipeline and store: end to end, including SIGKILL mid-batch."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from sources_support import LoopbackServer, article_html, article_text, rss
from typer.testing import CliRunner

from newsprism.config import Settings
from newsprism.sources.fetch import FetchConfig, Fetcher
from newsprism.sources.watch import PollReport, WatchConfig, Watcher
from newsprism.store.repository import Repository
from newsprism.store.sources import SourceStore

pipeline = pytest.importorskip("newsprism.pipeline", reason="the pipeline stages have not landed yet")
SRC = Path(__file__).resolve().parents[2] / "src"


def _watch_once(repo: Repository, config: FetchConfig) -> list[PollReport]:
    async def go() -> list[PollReport]:
        async with Fetcher(config) as fetcher:
            ingestor = pipeline.Ingestor(repo, Settings(database_url="sqlite://"))
            watcher = Watcher(SourceStore(repo.engine), fetcher, ingestor, WatchConfig())
            try:
                return await watcher.poll_due()
            finally:
                watcher.close()

    return asyncio.run(go())


def test_feeds_into_stories_and_tracking_urls_store_once(
    server: LoopbackServer, fetch_config: FetchConfig, tmp_path: Path
) -> None:
    full = "".join(f"<p>{p}</p>" for p in article_text(3))
    server.static(
        "/a",
        rss(
            [
                {"title": "Tram line opens", "link": server.url("/story/1?utm_source=rss")},
                {"title": "Solar farm opens", "link": server.url("/full/3"), "content": full},
            ],
            title="Outlet A",
        ),
    )
    server.static("/b", rss([{"title": "Tram", "link": server.url("/story/1?utm_campaign=b&fbclid=x")}]))
    server.static("/story/1", article_html(1))
    repo = Repository.open(f"sqlite:///{tmp_path}/e2e.db")
    store = SourceStore(repo.engine)
    store.add(server.url("/a"), outlet="Outlet A")
    store.add(server.url("/b"), outlet="Outlet B")
    reports = _watch_once(repo, fetch_config)
    assert sum(len(r.added) for r in reports) == 2 and sum(r.duplicates for r in reports) == 1
    assert repo.count_articles() == 2
    for article_id in [a for r in reports for a in r.added]:
        assert repo.article_story_id(article_id) is not None
    assert len(server.hits_for("/full/3")) == 0  # full text came from the feed
    repo.close()


def _integrity(db: Path) -> dict[str, int]:
    with sqlite3.connect(db, timeout=10) as conn:

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "distinct_hashes": one("SELECT count(DISTINCT content_hash) FROM articles"),
            "without_story": one(
                "SELECT count(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE s.id IS NULL"
            ),
            "empty_stories": one(
                "SELECT count(*) FROM stories s WHERE s.article_count > 0 AND NOT EXISTS "
                "(SELECT 1 FROM articles a WHERE a.story_id = s.id)"
            ),
            "miscounted_stories": one(
                "SELECT count(*) FROM stories s WHERE s.article_count <> "
                "(SELECT count(*) FROM articles a WHERE a.story_id = s.id)"
            ),
            "seen": one("SELECT count(*) FROM seen_entries"),
        }


def _polled(db: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT last_status FROM sources").fetchone()[0] is not None
    except sqlite3.Error:
        return False


def _count_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_sigkill_mid_batch_then_restart_loses_and_duplicates_nothing(
    server: LoopbackServer, tmp_path: Path
) -> None:
    total = 30
    items = [{"title": f"Story {n}", "link": server.url(f"/story/{n}?utm_source=rss")} for n in range(total)]
    server.static("/feed", rss(items), "application/rss+xml", etag='"v1"')
    for n in range(total):
        server.static(f"/story/{n}", article_html(n), delay=0.05)
    db = tmp_path / "kill.db"
    repo = Repository.open(f"sqlite:///{db}")
    SourceStore(repo.engine).add(server.url("/feed"), outlet="Loopback")
    repo.close()
    env = {
        **os.environ,
        "NEWSPRISM_DATABASE_URL": f"sqlite:///{db}",
        "NEWSPRISM_ALLOWED_HOSTS": server.host,
        "NEWSPRISM_HOST_INTERVAL": "0",
        "PYTHONPATH": str(SRC),
    }
    command = [sys.executable, "-m", "newsprism.cli.sources", "watch"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 40
        while _count_articles(db) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(10)
    killed_at = _count_articles(db)
    assert 3 <= killed_at < total, f"not killed mid-batch ({killed_at} articles stored)"
    before = _integrity(db)
    assert before["articles"] == before["distinct_hashes"] == killed_at
    assert before["without_story"] == before["empty_stories"] == before["miscounted_stories"] == 0

    # restart as a long-running watcher; once the poll is recorded, SIGTERM must stop it cleanly
    restarted = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _polled(db) and time.monotonic() < deadline and restarted.poll() is None:
            time.sleep(0.05)
        restarted.send_signal(signal.SIGTERM)
        out, err = restarted.communicate(timeout=20)
    finally:
        if restarted.poll() is None:
            restarted.kill()
    assert restarted.returncode == 0 and "stopped" in err, (restarted.returncode, err)
    after = _integrity(db)
    assert after["articles"] == after["distinct_hashes"] == total, (after, out, err)
    assert after["without_story"] == after["empty_stories"] == after["miscounted_stories"] == 0
    assert after["seen"] == 2 * total  # every entry known by its canonical link and its guid
    fetched = [len([h for h in server.hits if h.path.startswith(f"/story/{n}?")]) for n in range(total)]
    assert all(f >= 1 for f in fetched) and sum(fetched) <= total + WatchConfig().batch_size

    listing = CliRunner().invoke(
        _standalone(), ["sources", "list", "--format", "json", "--database", f"sqlite:///{db}"]
    )
    assert '"last_status": 200' in listing.output and '"last_error": null' in listing.output


def _standalone() -> typer.Typer:
    from newsprism.cli.sources import standalone_app

    return standalone_app
