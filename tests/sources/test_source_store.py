"""SourceStore on every configured backend (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsprism.store.repository import Repository
from newsprism.store.sources import PollOutcome, SourceExists, SourceStore, UnknownSource, next_poll

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_add_update_list_remove(repo: Repository) -> None:
    store = SourceStore(repo.engine)
    a = store.add("http://a.example/feed", outlet="Alpha", language="en", poll_interval_seconds=300)
    store.add("http://b.example/feed", enabled=False)
    with pytest.raises(SourceExists):
        store.add("http://a.example/feed")
    assert [s.url for s in store.list_sources()] == ["http://a.example/feed", "http://b.example/feed"]
    assert (a.outlet, a.language, a.poll_interval_seconds, a.enabled) == ("Alpha", "en", 300, True)
    updated = store.update("http://b.example/feed", enabled=True, outlet="Beta")
    assert updated.enabled and updated.outlet == "Beta"
    with pytest.raises(ValueError, match="not a source setting"):
        store.update("http://b.example/feed", etag="x")
    store.mark_seen(a.id, ["k1"], None)
    store.remove("http://a.example/feed")
    with pytest.raises(UnknownSource):
        store.remove("http://a.example/feed")
    assert [s.url for s in store.list_sources()] == ["http://b.example/feed"]


def test_due_sources_and_poll_records(repo: Repository) -> None:
    store = SourceStore(repo.engine)
    a = store.add("http://a.example/feed", poll_interval_seconds=60)
    store.add("http://off.example/feed", enabled=False)
    assert [s.url for s in store.due(NOW)] == [a.url]  # never polled: due at once
    store.record_poll(
        a.id,
        PollOutcome(200, None, NOW, NOW + timedelta(seconds=60), '"e1"', "lm1", keep_validators=False),
    )
    assert store.due(NOW) == []
    assert [s.url for s in store.due(NOW + timedelta(seconds=61))] == [a.url]
    after = store.get(a.url)
    assert after is not None and (after.etag, after.last_modified, after.last_status) == ('"e1"', "lm1", 200)
    # a failed poll keeps the validators and records the error
    store.record_poll(a.id, PollOutcome(None, "timed out", NOW, NOW + timedelta(seconds=120)))
    failed = store.get(a.url)
    assert failed is not None and failed.etag == '"e1"' and failed.last_error == "timed out"
    assert store.next_due_at() == NOW + timedelta(seconds=120)


def test_mark_seen_is_idempotent(repo: Repository) -> None:
    store = SourceStore(repo.engine)
    a = store.add("http://a.example/feed")
    b = store.add("http://b.example/feed")
    store.mark_seen(a.id, ["http://x/1", "guid:1"], "a123")
    store.mark_seen(a.id, ["http://x/1", "guid:1", "http://x/2"], None)
    assert store.seen(a.id, ["http://x/1", "http://x/2", "http://x/3"]) == {"http://x/1", "http://x/2"}
    assert store.seen(b.id, ["http://x/1"]) == set()  # seen is per source
    assert store.count_seen(a.id) == 3


def test_backoff_grows_with_failures_and_is_capped() -> None:
    assert next_poll(NOW, 60) == NOW + timedelta(seconds=60)
    assert next_poll(NOW, 60, failures=2) == NOW + timedelta(seconds=240)
    assert next_poll(NOW, 3600, failures=20) == NOW + timedelta(days=1)
