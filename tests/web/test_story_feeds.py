"""Feeds out: one entry per story (Atom, JSON Feed), per-story feeds, OPML; read by two parsers.

Every feed is read back by feedparser (Atom; the JSON Feed it does not know), by fastfeedparser
(an independent parser from PyPI, both formats) and by newsprism's own feed reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import fastfeedparser
import feedparser
import pytest
from fastapi.testclient import TestClient
from test_workflow import add_article_and_reanalyse
from web_helpers import EDITOR, World, login

from newsprism.config import Settings
from newsprism.pipeline import Ingestor
from newsprism.sources.feeds import parse_feed
from newsprism.sources.files import load_pages
from newsprism.sources.opml import parse_opml
from newsprism.store.repository import Repository
from newsprism.store.sources import SourceStore
from newsprism.stories.evaluation import allsides_articles
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def read_atom(body: bytes) -> list[dict[str, Any]]:
    """Entries as both parsers see them; they must agree on ids and updated times."""
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    fast = fastfeedparser.parse(body)
    assert [e["id"] for e in fast["entries"]] == [e.id for e in parsed.entries]
    ours = parse_feed(body, "application/atom+xml")
    assert len(ours.entries) == len(parsed.entries)
    for entry, other in zip(parsed.entries, fast["entries"], strict=True):
        assert entry.title and entry.link and entry.updated
        assert datetime.fromisoformat(entry.updated) == datetime.fromisoformat(other["updated"])
    return [{"id": e.id, "title": e.title, "updated": e.updated, "link": e.link} for e in parsed.entries]


def read_json_feed(body: bytes) -> list[dict[str, Any]]:
    """JSON Feed 1.1: required keys checked, then read by fastfeedparser and newsprism's reader."""
    doc = json.loads(body)
    assert doc["version"] == "https://jsonfeed.org/version/1.1" and doc["title"]
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["url"].startswith("http")
        assert item.get("content_html") or item.get("content_text")
    fast = fastfeedparser.parse(body)
    assert [e["id"] for e in fast["entries"]] == [i["id"] for i in doc["items"]]
    ours = parse_feed(body, "application/feed+json")
    assert ours.format.startswith("json1") and len(ours.entries) == len(doc["items"])
    items: list[dict[str, Any]] = doc["items"]
    return items


def test_story_feeds_have_one_entry_per_story_and_follow_the_home_page_filters(
    client: TestClient, world: World
) -> None:
    atom = read_atom(client.get("/feeds/stories.atom").content)
    assert [e["id"] for e in atom] == [
        "http://testserver/stories/s-strike",
        "http://testserver/stories/s-evil",
    ]
    items = read_json_feed(client.get("/feeds/stories.json").content)
    assert [i["id"] for i in items] == [e["id"] for e in atom]
    assert [i["date_modified"] for i in items] == [e["updated"] for e in atom]
    strike = items[0]
    assert "Port Calder dockworkers voted on Tuesday" in strike["content_html"]
    assert strike["tags"] == ["Calder Courier", "Harbour Ledger", "Northern Wire"]
    evil = items[1]
    assert "<script>" not in evil["content_html"] and "&lt;script&gt;" in evil["content_html"]
    # the home page's filters apply, and the home page links the filtered feeds
    only = read_atom(client.get("/feeds/stories.atom?outlet=Calder+Courier").content)
    assert [e["id"] for e in only] == ["http://testserver/stories/s-strike"]
    found = read_json_feed(client.get("/feeds/stories.json?q=brennock").content)
    assert [i["id"] for i in found] == ["http://testserver/stories/s-evil"]
    assert read_atom(client.get("/feeds/stories.atom?since=2030-01-01").content) == []
    home = client.get("/?outlet=Calder+Courier").text
    assert 'href="/feeds/stories.atom?outlet=Calder+Courier"' in home
    assert 'type="application/feed+json"' in home
    assert client.get("/feeds/stories.atom?limit=0").status_code == 422


def _updated(client: TestClient) -> dict[str, str]:
    return {
        e["id"].rsplit("/", 1)[1]: e["updated"] for e in read_atom(client.get("/feeds/stories.atom").content)
    }


def test_entry_updated_moves_exactly_when_its_story_changes(client: TestClient, world: World) -> None:
    before = _updated(client)
    # a re-analysis that changes nothing is not a change
    analysis = world.repo.get_analysis("s-strike")
    assert analysis is not None
    world.repo.save_analysis(analysis)
    assert _updated(client) == before
    # an approval changes what the entry says (its label): only that entry moves
    token = login(client, EDITOR)
    client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    approved = _updated(client)
    assert approved["s-strike"] > before["s-strike"] and approved["s-evil"] == before["s-evil"]
    # a pending edit (two-editor policy) is not shown, so it does not move the entry either
    # (covered with the policy in test_workflow); a new article does
    add_article_and_reanalyse(world)
    joined = _updated(client)
    assert joined["s-strike"] > approved["s-strike"] and joined["s-evil"] == before["s-evil"]


def test_per_story_feed_has_an_entry_per_version(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    add_article_and_reanalyse(world)
    entries = read_atom(client.get("/stories/s-strike/feed.atom").content)
    assert [e["id"] for e in entries] == [
        "http://testserver/stories/s-strike#version-2",
        "http://testserver/stories/s-strike#version-1",
    ]
    assert entries[0]["link"] == "http://testserver/stories/s-strike?since=1"
    items = read_json_feed(client.get("/stories/s-strike/feed.json").content)
    assert "1 new line(s), 0 reworded, 1 removed; 1 new article(s): Valley Post" in items[0]["content_html"]
    assert client.get("/stories/nope/feed.atom").status_code == 404


def test_sources_opml_lists_enabled_sources(client: TestClient, world: World) -> None:
    store = SourceStore(world.repo.engine)
    store.add("https://ledger.example/feed.xml", outlet="Harbour Ledger", language="en")
    store.add("https://off.example/rss", outlet="Switched Off", enabled=False)
    response = client.get("/sources.opml")
    assert response.headers["content-type"].startswith("text/x-opml")
    subs = parse_opml(response.content)
    assert [(s.url, s.outlet) for s in subs] == [("https://ledger.example/feed.xml", "Harbour Ledger")]


@pytest.fixture
def real_store(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.open(f"sqlite:///{tmp_path / 'real.db'}")
    yield repo
    repo.close()


def test_one_entry_per_story_on_the_examples_and_allsides_and_updated_tracks_changes(
    real_store: Repository, eval_dir: Path
) -> None:
    """Real data through the real pipeline: the examples (analysed) and the 1,479 AllSides articles
    (grouped as one date-ordered stream, in two halves). After each step the feed has exactly one
    entry per stored story, and between the halves exactly the stories the second half touched
    changed their ``updated``."""
    settings = Settings(database_url="sqlite://")
    ingestor = Ingestor(real_store, settings)
    pages = [p for p in load_pages([EXAMPLES]) if not hasattr(p, "reason")]
    report = ingestor.ingest_pages(pages)  # type: ignore[arg-type]
    assert report.added and not report.failures
    with (eval_dir / "allsides" / "roundups-2021.jsonl").open(encoding="utf-8") as handle:
        stream = [x.article for x in allsides_articles(json.loads(line) for line in handle if line.strip())]
    half = len(stream) // 2
    ingestor.ingest_articles(stream[:half], analyse=False)
    app = create_app(settings, repo=real_store, web=WebConfig(secret_key="k", page_cache_seconds=0))
    with TestClient(app, base_url="http://testserver") as client:
        first = _all_entries(client, real_store)
        second_half = ingestor.ingest_articles(stream[half:], analyse=False)
        second = _all_entries(client, real_store)
    touched = {real_store.resolve_story_id(s) for s in second_half.stories}
    kept = set(first) & set(second)
    moved = {s for s in kept if first[s] != second[s]}
    assert moved == touched & kept
    assert len(kept - moved) > 100  # most earlier stories were left alone, and their entries too


def _all_entries(client: TestClient, repo: Repository) -> dict[str, str]:
    items = read_json_feed(client.get("/feeds/stories.json?limit=1000").content)
    ids = [i["id"].rsplit("/", 1)[1] for i in items]
    assert len(ids) == len(set(ids)) == repo.count_stories()  # one entry per story, every story
    return {i: item["date_modified"] for i, item in zip(ids, items, strict=True)}
