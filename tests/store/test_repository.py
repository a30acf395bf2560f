"""The store on every backend: idempotent, transactional, redirect-aware, schema-faithful."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from factories import article_from_paragraphs
from sqlalchemy import func, select

from newsprism.model import (
    Analysis,
    Article,
    Bullet,
    Citation,
    QuickRead,
    RemovedLine,
    Story,
)
from newsprism.store import schema
from newsprism.store.repository import Repository, StoryChange

T0 = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)


def make_article(
    body: list[str],
    *,
    url: str | None = None,
    outlet: str = "Harbour Ledger",
    when: datetime = T0,
    **fields: Any,
) -> Article:
    return article_from_paragraphs(
        body,
        title=body[0][:40],
        outlet=outlet,
        when=when,
        url=url,
        source=url or "file.txt",
        removed=[RemovedLine("Advertisement", "advertisement", 3)],
        **fields,
    )


def story_of(story_id: str, *articles: Article) -> Story:
    return Story(
        id=story_id,
        headline=articles[0].title,
        article_ids=[a.id for a in articles],
        outlets=sorted({a.outlet or "" for a in articles}),
        first_seen=min(a.published_at or T0 for a in articles),
        last_updated=max(a.published_at or T0 for a in articles),
    )


def count(repo: Repository, table: object) -> int:
    with repo.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_round_trip_keeps_every_field(repo: Repository) -> None:
    article = make_article(
        ["Dockers voted to end the strike.", "The port reopens Monday."], url="https://ledger.example/strike"
    )
    assert repo.ingest(article, StoryChange([story_of("s1", article)], {}, []))
    loaded = repo.get_article(article.id)
    assert loaded == article
    assert loaded is not None and loaded.published_at == T0


def test_dates_keep_their_offset_and_precision(repo: Repository) -> None:
    """#16 item 8: SQLite stored 08:30+01:00 as 08:30+00:00. The instant is stored in UTC with
    the page's offset and precision beside it; a round trip returns all three on every store."""
    plus_one = timezone(timedelta(hours=1))
    timed = make_article(
        ["Ferries resumed at dawn.", "Crews cleared the harbour mouth."],
        url="https://ledger.example/ferries",
        when=datetime(2026, 9, 14, 8, 30, tzinfo=plus_one),
        published_offset_minutes=60,
        published_precision="time",
        author_kinds=["person"],
        authors=["Ada Lume"],
    )
    dated = make_article(
        ["The council met on Monday.", "It approved the tram budget."],
        url="https://ledger.example/council",
        when=datetime(2026, 9, 14, tzinfo=UTC),
        published_precision="day",
    )
    for article in (timed, dated):
        assert repo.ingest(article, StoryChange([story_of(article.id, article)], {}, []))
        loaded = repo.get_article(article.id)
        assert loaded == article
        assert loaded is not None and loaded.published_at is not None and article.published_at is not None
        assert loaded.published_at.utcoffset() == article.published_at.utcoffset()
        assert loaded.published_at.isoformat() == article.published_at.isoformat()
    with repo.engine.connect() as conn:
        stored = conn.execute(select(schema.articles.c.published_at).where(schema.articles.c.id == timed.id))
        instant = stored.scalar_one()
    assert instant.replace(tzinfo=None) == datetime(2026, 9, 14, 7, 30)  # UTC on SQLite and PostgreSQL


def test_ingest_is_idempotent_by_content_hash_and_canonical_url(repo: Repository) -> None:
    first = make_article(["Same words here.", "Second paragraph."], url="https://a.example/1")
    assert repo.ingest(first, StoryChange([story_of("s1", first)], {}, []))
    assert not repo.ingest(first, StoryChange([story_of("s1", first)], {}, []))
    same_url = make_article(["Updated words.", "Other text."], url="https://a.example/1")
    assert repo.find_duplicate(same_url) == first.id
    assert not repo.ingest(same_url, StoryChange([story_of("s1", same_url)], {}, []))
    assert count(repo, schema.articles) == 1
    assert repo.get_story("s1") is not None and repo.get_story("s1").article_ids == [first.id]  # type: ignore[union-attr]


def test_crash_between_writes_leaves_nothing_half_written(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = make_article(["A sentence that will not be stored.", "Nor this one."])

    def crash(*_args: object) -> None:
        raise RuntimeError("simulated crash after the article row was written")

    monkeypatch.setattr(repo, "_assign_members", crash)
    with pytest.raises(RuntimeError):
        repo.ingest(article, StoryChange([story_of("s9", article)], {}, []))
    assert count(repo, schema.articles) == 0
    assert count(repo, schema.stories) == 0
    monkeypatch.undo()
    assert repo.ingest(article, StoryChange([story_of("s9", article)], {}, []))
    assert count(repo, schema.articles) == 1


def test_merge_redirect_keeps_old_ids_resolving(repo: Repository) -> None:
    a = make_article(["Flood waters rose overnight.", "Residents left."])
    b = make_article(["The river burst its banks.", "Hundreds evacuated."], when=T0 + timedelta(hours=2))
    repo.ingest(a, StoryChange([story_of("s-old", a)], {}, []))
    merged = story_of("s-new", a, b)
    repo.ingest(b, StoryChange([merged], {"s-old": "s-new"}, [("s-new", "merge", {"from": ["s-old"]})]))
    assert repo.resolve_story_id("s-old") == "s-new"
    story = repo.get_story("s-old")
    assert story is not None and story.id == "s-new" and set(story.article_ids) == {a.id, b.id}
    assert [r.story.id for r in repo.list_stories()] == ["s-new"]
    assert repo.story_events("s-new")[0]["kind"] == "merge"


def test_quick_read_versions_only_when_bullets_change(repo: Repository) -> None:
    article = make_article(["The bank raised its rate to 5%.", "Markets fell."])
    repo.ingest(article, StoryChange([story_of("s1", article)], {}, []))
    cite = [Citation(article.id, "The bank raised its rate to 5%.")]
    analysis = Analysis("s1", [], QuickRead("s1", [Bullet("The bank raised its rate to 5%.", cite)]))
    assert repo.save_analysis(analysis).version == 1
    assert repo.save_analysis(analysis).version == 1
    assert repo.stale_story_ids() == []
    analysis.quick_read.bullets.append(Bullet("Markets fell.", [Citation(article.id, "Markets fell.")]))
    stored = repo.save_analysis(analysis)
    assert (stored.version, stored.status) == (2, "draft")
    loaded = repo.get_analysis("s1")
    assert loaded is not None and len(loaded.quick_read.bullets) == 2


def test_list_stories_filters_and_orders(repo: Repository) -> None:
    old = make_article(["Old strike news.", "Dockers."], outlet="Northwind Daily")
    new = make_article(["New flood news.", "River."], when=T0 + timedelta(days=3))
    repo.ingest(old, StoryChange([story_of("s-old", old)], {}, []))
    repo.ingest(new, StoryChange([story_of("s-new", new)], {}, []))
    assert [r.story.id for r in repo.list_stories()] == ["s-new", "s-old"]
    assert [r.story.id for r in repo.list_stories(outlet="Northwind Daily")] == ["s-old"]
    assert [r.story.id for r in repo.list_stories(query="flood")] == ["s-new"]
    assert [r.story.id for r in repo.list_stories(since=T0 + timedelta(days=1))] == ["s-new"]
    assert [a for a, _ in repo.iter_memberships()] == [old, new]


def test_migrations_match_schema(repo: Repository) -> None:
    with repo.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diffs == []
