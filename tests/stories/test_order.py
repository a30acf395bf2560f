"""One answer: the grouping of a set of articles does not depend on how they arrived.

Real texts (the first weeks of the AllSides roundups, dates spread 0-4 days so coverage of one
event spans days), fed in publication order, shuffled within each day, with articles arriving up
to 7 days late (a crawl's order), and re-batched through a grouper rebuilt from the stored
memberships half-way (an incremental ingest after a restart). All must give one partition.
Run on ``GraphGrouper``, the design meant to make this hold (not yet the default).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsprism.model import Article
from newsprism.stories import GraphGrouper as StoryGrouper
from newsprism.stories.evaluation import allsides_articles, bcubed, spread_dates

_DAY = 86400.0


@pytest.fixture(scope="module")
def articles(eval_dir: Path) -> list[Article]:
    path = eval_dir / "allsides" / "roundups-2021.jsonl"
    with path.open(encoding="utf-8") as handle:
        items = spread_dates(allsides_articles(json.loads(line) for line in handle if line.strip()))
    return [i.article for i in items[:150]]


def _partition(grouper: StoryGrouper, articles: list[Article]) -> set[frozenset[str]]:
    stories: dict[str, set[str]] = {}
    for article in articles:
        stories.setdefault(grouper.story_of(article.id), set()).add(article.id)
    return {frozenset(s) for s in stories.values()}


def _grouped(stream: list[Article], idf: list[Article] | None = None) -> set[frozenset[str]]:
    grouper = StoryGrouper()
    if idf is not None:
        grouper.fix_idf(idf)
    for article in stream:
        grouper.add(article)
    return _partition(grouper, stream)


def _stamp(article: Article) -> float:
    assert article.published_at is not None
    return article.published_at.timestamp()


def _agreement(left: set[frozenset[str]], right: set[frozenset[str]]) -> float:
    """B-cubed F1 of one partition against the other (1.0 when they are the same)."""

    def labels(partition: set[frozenset[str]]) -> dict[str, int]:
        return {member: n for n, story in enumerate(partition) for member in story}

    return bcubed(labels(left), labels(right)).f1


# Known gap (#11): the IDF is learned in arrival order, so reordered streams give *nearly* the same
# stories (measured B-cubed ~0.97; the online default ~0.91), not the identical partition that a
# fixed IDF gives (last test). These two pin the measured floor so a regression shows.
def test_shuffled_within_a_day_gives_nearly_the_same_stories(articles: list[Article]) -> None:
    rng = random.Random(3)
    shuffled = sorted(articles, key=lambda a: (int(_stamp(a) // _DAY), rng.random()))
    assert _agreement(_grouped(shuffled), _grouped(articles)) >= 0.95


def test_arrivals_up_to_a_week_late_give_nearly_the_same_stories(articles: list[Article]) -> None:
    rng = random.Random(7)
    crawled = sorted(articles, key=lambda a: _stamp(a) + rng.uniform(0.0, 7.0) * _DAY)
    assert crawled != articles
    assert _agreement(_grouped(crawled), _grouped(articles)) >= 0.95


def test_rebatched_through_a_restored_grouper_gives_the_same_stories(articles: list[Article]) -> None:
    first = StoryGrouper()
    for article in articles[:75]:
        first.add(article)
    restarted = StoryGrouper()
    restarted.restore((a, first.story_of(a.id)) for a in articles[:75])
    for article in articles[75:]:
        restarted.add(article)
    assert _partition(restarted, articles) == _grouped(articles)


def test_with_a_fixed_idf_any_order_gives_the_same_stories(articles: list[Article]) -> None:
    """The clustering itself is a function of the set: with the IDF fixed (the one statistic
    otherwise learned in arrival order), shuffled days and week-late arrivals change nothing."""
    sample = articles[::3]
    rng = random.Random(7)
    crawled = sorted(articles, key=lambda a: _stamp(a) + rng.uniform(0.0, 7.0) * _DAY)
    shuffled = sorted(articles, key=lambda a: (int(_stamp(a) // _DAY), rng.random()))
    ordered = _grouped(articles, sample)
    assert _grouped(crawled, sample) == ordered
    assert _grouped(shuffled, sample) == ordered
    assert len(ordered) < len(articles)  # it did group
