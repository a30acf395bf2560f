"""The anonymous page micro-cache: shared pages, per-browser CSRF tokens, cleared by review actions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import update
from web_helpers import EDITOR, World, login

from newsprism.config import Settings
from newsprism.store import schema
from newsprism.web.app import create_app
from newsprism.web.cache import CSRF_PLACEHOLDER, TTLCache
from newsprism.web.security import WebConfig


def _token(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_anonymous_pages_are_cached_with_per_browser_tokens(world: World) -> None:
    app = create_app(Settings(), repo=world.repo, web=WebConfig(secret_key="k", page_cache_seconds=60))
    alice, bob = TestClient(app), TestClient(app)
    first = alice.get("/stories/s-strike").text
    with world.repo.engine.begin() as conn:
        conn.execute(
            update(schema.stories).where(schema.stories.c.id == "s-strike").values(headline="Changed")
        )
    second = bob.get("/stories/s-strike").text
    assert "Changed" not in second  # served from the cache
    assert CSRF_PLACEHOLDER not in first + second
    assert _token(first) != _token(second)  # each browser still gets its own token
    vote = bob.post(
        "/stories/s-strike/feedback", data={"helpful": "yes", "version": "1", "csrf_token": _token(second)}
    )
    assert vote.status_code == 200 and "your vote on this version is recorded" in vote.text
    assert "your vote on this version is recorded" in bob.get("/stories/s-strike").text
    assert "your vote on this version is recorded" not in alice.get("/stories/s-strike").text
    token = login(alice, EDITOR)
    assert "Changed" in alice.get("/stories/s-strike").text  # editors always see fresh pages
    alice.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    fresh = TestClient(app).get("/stories/s-strike").text  # the approval cleared the cache
    assert "Changed" in fresh and "newsroom-reviewed" in fresh


def test_ttl_cache_expires_and_is_bounded() -> None:
    cache = TTLCache(0.05, max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert cache.get("a") is None and cache.get("c") == 3
    assert cache.get_or_compute("d", lambda: 4) == 4
    import time

    time.sleep(0.06)
    assert cache.get("d") is None
    off = TTLCache(0)
    off.put("x", 1)
    assert not off.enabled and off.get("x") is None


def test_cached_story_page_follows_writes_from_another_process(world: World) -> None:
    """A story page is cached until its content stamp moves, with no timer and no clear() call:
    a re-analysis written by the pipeline (another process, here the repository directly) shows
    on the next anonymous view, and an unchanged story keeps being served from the cache."""
    from newsprism.model import Bullet, QuickRead

    app = create_app(Settings(), repo=world.repo, web=WebConfig(secret_key="k", page_cache_seconds=60))
    reader = TestClient(app)
    assert "Dockworkers" in reader.get("/stories/s-strike").text
    analysis = world.repo.get_analysis("s-strike")
    assert analysis is not None
    article = world.strike_articles[0]
    analysis.quick_read = QuickRead(
        "s-strike", [Bullet("Ships unload again at Port Calder.", analysis.quick_read.bullets[0].citations)]
    )
    with world.repo.engine.begin() as conn:  # an edit that moves no stamp is not seen...
        conn.execute(update(schema.articles).where(schema.articles.c.id == article.id).values(title="Hidden"))
    assert "Hidden" not in reader.get("/stories/s-strike").text
    world.repo.save_analysis(analysis)  # ...a re-analysis is, at once
    fresh = reader.get("/stories/s-strike").text
    assert "Ships unload again at Port Calder." in fresh and "Hidden" in fresh
