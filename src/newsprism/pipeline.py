"""The one place that wires the stages together: ingest → extract → annotate → group → analyse.

Two entry points share the same stages:

* ``analyse_pages`` — one shot, nothing stored (``newsprism analyse``);
* ``Ingestor`` — incremental, backed by the store (``ingest``, ``watch``, ``fetch``, ``demo``).

Extraction and analysis are pure and embarrassingly parallel, so large batches go to Dask
(a local cluster, or the scheduler named by ``NEWSPRISM_DASK_SCHEDULER``). Grouping is
sequential by nature (each article's story depends on the ones before it) and stays in-process;
its cost per article is flat, so it is never the bottleneck.
"""

from __future__ import annotations

import bisect
import heapq
import logging
import os
import traceback
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from newsprism.analysis import AnalysisSettings, analyse_story
from newsprism.annotate import annotate
from newsprism.config import Settings
from newsprism.extract import extract
from newsprism.model import (
    EARLIEST,
    Analysis,
    AnnotatedArticle,
    Article,
    ExtractionFailure,
    GroupingKey,
    Page,
    Story,
    grouping_key,
)
from newsprism.store.repository import AnalysisJob, Regrouping, Repository, StoreMark, StoryChange
from newsprism.stories import Assignment, StoryGrouper, story_id_for

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; the CLI draws it, tests ignore it."""

T = TypeVar("T")
R = TypeVar("R")

_LATEST = datetime.max.replace(tzinfo=UTC)


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


# ---- failures as values ---------------------------------------------------------------------
@dataclass(frozen=True)
class ItemError:
    """One item (a page, an article or a story) that a stage could not process.

    Carried back as a value, never raised: one odd page or story must not take a run (or a
    Dask graph) down. ``reason`` is the one line users see; ``trace`` is for ``--debug``.
    """

    what: str
    reason: str
    trace: str = ""

    @classmethod
    def capture(cls, what: str, doing: str, exc: BaseException) -> ItemError:
        """The error for ``exc`` raised while ``doing`` something to ``what``."""
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        reason = f"{doing} failed: {type(exc).__name__}" + (f": {first}" if first else "")
        return cls(what, reason, "".join(traceback.format_exception(exc)))


def _default_label(item: Any) -> str:
    return type(item).__name__


@dataclass(frozen=True)
class _Guarded(Generic[T, R]):
    """``fn`` that returns an ``ItemError`` instead of raising (picklable for Dask workers)."""

    fn: Callable[[T], R]
    label: Callable[[T], str]
    doing: str

    def __call__(self, item: T) -> R | ItemError:
        try:
            return self.fn(item)
        except Exception as exc:  # one item must not take the run down; reported, not hidden
            return ItemError.capture(self.label(item), self.doing, exc)


# ---- parallel map: in-process for small batches, Dask for large ones ----------------------------
def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    settings: Settings,
    stage: str,
    progress: Progress = _no_progress,
    label: Callable[[T], str] = _default_label,
) -> list[R | ItemError]:
    """Map a pure function over items, on Dask once the batch is large enough to pay for it.

    Per-item isolation: an item whose ``fn`` raises comes back as an ``ItemError`` in its
    place (so do the items of a chunk whose Dask worker died), and every other item is kept.
    """
    guarded = _Guarded(fn, label, stage)
    total = len(items)
    if total < settings.dask_threshold and settings.dask_scheduler is None:
        out: list[R | ItemError] = []
        for done, item in enumerate(items, start=1):
            out.append(guarded(item))
            progress(stage, done, total)
        return out
    return _dask_map(guarded, items, settings=settings, stage=stage, progress=progress)


def _dask_map(
    fn: _Guarded[T, R], items: Sequence[T], *, settings: Settings, stage: str, progress: Progress
) -> list[R | ItemError]:
    from distributed import Client, LocalCluster, as_completed

    chunk = max(1, min(100, len(items) // ((os.cpu_count() or 1) * 4) or 1))
    chunks = [list(items[i : i + chunk]) for i in range(0, len(items), chunk)]
    if settings.dask_scheduler:
        client = Client(settings.dask_scheduler)
        cluster = None
    else:
        cluster = LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        # the items go to the workers directly (scatter), not inside the task graph through
        # the scheduler: a graph carrying page bytes was tens of megabytes for 181 pages
        scattered = client.scatter(chunks)
        futures = client.map(_map_chunk, [fn] * len(chunks), scattered, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[list[R | ItemError]] = [[] for _ in chunks]
        done = 0
        for future in as_completed(futures):
            i = index[future.key]
            try:
                results[i] = future.result()
            except Exception as exc:  # the worker died or the chunk could not travel
                results[i] = [ItemError.capture(fn.label(item), stage, exc) for item in chunks[i]]
            done += len(results[i])
            progress(stage, done, len(items))
        return [r for part in results for r in part]
    finally:
        client.close()
        if cluster is not None:
            _close_quietly(cluster)


def _close_quietly(cluster: Any) -> None:
    """Close a local cluster without its nanny's "still alive after 4.0 seconds, killing"
    warnings: a worker that holds the NLP models takes longer to exit than the nanny waits,
    the kill is the expected end of the run, and the lines read like an error to a user."""
    nanny = logging.getLogger("distributed.nanny")
    level = nanny.level
    nanny.setLevel(logging.ERROR)
    try:
        cluster.close()
    finally:
        nanny.setLevel(level)


def _map_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


# ---- stage wrappers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Extractor:
    """Picklable ``extract`` with the size cap bound (lambdas do not travel to Dask workers)."""

    max_bytes: int

    def __call__(self, page: Page) -> Article | ExtractionFailure:
        return extract(page, max_bytes=self.max_bytes)


def _page_label(page: Page) -> str:
    return page.source


def extract_pages(
    pages: Sequence[Page], *, settings: Settings, progress: Progress = _no_progress
) -> list[Article | ExtractionFailure]:
    """Extract every page; a page whose extraction raises becomes an ``ExtractionFailure``.

    The crash's traceback is kept in ``ItemError``s by ``extract_with_errors`` for ``--debug``.
    """
    return extract_with_errors(pages, settings=settings, progress=progress)[0]


def extract_with_errors(
    pages: Sequence[Page], *, settings: Settings, progress: Progress = _no_progress
) -> tuple[list[Article | ExtractionFailure], list[ItemError]]:
    results = parallel_map(
        _Extractor(settings.max_page_bytes),
        pages,
        settings=settings,
        stage="extract",
        progress=progress,
        label=_page_label,
    )
    errors = [r for r in results if isinstance(r, ItemError)]
    out = [ExtractionFailure(r.what, r.reason) if isinstance(r, ItemError) else r for r in results]
    return out, errors


def by_publication(articles: Iterable[Article]) -> list[Article]:
    """Date order (undated last, then by id) — the order a live stream would have seen them."""
    return sorted(articles, key=lambda a: (a.published_at or _LATEST, a.id))


def analysis_settings(settings: Settings) -> AnalysisSettings:
    """The analysis stage's view of the operator settings (the optional model endpoint)."""
    return AnalysisSettings(
        base_url=settings.llm_base_url, api_key=settings.llm_api_key, model=settings.llm_model
    )


def analysis_view(article: Article, max_chars: int) -> Article:
    """The part of an article that analysis reads: whole paragraphs up to ``max_chars``.

    Why: analysis compares clauses and quotes across a story, and one pathological page (a
    5 MB wall of text) must not cost minutes and gigabytes. A news article is far below the
    default cap (100,000 characters, ~16,000 words), so real stories are analysed whole.
    A first paragraph longer than the cap is cut at a word boundary. The result is a prefix
    of the body, so every sentence analysis cites is still an exact substring of the article.
    """
    if sum(len(p) for p in article.body) <= max_chars:
        return article
    kept: list[str] = []
    used = 0
    for paragraph in article.body:
        if used + len(paragraph) > max_chars:
            if not kept:
                cut = paragraph[:max_chars]
                kept.append(cut[: cut.rfind(" ")] if " " in cut else cut)
            break
        kept.append(paragraph)
        used += len(paragraph) + 2
    return replace(article, body=kept)


def analyse_one(
    story: Story,
    articles: Sequence[Article],
    settings: AnalysisSettings | None = None,
    max_chars: int | None = None,
) -> Analysis:
    """Annotate a story's articles and analyse them (pure; runs on Dask workers unchanged).

    Raises what the stages raise; ``analyse_isolated`` is the variant that cannot.
    """
    cap = max_chars if max_chars is not None else Settings.analysis_max_chars
    annotated: list[AnnotatedArticle] = [annotate(analysis_view(a, cap)) for a in articles]
    return analyse_story(story, annotated, settings=settings)


@dataclass
class AnalysisOutcome:
    """One story's analysis, or why there is none; articles that could not be annotated are
    left out of the analysis and reported."""

    story_id: str
    analysis: Analysis | None
    errors: list[ItemError] = field(default_factory=list)


def analyse_isolated(
    story: Story, articles: Sequence[Article], settings: AnalysisSettings | None, max_chars: int
) -> AnalysisOutcome:
    """``analyse_one`` with failures isolated: an article whose annotation raises is reported
    (by its source) and the story analysed without it; a story whose analysis raises is
    reported by its id and has no analysis."""
    annotated: list[AnnotatedArticle] = []
    errors: list[ItemError] = []
    for article in articles:
        try:
            annotated.append(annotate(analysis_view(article, max_chars)))
        except Exception as exc:  # one article must not sink its story
            errors.append(ItemError.capture(article.source, "annotation", exc))
    what = f"story {story.id}"
    if not annotated:
        errors.append(ItemError(what, "analysis skipped: no article of the story could be annotated"))
        return AnalysisOutcome(story.id, None, errors)
    try:
        analysis = analyse_story(story, annotated, settings=settings)
    except Exception as exc:  # one story must not sink the run
        errors.append(ItemError.capture(what, "analysis", exc))
        return AnalysisOutcome(story.id, None, errors)
    return AnalysisOutcome(story.id, analysis, errors)


@dataclass(frozen=True)
class _Analyser:
    """Picklable analysis job with the operator's analysis settings bound."""

    settings: AnalysisSettings
    max_chars: int

    def __call__(self, job: tuple[Story, list[Article]]) -> AnalysisOutcome:
        return analyse_isolated(job[0], job[1], self.settings, self.max_chars)


def _job_label(job: tuple[Story, list[Article]]) -> str:
    return f"story {job[0].id}"


def analyse_jobs(
    jobs: Sequence[tuple[Story, list[Article]]], settings: Settings, progress: Progress = _no_progress
) -> list[AnalysisOutcome]:
    """Analyse stories (on Dask for many); never raises for one story's sake."""
    analyser = _Analyser(analysis_settings(settings), settings.analysis_max_chars)
    results = parallel_map(
        analyser, jobs, settings=settings, stage="analyse", progress=progress, label=_job_label
    )
    return [
        AnalysisOutcome(story.id, None, [r]) if isinstance(r, ItemError) else r
        for (story, _), r in zip(jobs, results, strict=True)
    ]


# ---- one shot -------------------------------------------------------------------------------
@dataclass
class StoryResult:
    story: Story
    articles: list[Article]
    analysis: Analysis | None


@dataclass
class BatchResult:
    stories: list[StoryResult]
    failures: list[ExtractionFailure] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    """Items a stage crashed on (extraction crashes are also in ``failures``), with traces."""
    # (source, source of the identical text that was kept): nothing dropped goes unreported
    duplicate_of: list[tuple[str, str]] = field(default_factory=list)


def analyse_pages(
    pages: Sequence[Page], *, settings: Settings | None = None, progress: Progress = _no_progress
) -> BatchResult:
    """Extract, group and analyse pages without storing anything.

    A story whose analysis fails is still returned (with ``analysis`` None) and its error is
    in ``errors``; the other stories are analysed as usual.
    """
    settings = settings or Settings()
    extracted, errors = extract_with_errors(pages, settings=settings, progress=progress)
    articles, failures, duplicates = _split_results(extracted)
    kept = {a.id: a for a in articles}
    pairs = [
        (r.source, kept[r.id].source)
        for r in extracted
        if not isinstance(r, ExtractionFailure) and kept[r.id] is not r
    ]
    grouper = StoryGrouper()
    grouped: list[Article] = []
    for article in by_publication(articles):
        try:
            grouper.add(article)
        except Exception as exc:  # the grouper may be left mid-update: rebuild it without this one
            errors.append(ItemError.capture(article.source, "grouping", exc))
            failures.append(ExtractionFailure(article.source, errors[-1].reason))
            grouper = _regroup(grouped)
            continue
        grouped.append(article)
    by_id = {a.id: a for a in articles}
    jobs = [(s, [by_id[i] for i in s.article_ids]) for s in grouper.stories()]
    outcomes = analyse_jobs(jobs, settings, progress)
    results = []
    for (story, members), outcome in zip(jobs, outcomes, strict=True):
        results.append(StoryResult(story, members, outcome.analysis))
        errors.extend(outcome.errors)
    results.sort(key=lambda r: (-(len(r.articles)), r.story.id))
    return BatchResult(results, failures, duplicates, errors, pairs)


def _regroup(articles: Sequence[Article]) -> StoryGrouper:
    grouper = StoryGrouper()
    for article in articles:
        grouper.add(article)
    return grouper


def _split_results(
    results: Iterable[Article | ExtractionFailure],
) -> tuple[list[Article], list[ExtractionFailure], list[str]]:
    articles: dict[str, Article] = {}
    failures: list[ExtractionFailure] = []
    duplicates: list[str] = []
    for result in results:
        if isinstance(result, ExtractionFailure):
            failures.append(result)
        elif result.id in articles:
            duplicates.append(result.source)
        else:  # extract guarantees zone-aware dates (UTC when the page states none)
            articles[result.id] = result
    return list(articles.values()), failures, duplicates


# ---- incremental, stored --------------------------------------------------------------------
@dataclass
class RefreshReport:
    """What re-analysing the stale stories did.

    ``errors`` are stories whose analysis failed this time: they stay stale (the next run
    retries them) and the failure is recorded on the story (``Repository.analysis_error``).
    """

    analysed: list[str] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    """Stories another writer changed while they were analysed: left stale, not overwritten."""


@dataclass
class IngestReport:
    added: list[Article] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[ExtractionFailure] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)
    errors: list[ItemError] = field(default_factory=list)
    """Items of this run a stage crashed on (extraction crashes are also in ``failures``)."""
    earlier_errors: list[ItemError] = field(default_factory=list)
    """Stories this run did not touch whose analysis failed before and still fails."""
    rewound: bool = False
    """The batch reached back before stored articles and was grouped by a rewind."""

    def fail(self, article: Article, error: ItemError) -> None:
        """An article that could not be grouped or stored: reported as an error and a failure."""
        self.errors.append(error)
        self.failures.append(ExtractionFailure(article.source, error.reason))


class Ingestor:
    """Adds articles to the store, grouped as one-shot ``analyse`` would group all of them.

    The grouper is rebuilt from the store on start-up (``restore`` replays memberships without
    re-deciding), so a restart continues exactly where the last run stopped. A batch that comes
    after everything stored (in grouping order, ``model.grouping_key``) is stored one article
    at a time, each with its story changes in one transaction; a batch that reaches back
    (articles arriving late, another writer's articles in between) is *rewound*: see ``rewind``.
    """

    def __init__(self, repo: Repository, settings: Settings | None = None) -> None:
        self.repo = repo
        self.settings = settings or Settings()
        self.state = GroupingState(repo)

    @property
    def grouper(self) -> StoryGrouper:
        return self.state.grouper

    def ingest_pages(
        self, pages: Sequence[Page], *, progress: Progress = _no_progress, analyse: bool = True
    ) -> IngestReport:
        extracted, errors = extract_with_errors(pages, settings=self.settings, progress=progress)
        articles, failures, duplicates = _split_results(extracted)
        report = self.ingest_articles(articles, progress=progress, analyse=analyse)
        report.failures[:0] = failures
        report.duplicates[:0] = duplicates
        report.errors[:0] = errors
        return report

    def ingest_articles(
        self, articles: Sequence[Article], *, progress: Progress = _no_progress, analyse: bool = True
    ) -> IngestReport:
        report = IngestReport()
        with self.repo.grouping_lock():  # one decider at a time across processes (#16.5)
            self.state.catch_up()
            fresh = new_articles(self.repo, by_publication(articles), report.duplicates.append)
            batch = order_batch(self.repo, fresh)
            ordered, clock = batch.articles, batch.clock
            if batch.late:
                self._rewind(ordered, clock, report)
                progress("group", len(ordered), len(ordered))
            for done, article in enumerate(() if batch.late else ordered, start=1):
                self._ingest_one(article, clock, report)
                progress("group", done, len(ordered))
            self.state.caught_up()
        report.stories = {self.repo.resolve_story_id(s) for s in report.stories}
        if analyse:
            refreshed = self.refresh_analyses(progress=progress)
            for error in refreshed.errors:
                mine = error.what.removeprefix("story ") in report.stories or not error.what.startswith(
                    "story "
                )
                (report.errors if mine else report.earlier_errors).append(error)
        return report

    def _ingest_one(self, article: Article, clock: datetime | None, report: IngestReport) -> None:
        try:
            self._group_and_store(article, clock, report)
        except Exception as exc:  # one article must not sink the batch; nothing half-written
            report.fail(article, ItemError.capture(article.source, "storing", exc))
            self.state.rebuild()  # the grouper saw an article the store did not keep

    def _group_and_store(self, article: Article, clock: datetime | None, report: IngestReport) -> None:
        assignment = self.grouper.add(article)
        change = _story_change(self.grouper, assignment)
        if self.repo.ingest(article, change, clock):
            report.added.append(article)
            report.stories.update(s.id for s in change.stories)
        else:  # a writer that holds no grouping lock stored it meanwhile
            report.duplicates.append(article.source)
            self.state.rebuild()

    def _rewind(self, ordered: list[Article], clock: datetime | None, report: IngestReport) -> None:
        """Group a late batch by rewinding (``rewind``) and store the result in one transaction."""
        report.rewound = True
        try:
            rewound = self.state.rewind(ordered, clock)
            self.repo.apply_regrouping(rewound.regrouping)
        except Exception as exc:  # nothing of the batch is stored: report every article
            for article in ordered:
                report.fail(article, ItemError.capture(article.source, "storing", exc))
            self.state.rebuild()
            return
        for article, error in rewound.errors:
            report.fail(article, error)
        self.state.adopt(rewound)
        report.added.extend(rewound.regrouping.articles)
        report.stories.update(s.id for s in rewound.regrouping.stories)

    def refresh_analyses(self, *, progress: Progress = _no_progress) -> RefreshReport:
        return refresh_analyses(self.repo, self.settings, progress=progress)


class GroupingState:
    """A long-lived writer's view of the store's grouping: its grouper, the checkpoint a week
    back that rewinds start from, and the store mark it has caught up to. ``Ingestor`` and
    ``backfill.Backfill`` each hold one, so catching up, rewinding and rebuilding are done one
    way. Use it holding ``repo.grouping_lock()``: ``catch_up``, then group or ``rewind`` and
    ``adopt``, store, then ``caught_up``."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.mark = repo.store_mark()  # before the restore: a write in between is caught up
        self.grouper = restored_grouper(repo)
        self.checkpoint: Checkpoint | None = None  # made by the first rewind, for the next ones

    def rebuild(self) -> None:
        """From the store again: the grouper saw something the store did not keep."""
        self.grouper, self.checkpoint = restored_grouper(self.repo), None

    def catch_up(self, own: Collection[str] = ()) -> None:
        """What other writers stored since the mark (``catch_up``)."""
        caught_up = catch_up(self.repo, self.grouper, self.mark, own)
        if caught_up is not self.grouper:  # others reshaped stories: the checkpoint is stale too
            self.grouper, self.checkpoint = caught_up, None

    def rewind(self, batch: Sequence[Article], clock: datetime | None) -> Rewound:
        """A late batch grouped as if it had come in order (``rewind``); ``adopt`` it once stored."""
        return rewind(self.repo, batch, clock, self.checkpoint)

    def adopt(self, rewound: Rewound) -> None:
        self.grouper, self.checkpoint = rewound.grouper, rewound.checkpoint

    def caught_up(self) -> None:
        """Everything stored so far is in the grouper: later catch-ups start here."""
        self.mark = self.repo.store_mark()


def catch_up(
    repo: Repository, grouper: StoryGrouper, mark: StoreMark, own: Collection[str] = ()
) -> StoryGrouper:
    """The grouper brought up to date with what other writers stored since ``mark``.

    Call it holding ``repo.grouping_lock()``, before grouping a batch: then every writer decides
    against the same stories, as if the writers had run one after the other. Articles others
    added are replayed into the grouper (``restore``: their stories as stored, not re-decided);
    if others merged or split stories the grouper knows, it is rebuilt from the store, which is
    rarer and costs a full replay. ``own``: recent articles this writer stored itself; a writer
    that evicts retired stories (the backfill) no longer knows them, and replaying them again
    would count them twice in the IDF and hold them forever.
    """
    changes = repo.changes_since(mark)
    if changes.reshaped:
        return restored_grouper(repo)
    unseen = [i for i in changes.article_ids if i not in own and not _knows(grouper, i)]
    if unseen:
        grouper.restore(repo.memberships_of(unseen), ordered=True)
    return grouper


def _knows(grouper: StoryGrouper, article_id: str) -> bool:
    try:
        grouper.story_of(article_id)
    except KeyError:
        return False
    return True


def restored_grouper(repo: Repository) -> StoryGrouper:
    """A grouper rebuilt from the store (in the grouping order), with the editors' splits kept apart."""
    grouper = StoryGrouper()
    grouper.keep_apart(repo.separations())
    grouper.restore(((a, s) for _, a, s in repo.grouping_memberships()), ordered=True)
    return grouper


def new_articles(
    repo: Repository, articles: Sequence[Article], duplicate: Callable[[str], None]
) -> list[Article]:
    """The articles neither stored nor repeated earlier in the batch (same content hash or
    canonical URL); ``duplicate`` is told the source of each one left out. One query."""
    known: set[str] = repo.stored_keys(articles)
    out = []
    for article in articles:
        keys = {article.content_hash, *([article.canonical_url] if article.canonical_url else [])}
        if keys & known:
            duplicate(article.source)
            continue
        known |= keys
        out.append(article)
    return out


@dataclass(frozen=True)
class BatchOrder:
    """A batch in grouping order, the clock its undated articles get, and whether it reaches
    back before the last stored key (then it is grouped by ``rewind``)."""

    articles: list[Article]
    clock: datetime | None
    late: bool


def order_batch(repo: Repository, fresh: Sequence[Article]) -> BatchOrder:
    """Where a batch of new articles goes in the stored grouping order (call under the lock)."""
    frontier = repo.grouping_frontier()
    clock = grouping_clock(frontier.newest, fresh)
    ordered = sorted(fresh, key=lambda a: grouping_key(a, clock))
    late = bool(ordered) and frontier.last is not None and grouping_key(ordered[0], clock) < frontier.last
    return BatchOrder(ordered, clock, late)


def grouping_clock(newest_stored: datetime | None, batch: Iterable[Article]) -> datetime | None:
    """The clock an undated article of this batch is grouped at (``model.grouping_key``): the
    newest publication time stored or in the batch, as one-shot ``analyse`` of all would see it."""
    times = [a.published_at for a in batch if a.published_at is not None]
    if newest_stored is not None:
        times.append(newest_stored)
    return max(times, default=None)


# ---- rewind: a late batch grouped as if it had come in order --------------------------------
# how far back a long-lived writer keeps a copy of its grouper (late arrivals up to a week, #11)
CHECKPOINT_REACH = timedelta(days=8)


@dataclass(frozen=True)
class Checkpoint:
    """A copy of the grouper holding exactly the stored articles before ``key``.

    Kept by a long-lived writer (``watch``, a backfill): a rewind that does not reach before
    ``key`` starts from a copy of it instead of restoring the whole store, so its cost follows
    how far back the batch reaches, not how much is stored. Valid while nothing before ``key``
    changes: a rewind reaching further back makes a new one, another writer's reshaping drops it.
    """

    key: GroupingKey
    grouper: StoryGrouper
    size: int  # how many stored articles it holds

    def matches(self, index: list[tuple[GroupingKey, str, str]], begin: int) -> bool:
        """It holds exactly ``index[:begin]`` (``Repository.grouping_index``), each in the story
        the store has it in (a rewind after it was made may have merged or renamed a story it
        holds: then it is not used)."""
        if begin != self.size:
            return False
        try:
            return all(self.grouper.story_of(a) == s for _, a, s in index[:begin])
        except KeyError:
            return False


@dataclass
class Rewound:
    """A rewind's grouper (it has seen everything stored and the batch), what to store, the
    batch's articles that could not be grouped (left out, reported) and the checkpoint to keep."""

    grouper: StoryGrouper
    regrouping: Regrouping
    errors: list[tuple[Article, ItemError]] = field(default_factory=list)
    checkpoint: Checkpoint | None = None


class _BatchArticleFailed(Exception):
    def __init__(self, article: Article) -> None:
        super().__init__(article.id)
        self.article = article


def rewind(
    repo: Repository, batch: Sequence[Article], clock: datetime | None, checkpoint: Checkpoint | None = None
) -> Rewound:
    """Group ``batch`` as if every stored article and the batch had arrived in grouping order.

    Why: the grouper is an online one (each decision depends on the ones before), so a late
    article decided against what came after it gives other stories than one-shot ``analyse``.
    Instead the grouper is rewound to the batch's first key: the stored articles before it are
    restored as stored (``restore`` replays without deciding, so that costs about a start-up;
    from ``checkpoint`` when it is early enough), then the stored articles after it and the
    batch are decided again in order. Call it holding the grouping lock; the caller stores
    ``regrouping`` in one transaction (``Repository.apply_regrouping``). Articles of stories an
    editor split are restored in their place, not decided again, so the split survives. A batch
    article whose grouping raises is left out and reported, and the rest is grouped again.
    """
    index = repo.grouping_index()
    stored = _StoredArticles(repo, index)
    keys = [key for key, _, _ in index]
    pinned = repo.pinned_article_ids()
    apart = repo.separations()
    merged = repo.merged_story_ids()
    todo = sorted(((grouping_key(a, clock), a) for a in batch), key=_key_of)
    errors: list[tuple[Article, ItemError]] = []
    while True:
        cut = bisect.bisect_left(keys, _rewind_point(index, todo[0][0], merged)) if todo else len(index)
        grouper, checkpoint = _restored_to(stored, keys, cut, apart, checkpoint)
        try:
            _replay(grouper, stored.slice(cut, len(index)), todo, pinned)
            break
        except _BatchArticleFailed as failed:
            cause = failed.__cause__ or failed
            errors.append((failed.article, ItemError.capture(failed.article.source, "grouping", cause)))
            todo = [item for item in todo if item[1].id != failed.article.id]
    return Rewound(grouper, _regrouping(grouper, index, [a for _, a in todo], clock), errors, checkpoint)


class _StoredArticles:
    """The store in the grouping order, read as far back as a rewind reaches: the keys and
    story ids of every article (``Repository.grouping_index``) and the articles themselves only
    from the first position asked for. Why: with a checkpoint a week back, a late batch needs
    a week of articles, not the whole store; reading every text on every late batch made a
    long backfill's rewinds grow with everything stored."""

    def __init__(self, repo: Repository, index: list[tuple[GroupingKey, str, str]]) -> None:
        self.repo, self.index = repo, index
        self.start = len(index)  # the articles of index[start:] are read
        self.articles: dict[str, Article] = {}

    def slice(self, lo: int, hi: int) -> list[tuple[GroupingKey, Article, str]]:
        if lo < self.start:
            found = self.repo.memberships_from(self.index[lo][0])
            self.articles.update((a.id, a) for _, a, _ in found)
            self.start = lo
        return [(key, self.articles[a], s) for key, a, s in self.index[lo:hi]]


def _key_of(item: tuple[GroupingKey, Article]) -> GroupingKey:
    return item[0]


def _restored_to(
    stored: _StoredArticles,
    keys: list[GroupingKey],
    cut: int,
    apart: list[tuple[str, str]],
    checkpoint: Checkpoint | None,
) -> tuple[StoryGrouper, Checkpoint | None]:
    """A grouper holding ``stored[:cut]`` (from the checkpoint when it lies before the cut), and
    the checkpoint to keep: moved up to ``CHECKPOINT_REACH`` before the newest stored time once
    it falls two reaches behind, so later rewinds restore about a week, not the whole store."""
    begin = bisect.bisect_left(keys, checkpoint.key) if checkpoint is not None else 0
    early = checkpoint is not None and (cut == len(keys) or checkpoint.key <= keys[cut])
    if checkpoint is not None and early and checkpoint.matches(stored.index, begin):
        grouper = checkpoint.grouper.snapshot()
    else:
        grouper, begin, checkpoint = StoryGrouper(), 0, None
        grouper.keep_apart(apart)
    if keys and keys[-1][0] - EARLIEST > 2 * CHECKPOINT_REACH:
        target: GroupingKey = (keys[-1][0] - CHECKPOINT_REACH, False, "")
        mark = min(bisect.bisect_left(keys, target), cut)
        behind = checkpoint is None or checkpoint.key[0] < target[0] - CHECKPOINT_REACH
        if behind and mark > begin:
            grouper.restore(((a, s) for _, a, s in stored.slice(begin, mark)), ordered=True)
            key = min(target, keys[mark]) if mark < len(keys) else target
            checkpoint, begin = Checkpoint(key, grouper.snapshot(), mark), mark
    grouper.restore(((a, s) for _, a, s in stored.slice(begin, cut)), ordered=True)
    return grouper, checkpoint


def _replay(
    grouper: StoryGrouper,
    later_stored: list[tuple[GroupingKey, Article, str]],
    todo: list[tuple[GroupingKey, Article]],
    pinned: set[str],
) -> None:
    """Decide the stored articles after the rewind point and the batch, in grouping order."""
    later = heapq.merge(
        ((key, a, s) for key, a, s in later_stored),
        ((key, a, None) for key, a in todo),
        key=lambda item: item[0],
    )
    for _, article, story_id in later:
        if story_id is not None and article.id in pinned:
            grouper.restore([(article, story_id)], ordered=True)
        elif story_id is not None:
            grouper.add(article)
        else:
            try:
                grouper.add(article)
            except Exception as exc:  # this article only: the caller replays without it
                raise _BatchArticleFailed(article) from exc


def _rewind_point(
    index: list[tuple[GroupingKey, str, str]], start: GroupingKey, merged: set[str]
) -> GroupingKey:
    """Where to rewind to: the batch's first key, or earlier, before the first article of any
    story that absorbed another (``merged``) and has articles on both sides.

    Why: ``restore`` puts an article in its *final* story; a story that absorbed another held
    fewer articles at the rewind point (the merge may come after it, and may not happen again),
    and its id may be that of a later article which would found it a second time. Rewinding
    before such a story makes the restored part exact; merges are rare (0 in the AllSides
    stream, 3 in ECB+), so this seldom moves the point.
    """
    span: dict[str, tuple[GroupingKey, GroupingKey]] = {}
    for key, _, story_id in index:
        if story_id in merged:
            first = span.get(story_id, (key, key))[0]
            span[story_id] = (first, key)
    while True:
        earlier = [first for first, last in span.values() if first < start <= last]
        if not earlier:
            return start
        start = min(earlier)


def _keep_ids(grouper: StoryGrouper, before: dict[str, str], added: list[Article]) -> dict[str, str]:
    """Grouper story id → the id the store should keep for it.

    A story the rewind changed keeps the stored id most of its stored articles had (a story's
    id is its founding article's, and a late article may now come first), so links, reviews
    and Quick Read versions stay with the story readers know; each stored id goes to one story
    (the most overlap, then by id). A story holding no stored id keeps its own, unless that id
    is taken, then it gets a derived one.
    """
    moved = [a for a, story_id in before.items() if grouper.story_of(a) != story_id]
    live = {grouper.story_of(a) for a in before}
    affected = {grouper.story_of(a) for a in moved} | {grouper.story_of(a.id) for a in added}
    affected |= {before[a] for a in moved if before[a] in live}
    overlaps: list[tuple[int, str, str]] = []
    for story_id in sorted(affected):
        held = Counter(before[a] for a in grouper.members(story_id) if a in before)
        overlaps += [(-count, old, story_id) for old, count in held.items()]
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for _, old, story_id in sorted(overlaps):
        if story_id not in mapping and old not in taken:
            mapping[story_id] = old
            taken.add(old)
    for story_id in sorted(affected - set(mapping)):
        new_id = story_id
        while new_id in taken or (new_id != story_id and new_id in live):
            new_id = story_id_for(f"{new_id}:regrouped")
        mapping[story_id] = new_id
        taken.add(new_id)
    return mapping


def _regrouping(
    grouper: StoryGrouper,
    index: list[tuple[GroupingKey, str, str]],
    added: list[Article],
    clock: datetime | None,
) -> Regrouping:
    """The differences between the stored stories and the rewound grouper's, as rows to write
    (the grouper's stories renamed first to the stored ids they hold most of: ``_keep_ids``)."""
    before = {a: s for _, a, s in index}
    grouper.rename(_keep_ids(grouper, before, added))
    after = {article_id: grouper.story_of(article_id) for article_id in [*before, *(a.id for a in added)]}
    moved = [article_id for article_id, story_id in before.items() if after[article_id] != story_id]
    live = set(after.values())
    changed = {after[a] for a in moved} | {after[a.id] for a in added}
    changed |= {before[a] for a in moved if before[a] in live}
    redirects: dict[str, str] = {}
    went: dict[str, Counter[str]] = {}
    for article_id in moved:  # a story that vanished lost all its articles, so all moved
        went.setdefault(before[article_id], Counter())[after[article_id]] += 1
    for old in sorted(set(went) - live):
        redirects[old] = min(went[old], key=lambda sid: (-went[old][sid], sid))
    joined: dict[str, list[str]] = {}
    moved_in: dict[str, list[str]] = {}
    for article in added:
        joined.setdefault(after[article.id], []).append(article.id)
    for article_id in moved:
        moved_in.setdefault(after[article_id], []).append(article_id)
    events: list[tuple[str, str, dict[str, Any]]] = []
    for story_id in sorted(changed):
        detail = {"added": sorted(joined.get(story_id, [])), "moved_in": sorted(moved_in.get(story_id, []))}
        events.append((story_id, "regroup", detail))
    for old, new in redirects.items():
        events.append((new, "merge", {"merged_from": [old]}))
    stories = [grouper.story(story_id) for story_id in sorted(changed)]
    return Regrouping(list(added), clock, stories, redirects, events)


class SplitError(ValueError):
    """An editor's split that cannot be done (unknown story, articles not in it, nothing left)."""


def split_story(
    repo: Repository,
    story_id: str,
    article_ids: Sequence[str],
    actor: str,
    settings: Settings | None = None,
) -> tuple[Story, Story]:
    """Split the given articles off a story: (the part that keeps the id, the new story).

    The part holding the founding article keeps the story id (bookmarks and reviews stay with
    the story readers first saw); the other part gets the id its own earliest article would
    have founded. Both parts are rebuilt by the grouper's own ``restore`` (headline, outlets,
    key entities), stored with a story event and an audit row in one transaction, re-analysed,
    and kept apart by every later ingest.
    """
    with repo.grouping_lock():  # a writer grouping meanwhile must see the split (#16.5)
        kept_story, new_story = _split_locked(repo, story_id, article_ids, actor)
    refresh_analyses(repo, settings or Settings())
    return kept_story, new_story


def _split_locked(
    repo: Repository, story_id: str, article_ids: Sequence[str], actor: str
) -> tuple[Story, Story]:
    resolved = repo.resolve_story_id(story_id)
    members = repo.articles_for_story(resolved)
    if not members:
        raise SplitError(f"no story {story_id}")
    chosen = set(article_ids)
    known = {a.id for a in members}
    if not chosen or chosen - known:
        missing = ", ".join(sorted(chosen - known)) or "none given"
        raise SplitError(f"articles not in story {resolved}: {missing}")
    if chosen == known:
        raise SplitError("a split must leave at least one article in the story")
    ordered = by_publication(members)
    founder = next((a for a in ordered if story_id_for(a.id) == resolved), ordered[0])
    moved = [a for a in ordered if (a.id in chosen) != (founder.id in chosen)]
    kept = [a for a in ordered if a not in moved]
    new_id = story_id_for(moved[0].id)
    if repo.story_exists(new_id):
        new_id = story_id_for(f"{moved[0].id}:split:{resolved}")
    grouper = StoryGrouper()
    grouper.restore([*((a, resolved) for a in kept), *((a, new_id) for a in moved)])
    kept_story, new_story = grouper.story(resolved), grouper.story(new_id)
    repo.apply_split(kept_story, new_story, actor)
    return kept_story, new_story


def refresh_analyses(
    repo: Repository,
    settings: Settings,
    *,
    progress: Progress = _no_progress,
    story_ids: Sequence[str] | None = None,
) -> RefreshReport:
    """Re-analyse every story whose articles changed since its last analysis (or just
    ``story_ids``, if given and stale).

    Needs no grouper, so readers (``show``, the web app) can repair a story whose analysis a
    crash left stale without paying for a grouper rebuild. A story whose analysis fails stays
    stale, so the next run retries it; its error is reported and recorded on the story.
    """
    stale = repo.stale_story_ids()
    if story_ids is not None:
        wanted = set(story_ids)
        stale = [s for s in stale if s in wanted]
    read = [repo.analysis_job(story_id) for story_id in stale]
    jobs = [job for job in read if job is not None]
    report = RefreshReport()
    outcomes = analyse_jobs([(job.story, job.articles) for job in jobs], settings, progress)
    for job, outcome in zip(jobs, outcomes, strict=True):
        report.errors.extend(outcome.errors)
        if outcome.analysis is not None:
            _save_outcome(repo, job, outcome.analysis, report)
        else:
            repo.record_analysis_error(outcome.story_id, report.errors[-1].reason)
    return report


def _save_outcome(repo: Repository, job: AnalysisJob, analysis: Analysis, report: RefreshReport) -> None:
    """Store one analysis unless its story changed meanwhile (another writer added an article:
    the story stays stale and is analysed again, see ``save_analysis_if_current``)."""
    try:
        stored = repo.save_analysis_if_current(analysis, job.seen)
    except Exception as exc:  # e.g. a value the database refuses: this story only
        report.errors.append(ItemError.capture(f"story {job.story.id}", "saving the analysis", exc))
        repo.record_analysis_error(job.story.id, report.errors[-1].reason)
        return
    (report.analysed if stored is not None else report.superseded).append(job.story.id)


def _story_change(grouper: StoryGrouper, assignment: Assignment) -> StoryChange:
    touched = [assignment.story_id, *assignment.split_into, *assignment.changed]
    stories = [grouper.story(s) for s in dict.fromkeys(touched)]
    merged = list(assignment.merged_from)
    redirects = {**dict.fromkeys(merged, assignment.story_id), **assignment.redirects}
    events: list[tuple[str, str, dict[str, Any]]] = []
    if merged:
        events.append((assignment.story_id, "merge", {"merged_from": merged}))
    for old, new in sorted(assignment.redirects.items()):
        if old not in merged:
            events.append((new, "merge", {"merged_from": [old]}))
    if assignment.changed:  # re-clustering moved articles between stories (not an editor's split)
        events.append((assignment.story_id, "regroup", {"changed": list(assignment.changed)}))
    split = list(assignment.split_into)
    if split:
        events.append((assignment.story_id, "split", {"split_into": split}))
    return StoryChange(stories=stories, redirects=redirects, events=events)
