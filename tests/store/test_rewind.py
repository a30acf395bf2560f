"""One answer (#11): incremental ingest gives the stories one-shot ``analyse`` gives.

Real texts: the AllSides roundups with dates spread 0-4 days per article (coverage of one event
over days) and ECB+ (look-alike events, every document undated). The stream arrives as a crawl
would: each article up to 7 days after its publication, shuffled within a day, in batches of
uneven size, with a restart half-way. Whatever the arrival, the store must hold exactly the
partition of one-shot grouping (``analyse_pages`` groups ``by_publication`` with one grouper),
and every stored count must match its rows. A batch that comes after everything stored must not
rewind; an editor's split must survive a rewind; a crash mid-rewind must leave nothing written.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from test_concurrent_writers import Partition, count_mismatches, stored_partition

from newsprism import pipeline
from newsprism.model import Article, Page
from newsprism.pipeline import Ingestor, analyse_pages, by_publication, split_story
from newsprism.sources.files import load_pages
from newsprism.store.repository import Repository
from newsprism.stories import StoryGrouper
from newsprism.stories.evaluation import allsides_articles, ecbplus_articles, spread_dates

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_DAY = 86400.0


def one_shot(articles: Sequence[Article]) -> Partition:
    """The grouping ``analyse`` gives: one grouper over the articles in publication order."""
    grouper = StoryGrouper()
    for article in by_publication(articles):
        grouper.add(article)
    return frozenset(frozenset(s.article_ids) for s in grouper.stories())


@pytest.fixture(scope="module")
def allsides(eval_dir: Path) -> list[Article]:
    with (eval_dir / "allsides" / "roundups-2021.jsonl").open(encoding="utf-8") as handle:
        items = spread_dates(allsides_articles(json.loads(line) for line in handle if line.strip()))
    return [item.article for item in items[:240]]


@pytest.fixture(scope="module")
def ecbplus(eval_dir: Path) -> list[Article]:
    with (eval_dir / "ecbplus" / "ecbplus.jsonl").open(encoding="utf-8") as handle:
        items = ecbplus_articles(json.loads(line) for line in handle if line.strip())
    return [item.article for item in items[:160]]


def crawled(articles: Sequence[Article], seed: int) -> list[Article]:
    """A crawl's order: each article up to 7 days after publication (undated: any time)."""
    rng = random.Random(seed)

    def arrival(article: Article) -> float:
        when = article.published_at.timestamp() if article.published_at else 0.0
        return when + rng.uniform(0.0, 7.0) * _DAY

    return sorted(articles, key=arrival)


def batches(stream: list[Article], sizes: Sequence[int]) -> list[list[Article]]:
    out, start = [], 0
    for size in sizes:
        out.append(stream[start : start + size])
        start += size
    return [*out, stream[start:]] if start < len(stream) else out


@pytest.mark.parametrize("corpus", ["allsides", "ecbplus"])
def test_late_shuffled_and_rebatched_ingests_give_the_one_shot_stories(
    repo: Repository, corpus: str, request: pytest.FixtureRequest
) -> None:
    articles: list[Article] = request.getfixturevalue(corpus)
    stream = crawled(articles, seed=5)
    assert stream != by_publication(articles)
    rewinds = 0
    ingestor = Ingestor(repo)
    for number, batch in enumerate(batches(stream, [1, 17, 40, 3, 60])):
        if number == 3:
            ingestor = Ingestor(repo)  # a restart: the grouper restored from the store
        report = ingestor.ingest_articles(batch, analyse=False)
        assert report.errors == [] and len(report.added) == len(batch)
        rewinds += report.rewound
    assert rewinds >= 3
    assert stored_partition(repo) == one_shot(articles)
    assert count_mismatches(repo) == []
    restarted = Ingestor(repo)  # and a grouper rebuilt from the store agrees with the rows
    assert frozenset(frozenset(s.article_ids) for s in restarted.grouper.stories()) == one_shot(articles)


def test_pages_ingested_in_any_order_give_analyse_pages_stories(repo: Repository) -> None:
    pages = [p for p in load_pages([EXAMPLES]) if isinstance(p, Page)]
    expected = {frozenset(r.story.article_ids) for r in analyse_pages(pages).stories}
    order = sorted(pages, key=lambda p: p.source, reverse=True)
    ingestor = Ingestor(repo)
    for start in range(0, len(order), 2):
        ingestor.ingest_pages(order[start : start + 2], analyse=False)
    assert stored_partition(repo) == expected
    assert count_mismatches(repo) == []


def test_an_in_order_stream_never_rewinds_even_with_undated_articles(
    repo: Repository, allsides: list[Article]
) -> None:
    """Undated articles sit at the clock of their arrival (the newest date then), not after
    every dated article ever stored; otherwise each later dated batch would replay them all."""
    ordered = by_publication(allsides[:120])
    undated = {a.id for a in ordered[5::4]}
    stream = [replace(a, published_at=None) if a.id in undated else a for a in ordered]
    ingestor = Ingestor(repo)
    for start in range(0, len(stream), 20):
        batch = stream[start : start + 20]
        report = ingestor.ingest_articles(batch, analyse=False)
        assert not report.rewound and len(report.added) == len(batch)
    frontier = repo.grouping_frontier()
    assert frontier.newest == ordered[-1].published_at
    assert count_mismatches(repo) == []


def test_an_editors_split_survives_a_rewind(
    repo: Repository, allsides: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The articles of a split story are restored where the editor put them, not decided again
    (deciding again would put the split-off article back: it was grouped there at first)."""
    monkeypatch.setattr(pipeline, "refresh_analyses", lambda *_a, **_k: None)  # grouping only
    ordered = by_publication(allsides[:120])
    first, rest = ordered[0], ordered[1:]
    Ingestor(repo).ingest_articles(rest, analyse=False)
    story = max(repo.list_stories(limit=200), key=lambda s: (s.article_count, s.story.id)).story
    assert len(story.article_ids) >= 3
    moved = story.article_ids[-1]
    kept, split_off = split_story(repo, story.id, [moved], "erin")
    report = Ingestor(repo).ingest_articles([first], analyse=False)  # before everything: a full rewind
    assert report.rewound and report.errors == []
    assert repo.article_story_id(moved) == split_off.id
    assert all(repo.article_story_id(a) == kept.id for a in kept.article_ids)
    assert count_mismatches(repo) == []


def test_a_crash_mid_rewind_writes_nothing_and_a_rerun_converges(
    repo: Repository, allsides: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    ordered = by_publication(allsides[:80])
    Ingestor(repo).ingest_articles(ordered[10:], analyse=False)
    before, count = stored_partition(repo), repo.count_articles()

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt("killed mid-rewind")

    monkeypatch.setattr(Repository, "_count_members", staticmethod(crash))
    with pytest.raises(KeyboardInterrupt):
        Ingestor(repo).ingest_articles(ordered[:10], analyse=False)
    monkeypatch.undo()
    assert repo.count_articles() == count and stored_partition(repo) == before
    Ingestor(repo).ingest_articles(ordered[:10], analyse=False)
    again = Ingestor(repo).ingest_articles(ordered[:10], analyse=False)  # idempotent
    assert len(again.duplicates) == 10 and not again.rewound
    assert stored_partition(repo) == one_shot(ordered)
    assert count_mismatches(repo) == []


def test_every_stored_story_id_still_leads_to_a_story_after_a_rewind(
    repo: Repository, allsides: list[Article]
) -> None:
    """A rewound story keeps the id readers know (even when a late article now comes first),
    and an id that vanished redirects to where most of its articles went."""
    ordered = by_publication(allsides[:60])
    Ingestor(repo).ingest_articles(ordered[1:], analyse=False)
    old_ids = {repo.article_story_id(a.id) for a in ordered[1:]} - {None}
    earlier = (ordered[1].published_at or ordered[0].published_at) - timedelta(days=3)
    assert Ingestor(repo).ingest_articles([replace(ordered[0], published_at=earlier)], analyse=False).rewound
    for story_id in sorted(s for s in old_ids if s):
        story = repo.get_story(story_id)
        assert story is not None and story.article_ids


def test_migration_keeps_the_order_undated_articles_were_grouped_in(
    database_url: str, allsides: list[Article]
) -> None:
    """Rows stored before ``grouped_at`` were grouped with undated articles after every dated
    one: the migration gives them the newest stored date, so a restart groups as before."""
    from sqlalchemy import insert

    from newsprism.store import schema
    from newsprism.store.database import make_engine, migrate
    from newsprism.store.repository import _article_row

    engine = make_engine(database_url)
    migrate(engine, "0004")
    dated, undated = by_publication(allsides[:2])[0], replace(allsides[5], published_at=None)
    newest = by_publication(allsides[:2])[1]
    with engine.begin() as conn:
        for article in (dated, undated, newest):
            row = {k: v for k, v in _article_row(article).items() if k != "grouped_at"}
            conn.execute(insert(schema.articles).values(**row, ingested_at=newest.published_at))
    migrate(engine)
    engine.dispose()
    repo = Repository.open(database_url)
    try:
        frontier = repo.grouping_frontier()
        assert frontier.newest == newest.published_at
        assert frontier.last == (newest.published_at, True, undated.id)
    finally:
        repo.close()
