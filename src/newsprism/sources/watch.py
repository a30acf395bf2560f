"""The watch loop: poll due feeds, turn new entries into pages, feed them to the pipeline.

Concurrency: sources are polled concurrently on one asyncio loop (the fetcher keeps every host
polite); everything that touches the pipeline runs on one dedicated worker thread, because the
story grouper is sequential by nature and SQLite wants one writer.

Robustness: whatever a source does (down, slow, garbage, HTTP errors) ends as ``last_status`` /
``last_error`` on its row and a longer wait before the next poll, never as an exception out of
the loop. Restart safety is described in ``newsprism.store.sources``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol, TypeVar

from newsprism.model import Page
from newsprism.sources.feeds import Feed, FeedEntry, FeedError, parse_feed
from newsprism.sources.fetch import FEED_ACCEPT, HTML_ACCEPT, Fetcher, FetchError, FetchResult
from newsprism.sources.urls import InvalidURL, canonical_url
from newsprism.store.sources import PollOutcome, Source, SourceStore, next_poll

T = TypeVar("T")
HTML_TYPES = ("text/html", "application/xhtml+xml", "")


# ---- what the watch loop needs from the pipeline (kept abstract: no pipeline import here) -------
class _Article(Protocol):
    id: str
    source: str


class _Failure(Protocol):
    source: str
    reason: str


class IngestResult(Protocol):
    added: Sequence[_Article]
    duplicates: Sequence[str]
    failures: Sequence[_Failure]


class PageIngestor(Protocol):
    def ingest_pages(self, pages: Sequence[Page], *, analyse: bool = ...) -> Any: ...

    def refresh_analyses(self) -> Any: ...


@dataclass(frozen=True)
class WatchConfig:
    concurrency: int = 4  # sources polled at once
    batch_size: int = 20  # entries fetched concurrently, then ingested together
    feed_max_bytes: int = 10_000_000
    page_max_bytes: int = 5_000_000
    idle_max_seconds: float = 60.0  # wake at least this often to notice new or edited sources


@dataclass
class PollReport:
    url: str
    status: int | None = None
    error: str | None = None
    entries: int = 0
    new: int = 0
    added: list[str] = field(default_factory=list)
    duplicates: int = 0
    failed: int = 0
    pending: int = 0  # left for the next poll (transient errors, or stopped mid-way)
    ok: bool = True  # False when the feed itself could not be fetched or parsed


@dataclass
class _Prepared:
    """A batch of entries turned into pages, with the entries that gave none and why."""

    pages: list[Page] = field(default_factory=list)
    entries: dict[str, FeedEntry] = field(default_factory=dict)  # page.source -> entry
    permanent: list[tuple[FeedEntry, str]] = field(default_factory=list)
    transient: list[tuple[FeedEntry, str]] = field(default_factory=list)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Watcher:
    """Polls the subscribed sources and ingests their new entries."""

    def __init__(
        self,
        store: SourceStore,
        fetcher: Fetcher,
        ingestor: PageIngestor,
        config: WatchConfig | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.ingestor = ingestor
        self.config = config or WatchConfig()
        self.clock = clock
        self.stop = asyncio.Event()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-ingest")
        self._failures: dict[int, int] = {}

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    async def _in_worker(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn)

    # ---- the loop --------------------------------------------------------------------------
    async def run(
        self,
        *,
        once: bool = False,
        on_poll: Callable[[PollReport], None] | None = None,
        force: bool = False,
    ) -> None:
        """Poll due sources until ``stop`` is set (or one pass with ``once``).

        ``force`` makes the first pass poll every enabled source now, back-off or not: after
        fixing what made a feed fail, nobody wants to wait out its retry delay.
        """
        while not self.stop.is_set():
            reports = await self.poll_due(force=force)
            force = False
            for report in reports:
                if on_poll is not None:
                    on_poll(report)
            if once:
                return
            await self._sleep_until_due()

    async def poll_due(self, *, force: bool = False) -> list[PollReport]:
        gate = asyncio.Semaphore(self.config.concurrency)

        async def guarded(source: Source) -> PollReport:
            async with gate:
                try:
                    return await self.poll(source)
                except Exception as exc:  # a bug or a store hiccup must not end the loop
                    error = f"internal error: {exc.__class__.__name__}: {exc}"
                    return self._finish(source, PollReport(source.url), status=None, error=error, ok=False)

        due = [s for s in self.store.list_sources() if s.enabled] if force else self.store.due(self.clock())
        return list(await asyncio.gather(*(guarded(s) for s in due)))

    async def _sleep_until_due(self) -> None:
        next_at = self.store.next_due_at()
        wait = self.config.idle_max_seconds
        if next_at is not None:
            wait = min(wait, max(0.5, (next_at - self.clock()).total_seconds()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=wait)

    # ---- one source -----------------------------------------------------------------------
    async def poll(self, source: Source) -> PollReport:
        """One poll; never raises for anything the source does."""
        report = PollReport(source.url)
        try:
            result = await self.fetcher.get(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                accept=FEED_ACCEPT,
                max_bytes=self.config.feed_max_bytes,
            )
        except FetchError as exc:
            return self._finish(source, report, status=exc.status, error=str(exc), ok=False)
        report.status = result.status
        if result.not_modified:
            return self._finish(source, report, status=304, error=None, ok=True)
        try:
            feed = parse_feed(result.content, result.content_type, base_url=result.final_url)
        except FeedError as exc:
            return self._finish(source, report, status=result.status, error=str(exc), ok=False)
        await self._handle_entries(source, feed, report)
        return self._finish(source, report, status=result.status, error=report.error, ok=True, result=result)

    def _finish(
        self,
        source: Source,
        report: PollReport,
        *,
        status: int | None,
        error: str | None,
        ok: bool,
        result: FetchResult | None = None,
    ) -> PollReport:
        failures = 0 if ok else self._failures.get(source.id, 0) + 1
        self._failures[source.id] = failures
        now = self.clock()
        complete = result is not None and report.pending == 0
        self.store.record_poll(
            source.id,
            PollOutcome(
                status=status,
                error=error,
                polled_at=now,
                next_poll_at=next_poll(now, source.poll_interval_seconds, failures),
                etag=result.etag if result else None,
                last_modified=result.last_modified if result else None,
                keep_validators=not complete,
            ),
        )
        report.status, report.error, report.ok = status, error, ok
        return report

    async def _handle_entries(self, source: Source, feed: Feed, report: PollReport) -> None:
        entries = list({e.key: e for e in reversed(feed.entries)}.values())[::-1]
        report.entries = len(entries)
        seen = self.store.seen(source.id, [k for e in entries for k in e.all_keys()])
        fresh = [e for e in entries if seen.isdisjoint(e.all_keys())]
        report.new = len(fresh)
        problems: list[str] = []
        size = max(1, self.config.batch_size)
        for start in range(0, len(fresh), size):
            if self.stop.is_set():
                report.pending += len(fresh) - start
                break
            batch = fresh[start : start + size]
            prepared = await self._prepare(batch, source, feed)
            await self._ingest(source, prepared, report, problems)
        if report.added:
            await self._in_worker(self.ingestor.refresh_analyses)
        if problems:
            report.error = f"{len(problems)} of {report.new} new entries failed; first: {problems[0]}"

    async def _prepare(self, batch: list[FeedEntry], source: Source, feed: Feed) -> _Prepared:
        prepared = _Prepared()
        outcomes = await asyncio.gather(*(self._page_for(e, source, feed) for e in batch))
        for entry, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Page):
                prepared.pages.append(outcome)
                prepared.entries[outcome.source] = entry
            elif isinstance(outcome, FetchError) and outcome.transient:
                prepared.transient.append((entry, str(outcome)))
            else:
                prepared.permanent.append((entry, str(outcome)))
        return prepared

    async def _page_for(self, entry: FeedEntry, source: Source, feed: Feed) -> Page | Exception:
        outlet = source.outlet or feed.title
        if entry.has_full_text:
            return page_from_entry(entry, outlet)
        if not entry.link:
            return ValueError("entry has no link and no full text")
        try:
            result = await self.fetcher.get(
                entry.link, accept=HTML_ACCEPT, max_bytes=self.config.page_max_bytes
            )
        except FetchError as exc:
            return exc
        if result.content_type not in HTML_TYPES:
            return ValueError(f"{entry.link}: not an HTML page ({result.content_type})")
        return page_from_fetch(result, entry.key, outlet, entry)

    async def _ingest(
        self, source: Source, prepared: _Prepared, report: PollReport, problems: list[str]
    ) -> None:
        """Ingest one batch, then mark its handled entries seen in one transaction."""
        done: list[tuple[list[str], str | None]] = []

        def handled(page_source: str, article_id: str | None) -> None:
            entry = prepared.entries.get(page_source)
            if entry is not None:
                done.append((entry.all_keys(), article_id))

        if prepared.pages:
            result: IngestResult = await self._in_worker(
                partial(self.ingestor.ingest_pages, prepared.pages, analyse=False)
            )
            for article in result.added:
                report.added.append(article.id)
                handled(article.source, article.id)
            for page_source in result.duplicates:
                report.duplicates += 1
                handled(page_source, None)
            for failure in result.failures:
                report.failed += 1
                problems.append(f"{failure.source}: {failure.reason}")
                handled(failure.source, None)
        for entry, reason in prepared.permanent:
            report.failed += 1
            problems.append(reason)
            done.append((entry.all_keys(), None))
        for _entry, reason in prepared.transient:
            report.pending += 1
            problems.append(reason)
        self.store.mark_seen_many(source.id, done)


# ---- pages ----------------------------------------------------------------------------------------
def page_from_entry(entry: FeedEntry, outlet: str | None) -> Page:
    """A page from a feed entry's own full text (no fetch needed)."""
    title = entry.title or ""
    url = _canonical_or_none(entry.link)
    if entry.content_is_html:
        canonical = f'<link rel="canonical" href="{html.escape(url)}">' if url else ""
        content = (
            f'<!DOCTYPE html><html><head><meta charset="utf-8">{canonical}'
            f"<title>{html.escape(title)}</title></head><body><article>"
            f"<h1>{html.escape(title)}</h1>\n{entry.content}</article></body></html>"
        )
        kind = "html"
    else:
        content, kind = entry.content or "", "text"
    return Page(
        source=entry.key,
        content=content,
        kind="html" if kind == "html" else "text",
        url=url,
        outlet=outlet,
        title=entry.title,
        published_at=entry.published,
        author=entry.author,
    )


def page_from_fetch(result: FetchResult, source: str, outlet: str | None, entry: FeedEntry | None) -> Page:
    """A page from a fetched article; the URL is the canonical final URL (after redirects)."""
    return Page(
        source=source,
        content=result.content,
        kind="html",
        url=_canonical_or_none(result.final_url),
        outlet=outlet,
        title=entry.title if entry else None,
        published_at=entry.published if entry else None,
        author=entry.author if entry else None,
    )


def _canonical_or_none(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return canonical_url(url)
    except InvalidURL:
        return None


# ---- single URLs (``newsprism fetch``) -------------------------------------------------------------
async def fetch_pages(
    fetcher: Fetcher, urls: Sequence[str], *, outlet: str | None = None, max_bytes: int = 5_000_000
) -> tuple[list[Page], list[tuple[str, str]]]:
    """Fetch article URLs concurrently (politely); pages plus ``(url, reason)`` for failures."""

    async def one(url: str) -> Page | tuple[str, str]:
        try:
            result = await fetcher.get(url, accept=HTML_ACCEPT, max_bytes=max_bytes)
        except FetchError as exc:
            return (url, str(exc))
        if result.content_type not in HTML_TYPES:
            return (url, f"not an HTML page ({result.content_type})")
        return page_from_fetch(result, _canonical_or_none(result.final_url) or url, outlet, None)

    pages: list[Page] = []
    failures: list[tuple[str, str]] = []
    for outcome in await asyncio.gather(*(one(u) for u in urls)):
        (pages.append(outcome) if isinstance(outcome, Page) else failures.append(outcome))
    return pages, failures


# ---- process entry point ------------------------------------------------------------------------
def install_stop_signals(stop: asyncio.Event) -> None:
    """SIGINT/SIGTERM finish the entry batch in progress, record it and exit."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-main thread / Windows
            loop.add_signal_handler(sig, stop.set)
