"""Newsroom tables (users, Quick Read review state, audit log, feedback) and the feed query.

Kept apart from ``repository.py`` so the pipeline's store stays small; both share one engine.
Every review action writes its state change and its audit row in one transaction, so the log
can never miss an action nor record one that did not happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, insert, literal_column, or_, select, update
from sqlalchemy.exc import IntegrityError

from newsprism.model import (
    Analysis,
    Article,
    Bullet,
    Citation,
    Discrepancy,
    Fact,
    FramingTerm,
    QuickRead,
    Quote,
    QuoteVariants,
    RemovedLine,
    SentenceRef,
    Story,
)
from newsprism.serialize import from_jsonable, to_jsonable
from newsprism.store import schema
from newsprism.store.repository import StorySummary, as_utc, utcnow


@dataclass(frozen=True)
class UserRecord:
    username: str
    password_hash: str
    role: str
    created_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    created_at: datetime | None
    actor: str
    action: str
    story_id: str | None
    quick_read_version: int | None
    before: Any
    after: Any


@dataclass(frozen=True)
class QueueItem:
    story_id: str
    headline: str
    version: int
    status: str
    method: str
    created_at: datetime | None
    bullet_count: int


@dataclass(frozen=True)
class FeedbackTotals:
    story_id: str | None
    headline: str | None
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful


@dataclass(frozen=True)
class FeedbackComment:
    story_id: str
    quick_read_version: int
    helpful: bool
    comment: str
    created_at: datetime | None


class NewsroomStore:
    """SQL for the newsroom side; pure decisions live in ``newsprism.newsroom``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ---- users ---------------------------------------------------------------------------------
    def add_user(self, username: str, password_hash: str, role: str) -> bool:
        """Create an account; False if the username is taken."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(schema.users).values(
                        username=username, password_hash=password_hash, role=role, created_at=utcnow()
                    )
                )
        except IntegrityError:
            return False
        return True

    def get_user(self, username: str) -> UserRecord | None:
        u = schema.users
        with self.engine.connect() as conn:
            row = conn.execute(select(u).where(u.c.username == username)).first()
        return UserRecord(row.username, row.password_hash, row.role, as_utc(row.created_at)) if row else None

    def list_users(self) -> list[UserRecord]:
        u = schema.users
        with self.engine.connect() as conn:
            rows = conn.execute(select(u).order_by(u.c.username)).all()
        return [UserRecord(r.username, r.password_hash, r.role, as_utc(r.created_at)) for r in rows]

    def set_role(self, username: str, role: str) -> bool:
        u = schema.users
        with self.engine.begin() as conn:
            done = conn.execute(update(u).where(u.c.username == username).values(role=role)).rowcount
        return bool(done)

    def set_password_hash(self, username: str, password_hash: str) -> None:
        """Used to upgrade a hash whose parameters are outdated (argon2 ``check_needs_rehash``)."""
        u = schema.users
        with self.engine.begin() as conn:
            conn.execute(update(u).where(u.c.username == username).values(password_hash=password_hash))

    # ---- quick reads -----------------------------------------------------------------------------
    def set_status(self, qr: QuickRead, status: str, actor: str, action: str) -> QuickRead:
        """Change the status of one Quick Read version and log who did it, atomically."""
        q = schema.quick_reads
        with self.engine.begin() as conn:
            conn.execute(
                update(q)
                .where(and_(q.c.story_id == qr.story_id, q.c.version == qr.version))
                .values(status=status, reviewed_by=actor, reviewed_at=utcnow())
            )
            after = QuickRead(qr.story_id, qr.bullets, qr.method, status, qr.version)  # type: ignore[arg-type]
            self._audit(conn, actor, action, qr.story_id, qr.version, _qr_json(qr), _qr_json(after))
        return after

    def add_version(
        self,
        base: QuickRead,
        bullets: list[Bullet],
        *,
        method: str,
        status: str,
        actor: str,
        action: str,
    ) -> QuickRead:
        """Store a new version after ``base`` (an edit or a regeneration) and log it."""
        q = schema.quick_reads
        reviewed = status in {"reviewed", "published"}
        with self.engine.begin() as conn:
            newest = conn.execute(select(func.max(q.c.version)).where(q.c.story_id == base.story_id))
            version = int(newest.scalar_one() or 0) + 1
            conn.execute(
                insert(q).values(
                    story_id=base.story_id,
                    version=version,
                    method=method,
                    status=status,
                    bullets=to_jsonable(bullets),
                    created_at=utcnow(),
                    reviewed_by=actor if reviewed else None,
                    reviewed_at=utcnow() if reviewed else None,
                )
            )
            after = QuickRead(base.story_id, bullets, method, status, version)  # type: ignore[arg-type]
            self._audit(conn, actor, action, base.story_id, version, _qr_json(base), _qr_json(after))
        return after

    def review_queue(self, limit: int = 100) -> list[QueueItem]:
        """Latest Quick Read of each story still waiting for an editor (drafts), newest first."""
        q, s = schema.quick_reads, schema.stories
        newest = select(q.c.story_id, func.max(q.c.version).label("v")).group_by(q.c.story_id).subquery()
        stmt = (
            select(q, s.c.headline)
            .join(newest, and_(q.c.story_id == newest.c.story_id, q.c.version == newest.c.v))
            .join(s, s.c.id == q.c.story_id)
            .where(and_(q.c.status == "draft", s.c.article_count > 0))
            .order_by(q.c.created_at.desc(), q.c.story_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            QueueItem(
                r.story_id, r.headline, r.version, r.status, r.method, as_utc(r.created_at), len(r.bullets)
            )
            for r in rows
        ]

    def published_stories(self, limit: int = 50) -> list[tuple[Story, QuickRead, datetime | None]]:
        """Stories whose latest Quick Read an editor approved, for the Atom feed."""
        q, s = schema.quick_reads, schema.stories
        newest = select(q.c.story_id, func.max(q.c.version).label("v")).group_by(q.c.story_id).subquery()
        stmt = (
            select(q, s.c.headline, s.c.outlets, s.c.first_seen, s.c.last_updated)
            .join(newest, and_(q.c.story_id == newest.c.story_id, q.c.version == newest.c.v))
            .join(s, s.c.id == q.c.story_id)
            .where(and_(q.c.status.in_(["reviewed", "published"]), s.c.article_count > 0))
            .order_by(q.c.reviewed_at.desc(), q.c.story_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        out = []
        for r in rows:
            story = Story(
                id=r.story_id,
                headline=r.headline,
                article_ids=[],
                outlets=list(r.outlets),
                first_seen=as_utc(r.first_seen),
                last_updated=as_utc(r.last_updated),
            )
            bullets = from_jsonable(list[Bullet], r.bullets)
            qr = QuickRead(r.story_id, bullets, r.method, r.status, r.version)
            out.append((story, qr, as_utc(r.reviewed_at)))
        return out

    # ---- audit log -------------------------------------------------------------------------------
    def _audit(
        self,
        conn: Any,
        actor: str,
        action: str,
        story_id: str | None,
        version: int | None,
        before: Any,
        after: Any,
    ) -> None:
        conn.execute(
            insert(schema.audit_log).values(
                created_at=utcnow(),
                actor=actor,
                action=action,
                story_id=story_id,
                quick_read_version=version,
                before=before,
                after=after,
            )
        )

    def log(
        self, actor: str, action: str, *, story_id: str | None = None, before: Any = None, after: Any = None
    ) -> None:
        """Log an action that is not a Quick Read change (login, role change...)."""
        with self.engine.begin() as conn:
            self._audit(conn, actor, action, story_id, None, before, after)

    def audit_entries(self, *, story_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
        a = schema.audit_log
        stmt = select(a).order_by(a.c.id.desc()).limit(limit)
        if story_id:
            stmt = stmt.where(a.c.story_id == story_id)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            AuditEntry(
                r.id,
                as_utc(r.created_at),
                r.actor,
                r.action,
                r.story_id,
                r.quick_read_version,
                r.before,
                r.after,
            )
            for r in rows
        ]

    # ---- feedback ----------------------------------------------------------------------------
    def add_feedback(
        self, story_id: str, version: int, helpful: bool, comment: str | None, voter_key: str
    ) -> bool:
        """Record a vote; False when this voter already voted on this version (unique key)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(schema.feedback).values(
                        story_id=story_id,
                        quick_read_version=version,
                        helpful=helpful,
                        comment=comment or None,
                        voter_key=voter_key,
                        created_at=utcnow(),
                    )
                )
        except IntegrityError:
            return False
        return True

    def feedback_totals(self, story_id: str | None = None) -> list[FeedbackTotals]:
        """Helpful / not helpful counts per story (or for one story), most voted first."""
        f, s = schema.feedback, schema.stories
        yes = func.sum(_int(f.c.helpful)).label("yes")
        total = func.count().label("n")
        stmt = (
            select(f.c.story_id, s.c.headline, yes, total)
            .join(s, s.c.id == f.c.story_id, isouter=True)
            .group_by(f.c.story_id, s.c.headline)
            .order_by(total.desc(), f.c.story_id)
        )
        if story_id:
            stmt = stmt.where(f.c.story_id == story_id)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            FeedbackTotals(r.story_id, r.headline, int(r.yes or 0), int(r.n) - int(r.yes or 0)) for r in rows
        ]

    def feedback_overall(self) -> FeedbackTotals:
        f = schema.feedback
        with self.engine.connect() as conn:
            row = conn.execute(select(func.sum(_int(f.c.helpful)), func.count()).select_from(f)).one()
        yes = int(row[0] or 0)
        return FeedbackTotals(None, None, yes, int(row[1]) - yes)

    def feedback_comments(self, *, story_id: str | None = None, limit: int = 200) -> list[FeedbackComment]:
        f = schema.feedback
        stmt = select(f).where(f.c.comment.is_not(None)).order_by(f.c.id.desc()).limit(limit)
        if story_id:
            stmt = stmt.where(f.c.story_id == story_id)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            FeedbackComment(
                r.story_id, r.quick_read_version, bool(r.helpful), r.comment, as_utc(r.created_at)
            )
            for r in rows
        ]

    # ---- feed --------------------------------------------------------------------------------
    def outlets(self) -> list[str]:
        a = schema.articles
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.outlet).where(a.c.outlet.is_not(None)).distinct().order_by(a.c.outlet)
            )
            return [r[0] for r in rows]

    def search_clause(self, query: str) -> Any:
        """Full-text match on PostgreSQL (to_tsvector); substring match elsewhere (SQLite).

        No FTS5 table is kept: virtual tables would drift from ``schema.metadata`` (which a test
        compares with the migrations), and LIKE over 10k headlines stays well inside the budget.
        """
        s, a = schema.stories, schema.articles
        if self.engine.dialect.name == "postgresql":
            tsq = func.plainto_tsquery(literal_column("'simple'"), query)
            return or_(
                func.to_tsvector(literal_column("'simple'"), s.c.headline).op("@@")(tsq),
                s.c.id.in_(
                    select(a.c.story_id).where(
                        func.to_tsvector(literal_column("'simple'"), a.c.title).op("@@")(tsq)
                    )
                ),
            )
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        return or_(
            func.lower(s.c.headline).like(like, escape="\\"),
            s.c.id.in_(select(a.c.story_id).where(func.lower(a.c.title).like(like, escape="\\"))),
        )

    def feed(
        self,
        *,
        limit: int = 30,
        offset: int = 0,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        query: str | None = None,
    ) -> list[StorySummary]:
        """Feed rows in four queries whatever the page size (no per-story queries)."""
        s = schema.stories
        stmt = select(s).where(s.c.article_count > 0)
        if since is not None:
            stmt = stmt.where(s.c.last_updated >= since)
        if until is not None:
            stmt = stmt.where(s.c.last_updated < until)
        if outlet:
            a = schema.articles
            stmt = stmt.where(s.c.id.in_(select(a.c.story_id).where(a.c.outlet == outlet)))
        if query:
            stmt = stmt.where(self.search_clause(query))
        stmt = stmt.order_by(s.c.last_updated.desc(), s.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            ids = [r.id for r in rows]
            read_times = _read_times(conn, ids)
            quick = _first_bullets(conn, ids)
        out = []
        for r in rows:
            first, status = quick.get(r.id, (None, None))
            story = Story(
                id=r.id,
                headline=r.headline,
                article_ids=[],
                outlets=list(r.outlets),
                key_entities=list(r.key_entities),
                first_seen=as_utc(r.first_seen),
                last_updated=as_utc(r.last_updated),
                syndication_groups=[list(g) for g in r.syndication_groups],
            )
            out.append(StorySummary(story, r.article_count, read_times.get(r.id, 0), first, status))
        return out


def _int(column: Any) -> Any:
    from sqlalchemy import Integer, cast

    return cast(column, Integer)


def _qr_json(qr: QuickRead) -> dict[str, Any]:
    return {
        "version": qr.version,
        "status": qr.status,
        "method": qr.method,
        "bullets": [b.text for b in qr.bullets],
    }


def _read_times(conn: Any, ids: Sequence[str]) -> dict[str, int]:
    if not ids:
        return {}
    a = schema.articles
    rows = conn.execute(
        select(a.c.story_id, func.max(a.c.read_time_minutes))
        .where(a.c.story_id.in_(ids))
        .group_by(a.c.story_id)
    )
    return {sid: int(m or 0) for sid, m in rows}


def _first_bullets(conn: Any, ids: Sequence[str]) -> dict[str, tuple[str | None, str]]:
    if not ids:
        return {}
    q = schema.quick_reads
    newest = (
        select(q.c.story_id, func.max(q.c.version).label("v"))
        .where(q.c.story_id.in_(ids))
        .group_by(q.c.story_id)
        .subquery()
    )
    rows = conn.execute(
        select(q.c.story_id, q.c.bullets, q.c.status).join(
            newest, and_(q.c.story_id == newest.c.story_id, q.c.version == newest.c.v)
        )
    )
    out: dict[str, tuple[str | None, str]] = {}
    for sid, bullets, status in rows:
        first = bullets[0].get("text") if bullets else None
        out[sid] = (first, status)
    return out


# ---- story page loading ------------------------------------------------------------------------
def load_story_page(engine: Engine, story_id: str) -> tuple[Story, list[Article], Analysis | None] | None:
    """Story, its articles and analysis (with the latest Quick Read) over one connection.

    The story page is the hottest uncached read, so this skips the generic decoder for the
    common shapes (see ``_fast_analysis``) and does four indexed lookups. Merge redirects are
    left to ``Repository.get_story``: callers fall back to it when this returns None.
    """
    s, a, an, q = schema.stories, schema.articles, schema.analyses, schema.quick_reads
    with engine.connect() as conn:
        row = conn.execute(select(s).where(s.c.id == story_id)).first()
        if row is None or not row.article_count:
            return None
        arts = conn.execute(
            select(a).where(a.c.story_id == story_id).order_by(a.c.published_at, a.c.id)
        ).all()
        data = conn.execute(select(an.c.data).where(an.c.story_id == story_id)).scalar_one_or_none()
        latest = conn.execute(
            select(q).where(q.c.story_id == story_id).order_by(q.c.version.desc()).limit(1)
        ).first()
    articles = [_fast_article(r) for r in arts]
    story = Story(
        id=row.id,
        headline=row.headline,
        article_ids=[x.id for x in articles],
        outlets=list(row.outlets),
        key_entities=list(row.key_entities),
        first_seen=as_utc(row.first_seen),
        last_updated=as_utc(row.last_updated),
        syndication_groups=[list(g) for g in row.syndication_groups],
    )
    analysis = _fast_analysis(data) if data is not None else None
    if analysis is not None and latest is not None:
        analysis.quick_read = QuickRead(
            latest.story_id, _bullets(latest.bullets), latest.method, latest.status, latest.version
        )
    return story, articles, analysis


def _fast_article(row: Any) -> Article:
    try:
        return Article(
            id=row.id,
            source=row.source,
            title=row.title,
            body=list(row.body),
            content_hash=row.content_hash,
            url=row.url,
            canonical_url=row.canonical_url,
            outlet=row.outlet,
            standfirst=row.standfirst,
            authors=list(row.authors),
            author_role=row.author_role,
            published_at=as_utc(row.published_at),
            language=row.language,
            word_count=row.word_count,
            read_time_minutes=row.read_time_minutes,
            read_time_stated=row.read_time_stated,
            syndicated=row.syndicated,
            agency=row.agency,
            outlet_summary=list(row.outlet_summary),
            lead_image_caption=row.lead_image_caption,
            removed=[RemovedLine(r["text"], r["reason"], r.get("line")) for r in row.removed],
        )
    except (KeyError, TypeError, AttributeError):  # a shape this fast path does not know
        return from_jsonable(Article, {k: getattr(row, k) for k in _article_fields()})


def _article_fields() -> list[str]:
    return [c.name for c in schema.articles.columns if c.name not in {"story_id", "ingested_at"}]


def _bullets(items: Any) -> list[Bullet]:
    return [
        Bullet(
            b["text"],
            [Citation(c["article_id"], c["sentence"]) for c in b["citations"]],
            list(b.get("fact_ids", [])),
            list(b.get("outlets", [])),
        )
        for b in items
    ]


def _discrepancy(d: Any) -> Discrepancy:
    return Discrepancy(d["fact_id"], d["kind"], [(v[0], v[1]) for v in d["values"]], d.get("note", ""))


def _fast_analysis(data: Any) -> Analysis:
    """Decode the stored analysis JSON by hand (5-10x faster than the generic codec)."""
    try:
        facts = [
            Fact(
                f["id"],
                f["kind"],
                list(f["outlets"]),
                [
                    SentenceRef(r["article_id"], r["text"], r.get("sentence_index", -1))
                    for r in f["sentences"]
                ],
                [_discrepancy(d) for d in f.get("discrepancies", [])],
            )
            for f in data["facts"]
        ]
        qr = data["quick_read"]
        return Analysis(
            story_id=data["story_id"],
            facts=facts,
            quick_read=QuickRead(
                qr["story_id"], _bullets(qr["bullets"]), qr["method"], qr["status"], qr["version"]
            ),
            quotes=[
                QuoteVariants(
                    g.get("speaker"),
                    [
                        Quote(v["text"], v.get("speaker"), v["article_id"], v["sentence_index"])
                        for v in g["variants"]
                    ],
                )
                for g in data.get("quotes", [])
            ],
            discrepancies=[_discrepancy(d) for d in data.get("discrepancies", [])],
            framing={
                o: [FramingTerm(t["term"], t["score"], t.get("loaded", False)) for t in terms]
                for o, terms in data.get("framing", {}).items()
            },
        )
    except (KeyError, TypeError, IndexError):
        return from_jsonable(Analysis, data)
