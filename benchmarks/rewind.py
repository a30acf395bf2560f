"""Rewind benchmark: what grouping a late batch costs once the store holds 1k / 10k articles.

The store is filled in order from real texts (the AllSides roundups, dates spread 0-4 days,
repeated with every copy moved 70 days later and given its own text, so the stream runs over
months), then CPU seconds (this process, SQLite in-process, so the store's work is counted) are
measured for: the start-up restore every ``ingest`` pays, an in-order batch (no rewind), and
batches of 10 articles arriving 1, 3 and 7 days late, and one before everything (a full replay),
in one process: the first rewind restores the store (what a one-batch ``ingest`` pays) and keeps
a checkpoint a week back (``pipeline.Checkpoint``), which the next ones start from.
Also checks that the store still equals one-shot grouping of everything.

``--orders``: each corpus ingested as a crawl would deliver it (every article up to 7 days
after its publication, in 10 batches), stories and B-cubed against one-shot grouping and
against the labelled events: AllSides (dates spread 0-4 days), ECB+ (undated), and AllSides
with a third of the dates removed, those articles arriving at their old time (undated articles
are grouped at their arrival's clock, ``analyse`` puts them last: the documented difference).

    python benchmarks/rewind.py --sizes 1000,10000
    python benchmarks/rewind.py --sizes 0 --orders
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from newsprism.model import Article, article_id_for, content_hash
from newsprism.pipeline import Ingestor, _story_change, by_publication, restored_grouper
from newsprism.store.repository import Repository
from newsprism.stories import StoryGrouper
from newsprism.stories.evaluation import allsides_articles, bcubed, ecbplus_articles, spread_dates

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
ALLSIDES = EVAL / "allsides" / "roundups-2021.jsonl"
ECBPLUS = EVAL / "ecbplus" / "ecbplus.jsonl"
T = TypeVar("T")


def stream(size: int) -> list[Article]:
    """``size`` articles in publication order: real texts, copies moved 70 days per round."""
    with ALLSIDES.open(encoding="utf-8") as handle:
        base = [
            i.article for i in spread_dates(allsides_articles(json.loads(x) for x in handle if x.strip()))
        ]
    out: list[Article] = []
    for round_ in range(size // len(base) + 1):
        for article in base:
            digest = content_hash(f"{round_}\n{article.content_hash}")
            moved = article.published_at + timedelta(days=70 * round_) if article.published_at else None
            title = article.title if round_ == 0 else f"{article.title} ({round_})"
            out.append(
                replace(
                    article, id=article_id_for(digest), content_hash=digest, published_at=moved, title=title
                )
            )
    return by_publication(out)[:size]


def fill(repo: Repository, articles: list[Article]) -> None:
    """Store articles in order, 500 per transaction, as a backfill does."""
    grouper = StoryGrouper()
    for start in range(0, len(articles), 500):
        chunk = articles[start : start + 500]
        repo.ingest_batch([(a, _story_change(grouper, grouper.add(a))) for a in chunk])


def cpu(fn: Callable[[], T]) -> tuple[T, float]:
    started = time.process_time()
    result = fn()
    return result, time.process_time() - started


def measure(size: int) -> None:
    articles = stream(size + 60)
    stored, spare = articles[:size], articles[size:]
    newest = spare[9].published_at  # the newest stored once the in-order batch is in
    assert newest is not None
    with tempfile.TemporaryDirectory() as folder:
        repo = Repository.open(f"sqlite:///{Path(folder) / 'store.db'}")
        fill(repo, stored)
        _, restore = cpu(lambda: restored_grouper(repo))
        print(f"{size:>6} stored: start-up restore {restore:6.2f} s CPU")
        batches = {"in order": (spare[:10], None)}
        for n, days in enumerate((1, 3, 7), start=1):
            batches[f"{days} d late"] = (spare[10 * n : 10 * n + 10], newest - timedelta(days=days))
        batches["before all"] = (spare[50:60], stored[0].published_at - timedelta(days=1))  # type: ignore[operator]
        ingestor = Ingestor(repo)  # one process: its first rewind leaves a checkpoint for the next
        for label, (batch, when) in batches.items():
            late = [a if when is None else replace(a, published_at=when) for a in batch]
            started = time.process_time()
            report = ingestor.ingest_articles(late, analyse=False)
            seconds = time.process_time() - started
            assert report.rewound == (when is not None) and len(report.added) == len(late)
            print(f"{'':>6} batch of 10, {label:>10}: {seconds:6.2f} s CPU (rewound: {report.rewound})")
            stored.extend(late)
        expected = {frozenset(s.article_ids) for s in _one_shot(stored).stories()}
        got: dict[str, set[str]] = {}
        for article, story_id in repo.iter_memberships():
            got.setdefault(story_id, set()).add(article.id)
        print(f"{'':>6} store equals one-shot grouping: {expected == {frozenset(v) for v in got.values()}}")
        repo.close()


def _one_shot(articles: list[Article]) -> StoryGrouper:
    grouper = StoryGrouper()
    for article in by_publication(articles):
        grouper.add(article)
    return grouper


def orders() -> None:
    """Incremental (late, re-batched) against one-shot grouping on each corpus."""
    with ALLSIDES.open(encoding="utf-8") as handle:
        allsides = spread_dates(allsides_articles(json.loads(x) for x in handle if x.strip()))
    with ECBPLUS.open(encoding="utf-8") as handle:
        ecbplus = ecbplus_articles(json.loads(x) for x in handle if x.strip())
    rng = random.Random(5)
    third = {i.article.id for i in allsides if rng.random() < 1 / 3}
    corpora = {
        "AllSides, dates spread 0-4 days": ([i.article for i in allsides], allsides),
        "ECB+ (undated)": ([i.article for i in ecbplus], ecbplus),
        "AllSides, a third undated": (
            [replace(i.article, published_at=None) if i.article.id in third else i.article for i in allsides],
            allsides,
        ),
    }
    for name, (articles, labelled) in corpora.items():
        arrival = {i.article.id: i.article.published_at for i in labelled}
        crawl = sorted(articles, key=lambda a: _when(arrival[a.id]) + rng.uniform(0.0, 7.0) * 86400.0)
        with tempfile.TemporaryDirectory() as folder:
            repo = Repository.open(f"sqlite:///{Path(folder) / 'store.db'}")
            ingestor, size, started = Ingestor(repo), -(-len(crawl) // 10), time.process_time()
            for start in range(0, len(crawl), size):
                ingestor.ingest_articles(crawl[start : start + size], analyse=False)
            seconds = time.process_time() - started
            stored: dict[str, str] = {a.id: s for a, s in repo.iter_memberships()}
            repo.close()
        grouper = _one_shot(articles)
        one = {a.id: grouper.story_of(a.id) for a in articles}
        gold = {i.article.id: i.event for i in labelled}
        print(
            f"{name}: one-shot {len(set(one.values()))} stories, incremental {len(set(stored.values()))}"
            f" ({seconds:.1f} s CPU); incremental vs one-shot {bcubed(stored, one)}; vs events:"
            f" one-shot F1 {bcubed(one, gold).f1:.3f}, incremental F1 {bcubed(stored, gold).f1:.3f}"
        )


def _when(when: datetime | None) -> float:
    return when.timestamp() if when is not None else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",") if int(x)], default=[1000, 10000]
    )
    parser.add_argument("--orders", action="store_true", help="incremental vs one-shot on each corpus")
    args = parser.parse_args()
    for size in args.sizes:
        measure(size)
    if args.orders:
        orders()


if __name__ == "__main__":
    main()
