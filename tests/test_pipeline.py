"""The wiring: one-shot and stored runs agree, restarts resume, crashes repair, Dask gives the same."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from newsprism.analysis.grounding import check_bullet
from newsprism.config import Settings
from newsprism.model import Article, ExtractionFailure, Page
from newsprism.pipeline import Ingestor, analyse_pages, extract_pages, parallel_map
from newsprism.serialize import contract_from_records, story_contract
from newsprism.sources.files import load_pages
from newsprism.store.repository import Repository

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_pages() -> list[Page]:
    pages = [p for p in load_pages([EXAMPLES]) if isinstance(p, Page)]
    assert len(pages) >= 9
    return pages


def memberships(repo: Repository) -> dict[str, str]:
    return {article.id: story_id for article, story_id in repo.iter_memberships()}


def test_one_shot_and_stored_runs_group_the_same_way(repo: Repository) -> None:
    pages = example_pages()
    batch = analyse_pages(pages)
    assert not batch.failures
    one_shot = {frozenset(r.story.article_ids) for r in batch.stories}
    Ingestor(repo).ingest_pages(pages)
    stored: dict[str, set[str]] = {}
    for article_id, story_id in memberships(repo).items():
        stored.setdefault(story_id, set()).add(article_id)
    assert one_shot == {frozenset(v) for v in stored.values()}
    assert repo.stale_story_ids() == []
    for story_id in stored:
        analysis = repo.get_analysis(story_id)
        assert analysis is not None and analysis.quick_read.bullets
        # the API's contract from the stored JSON equals the contract of the decoded analysis
        record, found = repo.load_story_record(story_id), repo.load_story(story_id)
        assert record is not None and found is not None
        assert contract_from_records(record.story, record.articles, record.analysis) == story_contract(*found)


def test_restart_resumes_with_the_same_stories(repo: Repository) -> None:
    pages = example_pages()
    half = len(pages) // 2
    Ingestor(repo).ingest_pages(pages[:half])
    before = memberships(repo)
    report = Ingestor(repo).ingest_pages(pages)  # a new process: grouper restored from the store
    after = memberships(repo)
    assert len(report.duplicates) == half
    assert {k: after[k] for k in before} == {k: before[k] for k in before} or all(
        repo.resolve_story_id(before[k]) == after[k] for k in before
    )
    fresh = analyse_pages(pages)
    assert len({*after.values()}) == len(fresh.stories)


def test_crash_mid_batch_loses_nothing_and_duplicates_nothing(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = example_pages()
    ingestor = Ingestor(repo)
    original = repo.ingest
    calls = {"n": 0}

    def crash_on_fourth(article: Article, change: object, clock: object = None) -> bool:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt("killed mid-batch")
        return original(article, change, clock)  # type: ignore[arg-type]

    monkeypatch.setattr(repo, "ingest", crash_on_fourth)
    with pytest.raises(KeyboardInterrupt):
        ingestor.ingest_pages(pages)
    monkeypatch.undo()
    assert repo.count_articles() == 3
    Ingestor(repo).ingest_pages(pages)
    extracted = [r for r in extract_pages(pages, settings=Settings()) if isinstance(r, Article)]
    assert repo.count_articles() == len({a.id for a in extracted})
    assert repo.stale_story_ids() == []


def test_dask_executor_matches_in_process(tmp_path: Path) -> None:
    pages = example_pages()[:6]
    local = extract_pages(pages, settings=Settings(database_url="sqlite://", dask_threshold=10**6))
    on_dask = extract_pages(pages, settings=Settings(database_url="sqlite://", dask_threshold=1))
    assert local == on_dask
    assert parallel_map(len, ["ab", "c"], settings=Settings(dask_threshold=1), stage="t") == [2, 1]


def test_failures_are_reported_not_raised(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    pages = [p for p in load_pages([empty]) if isinstance(p, Page)]
    batch = analyse_pages(pages)
    assert batch.stories == [] and len(batch.failures) == 1
    assert isinstance(batch.failures[0], ExtractionFailure)


def test_every_bullet_on_the_examples_is_grounded_in_its_cited_sentences() -> None:
    from newsprism.analysis.quickread import QuickReadSettings

    """The product's promise, end to end: real extraction, grouping and analysis of examples/."""
    batch = analyse_pages(
        example_pages() + [p for p in load_pages([EXAMPLES / "records.jsonl"]) if isinstance(p, Page)]
    )
    assert len(batch.stories) >= 4
    for result in batch.stories:
        sentences = {a.id: a.text for a in result.articles}
        assert result.analysis is not None, result.story.headline
        bullets = result.analysis.quick_read.bullets
        assert 3 <= len(bullets) <= 5, result.story.headline
        for bullet in bullets:
            # the bullet budget (40 words since issue 13: attributions and hedges stay in)
            assert len(bullet.text.split()) <= QuickReadSettings().max_words, bullet.text
            assert bullet.citations and bullet.fact_ids and bullet.outlets
            for citation in bullet.citations:
                assert citation.sentence in sentences[citation.article_id]
            assert check_bullet(bullet.text, bullet.citations) == [], bullet.text


def test_extracted_dates_are_zone_aware_so_stream_order_can_compare_them() -> None:
    extracted = extract_pages(example_pages(), settings=Settings())
    dates = [a.published_at for a in extracted if isinstance(a, Article) and a.published_at]
    assert dates and all(d.tzinfo is not None for d in dates)


def test_dask_items_travel_beside_the_graph_and_the_cluster_closes_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Page bytes go to the workers by scatter, not inside the task graph through the scheduler
    (distributed warns "Sending large graph" past 10 MB), and closing the local cluster leaves no
    warning on the user's terminal."""
    pages = [bytes([i]) * 400_000 for i in range(40)]  # 16 MB of items
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        sizes = parallel_map(len, pages, settings=Settings(dask_threshold=1), stage="t")
    assert sizes == [400_000] * 40
    noisy = [r.getMessage() for r in caplog.records if r.name.startswith("distributed")]
    noisy += [str(w.message) for w in warned]
    assert not [m for m in noisy if "large graph" in m or "still alive" in m], noisy
