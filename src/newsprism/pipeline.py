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

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from newsprism.analysis import AnalysisSettings, analyse_story
from newsprism.annotate import annotate
from newsprism.config import Settings
from newsprism.extract import extract
from newsprism.model import Analysis, AnnotatedArticle, Article, ExtractionFailure, Page, Story
from newsprism.store.repository import Repository, StoryChange
from newsprism.stories import Assignment, StoryGrouper

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; the CLI draws it, tests ignore it."""

T = TypeVar("T")
R = TypeVar("R")

_LATEST = datetime.max.replace(tzinfo=UTC)


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


# ---- parallel map: in-process for small batches, Dask for large ones ----------------------------
def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    settings: Settings,
    stage: str,
    progress: Progress = _no_progress,
) -> list[R]:
    """Map a pure function over items, on Dask once the batch is large enough to pay for it."""
    total = len(items)
    if total < settings.dask_threshold and settings.dask_scheduler is None:
        out = []
        for done, item in enumerate(items, start=1):
            out.append(fn(item))
            progress(stage, done, total)
        return out
    return _dask_map(fn, items, settings=settings, stage=stage, progress=progress)


def _dask_map(
    fn: Callable[[T], R], items: Sequence[T], *, settings: Settings, stage: str, progress: Progress
) -> list[R]:
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
        futures = client.map(_map_chunk, [fn] * len(chunks), chunks, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[list[R]] = [[] for _ in chunks]
        done = 0
        for future in as_completed(futures):
            results[index[future.key]] = future.result()
            done += len(results[index[future.key]])
            progress(stage, done, len(items))
        return [r for part in results for r in part]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _map_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


# ---- stage wrappers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Extractor:
    """Picklable ``extract`` with the size cap bound (lambdas do not travel to Dask workers)."""

    max_bytes: int

    def __call__(self, page: Page) -> Article | ExtractionFailure:
        return extract(page, max_bytes=self.max_bytes)


def extract_pages(
    pages: Sequence[Page], *, settings: Settings, progress: Progress = _no_progress
) -> list[Article | ExtractionFailure]:
    return parallel_map(
        _Extractor(settings.max_page_bytes), pages, settings=settings, stage="extract", progress=progress
    )


def by_publication(articles: Iterable[Article]) -> list[Article]:
    """Date order (undated last, then by id) — the order a live stream would have seen them."""
    return sorted(articles, key=lambda a: (a.published_at or _LATEST, a.id))


def analysis_settings(settings: Settings) -> AnalysisSettings:
    """The analysis stage's view of the operator settings (the optional model endpoint)."""
    return AnalysisSettings(
        base_url=settings.llm_base_url, api_key=settings.llm_api_key, model=settings.llm_model
    )


def analyse_one(
    story: Story, articles: Sequence[Article], settings: AnalysisSettings | None = None
) -> Analysis:
    """Annotate a story's articles and analyse them (pure; runs on Dask workers unchanged)."""
    annotated: list[AnnotatedArticle] = [annotate(a) for a in articles]
    return analyse_story(story, annotated, settings=settings)


@dataclass(frozen=True)
class _Analyser:
    """Picklable analysis job with the operator's analysis settings bound."""

    settings: AnalysisSettings

    def __call__(self, job: tuple[Story, list[Article]]) -> Analysis:
        return analyse_one(job[0], job[1], self.settings)


# ---- one shot -------------------------------------------------------------------------------
@dataclass
class StoryResult:
    story: Story
    articles: list[Article]
    analysis: Analysis


@dataclass
class BatchResult:
    stories: list[StoryResult]
    failures: list[ExtractionFailure] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def analyse_pages(
    pages: Sequence[Page], *, settings: Settings | None = None, progress: Progress = _no_progress
) -> BatchResult:
    """Extract, group and analyse pages without storing anything."""
    settings = settings or Settings()
    extracted = extract_pages(pages, settings=settings, progress=progress)
    articles, failures, duplicates = _split_results(extracted)
    grouper = StoryGrouper()
    for article in by_publication(articles):
        grouper.add(article)
    by_id = {a.id: a for a in articles}
    jobs = [(s, [by_id[i] for i in s.article_ids]) for s in grouper.stories()]
    analyser = _Analyser(analysis_settings(settings))
    analyses = parallel_map(analyser, jobs, settings=settings, stage="analyse", progress=progress)
    results = [
        StoryResult(story, members, analysis)
        for (story, members), analysis in zip(jobs, analyses, strict=True)
    ]
    results.sort(key=lambda r: (-(len(r.articles)), r.story.id))
    return BatchResult(results, failures, duplicates)


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
class IngestReport:
    added: list[Article] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[ExtractionFailure] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)


class Ingestor:
    """Adds articles to the store one at a time, each with its story changes in one transaction.

    The grouper is rebuilt from the store on start-up (``restore`` replays memberships without
    re-deciding), so a restart continues exactly where the last run stopped.
    """

    def __init__(self, repo: Repository, settings: Settings | None = None) -> None:
        self.repo = repo
        self.settings = settings or Settings()
        self.grouper = StoryGrouper()
        self.grouper.restore(repo.iter_memberships())

    def ingest_pages(
        self, pages: Sequence[Page], *, progress: Progress = _no_progress, analyse: bool = True
    ) -> IngestReport:
        extracted = extract_pages(pages, settings=self.settings, progress=progress)
        articles, failures, duplicates = _split_results(extracted)
        report = self.ingest_articles(articles, progress=progress, analyse=analyse)
        report.failures[:0] = failures
        report.duplicates[:0] = duplicates
        return report

    def ingest_articles(
        self, articles: Sequence[Article], *, progress: Progress = _no_progress, analyse: bool = True
    ) -> IngestReport:
        report = IngestReport()
        ordered = by_publication(articles)
        for done, article in enumerate(ordered, start=1):
            self._ingest_one(article, report)
            progress("group", done, len(ordered))
        if analyse:
            self.refresh_analyses(progress=progress)
        report.stories = {self.repo.resolve_story_id(s) for s in report.stories}
        return report

    def _ingest_one(self, article: Article, report: IngestReport) -> None:
        if self.repo.find_duplicate(article) is not None:
            report.duplicates.append(article.source)
            return
        assignment = self.grouper.add(article)
        change = _story_change(self.grouper, assignment)
        if self.repo.ingest(article, change):
            report.added.append(article)
            report.stories.update(s.id for s in change.stories)
        else:  # another writer stored it between our check and our write
            report.duplicates.append(article.source)
            self.grouper = StoryGrouper()
            self.grouper.restore(self.repo.iter_memberships())

    def refresh_analyses(self, *, progress: Progress = _no_progress) -> list[str]:
        return refresh_analyses(self.repo, self.settings, progress=progress)


def refresh_analyses(repo: Repository, settings: Settings, *, progress: Progress = _no_progress) -> list[str]:
    """Re-analyse every story whose articles changed since its last analysis.

    Needs no grouper, so readers (``show``, the web app) can repair a story whose analysis a
    crash left stale without paying for a grouper rebuild.
    """
    jobs: list[tuple[Story, list[Article]]] = []
    for story_id in repo.stale_story_ids():
        story = repo.get_story(story_id)
        if story is not None:
            jobs.append((story, repo.articles_for_story(story.id)))
    analyser = _Analyser(analysis_settings(settings))
    analyses = parallel_map(analyser, jobs, settings=settings, stage="analyse", progress=progress)
    for analysis in analyses:
        repo.save_analysis(analysis)
    return [story.id for story, _ in jobs]


def _story_change(grouper: StoryGrouper, assignment: Assignment) -> StoryChange:
    touched = [assignment.story_id, *assignment.split_into]
    stories = [grouper.story(s) for s in dict.fromkeys(touched)]
    merged = list(assignment.merged_from)
    redirects = dict.fromkeys(merged, assignment.story_id)
    events: list[tuple[str, str, dict[str, Any]]] = []
    if merged:
        events.append((assignment.story_id, "merge", {"merged_from": merged}))
    split = list(assignment.split_into)
    if split:
        events.append((assignment.story_id, "split", {"split_into": split}))
    return StoryChange(stories=stories, redirects=redirects, events=events)
