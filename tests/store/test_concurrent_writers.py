"""Concurrent writers (#16.5): two writers give the stories one process gives.

Two real OS processes ingest alternating halves of 400 AllSides articles (the first 400 of the
date-ordered stream, 137 events over 46 days) into one store, on SQLite and PostgreSQL, both
grouping at the same moment. Before the grouping lock and catch-up, each grouped against its own
in-memory state (the issue's probe: 159-182 stories for 100 events, counts that disagreed with
rows). With the lock alone the result was one of the two sequential runs (A then B: 217
stories, B-cubed 0.806 against one process's 136): the second batch arrives up to 46 days out of
publication order, past the grouper's window, so its articles founded new stories. Now a batch
that reaches back before what is stored is grouped by a rewind (``pipeline.rewind``), and the
store holds exactly what one process grouping all 400 at once (``analyse``) gives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from factories import article_from_paragraphs
from sqlalchemy import func, select
from writer_process import ARTICLES, first_articles

from newsprism.model import Analysis, Article, QuickRead, Story
from newsprism.pipeline import Ingestor, by_publication
from newsprism.store import schema
from newsprism.store.repository import Repository, StoryChange
from newsprism.stories import StoryGrouper

T0 = datetime(2021, 5, 3, 9, 0, tzinfo=UTC)
WORKER = Path(__file__).with_name("writer_process.py")
Partition = frozenset[frozenset[str]]


@pytest.fixture(scope="module")
def roundups(eval_dir: Path) -> Path:
    return eval_dir / "allsides" / "roundups-2021.jsonl"


@pytest.fixture(scope="module")
def sequential_runs(roundups: Path) -> dict[str, Partition]:
    """The reference groupings, computed once: one shot, and the two halves one after the other
    in one grouper (what the store held before rewinds: not the one-shot stories)."""
    articles = first_articles(roundups)
    halves = articles[0::2], articles[1::2]
    return {
        "one shot": grouped([articles]),
        "A then B": grouped([halves[0], halves[1]]),
        "B then A": grouped([halves[1], halves[0]]),
    }


def grouped(batches: Sequence[Sequence[Article]]) -> Partition:
    grouper = StoryGrouper()
    for batch in batches:
        for article in by_publication(batch):
            grouper.add(article)
    return frozenset(frozenset(s.article_ids) for s in grouper.stories())


def stored_partition(repo: Repository) -> Partition:
    stories: dict[str, set[str]] = {}
    for article, story_id in repo.iter_memberships():
        stories.setdefault(story_id, set()).add(article.id)
    return frozenset(frozenset(members) for members in stories.values())


def count_mismatches(repo: Repository) -> list[tuple[str, int, int]]:
    """Stories whose stored ``article_count`` differs from their member rows."""
    s, a = schema.stories, schema.articles
    rows = select(s.c.id, s.c.article_count, func.count(a.c.id)).outerjoin(a, a.c.story_id == s.c.id)
    with repo.engine.connect() as conn:
        found = conn.execute(rows.group_by(s.c.id, s.c.article_count)).all()
    return [(sid, stored, real) for sid, stored, real in found if stored != real]


def run_two_writers(url: str, roundups: Path, tmp_path: Path) -> list[dict[str, object]]:
    """Start both writers, release them together once both are ready, return their reports."""
    go = tmp_path / "go"
    ready = [tmp_path / f"ready{part}" for part in (0, 1)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, str(roundups), str(part), str(ready[part]), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for part in (0, 1)
    ]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    go.touch()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def test_two_writer_processes_give_the_stories_of_one_process(
    database_url: str, roundups: Path, sequential_runs: dict[str, Partition], tmp_path: Path
) -> None:
    Repository.open(database_url).close()  # migrate once, before the writers start
    reports = run_two_writers(database_url, roundups, tmp_path)
    assert [r["errors"] for r in reports] == [[], []]
    assert sum(int(str(r["added"])) for r in reports) == ARTICLES
    repo = Repository.open(database_url, run_migrations=False)
    try:
        expected_ids = {a.id for a in first_articles(roundups)}
        stored = stored_partition(repo)
        members = [article_id for story in stored for article_id in story]
        assert repo.count_articles() == ARTICLES  # nothing lost, nothing stored twice
        assert sorted(members) == sorted(expected_ids)  # every article in exactly one story
        assert count_mismatches(repo) == []
        assert sequential_runs["A then B"] != sequential_runs["one shot"]  # order matters to the grouper
        assert stored == sequential_runs["one shot"]
    finally:
        repo.close()


# ---- the parts, in one process (fast, every backend) -------------------------------------------
def test_a_writer_catches_up_with_what_another_stored(repo: Repository, roundups: Path) -> None:
    """Two Ingestors built on one store before either writes (two processes' view): the second
    groups against the first's stories, not its own stale grouper, and rewinds to interleave."""
    articles = first_articles(roundups, 60)
    first, second = Ingestor(repo), Ingestor(repo)
    first.ingest_articles(articles[0::2], analyse=False)
    second.ingest_articles(articles[1::2], analyse=False)
    assert stored_partition(repo) == grouped([articles])
    assert count_mismatches(repo) == []
    later = Ingestor(repo)  # and a restart agrees with what both stored
    assert stored_partition(repo) == frozenset(
        frozenset(later.grouper.members(sid)) for sid in {later.grouper.story_of(a.id) for a in articles}
    )


def test_an_analysis_of_a_story_that_changed_meanwhile_is_not_stored(repo: Repository) -> None:
    lead = _article("The harbour authority closed the north pier after the storm.")
    later = _article("The north pier stays closed after the storm, the harbour authority said.")
    repo.ingest(lead, StoryChange([_story("s1", lead)], {}, []))
    job = repo.analysis_job("s1")
    assert job is not None and job.story.article_ids == [lead.id]
    analysis = Analysis("s1", [], QuickRead("s1", []))
    repo.ingest(later, StoryChange([_story("s1", lead, later)], {}, []))  # another writer, meanwhile
    assert repo.save_analysis_if_current(analysis, job.seen) is None
    assert repo.stale_story_ids() == ["s1"] and repo.get_analysis("s1") is None
    fresh = repo.analysis_job("s1")
    assert fresh is not None
    assert repo.save_analysis_if_current(analysis, fresh.seen) is not None
    assert repo.stale_story_ids() == []
    assert repo.save_analysis_if_current(analysis, fresh.seen) is None  # a second writer's copy


def test_stored_counts_come_from_member_rows(repo: Repository) -> None:
    """A writer whose view of a story holds an article the store does not (another writer's
    stale grouper) cannot store a count that disagrees with the rows."""
    one, ghost = _article("Dockers walked out at dawn."), _article("Cranes stood idle all day.")
    repo.ingest(one, StoryChange([_story("s1", one, ghost)], {}, []))
    assert count_mismatches(repo) == []
    assert repo.list_stories()[0].article_count == 1


def _article(sentence: str) -> Article:
    return article_from_paragraphs([sentence, "More follows."], title=sentence[:40], outlet="Ledger", when=T0)


def _story(story_id: str, *articles: Article) -> Story:
    return Story(story_id, articles[0].title, [a.id for a in articles], first_seen=T0, last_updated=T0)
