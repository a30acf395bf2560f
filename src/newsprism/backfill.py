"""Backfill: archives and large inputs streamed through extraction into the store in bounded memory.

``pipeline.Ingestor`` reads a batch whole, then groups and analyses it; that is right for a
folder of pages and wrong for a news crawl. A backfill is the streaming sibling of the same
stages (and, like ``pipeline.py``, a wiring module):

1. **Plan** (driver, constant memory): inputs become *units* that name where pages are — a WARC
   file and record offsets, a JSONL byte range, a batch of file paths — never the page bytes,
   so nothing large passes through the Dask scheduler.
2. **Extract** (workers): each unit reads its own pages and extracts them; every failure is a
   value in the result (one line for the user), never an exception that ends the run.
3. **Order**: results come back in unit order; a reorder buffer holds articles until the
   stream's clock is ``window`` past them, so the grouper sees publication order within it.
4. **Group and store** (driver, the single grouper): batches are checked for duplicates with one
   query, grouped, and written in one transaction together with the checkpoints of the units
   whose last article they carry. A re-run skips finished units and redoes the rest, where the
   duplicate check makes redone articles harmless: ``kill -9`` loses and duplicates nothing.
5. **Analyse** as the run goes: a story is analysed once it has *settled* (the stream has moved
   past the grouper's reach for it), in chunks, not all at the end.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError

from newsprism.config import Settings
from newsprism.extract import extract
from newsprism.model import Article, ExtractionFailure, Page
from newsprism.pipeline import (
    AnalysisOutcome,
    GroupingState,
    Progress,
    _Analyser,
    _no_progress,
    _story_change,
    analysis_settings,
    new_articles,
    order_batch,
)
from newsprism.sources import warc
from newsprism.sources.files import JSONL_SUFFIXES, expand_paths, load_path, pages_from_jsonl
from newsprism.store.repository import CATCH_UP_MARGIN, Repository, UnitDone
from newsprism.stories import StoryGrouper
from newsprism.stories.cluster import reach_days

UnitKind = Literal["warc", "jsonl", "lines", "files"]
OnFailure = Callable[[ExtractionFailure], None]


def _ignore(_failure: ExtractionFailure) -> None:
    return None


# ---- plan: inputs → units (driver) -----------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """Work a worker does alone: ``path`` + ``spec`` say where its pages are.

    ``spec`` holds WARC record offsets, or a JSONL ``(start, end, first_line)`` byte range;
    ``items`` holds file paths, or the raw lines of a gzip JSONL (which cannot be seeked into).
    ``key`` is stable across runs of the same inputs: it is the unit's checkpoint.
    """

    key: str
    kind: UnitKind
    path: str
    spec: tuple[int, ...] = ()
    items: tuple[str, ...] = ()


Planned = Unit | warc.Skipped | ExtractionFailure


def plan(paths: Iterable[Path], *, unit_size: int, max_bytes: int) -> Iterator[Planned]:
    """Units for every input, lazily: folders walked in order, archives scanned as they come."""
    files: list[str] = []
    for path in expand_paths(paths, extra_suffixes=warc.WARC_SUFFIXES):
        if not path.is_file() or not _streamed(path):
            files.append(str(path))
            if len(files) >= unit_size:
                yield _files_unit(files)
                files = []
        elif warc.is_warc(path):
            yield from _warc_units(path, unit_size)
        elif path.suffix.lower() == ".gz":
            yield from _gzip_jsonl_units(path, unit_size, max_bytes)
        else:
            yield from _jsonl_units(path, unit_size)
    if files:
        yield _files_unit(files)


def _streamed(path: Path) -> bool:
    return warc.is_warc(path) or path.name.lower().removesuffix(".gz").endswith(tuple(JSONL_SUFFIXES))


def _input_id(path: Path) -> str:
    """An input's identity in checkpoint keys: where it is and how big (a grown file is new work)."""
    return f"{path.resolve()}:{path.stat().st_size}"


def _files_unit(files: list[str]) -> Unit:
    digest = hashlib.sha256("\n".join(files).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return Unit(f"files:{digest}", "files", files[0], items=tuple(files))


def _warc_units(path: Path, unit_size: int) -> Iterator[Planned]:
    base = _input_id(path)
    offsets: list[int] = []
    for item in warc.scan(path):
        if not isinstance(item, int):
            yield item
            continue
        offsets.append(item)
        if len(offsets) >= unit_size:
            yield Unit(f"{base}#{offsets[0]}+{len(offsets)}", "warc", str(path), tuple(offsets))
            offsets = []
    if offsets:
        yield Unit(f"{base}#{offsets[0]}+{len(offsets)}", "warc", str(path), tuple(offsets))


def _jsonl_units(path: Path, unit_size: int) -> Iterator[Unit]:
    """Byte ranges of ``unit_size`` lines, found by one pass over the file (no parsing)."""
    base = _input_id(path)
    start = position = 0
    first = line = 1
    with path.open("rb") as handle:
        for raw in handle:
            position += len(raw)
            line += 1
            if line - first >= unit_size:
                yield Unit(f"{base}#{start}-{position}", "jsonl", str(path), (start, position, first))
                start, first = position, line
    if position > start:
        yield Unit(f"{base}#{start}-{position}", "jsonl", str(path), (start, position, first))


def _gzip_jsonl_units(path: Path, unit_size: int, max_bytes: int) -> Iterator[Planned]:
    """A gzip stream cannot be entered in the middle, so its lines travel with the unit (bounded)."""
    base = _input_id(path)
    lines: list[str] = []
    first = 1
    try:
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
            for number, raw in enumerate(handle, start=1):
                lines.append(raw if len(raw) <= max_bytes else "")
                if len(lines) >= unit_size:
                    yield Unit(f"{base}#line{first}+{len(lines)}", "lines", str(path), (first,), tuple(lines))
                    lines, first = [], number + 1
    except (OSError, EOFError) as exc:
        yield ExtractionFailure(str(path), f"cannot read file: {exc}")
    if lines:
        yield Unit(f"{base}#line{first}+{len(lines)}", "lines", str(path), (first,), tuple(lines))


# ---- extract: units → results (workers) ------------------------------------------------------
@dataclass
class UnitResult:
    """What a worker sends back: articles and failures (values, not exceptions) and its cost."""

    key: str
    results: list[Article | ExtractionFailure]
    pages: int
    cpu_seconds: float
    worker: str
    complete: bool = True  # False when the unit itself could not run: it is not checkpointed


@dataclass(frozen=True)
class UnitWorker:
    """Reads and extracts one unit where it runs (picklable: Dask ships it to the workers)."""

    max_bytes: int

    def __call__(self, unit: Unit) -> UnitResult:
        started = time.process_time()
        try:
            pages = read_unit(unit, self.max_bytes)
        except Exception as exc:  # an unreadable input is this unit's failure, not the run's
            pages = [ExtractionFailure(unit.path, f"cannot read input: {type(exc).__name__}: {exc}")]
        results = [extract(p, max_bytes=self.max_bytes) if isinstance(p, Page) else p for p in pages]
        pages_read = sum(isinstance(p, Page) for p in pages)
        return UnitResult(unit.key, results, pages_read, time.process_time() - started, f"pid{os.getpid()}")


def read_unit(unit: Unit, max_bytes: int) -> list[Page | ExtractionFailure]:
    """The unit's pages, read from its input by whoever runs it."""
    if unit.kind == "warc":
        return warc.read_pages(Path(unit.path), list(unit.spec), max_bytes=max_bytes)
    if unit.kind == "files":
        return [p for f in unit.items for p in load_path(Path(f), max_bytes=max_bytes)]
    if unit.kind == "lines":
        data = "".join(unit.items).encode("utf-8")
        return list(pages_from_jsonl(data, unit.path, first_line=unit.spec[0], max_bytes=max_bytes))
    start, end, first = unit.spec
    with open(unit.path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    return list(pages_from_jsonl(data, unit.path, first_line=first, max_bytes=max_bytes))


# ---- the stream: local or Dask, results in submission order ----------------------------------
class Executor:
    """Runs units and analysis jobs in-process (no cluster), in submission order."""

    workers = 0

    def stream(self, fn: Callable[[Unit], UnitResult], items: Iterator[Planned]) -> Iterator[Any]:
        for item in items:
            yield fn(item) if isinstance(item, Unit) else item

    def map(self, fn: Callable[[Any], Any], jobs: list[Any]) -> list[Any]:
        return [fn(job) for job in jobs]

    def worker_memory(self) -> dict[str, int]:
        return {}

    def close(self) -> None:
        return None


class DaskExecutor(Executor):
    """Units run on a Dask cluster; ``in_flight`` futures at most, so memory stays bounded."""

    def __init__(self, settings: Settings, workers: int | None) -> None:
        from distributed import Client, LocalCluster

        self.cluster = None
        if settings.dask_scheduler:
            self.client = Client(settings.dask_scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))

    def stream(self, fn: Callable[[Unit], UnitResult], items: Iterator[Planned]) -> Iterator[Any]:
        pending: deque[Any] = deque()
        limit = 2 * self.workers + 2
        for item in items:
            is_unit = isinstance(item, Unit)
            pending.append((item, self.client.submit(fn, item, pure=False)) if is_unit else item)
            while sum(isinstance(p, tuple) for p in pending) >= limit:
                yield self._take(pending.popleft())
        while pending:
            yield self._take(pending.popleft())

    @staticmethod
    def _take(entry: Any) -> Any:
        if not isinstance(entry, tuple):
            return entry
        unit, future = entry
        try:
            return future.result()
        except Exception as exc:  # the worker died or the task was lost: retried by the next run
            failure = ExtractionFailure(unit.key, f"unit failed on the cluster: {type(exc).__name__}: {exc}")
            return UnitResult(unit.key, [failure], 0, 0.0, "lost", complete=False)

    def map(self, fn: Callable[[Any], Any], jobs: list[Any]) -> list[Any]:
        return list(self.client.gather(self.client.map(fn, jobs, pure=False)))

    def worker_memory(self) -> dict[str, int]:
        """Peak resident memory of each worker process, in bytes."""
        return dict(self.client.run(_peak_rss))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@dataclass(frozen=True)
class _TimedAnalyser:
    """The analysis job plus where it ran and its CPU seconds: on Dask, analysis CPU is spent on
    the workers, and a cost per article that left it out would flatter the cluster runs."""

    analyser: _Analyser

    def __call__(self, job: tuple[Any, list[Article]]) -> tuple[AnalysisOutcome, str, float]:
        started = time.process_time()
        outcome = self.analyser(job)
        return outcome, f"pid{os.getpid()}", time.process_time() - started


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---- order: the reorder buffer ---------------------------------------------------------------
class ReorderBuffer:
    """Holds articles until the stream's newest date is ``window`` past them (or ``limit`` are held).

    Archives are roughly in crawl order, so a day's window restores publication order for the
    grouper with memory bounded by a day of news. Undated articles pass straight through (the
    grouper places them at the newest time it has seen).
    """

    def __init__(self, window: timedelta, limit: int) -> None:
        self.window, self.limit = window, limit
        self._heap: list[tuple[datetime, str, Article, str]] = []
        self._ready: list[tuple[Article, str]] = []
        self.newest: datetime | None = None
        self.released: datetime | None = None
        self.late = 0

    def __len__(self) -> int:
        return len(self._heap) + len(self._ready)

    def push(self, article: Article, unit: str) -> None:
        when = article.published_at
        if when is None:
            self._ready.append((article, unit))
            return
        self.newest = when if self.newest is None else max(self.newest, when)
        heapq.heappush(self._heap, (when, article.id, article, unit))

    def pop_ready(self, *, drain: bool = False) -> list[tuple[Article, str]]:
        out, self._ready = self._ready, []
        edge = self.newest - self.window if self.newest is not None else None
        while self._heap and (drain or len(self._heap) > self.limit or (edge and self._heap[0][0] <= edge)):
            when, _, article, unit = heapq.heappop(self._heap)
            if self.released is not None and when < self.released:
                self.late += 1
            self.released = when if self.released is None else max(self.released, when)
            out.append((article, unit))
        return out


class RecentlyStored:
    """The ids this run stored within the catch-up margin (``Repository.changes_since``), so
    ``catch_up`` does not take them for other writers' articles once the grouper has evicted
    them. Bounded by the margin's worth of articles, not by the archive."""

    def __init__(self, keep: timedelta) -> None:
        self.keep = keep.total_seconds()
        self._batches: deque[tuple[float, set[str]]] = deque()

    def add(self, article_ids: Iterable[str]) -> None:
        now = time.monotonic()
        self._batches.append((now, set(article_ids)))
        while self._batches and self._batches[0][0] < now - self.keep:
            self._batches.popleft()

    def ids(self) -> set[str]:
        return set().union(*(ids for _, ids in self._batches))


# ---- the run ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BackfillOptions:
    unit_size: int = 100  # records (or lines, or files) per unit
    batch_size: int = 500  # articles per store transaction
    window_days: float = 1.0  # the reorder buffer's window
    max_buffered: int = 50_000  # articles the reorder buffer may hold, whatever the window
    analyse_chunk: int = 32  # settled stories analysed together
    workers: int | None = None  # Dask workers (None: in-process unless a scheduler is set)


@dataclass
class BackfillReport:
    units: int = 0
    units_done_before: int = 0
    pages: int = 0
    added: int = 0
    duplicates: int = 0
    failures: int = 0
    skipped_records: int = 0
    late: int = 0
    stories: set[str] = field(default_factory=set)
    analysed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # driver wall time per stage
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # driver CPU time per stage
    worker_cpu: dict[str, tuple[int, float]] = field(default_factory=dict)  # worker → (pages, cpu s)
    analysis_cpu: dict[str, float] = field(default_factory=dict)  # process → CPU s spent analysing
    worker_memory: dict[str, int] = field(default_factory=dict)


class Backfill:
    """One backfill run against one store; ``run`` may be called again to resume."""

    def __init__(
        self,
        repo: Repository,
        settings: Settings | None = None,
        options: BackfillOptions | None = None,
        *,
        progress: Progress = _no_progress,
        on_failure: OnFailure = _ignore,
    ) -> None:
        self.repo = repo
        self.settings = settings or Settings()
        self.options = options or BackfillOptions()
        self.progress, self.on_failure = progress, on_failure
        self.state = GroupingState(repo)
        self.grouper.evict_retired()  # stored already: memory bounded by the window (#15)
        self._own = RecentlyStored(CATCH_UP_MARGIN + timedelta(minutes=1))
        self.settle = timedelta(days=reach_days(self.grouper.settings) + self.grouper.settings.retain_days)
        self.report = BackfillReport()
        self._stale: dict[str, datetime | None] = {}
        self._pending: dict[str, list[int]] = {}  # unit → [articles not yet stored, articles, failures]
        self._finished: list[UnitDone] = []
        self._batch: list[tuple[Article, str]] = []
        self._clock: datetime | None = None  # newest publication time grouped so far
        self._analyser = _TimedAnalyser(
            _Analyser(analysis_settings(self.settings), self.settings.analysis_max_chars)
        )

    @property
    def grouper(self) -> StoryGrouper:
        return self.state.grouper

    def run(self, paths: Sequence[Path]) -> BackfillReport:
        executor: Executor = Executor()
        if self.options.workers or self.settings.dask_scheduler:
            executor = DaskExecutor(self.settings, self.options.workers)
        started = time.perf_counter()
        try:
            self._run(paths, executor)
        finally:
            self.report.worker_memory = executor.worker_memory()
            executor.close()
        self.report.seconds["total"] = time.perf_counter() - started
        return self.report

    def _run(self, paths: Sequence[Path], executor: Executor) -> None:
        buffer = ReorderBuffer(timedelta(days=self.options.window_days), self.options.max_buffered)
        worker = UnitWorker(self.settings.max_page_bytes)
        clock = _now()
        for item in executor.stream(worker, self._todo(paths)):
            self._tick("extract", clock)
            if isinstance(item, UnitResult):
                self._receive(item, buffer)
            elif isinstance(item, ExtractionFailure):
                self._fail(item)
            self._store(buffer.pop_ready(), executor, final=False)
            clock = _now()
        self._store(buffer.pop_ready(drain=True), executor, final=True)
        self.report.late = buffer.late

    def _todo(self, paths: Sequence[Path]) -> Iterator[Planned]:
        """The plan minus the units a previous run finished (timed as the ``plan`` stage)."""
        done: set[str] | None = None
        planned = plan(paths, unit_size=self.options.unit_size, max_bytes=self.settings.max_page_bytes)
        while True:
            clock = _now()
            item = next(planned, None)
            if done is None:
                done = self._finished_units(paths)
            self._tick("plan", clock)
            if item is None:
                return
            if isinstance(item, warc.Skipped):
                self.report.skipped_records += 1
                continue
            if isinstance(item, Unit):
                self.report.units += 1
                if item.key in done:
                    self.report.units_done_before += 1
                    continue
            yield item

    def _finished_units(self, paths: Sequence[Path]) -> set[str]:
        done = self.repo.finished_units("files:")
        for path in expand_paths(paths, extra_suffixes=warc.WARC_SUFFIXES):
            if path.is_file() and _streamed(path):
                done |= self.repo.finished_units(_input_id(path) + "#")
        return done

    def _receive(self, result: UnitResult, buffer: ReorderBuffer) -> None:
        pages, cpu = self.report.worker_cpu.get(result.worker, (0, 0.0))
        self.report.worker_cpu[result.worker] = (pages + result.pages, cpu + result.cpu_seconds)
        self.report.pages += result.pages
        articles = 0
        failures = [r for r in result.results if isinstance(r, ExtractionFailure)]
        for failure in failures:
            self._fail(failure)
        for item in result.results:
            if isinstance(item, Article):
                buffer.push(item, result.key)
                articles += 1
        self.progress("extract", self.report.pages, self.report.pages)
        if not result.complete:
            return
        if articles:
            self._pending[result.key] = [articles, articles, len(failures)]
        else:
            self._finished.append(UnitDone(result.key, 0, len(failures)))

    def _fail(self, failure: ExtractionFailure) -> None:
        self.report.failures += 1
        self.on_failure(failure)

    # ---- group and store ---------------------------------------------------------------------
    def _store(self, released: list[tuple[Article, str]], executor: Executor, *, final: bool) -> None:
        size = self.options.batch_size
        self._batch.extend(released)
        while len(self._batch) >= size or (final and (self._batch or self._finished)):
            batch, self._batch = self._batch[:size], self._batch[size:]
            clock = _now()
            self._write(batch)
            self._tick("store", clock)
            self.progress("store", self.report.added + self.report.duplicates, self.report.pages)
            self._analyse(executor, final=False)
        if final:
            self._analyse(executor, final=True)

    def _write(self, batch: list[tuple[Article, str]]) -> None:
        """Group and store one batch holding the grouping lock, after catching up with other
        writers (``pipeline.catch_up``), so a concurrent ``ingest`` never splits a story."""
        with self.repo.grouping_lock():
            self.state.catch_up(self._own.ids())
            self._write_locked(batch)
            self.state.caught_up()

    def _write_locked(self, batch: list[tuple[Article, str]]) -> None:
        """Group a batch in the grouping order (``model.grouping_key``). The reorder buffer
        releases a crawl's late articles late, so a batch that reaches back before what is
        stored is grouped by ``pipeline.rewind``, as an ``ingest`` would, and the result equals
        grouping everything in order."""
        fresh = new_articles(self.repo, [a for a, _ in batch], self._duplicate)
        for _, unit in batch:
            self._count_down(unit)
        finished, self._finished = self._finished, []
        batch_order = order_batch(self.repo, fresh)
        ordered, clock = batch_order.articles, batch_order.clock
        if batch_order.late:
            self._rewind(ordered, clock, finished)
            return
        items = [(a, _story_change(self.grouper, self.grouper.add(a))) for a in ordered]
        try:
            self.repo.ingest_batch(items, finished, clock)
        except IntegrityError:  # another writer stored some of these first: redo one by one
            self._write_one_by_one(items, finished, clock)
            return
        self._added(items)

    def _duplicate(self, _source: str) -> None:
        self.report.duplicates += 1

    def _rewind(self, ordered: list[Article], clock: datetime | None, finished: list[UnitDone]) -> None:
        rewound = self.state.rewind(ordered, clock)
        for article, error in rewound.errors:
            self._fail(ExtractionFailure(article.source, error.reason))
        self.repo.apply_regrouping(rewound.regrouping, finished)
        self.state.adopt(rewound)
        self._own.add(a.id for a in rewound.regrouping.articles)
        self.grouper.evict_retired()
        self.report.added += len(rewound.regrouping.articles)
        for article in rewound.regrouping.articles:
            if article.published_at is not None:
                self._clock = max(self._clock or article.published_at, article.published_at)
        for story in rewound.regrouping.stories:
            self.report.stories.add(story.id)
            self._stale[story.id] = story.last_updated

    def _write_one_by_one(
        self, items: list[tuple[Article, Any]], finished: list[UnitDone], clock: datetime | None
    ) -> None:
        self.state.rebuild()
        stored = []
        for article, _ in items:
            if self.repo.find_duplicate(article) is not None:
                self.report.duplicates += 1
                continue
            change = _story_change(self.grouper, self.grouper.add(article))
            if self.repo.ingest(article, change, clock):
                stored.append((article, change))
        # the other writer may be a second backfill of the same input that finished these units
        self.repo.ingest_batch([], [u for u in finished if u.key not in self.repo.finished_units(u.key)])
        self._added(stored)

    def _added(self, items: list[tuple[Article, Any]]) -> None:
        self._own.add(a.id for a, _ in items)
        self.grouper.evict_retired()  # stored already: the driver's memory stays bounded (#15)
        self.report.added += len(items)
        for article, change in items:
            if article.published_at is not None:
                self._clock = max(self._clock or article.published_at, article.published_at)
            for story in change.stories:
                self.report.stories.add(story.id)
                self._stale[story.id] = story.last_updated

    def _count_down(self, unit: str) -> None:
        pending = self._pending.get(unit)
        if pending is None:
            return
        pending[0] -= 1
        if pending[0] == 0:
            del self._pending[unit]
            self._finished.append(UnitDone(unit, pending[1], pending[2]))

    # ---- analyse settled stories ---------------------------------------------------------------
    def _analyse(self, executor: Executor, *, final: bool) -> None:
        clock = _now()
        newest = self._clock
        ready = [
            sid
            for sid, when in self._stale.items()
            if final or (when is not None and newest is not None and when < newest - self.settle)
        ]
        if final:
            ready += [s for s in self.repo.stale_story_ids() if s not in self._stale]
        chunk = self.options.analyse_chunk * max(1, executor.workers)
        for start in range(0, len(ready), chunk):
            self._analyse_chunk(ready[start : start + chunk], executor)
        self._tick("analyse", clock)

    def _analyse_chunk(self, story_ids: list[str], executor: Executor) -> None:
        jobs = []
        for sid in story_ids:
            self._stale.pop(sid, None)
            live = self.repo.resolve_story_id(sid)
            job = self.repo.analysis_job(live) if live == sid else None
            if job is not None and job.story.article_ids:
                jobs.append(job)
        outcomes = executor.map(self._analyser, [(job.story, job.articles) for job in jobs])
        for job, (outcome, worker, cpu) in zip(jobs, outcomes, strict=True):  # failures come back as values
            self.report.analysis_cpu[worker] = self.report.analysis_cpu.get(worker, 0.0) + cpu
            for error in outcome.errors:
                self._fail(ExtractionFailure(error.what, error.reason))
            if outcome.analysis is not None:  # not over a story another writer changed meanwhile
                self.repo.save_analysis_if_current(outcome.analysis, job.seen)
        self.report.analysed += len(jobs)
        self.progress("analyse", self.report.analysed, self.report.analysed + len(self._stale))

    def _tick(self, stage: str, since: tuple[float, float]) -> None:
        """Add the wall and driver CPU time since ``since`` to a stage (CPU is what load cannot skew)."""
        wall, cpu = _now()
        self.report.seconds[stage] = self.report.seconds.get(stage, 0.0) + wall - since[0]
        self.report.cpu_seconds[stage] = self.report.cpu_seconds.get(stage, 0.0) + cpu - since[1]


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()
