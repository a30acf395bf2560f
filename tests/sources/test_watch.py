"""The watch loop against a loopback server, with a stand-in ingestor (no pipeline needed).

The stand-in records the pages it is given and treats identical content as a duplicate, which is
all the watch loop relies on; the real pipeline is exercised in ``test_watch_pipeline.py``.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import pytest
from sources_support import BILLION_LAUGHS, Handler, LoopbackServer, article_html, rss

from newsprism.model import Page
from newsprism.sources.fetch import FetchConfig, Fetcher
from newsprism.sources.watch import PollReport, WatchConfig, Watcher
from newsprism.store.repository import Repository
from newsprism.store.sources import Source, SourceStore

T = TypeVar("T")
FULL = "".join(f"<p>{'Paragraph words go here. ' * 10}</p>" for _ in range(4))


@dataclass
class _Article:
    id: str
    source: str


@dataclass
class _Failure:
    source: str
    reason: str


@dataclass
class _Report:
    added: list[_Article] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)


class FakeIngestor:
    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.stored: dict[str, str] = {}
        self.refreshes = 0

    def ingest_pages(self, pages: Sequence[Page], *, analyse: bool = True) -> _Report:
        report = _Report()
        for page in pages:
            self.pages.append(page)
            data = page.content if isinstance(page.content, bytes) else page.content.encode()
            if b"<p>" not in data and page.kind == "html":
                report.failures.append(_Failure(page.source, "not an article"))
                continue
            digest = hashlib.sha256(data).hexdigest()[:12]
            if digest in self.stored or page.url in self.stored.values():
                report.duplicates.append(page.source)
            else:
                self.stored[digest] = page.url or ""
                report.added.append(_Article("a" + digest, page.source))
        return report

    def refresh_analyses(self) -> list[str]:
        self.refreshes += 1
        return []


@pytest.fixture
def store(tmp_path: object) -> Iterator[SourceStore]:
    repo = Repository.open(f"sqlite:///{tmp_path}/watch.db")
    yield SourceStore(repo.engine)
    repo.close()


def poll(store: SourceStore, config: FetchConfig, ingestor: FakeIngestor, url: str) -> PollReport:
    source = store.get(url)
    assert source is not None
    return run(store, config, ingestor, lambda w: w.poll(source))


def run(
    store: SourceStore, config: FetchConfig, ingestor: FakeIngestor, action: Callable[[Watcher], Awaitable[T]]
) -> T:
    async def go() -> T:
        async with Fetcher(config) as fetcher:
            watcher = Watcher(store, fetcher, ingestor, WatchConfig(batch_size=3))
            try:
                return await action(watcher)
            finally:
                watcher.close()

    return asyncio.run(go())


def _source(store: SourceStore, url: str) -> Source:
    source = store.get(url)
    assert source is not None
    return source


def test_full_text_used_summary_fetched_and_second_poll_is_304(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    items = [
        {"title": "Full one", "link": server.url("/full/1"), "content": FULL + "<p>one</p>"},
        {"title": "Teaser two", "link": server.url("/story/2?utm_source=rss")},
        {"title": "Full three", "link": server.url("/full/3"), "content": FULL + "<p>three</p>"},
        {"title": "Teaser four", "link": server.url("/story/4")},
    ]
    server.static("/feed", rss(items), "application/rss+xml", etag='"v1"')
    server.static("/story/2", article_html(2))
    server.static("/story/4", article_html(4))
    store.add(server.url("/feed"), outlet="Loopback Times")
    ingestor = FakeIngestor()

    first = poll(store, fetch_config, ingestor, server.url("/feed"))
    assert (first.status, first.new, len(first.added), first.error) == (200, 4, 4, None)
    by_title = {p.title: p for p in ingestor.pages}
    full = by_title["Full one"]
    assert full.kind == "html" and "Paragraph words" in str(full.content) and full.outlet == "Loopback Times"
    teaser = by_title["Teaser two"]
    assert teaser.content == article_html(2).encode() and teaser.url == server.url("/story/2")
    assert teaser.published_at is not None
    assert server.hits_for("/full/1") == [] and len(server.hits_for("/story/2?utm_source=rss")) == 1
    assert _source(store, server.url("/feed")).etag == '"v1"'

    second = poll(store, fetch_config, ingestor, server.url("/feed"))
    assert (second.status, second.new) == (304, 0)
    assert server.hits_for("/feed")[1].sent == 0 and len(ingestor.pages) == 4
    assert _source(store, server.url("/feed")).last_status == 304


def test_restart_does_not_refetch_seen_entries(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    items = [{"title": f"T{n}", "link": server.url(f"/story/{n}")} for n in range(5)]
    server.static("/feed", rss(items), "application/rss+xml")  # no validators: full body every time
    for n in range(5):
        server.static(f"/story/{n}", article_html(n))
    store.add(server.url("/feed"))
    poll(store, fetch_config, FakeIngestor(), server.url("/feed"))
    items.append({"title": "T5", "link": server.url("/story/5")})
    server.static("/feed", rss(items), "application/rss+xml")
    server.static("/story/5", article_html(5))
    fresh = FakeIngestor()  # a new process: nothing in memory
    report = poll(store, fetch_config, fresh, server.url("/feed"))
    assert (report.entries, report.new, len(report.added)) == (6, 1, 1)
    assert [p.title for p in fresh.pages] == ["T5"]
    assert all(len(server.hits_for(f"/story/{n}")) == 1 for n in range(6))


def test_tracking_parameters_do_not_duplicate(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    items = [
        {"title": "Same", "link": server.url("/story/7?utm_source=rss&utm_medium=feed"), "guid": "g1"},
        {"title": "Same again", "link": server.url("/story/7?utm_source=twitter"), "guid": "g2"},
        {"title": "Same #3", "link": server.url("/story/7#comments"), "guid": "g3"},
    ]
    server.static("/feed", rss(items), "application/rss+xml")
    server.static("/story/7", article_html(7))
    store.add(server.url("/feed"))
    ingestor = FakeIngestor()
    report = poll(store, fetch_config, ingestor, server.url("/feed"))
    assert (report.entries, len(report.added)) == (1, 1)
    assert len(ingestor.pages) == 1
    assert sum(len(h) for h in [server.hits_for(p) for p in {h.path for h in server.hits}] if h) >= 1
    assert len([h for h in server.hits if h.path.startswith("/story/7")]) == 1


def test_unsafe_and_malformed_feeds_store_nothing(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    server.static("/bomb", BILLION_LAUGHS, "application/rss+xml")
    server.static("/broken", b'<rss version="2.0"><channel><item><title>x', "application/rss+xml")
    for path in ["/bomb", "/broken"]:
        store.add(server.url(path))
    ingestor = FakeIngestor()
    reports = run(store, fetch_config, ingestor, lambda w: w.poll_due())
    assert ingestor.pages == []
    errors = {r.url.rsplit("/", 1)[1]: r.error or "" for r in reports}
    assert "entity" in errors["bomb"] and "malformed" in errors["broken"]
    for path in ["/bomb", "/broken"]:
        source = _source(store, server.url(path))
        assert source.last_error == errors[path[1:]] and source.etag is None
        assert store.count_seen(source.id) == 0


def _hang_until_closing(server: LoopbackServer) -> Callable[[Handler], None]:
    def hang(_: Handler) -> None:
        server.closing.wait(30)

    return hang


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_bad_sources_are_recorded_and_the_loop_survives(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    dead = _closed_port()
    config = replace(
        fetch_config, allowed_hosts=fetch_config.allowed_hosts | {f"127.0.0.1:{dead}"}, read_timeout=0.5
    )
    server.routes["/slow"] = _hang_until_closing(server)
    server.static("/garbage", b"\x00\x01\x02 not a feed", "application/rss+xml")
    server.static("/gone", "gone", status=404)
    server.static("/error", "boom", status=500)
    server.static("/good", rss([{"title": "Good", "link": server.url("/full/1"), "content": FULL}]))
    urls = {
        "down": f"http://127.0.0.1:{dead}/feed",
        "slow": server.url("/slow"),
        "garbage": server.url("/garbage"),
        "gone": server.url("/gone"),
        "error": server.url("/error"),
        "good": server.url("/good"),
    }
    for url in urls.values():
        store.add(url)
    ingestor = FakeIngestor()
    reports = run(store, config, ingestor, lambda w: w.poll_due())
    assert len(reports) == 6 and len(ingestor.pages) == 1
    state = {name: _source(store, url) for name, url in urls.items()}
    assert "cannot connect" in (state["down"].last_error or "")
    assert "timed out" in (state["slow"].last_error or "")
    assert "malformed" in (state["garbage"].last_error or "")
    assert state["gone"].last_status == 404 and "HTTP 404" in (state["gone"].last_error or "")
    assert state["error"].last_status == 500
    assert state["good"].last_status == 200 and state["good"].last_error is None
    # failing sources back off: next poll later than the interval
    assert state["down"].next_poll_at and state["good"].next_poll_at
    assert state["down"].next_poll_at > state["good"].next_poll_at


def test_article_errors_permanent_vs_transient(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    items = [
        {"title": "Private", "link": server.url("/private/1")},  # robots.txt disallows
        {"title": "Missing", "link": server.url("/story/404")},
        {"title": "Flaky", "link": server.url("/story/flaky")},
        {"title": "Fine", "link": server.url("/story/1")},
    ]
    server.static("/feed", rss(items), "application/rss+xml", etag='"v1"')
    server.static("/story/1", article_html(1))
    server.static("/story/flaky", "down", status=503)
    store.add(server.url("/feed"))
    ingestor = FakeIngestor()
    config = replace(fetch_config, retries=0)
    report = poll(store, config, ingestor, server.url("/feed"))
    assert (len(report.added), report.failed, report.pending) == (1, 2, 1)
    assert report.error and report.error.startswith("3 of 4 new entries failed")
    assert server.hits_for("/private/1") == []
    source = _source(store, server.url("/feed"))
    assert source.etag is None  # incomplete poll: validators not kept, next poll re-reads the feed
    server.static("/story/flaky", article_html(9))
    again = poll(store, config, ingestor, server.url("/feed"))
    assert (again.status, again.new, len(again.added), again.pending) == (200, 1, 1, 0)
    assert _source(store, server.url("/feed")).etag == '"v1"'


def test_stop_mid_batch_leaves_the_rest_for_next_time(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    items = [
        {"title": f"T{n}", "link": server.url(f"/full/{n}"), "content": FULL + f"<p>{n}</p>"}
        for n in range(7)
    ]
    server.static("/feed", rss(items), "application/rss+xml", etag='"v1"')
    store.add(server.url("/feed"))

    class StopAfterFirstBatch(FakeIngestor):
        watcher: Watcher

        def ingest_pages(self, pages: Sequence[Page], *, analyse: bool = True) -> _Report:
            self.watcher.stop.set()
            return super().ingest_pages(pages, analyse=analyse)

    ingestor = StopAfterFirstBatch()

    async def action(watcher: Watcher) -> PollReport:
        ingestor.watcher = watcher
        return await watcher.poll(_source(store, server.url("/feed")))

    report = run(store, fetch_config, ingestor, action)
    assert (len(report.added), report.pending) == (3, 4)
    assert _source(store, server.url("/feed")).etag is None
    rest = poll(store, fetch_config, FakeIngestor(), server.url("/feed"))
    assert (rest.new, len(rest.added)) == (4, 4)


def test_run_once_polls_due_sources(
    server: LoopbackServer, fetch_config: FetchConfig, store: SourceStore
) -> None:
    server.static("/feed", rss([{"title": "A", "link": server.url("/full/1"), "content": FULL}]))
    store.add(server.url("/feed"))
    seen: list[PollReport] = []
    ingestor = FakeIngestor()

    async def action(watcher: Watcher) -> PollReport:
        await watcher.run(once=True, on_poll=seen.append)
        return seen[0]

    report = run(store, fetch_config, ingestor, action)
    assert len(report.added) == 1 and ingestor.refreshes == 1
