"""The one interface to stored articles, stories and analyses, on SQLite or PostgreSQL.

Every write that changes more than one row happens inside one transaction, so a crash can never
leave an article without its story or a story pointing at a missing article. Ingest is idempotent:
an article whose canonical URL or content hash is already stored is reported as a duplicate and
nothing is written.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Engine,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    union,
    update,
)

from newsprism.model import EARLIEST, Analysis, Article, GroupingKey, QuickRead, Story, grouping_key
from newsprism.serialize import from_jsonable, to_jsonable
from newsprism.store import schema
from newsprism.store.database import make_engine, migrate
from newsprism.store.locks import grouping_lock


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything stored is UTC, so say so."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class StoryChange:
    """What one ingest did to the stories: the stories to rewrite and merged ids to redirect."""

    stories: list[Story]
    redirects: dict[str, str]
    events: list[tuple[str, str, dict[str, Any]]]  # (story_id, kind, detail)


@dataclass(frozen=True)
class Regrouping:
    """What a rewind did (``pipeline.regroup``): new articles, and every story whose members
    changed, written in one transaction by ``apply_regrouping``."""

    articles: list[Article]  # new, stored with their stories
    clock: datetime | None  # ``grouped_at`` of the undated ones (``model.grouping_key``)
    stories: list[Story]  # every story whose members changed, with all its members now
    redirects: dict[str, str]  # stories that vanished → where most of their articles went
    events: list[tuple[str, str, dict[str, Any]]]


@dataclass(frozen=True)
class Frontier:
    """Where the stored grouping order ends: the newest publication time and the last key."""

    newest: datetime | None
    last: GroupingKey | None


@dataclass(frozen=True)
class StoreMark:
    """How far a writer's grouper has seen the store: the newest story event and article."""

    event_id: int
    ingested_at: datetime | None


@dataclass(frozen=True)
class StoreChanges:
    """What other writers stored after a ``StoreMark`` (see ``Repository.changes_since``)."""

    article_ids: list[str]  # stored since the mark (with a margin), in a story
    reshaped: bool  # a merge or split: stories the grouper knows changed, not just grew


@dataclass(frozen=True)
class AnalysisJob:
    """A stale story to analyse, with the ``updated_at`` it had when it was read."""

    story: Story
    articles: list[Article]
    seen: Any


# stored ``ingested_at`` values come from writers' clocks; a catch-up looks back this far before
# its mark (and skips articles it knows), so a little clock skew between hosts loses nothing
CATCH_UP_MARGIN = timedelta(minutes=5)

# story events after which a writer's grouper no longer matches the store and is rebuilt:
# stories merged, split by an editor, or regrouped by another writer's rewind
RESHAPING = ("merge", "split", "regroup")


@dataclass(frozen=True)
class UnitDone:
    """A finished backfill unit (see ``schema.backfill_units``): what it gave, for the record."""

    key: str
    articles: int
    failures: int


@dataclass(frozen=True)
class StorySummary:
    """A row of the story list: enough for a feed without loading every article."""

    story: Story
    article_count: int
    read_time_minutes: int
    first_bullet: str | None
    quick_read_status: str | None


@dataclass(frozen=True)
class StoryRecord:
    """A story for the JSON API: articles as listing dicts (``LISTING_COLUMNS``, with
    ``published_at`` in the page's own offset) and the analysis as its stored JSON."""

    story: Story
    articles: list[dict[str, Any]]
    analysis: dict[str, Any] | None


_ARTICLE_COLUMNS = [
    c.name for c in schema.articles.columns if c.name not in {"story_id", "ingested_at", "grouped_at"}
]



# what a story's JSON lists of each article (``serialize.contract_from_records``), no body
LISTING_COLUMNS = (
    "id",
    "source",
    "url",
    "outlet",
    "title",
    "published_at",
    "published_offset_minutes",
    "authors",
    "read_time_minutes",
    "syndicated",
    "agency",
)


def _page_statements() -> tuple[Select[Any], Select[Any], Select[Any], Select[Any], Select[Any]]:
    """The story page's statements, built once with a bound ``story_id``.

    Building a SQLAlchemy statement costs more than running it on SQLite (~0.5 ms against
    ~0.1 ms), and the stamp query runs on every story page view, cache hits included.
    """
    s, a, an, q = schema.stories, schema.articles, schema.analyses, schema.quick_reads
    sid: BindParameter[str] = bindparam("story_id")
    story_row = select(s).where(s.c.id == sid)
    articles = select(a).where(a.c.story_id == sid).order_by(a.c.published_at, a.c.id)
    older = q.alias("older")
    newest_version = select(func.max(older.c.version)).where(older.c.story_id == an.c.story_id)
    analysis = (
        select(an.c.data, q)
        .select_from(an)
        .outerjoin(q, and_(q.c.story_id == an.c.story_id, q.c.version == newest_version.scalar_subquery()))
        .where(an.c.story_id == sid)
    )
    newest = select(q).where(q.c.story_id == s.c.id).order_by(q.c.version.desc()).limit(1)
    stamp = select(
        s.c.updated_at,
        select(an.c.computed_at).where(an.c.story_id == s.c.id).scalar_subquery(),
        newest.with_only_columns(q.c.version).scalar_subquery(),
        newest.with_only_columns(q.c.status).scalar_subquery(),
    ).where(s.c.id == sid)
    listing = select(*(a.c[name] for name in LISTING_COLUMNS)).where(a.c.story_id == sid)
    listing = listing.order_by(a.c.published_at, a.c.id)
    return story_row, articles, analysis, stamp, listing


_STORY_ROW, _ARTICLES, _ANALYSIS, _STAMP, _LISTING = _page_statements()


class _DirectSelect:
    """One of the story page's statements run straight on the SQLite driver connection.

    SQLAlchemy's per-execute bookkeeping (execution context, result metadata, row objects)
    costs ~3x the SQLite work for these single-row lookups. The statement is compiled once by
    SQLAlchemy, and each column goes through the same result processor SQLAlchemy would apply
    (JSON, DateTime, Boolean), so rows hold exactly what ``Connection.execute`` returns.
    """

    def __init__(self, stmt: Select[Any], dialect: Any) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        defaults = compiled.construct_params({"story_id": ""})
        self.order = list(compiled.positiontup or [])
        self.defaults = {k: v for k, v in defaults.items() if k != "story_id"}
        cols = list(stmt.selected_columns)
        names = [c.key if c.key and c.key.isidentifier() else f"c{i}" for i, c in enumerate(cols)]
        self.row_type: Any = namedtuple("_Row", names, rename=True)  # type: ignore[misc]
        self.processors = [c.type._cached_result_processor(dialect, None) for c in cols]

    def _params(self, story_id: str) -> tuple[Any, ...]:
        return tuple(story_id if n == "story_id" else self.defaults[n] for n in self.order)

    def _row(self, raw: tuple[Any, ...]) -> Any:
        return self.row_type._make(
            [v if p is None or v is None else p(v) for p, v in zip(self.processors, raw, strict=True)]
        )

    def first(self, dbapi: Any, story_id: str) -> Any:
        cursor = dbapi.cursor()
        try:
            raw = cursor.execute(self.sql, self._params(story_id)).fetchone()
        finally:
            cursor.close()
        return None if raw is None else self._row(raw)

    def all(self, dbapi: Any, story_id: str) -> list[Any]:
        cursor = dbapi.cursor()
        try:
            raws = cursor.execute(self.sql, self._params(story_id)).fetchall()
        finally:
            cursor.close()
        return [self._row(r) for r in raws]


class Repository:
    """Storage for the pipeline, the CLI and the web app (one instance per process)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._direct: tuple[_DirectSelect, ...] | None = None
        if engine.dialect.name == "sqlite" and engine.dialect.driver == "pysqlite":
            self._direct = tuple(_DirectSelect(st, engine.dialect) for st in _page_statements())

    @classmethod
    def open(cls, url: str, *, run_migrations: bool = True) -> Repository:
        engine = make_engine(url)
        if run_migrations:
            migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # ---- articles -------------------------------------------------------------------------
    def find_duplicate(self, article: Article, conn: Connection | None = None) -> str | None:
        """Id of a stored article with the same content hash or canonical URL, if any."""
        clauses = [schema.articles.c.content_hash == article.content_hash]
        if article.canonical_url:
            clauses.append(schema.articles.c.canonical_url == article.canonical_url)
        query = select(schema.articles.c.id).where(or_(*clauses)).limit(1)
        if conn is not None:
            return conn.execute(query).scalar_one_or_none()
        with self.engine.connect() as c:
            return c.execute(query).scalar_one_or_none()

    def ingest(self, article: Article, change: StoryChange, clock: datetime | None = None) -> bool:
        """Store a new article and its story changes atomically; False if it was a duplicate.

        ``clock``: the grouping clock when it arrived (kept for an undated article, see
        ``model.grouping_key``).
        """
        with self.engine.begin() as conn:
            if self.find_duplicate(article, conn) is not None:
                return False
            for story in change.stories:
                self._upsert_story(conn, story)
            conn.execute(insert(schema.articles).values(**_article_row(article, clock), ingested_at=utcnow()))
            for story in change.stories:
                self._assign_members(conn, story)
            self._apply_redirects(conn, change.redirects)
            self._count_members(conn, [story.id for story in change.stories])
            for story_id, kind, detail in change.events:
                conn.execute(
                    insert(schema.story_events).values(
                        story_id=story_id, kind=kind, detail=detail, created_at=utcnow()
                    )
                )
        return True

    # ---- concurrent writers ------------------------------------------------------------------
    def grouping_lock(self) -> AbstractContextManager[None]:
        """The lock a writer holds while it groups and stores (``store.locks``): one decider
        at a time across processes."""
        return grouping_lock(self.engine)

    def store_mark(self) -> StoreMark:
        """The newest story event id and article ``ingested_at`` (read under the lock, this is
        exactly what the holder has seen once its batch is stored)."""
        e, a = schema.story_events, schema.articles
        with self.engine.connect() as conn:
            event_id = conn.execute(select(func.max(e.c.id))).scalar_one_or_none()
            newest = conn.execute(select(func.max(a.c.ingested_at))).scalar_one_or_none()
        return StoreMark(int(event_id or 0), as_utc(newest))

    def changes_since(self, mark: StoreMark) -> StoreChanges:
        """Ids of the articles stored since ``mark`` (with a margin: callers skip the ones they
        know, then read the rest with ``memberships_of``), and whether any writer merged or
        split stories since."""
        e, a = schema.story_events, schema.articles
        reshaping = select(e.c.id).where(e.c.id > mark.event_id, e.c.kind.in_(RESHAPING)).limit(1)
        stored = select(a.c.id).where(a.c.story_id.is_not(None))
        if mark.ingested_at is not None:
            stored = stored.where(a.c.ingested_at >= mark.ingested_at - CATCH_UP_MARGIN)
        with self.engine.connect() as conn:
            reshaped = conn.execute(reshaping).first() is not None
            ids = list(conn.execute(stored).scalars())
        return StoreChanges(ids, reshaped)

    def memberships_of(self, article_ids: Sequence[str]) -> list[tuple[Article, str]]:
        """These stored articles with their story ids, in the grouping order (what a catch-up
        replays with ``restore(..., ordered=True)``)."""
        a = schema.articles
        out: list[tuple[GroupingKey, Article, str]] = []
        with self.engine.connect() as conn:
            for start in range(0, len(article_ids), 500):
                chunk = article_ids[start : start + 500]
                rows = conn.execute(select(a).where(a.c.id.in_(chunk), a.c.story_id.is_not(None)))
                out += [_keyed_membership(row) for row in rows]
        out.sort(key=_first)
        return [(article, story_id) for _, article, story_id in out]

    def grouping_memberships(self) -> list[tuple[GroupingKey, Article, str]]:
        """Every stored article with its grouping key and story id, in the grouping order
        (what a grouper is rebuilt from, and what a rewind splits into restored and replayed)."""
        a = schema.articles
        query = select(a).where(a.c.story_id.is_not(None)).execution_options(yield_per=2000)
        with self.engine.connect() as conn:
            out = [_keyed_membership(row) for row in conn.execute(query)]
        out.sort(key=_first)
        return out

    def grouping_index(self) -> list[tuple[GroupingKey, str, str]]:
        """Every stored article's grouping key, id and story id, in the grouping order: what a
        rewind needs of the whole store (where to cut, which story each article is in). No
        texts and no ``Article``s, so it costs a small part of ``grouping_memberships``; the
        articles themselves are read only from where the rewind starts (``memberships_from``)."""
        a = schema.articles
        query = select(a.c.id, a.c.published_at, a.c.grouped_at, a.c.story_id)
        query = query.where(a.c.story_id.is_not(None)).execution_options(yield_per=5000)
        with self.engine.connect() as conn:
            out = [(_index_key(row), str(row.id), str(row.story_id)) for row in conn.execute(query)]
        out.sort(key=_key_first)
        return out

    def memberships_from(self, start: GroupingKey) -> list[tuple[GroupingKey, Article, str]]:
        """The stored articles at or after ``start`` in the grouping order, with their keys and
        story ids (the part of the store a rewind restores from its checkpoint and replays).
        All of them when ``start`` is at the beginning; else the dated ones from its time and
        every undated one, filtered here (undated articles are few, their clock is their key)."""
        if start[0] <= EARLIEST:
            return self.grouping_memberships()
        a = schema.articles
        query = select(a).where(a.c.story_id.is_not(None))
        query = query.where(or_(a.c.published_at.is_(None), a.c.published_at >= _in_offset(start[0], 0)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.execution_options(yield_per=2000))
            out = [m for m in map(_keyed_membership, rows) if m[0] >= start]
        out.sort(key=_first)
        return out

    def grouping_frontier(self) -> Frontier:
        """The newest stored publication time and the last grouping key (three indexed queries):
        a batch whose first key is not past ``last`` arrived out of order and needs a rewind."""
        a = schema.articles
        dated = select(a.c.published_at, a.c.id).where(a.c.published_at.is_not(None))
        dated = dated.order_by(a.c.published_at.desc(), a.c.id.desc()).limit(1)
        undated = select(a.c.grouped_at, a.c.id).where(a.c.published_at.is_(None))
        undated = undated.where(a.c.grouped_at.is_not(None))
        undated = undated.order_by(a.c.grouped_at.desc(), a.c.id.desc()).limit(1)
        first = select(func.max(a.c.id)).where(a.c.published_at.is_(None), a.c.grouped_at.is_(None))
        with self.engine.connect() as conn:
            newest = conn.execute(dated).first()
            clocked = conn.execute(undated).first()
            early = conn.execute(first).scalar_one_or_none()
        keys: list[GroupingKey] = []
        if newest is not None:
            keys.append((as_utc(newest[0]) or EARLIEST, False, newest[1]))
        if clocked is not None:
            keys.append((as_utc(clocked[0]) or EARLIEST, True, clocked[1]))
        if early is not None:
            keys.append((EARLIEST, True, early))
        return Frontier(as_utc(newest[0]) if newest is not None else None, max(keys) if keys else None)

    def merged_story_ids(self) -> set[str]:
        """Live stories that absorbed another (the targets of redirects): a rewind must not
        restore them in part (``pipeline._rewind_point``)."""
        r = schema.story_redirects
        with self.engine.connect() as conn:
            return set(conn.execute(select(r.c.new_id).distinct()).scalars())

    def pinned_article_ids(self) -> set[str]:
        """Articles of stories an editor split (either part): a rewind restores them where they
        are instead of deciding again, so an editor's split survives every later ingest."""
        parts = {self.resolve_story_id(s) for pair in self.separations() for s in pair}
        if not parts:
            return set()
        a = schema.articles
        with self.engine.connect() as conn:
            return set(conn.execute(select(a.c.id).where(a.c.story_id.in_(sorted(parts)))).scalars())

    def apply_regrouping(self, regrouping: Regrouping, units: Sequence[UnitDone] = ()) -> None:
        """Store a rewind's result in one transaction: the new articles, every story whose
        members changed (stale, so it is analysed again), and redirects from vanished stories.

        A story id that comes back (a rewind undid the merge that retired it) loses its
        redirect; a vanished one redirects where most of its articles went, so links keep working.
        """
        now = utcnow()
        live = sorted({story.id for story in regrouping.stories})
        r = schema.story_redirects
        with self.engine.begin() as conn:
            if regrouping.articles:
                clock = regrouping.clock
                rows = [{**_article_row(a, clock), "ingested_at": now} for a in regrouping.articles]
                conn.execute(insert(schema.articles), rows)
            if live:
                conn.execute(delete(r).where(r.c.old_id.in_(live)))
            for story in regrouping.stories:
                self._upsert_story(conn, story)
            for story in regrouping.stories:
                self._assign_members(conn, story)
            self._apply_redirects(conn, regrouping.redirects)
            self._count_members(conn, [*live, *regrouping.redirects])
            events = [
                {"story_id": sid, "kind": kind, "detail": detail, "created_at": now}
                for sid, kind, detail in regrouping.events
            ]
            if events:
                conn.execute(insert(schema.story_events), events)
            if units:
                conn.execute(insert(schema.backfill_units), [{**asdict(u), "done_at": now} for u in units])

    def apply_split(self, kept: Story, split_off: Story, actor: str) -> None:
        """Store an editor's split in one transaction: both parts, a story event, an audit row.

        The story event is what keeps the split: ``separations`` hands it to every grouper
        rebuilt from the store, and the grouper never merges the two parts again.
        """
        detail = {"split_into": split_off.id, "articles": list(split_off.article_ids), "actor": actor}
        with self.engine.begin() as conn:
            for story in (kept, split_off):
                self._upsert_story(conn, story)
                self._assign_members(conn, story)
            self._count_members(conn, [kept.id, split_off.id])
            conn.execute(
                insert(schema.story_events).values(
                    story_id=kept.id, kind="split", detail=detail, created_at=utcnow()
                )
            )
            conn.execute(
                insert(schema.audit_log).values(
                    created_at=utcnow(),
                    actor=actor,
                    action="split",
                    story_id=kept.id,
                    before={"article_ids": sorted([*kept.article_ids, *split_off.article_ids])},
                    after={"kept": kept.id, **detail},
                )
            )

    def separations(self) -> list[tuple[str, str]]:
        """Pairs of story ids an editor split apart (the grouper must never merge them again)."""
        e = schema.story_events
        with self.engine.connect() as conn:
            rows = conn.execute(select(e.c.story_id, e.c.detail).where(e.c.kind == "split").order_by(e.c.id))
            out: list[tuple[str, str]] = []
            for story_id, detail in rows:
                parts = detail.get("split_into") or []
                out += [(story_id, str(p)) for p in ([parts] if isinstance(parts, str) else parts)]
            return out

    def story_exists(self, story_id: str) -> bool:
        """A story row or a redirect already uses this id (a new id must not reuse either)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.stories.c.id).where(schema.stories.c.id == story_id)).first()
            return row is not None or self._resolve(conn, story_id) != story_id

    def stored_keys(self, articles: Sequence[Article]) -> set[str]:
        """Which of these articles' content hashes and canonical URLs are already stored.

        One query per batch instead of ``find_duplicate``'s one per article: the backfill's
        duplicate check at volume.
        """
        hashes = [a.content_hash for a in articles]
        urls = [a.canonical_url for a in articles if a.canonical_url]
        if not hashes:
            return set()
        a = schema.articles
        clause = or_(a.c.content_hash.in_(hashes), a.c.canonical_url.in_(urls)) if urls else (
            a.c.content_hash.in_(hashes)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(select(a.c.content_hash, a.c.canonical_url).where(clause)).all()
        return {key for row in rows for key in row if key}

    def ingest_batch(
        self,
        items: Sequence[tuple[Article, StoryChange]],
        units: Sequence[UnitDone] = (),
        clock: datetime | None = None,
    ) -> None:
        """Store many new articles, their story changes and finished backfill units in one transaction.

        Each touched story is written once, as its last snapshot in the batch, then merges are
        replayed in order, so the rows end as ``ingest`` one article at a time would leave them.
        The caller has ruled out duplicates (``stored_keys``); a concurrent writer's copy makes
        the unique constraints fail the whole batch (``IntegrityError``), and nothing is written.
        """
        now = utcnow()
        stories: dict[str, Story] = {}
        redirects: list[tuple[str, str]] = []
        events: list[dict[str, Any]] = []
        for _article, change in items:
            stories.update((story.id, story) for story in change.stories)
            redirects.extend(change.redirects.items())
            events.extend(
                {"story_id": sid, "kind": kind, "detail": detail, "created_at": now}
                for sid, kind, detail in change.events
            )
        with self.engine.begin() as conn:
            if items:
                rows = [{**_article_row(article, clock), "ingested_at": now} for article, _ in items]
                conn.execute(insert(schema.articles), rows)
            for story in stories.values():
                self._upsert_story(conn, story)
            for story in stories.values():
                self._assign_members(conn, story)
            for old, new in redirects:
                self._apply_redirects(conn, {old: new})
            self._count_members(conn, list(stories))
            if events:
                conn.execute(insert(schema.story_events), events)
            if units:
                rows = [{**asdict(u), "done_at": now} for u in units]
                conn.execute(insert(schema.backfill_units), rows)

    def finished_units(self, prefix: str) -> set[str]:
        """Keys of the backfill units already stored whose key starts with ``prefix`` (one input)."""
        u = schema.backfill_units
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = select(u.c.key).where(u.c.key.like(f"{escaped}%", escape="\\"))
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.articles).where(schema.articles.c.id == article_id)).first()
        return _article_from_row(row) if row else None

    def article_story_id(self, article_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(schema.articles.c.story_id).where(schema.articles.c.id == article_id)
            ).scalar_one_or_none()

    def articles_for_story(self, story_id: str) -> list[Article]:
        with self.engine.connect() as conn:
            return [_article_from_row(r) for r in conn.execute(self._articles_query(story_id))]

    @staticmethod
    def _articles_query(story_id: str) -> Any:
        return _ARTICLES.params(story_id=story_id)

    def iter_memberships(self, batch: int = 2000) -> Iterator[tuple[Article, str]]:
        """Every stored article with its story id, oldest first, streamed (a grouper is rebuilt
        from ``grouping_memberships``, which keeps undated articles at their arrival clock)."""
        query = (
            select(schema.articles)
            .where(schema.articles.c.story_id.is_not(None))
            .order_by(schema.articles.c.published_at, schema.articles.c.ingested_at, schema.articles.c.id)
            .execution_options(yield_per=batch)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield _article_from_row(row), row.story_id

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.articles)).scalar_one())

    # ---- stories ---------------------------------------------------------------------------
    def resolve_story_id(self, story_id: str) -> str:
        """Follow merge redirects so bookmarked story ids keep working."""
        with self.engine.connect() as conn:
            return self._resolve(conn, story_id)

    def _resolve(self, conn: Connection, story_id: str) -> str:
        seen: set[str] = set()
        while story_id not in seen:
            seen.add(story_id)
            target = conn.execute(
                select(schema.story_redirects.c.new_id).where(schema.story_redirects.c.old_id == story_id)
            ).scalar_one_or_none()
            if target is None:
                break
            story_id = target
        return story_id

    @staticmethod
    def _story_row(conn: Connection, story_id: str) -> Row[Any] | None:
        return conn.execute(_STORY_ROW, {"story_id": story_id}).first()

    def get_story(self, story_id: str) -> Story | None:
        story_id = self.resolve_story_id(story_id)
        with self.engine.connect() as conn:
            row = self._story_row(conn, story_id)
            if row is None:
                return None
            ids = self._member_ids(conn, [story_id])[story_id]
        return _story_from_row(row, ids)

    def list_stories(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        query: str | None = None,
    ) -> list[StorySummary]:
        """Stories, most recently updated first, with what a feed row needs.

        The one story-list query for the CLI, the web feed and the API: four queries whatever
        the page size (no per-story queries).
        """
        s = schema.stories
        stmt = select(s).where(s.c.article_count > 0)
        if since is not None:
            stmt = stmt.where(s.c.last_updated >= since)
        if until is not None:
            stmt = stmt.where(s.c.last_updated < until)
        if outlet:
            # EXISTS, not IN (subquery): the planner walks stories newest first and stops at the
            # page, instead of collecting every story of the outlet and sorting them (100 ms at 10k)
            a = schema.articles
            stmt = stmt.where(exists().where(a.c.story_id == s.c.id, a.c.outlet == outlet))
        if query:
            stmt = stmt.where(self.search_clause(query))
        stmt = stmt.order_by(s.c.last_updated.desc().nulls_last(), s.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            ids = [r.id for r in rows]
            members = self._member_ids(conn, ids)
            read_times = self._read_times(conn, ids)
            quick = _first_bullets(conn, ids)
        out = []
        for r in rows:
            first, status = quick.get(r.id, (None, None))
            out.append(
                StorySummary(
                    story=_story_from_row(r, members[r.id]),
                    article_count=r.article_count,
                    read_time_minutes=read_times.get(r.id, 0),
                    first_bullet=first,
                    quick_read_status=status,
                )
            )
        return out

    def search_clause(self, query: str) -> Any:
        """Full-text match on PostgreSQL (to_tsvector); escaped substring match elsewhere (SQLite).

        No FTS5 table is kept: virtual tables would drift from ``schema.metadata`` (which a test
        compares with the migrations), and LIKE over 10k headlines stays well inside the budget.
        """
        s, a = schema.stories, schema.articles
        if self.engine.dialect.name == "postgresql":
            # one id set from the two GIN indexes (schema's ``_fts``): an OR across the tables
            # would compute to_tsvector for every story row instead
            tsq = func.plainto_tsquery(literal_column("'simple'"), query)
            simple: Any = literal_column("'simple'::regconfig")
            by_headline = select(s.c.id).where(func.to_tsvector(simple, s.c.headline).op("@@")(tsq))
            by_title = select(a.c.story_id).where(func.to_tsvector(simple, a.c.title).op("@@")(tsq))
            return s.c.id.in_(union(by_headline, by_title))
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        return or_(
            func.lower(s.c.headline).like(like, escape="\\"),
            s.c.id.in_(select(a.c.story_id).where(func.lower(a.c.title).like(like, escape="\\"))),
        )

    def outlets(self) -> list[str]:
        """Every outlet with a stored article, for the feed's filter."""
        a = schema.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.outlet).where(a.c.outlet.is_not(None)).distinct().order_by(a.c.outlet)
            )
            return [r[0] for r in rows]

    def load_story(self, story_id: str) -> tuple[Story, list[Article], Analysis | None] | None:
        """Story, its articles and its analysis (with the latest Quick Read) for one page view.

        Three queries over one connection (story, articles, analysis joined with its newest
        Quick Read); merge redirects are followed only when the id is not a live story.
        On SQLite the three statements run directly on the driver connection (``_DirectSelect``).
        """
        found = self._story_rows(story_id, listing=False)
        if found is None:
            return None
        row, members, analysis_row = found
        articles = [_article_from_row(r) for r in members]
        return _story_from_row(row, [a.id for a in articles]), articles, _analysis_from_row(analysis_row)

    def load_story_record(self, story_id: str) -> StoryRecord | None:
        """A story as the JSON API serves it: the story, each article's listing fields (no
        body) and the analysis JSON as stored, with its newest Quick Read; merge redirects
        followed as in ``load_story``.

        Why not ``load_story``: decoding the analysis and three whole articles into dataclasses,
        only to encode them back into JSON, was most of the CPU an API request cost.
        """
        found = self._story_rows(story_id, listing=True)
        return None if found is None else _story_record(*found)

    def _story_rows(self, story_id: str, *, listing: bool) -> tuple[Any, Sequence[Any], Any] | None:
        """The story row (redirects followed when the id is no live story), its article rows
        (whole, or ``LISTING_COLUMNS``) and its analysis row; three queries on one connection."""
        if self._direct is not None:
            story_q, articles_q, analysis_q, _stamp, listing_q = self._direct
            members_q = listing_q if listing else articles_q
            raw = self.engine.raw_connection()
            try:
                dbapi = raw.driver_connection
                row = story_q.first(dbapi, story_id)
                if row is not None and row.article_count:
                    return row, members_q.all(dbapi, row.id), analysis_q.first(dbapi, row.id)
            finally:
                raw.close()
        with self.engine.connect() as conn:
            row = self._story_row(conn, story_id)
            if row is None or not row.article_count:
                target = self._resolve(conn, story_id)
                row = self._story_row(conn, target) if target != story_id else row
            if row is None:
                return None
            members = conn.execute(_LISTING if listing else _ARTICLES, {"story_id": row.id}).all()
            return row, members, conn.execute(_ANALYSIS, {"story_id": row.id}).first()

    def story_stamp(self, story_id: str) -> tuple[Any, ...] | None:
        """What a story page's content depends on, in one cheap query; None for an unknown id.

        (story updated_at, analysis computed_at, newest Quick Read version and status): a page
        cached under this stamp is invalidated exactly when an ingest, a re-analysis, an edit
        or a review action changes it, with no timer.
        """
        if self._direct is not None:
            raw = self.engine.raw_connection()
            try:
                row = self._direct[3].first(raw.driver_connection, story_id)
            finally:
                raw.close()
        else:
            with self.engine.connect() as conn:
                row = conn.execute(_STAMP, {"story_id": story_id}).first()
        return tuple(row) if row is not None else None

    def count_stories(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(schema.stories).where(schema.stories.c.article_count > 0)
                ).scalar_one()
            )

    def stale_story_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(schema.stories.c.id)
                    .where(
                        and_(schema.stories.c.analysis_stale.is_(True), schema.stories.c.article_count > 0)
                    )
                    .order_by(schema.stories.c.id)
                ).scalars()
            )

    def story_events(self, story_id: str) -> list[dict[str, Any]]:
        e = schema.story_events
        with self.engine.connect() as conn:
            rows = conn.execute(select(e).where(e.c.story_id == story_id).order_by(e.c.id)).all()
        return [{"kind": r.kind, "detail": r.detail, "at": as_utc(r.created_at)} for r in rows]

    def record_analysis_error(self, story_id: str, reason: str) -> None:
        """Note why a story's analysis failed (a story event); the story stays stale, so the
        next run retries it, and ``show`` can say why it has no analysis."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(schema.story_events).values(
                    story_id=story_id, kind="analysis_error", detail={"reason": reason}, created_at=utcnow()
                )
            )

    def analysis_error(self, story_id: str) -> str | None:
        """The last analysis failure of a story still waiting for a good analysis, if any."""
        e, s = schema.story_events, schema.stories
        with self.engine.connect() as conn:
            story_id = self._resolve(conn, story_id)
            stale = conn.execute(select(s.c.analysis_stale).where(s.c.id == story_id)).scalar_one_or_none()
            if not stale:
                return None
            detail = conn.execute(
                select(e.c.detail)
                .where(and_(e.c.story_id == story_id, e.c.kind == "analysis_error"))
                .where(e.c.created_at >= select(s.c.updated_at).where(s.c.id == story_id).scalar_subquery())
                .order_by(e.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
        return str(detail.get("reason")) if isinstance(detail, dict) else None

    # ---- analyses and quick reads ------------------------------------------------------------
    def save_analysis(self, analysis: Analysis) -> QuickRead:
        """Store an analysis; a Quick Read whose bullets changed becomes a new draft version.

        This is what sends a reviewed summary back to review when a new article changes it.
        Returns the Quick Read as stored (with its version and status).
        """
        with self.engine.begin() as conn:
            return self._store_analysis(conn, analysis)

    def analysis_job(self, story_id: str) -> AnalysisJob | None:
        """A story with its articles for analysis, and the ``updated_at`` it had when read
        (read first, so any later change to the story or its members moves it)."""
        s = schema.stories
        with self.engine.connect() as conn:
            seen = conn.execute(select(s.c.updated_at).where(s.c.id == story_id)).scalar_one_or_none()
        story = self.get_story(story_id) if seen is not None else None
        if story is None:
            return None
        return AnalysisJob(story, self.articles_for_story(story.id), seen)

    def save_analysis_if_current(self, analysis: Analysis, seen: Any) -> QuickRead | None:
        """``save_analysis`` unless the story changed since ``seen`` (its ``updated_at`` when
        the job was read) or another writer already stored an analysis of this version.

        Why: with concurrent writers, an analysis of a story's old members must not overwrite
        the story after another writer added an article; the story stays stale and is analysed
        again. The claim is one conditional UPDATE at the start of the transaction, so two
        writers saving the same story cannot both pass it (and cannot race on the Quick Read
        version). Returns None when nothing was stored.
        """
        s = schema.stories
        claim = (
            update(s)
            .where(s.c.id == analysis.story_id, s.c.updated_at == seen, s.c.analysis_stale.is_(True))
            .values(analysis_stale=False)
        )
        with self.engine.begin() as conn:
            if conn.execute(claim).rowcount != 1:
                return None
            return self._store_analysis(conn, analysis)

    def _store_analysis(self, conn: Connection, analysis: Analysis) -> QuickRead:
        qr = analysis.quick_read
        bullets = to_jsonable(qr.bullets)
        latest = self._latest_quick_reads(conn, [analysis.story_id]).get(analysis.story_id)
        if latest is None or to_jsonable(latest.bullets) != bullets or latest.method != qr.method:
            version = (latest.version + 1) if latest else 1
            conn.execute(
                insert(schema.quick_reads).values(
                    story_id=analysis.story_id,
                    version=version,
                    method=qr.method,
                    status="draft",
                    bullets=bullets,
                    created_at=utcnow(),
                )
            )
            stored = QuickRead(analysis.story_id, qr.bullets, qr.method, "draft", version)
        else:
            stored = latest
        data = to_jsonable(analysis)
        data["quick_read"] = to_jsonable(stored)
        a = schema.analyses
        conn.execute(delete(a).where(a.c.story_id == analysis.story_id))
        conn.execute(insert(a).values(story_id=analysis.story_id, data=data, computed_at=utcnow()))
        stories = schema.stories
        conn.execute(update(stories).where(stories.c.id == analysis.story_id).values(analysis_stale=False))
        return stored

    def get_analysis(self, story_id: str) -> Analysis | None:
        """The stored analysis, with the latest Quick Read version (edits and review status)."""
        with self.engine.connect() as conn:
            return self._analysis(conn, self._resolve(conn, story_id))

    def _analysis(self, conn: Connection, story_id: str) -> Analysis | None:
        """The analysis JSON and its newest Quick Read version in one query (outer join)."""
        return _analysis_from_row(conn.execute(_ANALYSIS, {"story_id": story_id}).first())

    def latest_quick_read(self, story_id: str) -> QuickRead | None:
        with self.engine.connect() as conn:
            return self._latest_quick_reads(conn, [story_id]).get(story_id)

    # ---- helpers ---------------------------------------------------------------------------
    def _upsert_story(self, conn: Connection, story: Story) -> None:
        values = {
            "headline": story.headline,
            "outlets": story.outlets,
            "key_entities": story.key_entities,
            "syndication_groups": story.syndication_groups,
            "first_seen": story.first_seen,
            "last_updated": story.last_updated,
            "article_count": len(story.article_ids),
            "analysis_stale": True,
            "updated_at": utcnow(),
        }
        s = schema.stories
        exists = conn.execute(select(s.c.id).where(s.c.id == story.id)).first()
        if exists:
            conn.execute(update(s).where(s.c.id == story.id).values(**values))
        else:
            conn.execute(insert(s).values(id=story.id, **values))

    def _assign_members(self, conn: Connection, story: Story) -> None:
        if story.article_ids:
            conn.execute(
                update(schema.articles)
                .where(schema.articles.c.id.in_(story.article_ids))
                .values(story_id=story.id)
            )

    @staticmethod
    def _count_members(conn: Connection, story_ids: Sequence[str]) -> None:
        """Set ``article_count`` from the member rows (not from the writer's own view of the
        story), in the transaction that changed the members: a stored count always matches."""
        if not story_ids:
            return
        s, a = schema.stories, schema.articles
        members = select(func.count()).where(a.c.story_id == s.c.id).scalar_subquery()
        conn.execute(update(s).where(s.c.id.in_(sorted(set(story_ids)))).values(article_count=members))

    def _apply_redirects(self, conn: Connection, redirects: dict[str, str]) -> None:
        r = schema.story_redirects
        for old, new in sorted(redirects.items()):
            if old == new:
                continue
            conn.execute(update(r).where(r.c.new_id == old).values(new_id=new))
            conn.execute(delete(r).where(r.c.old_id == old))
            conn.execute(insert(r).values(old_id=old, new_id=new, reason="merge", created_at=utcnow()))
            conn.execute(
                update(schema.articles).where(schema.articles.c.story_id == old).values(story_id=new)
            )
            conn.execute(delete(schema.analyses).where(schema.analyses.c.story_id == old))
            conn.execute(
                update(schema.stories)
                .where(schema.stories.c.id == old)
                .values(article_count=0, analysis_stale=False)
            )

    def _member_ids(self, conn: Connection, story_ids: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {i: [] for i in story_ids}
        if not story_ids:
            return out
        a = schema.articles
        rows = conn.execute(
            select(a.c.story_id, a.c.id).where(a.c.story_id.in_(story_ids)).order_by(a.c.published_at, a.c.id)
        )
        for story_id, article_id in rows:
            out[story_id].append(article_id)
        return out

    def _read_times(self, conn: Connection, story_ids: Sequence[str]) -> dict[str, int]:
        if not story_ids:
            return {}
        a = schema.articles
        rows = conn.execute(
            select(a.c.story_id, func.max(a.c.read_time_minutes))
            .where(a.c.story_id.in_(story_ids))
            .group_by(a.c.story_id)
        )
        return {sid: int(m or 0) for sid, m in rows}

    def _latest_quick_reads(self, conn: Connection, story_ids: Sequence[str]) -> dict[str, QuickRead]:
        if not story_ids:
            return {}
        rows = conn.execute(latest_versions(select(schema.quick_reads), story_ids))
        return {r.story_id: _quick_read_from_row(r) for r in rows}


def latest_versions(
    stmt: Select[Any], story_ids: Sequence[str] | None = None, *, visible_only: bool = False
) -> Select[Any]:
    """Restrict a select over ``quick_reads`` to each story's newest version (of ``story_ids``).

    Shared by the feed, the review queue and the Atom feed: "the current Quick Read" means the
    same thing everywhere. ``visible_only`` skips edits pending a second editor (what readers see).
    """
    q = schema.quick_reads
    newest = select(q.c.story_id, func.max(q.c.version).label("v"))
    if story_ids is not None:
        newest = newest.where(q.c.story_id.in_(story_ids))
    if visible_only:
        newest = newest.where(q.c.status != "pending")
    newest_sq = newest.group_by(q.c.story_id).subquery()
    return stmt.join(newest_sq, and_(q.c.story_id == newest_sq.c.story_id, q.c.version == newest_sq.c.v))


def _first_bullets(conn: Connection, story_ids: Sequence[str]) -> dict[str, tuple[str | None, str]]:
    """First bullet text and status of each story's latest Quick Read, read straight from JSON.

    A feed row needs one string, so decoding whole Quick Reads (as ``_latest_quick_reads``
    does) would be wasted work on the hottest list.
    """
    if not story_ids:
        return {}
    q = schema.quick_reads
    stmt = latest_versions(select(q.c.story_id, q.c.bullets, q.c.status), story_ids, visible_only=True)
    rows = conn.execute(stmt)
    return {sid: (bullets[0].get("text") if bullets else None, status) for sid, bullets, status in rows}


def _article_row(article: Article, clock: datetime | None = None) -> dict[str, Any]:
    """The row of an article; ``published_at`` as the UTC instant (SQLite drops offsets), the
    page's own offset kept in ``published_offset_minutes``; an undated one keeps ``clock``
    (its place in the grouping order, ``model.grouping_key``)."""
    data = to_jsonable(article)
    row = {k: data[k] for k in _ARTICLE_COLUMNS}
    published = article.published_at
    row["published_at"] = _in_offset(published, 0) if published is not None else None
    row["grouped_at"] = _in_offset(clock, 0) if published is None and clock is not None else None
    return row


def _keyed_membership(row: Row[Any]) -> tuple[GroupingKey, Article, str]:
    article = _article_from_row(row)
    return grouping_key(article, as_utc(row.grouped_at)), article, str(row.story_id)


def _first(item: tuple[GroupingKey, Article, str]) -> GroupingKey:
    return item[0]


def _key_first(item: tuple[GroupingKey, str, str]) -> GroupingKey:
    return item[0]


def _index_key(row: Any) -> GroupingKey:
    """``model.grouping_key`` from the columns alone (the same instant: keys compare in UTC)."""
    published = as_utc(row.published_at)
    if published is not None:
        return (published, False, str(row.id))
    return (as_utc(row.grouped_at) or EARLIEST, True, str(row.id))


def _article_from_row(row: Row[Any]) -> Article:
    data = {k: getattr(row, k) for k in _ARTICLE_COLUMNS}
    published = as_utc(data.pop("published_at"))
    data["author_kinds"] = data.get("author_kinds") or []
    article = from_jsonable(Article, data)
    offset = article.published_offset_minutes
    if published is not None and offset is not None:
        published = _in_offset(published, offset)
    article.published_at = published
    return article


def _in_offset(when: datetime, minutes: int) -> datetime:
    """``when`` shown in the UTC offset the page stated (the instant is unchanged)."""
    try:
        return when.astimezone(timezone(timedelta(minutes=minutes)))
    except (ValueError, OverflowError):  # an offset beyond ±24 h, or the calendar's edge
        return when


def _story_from_row(row: Row[Any], article_ids: list[str]) -> Story:
    return Story(
        id=row.id,
        headline=row.headline,
        article_ids=article_ids,
        outlets=list(row.outlets),
        key_entities=list(row.key_entities),
        first_seen=as_utc(row.first_seen),
        last_updated=as_utc(row.last_updated),
        syndication_groups=[list(g) for g in row.syndication_groups],
    )


def _story_record(row: Any, listed: Sequence[Any], analysis_row: Any) -> StoryRecord:
    articles = [_listing(r) for r in listed]
    story = _story_from_row(row, [a["id"] for a in articles])
    return StoryRecord(story, articles, _analysis_data(analysis_row))


def _listing(row: Any) -> dict[str, Any]:
    out = {name: getattr(row, name) for name in LISTING_COLUMNS}
    published, offset = as_utc(out.pop("published_at")), out.pop("published_offset_minutes")
    out["published_at"] = _in_offset(published, offset) if published and offset is not None else published
    return out


def _analysis_data(row: Any) -> dict[str, Any] | None:
    """An ``_ANALYSIS`` row as JSON: the stored analysis with its newest Quick Read version
    (what ``_analysis_from_row`` decodes, left undecoded)."""
    if row is None:
        return None
    data = dict(row.data)
    if row.version is not None:
        data["quick_read"] = {
            "story_id": row.story_id,
            "bullets": row.bullets,
            "method": row.method,
            "status": row.status,
            "version": row.version,
        }
    return data


def _analysis_from_row(row: Any) -> Analysis | None:
    """An ``_ANALYSIS`` row (analysis JSON outer-joined with its newest Quick Read) decoded."""
    if row is None:
        return None
    analysis = from_jsonable(Analysis, row.data)
    if row.version is not None:
        analysis.quick_read = _quick_read_from_row(row)
    return analysis


def _quick_read_from_row(row: Row[Any]) -> QuickRead:
    qr = from_jsonable(
        QuickRead,
        {
            "story_id": row.story_id,
            "bullets": row.bullets,
            "method": row.method,
            "status": row.status,
            "version": row.version,
        },
    )
    return qr
