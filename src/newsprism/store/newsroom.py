"""Newsroom tables (users, Quick Read review state, audit log, feedback).

Kept apart from ``repository.py`` so the pipeline's store stays small; both share one engine.
Every review action writes its state change and its audit row in one transaction, so the log
can never miss an action nor record one that did not happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsprism.model import Bullet, QuickRead, Story
from newsprism.serialize import from_jsonable, to_jsonable
from newsprism.store import schema
from newsprism.store.repository import as_utc, latest_versions, utcnow

# Quick Read states an editor still has to act on: machine drafts, and edits awaiting a second editor
WAITING = ("draft", "pending")
# audit actions that write a new version by hand (whose author may not approve it alone)
AUTHORING_ACTIONS = ("edit", "remove-outlet", "drop-citation", "move-up", "move-down")


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
class VersionRecord:
    """One stored Quick Read version with when it was made and who reviewed it."""

    quick_read: QuickRead
    created_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None


@dataclass(frozen=True)
class NewArticle:
    """An article of a story with the time it was stored (what "new since" compares against)."""

    id: str
    title: str
    outlet: str | None
    ingested_at: datetime | None


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

    def remove_user(self, username: str) -> bool:
        """Delete an account and end all its sessions (one transaction); False if unknown."""
        u = schema.users
        with self.engine.begin() as conn:
            conn.execute(delete(schema.sessions).where(schema.sessions.c.username == username))
            done = conn.execute(delete(u).where(u.c.username == username)).rowcount
        return bool(done)

    def change_password(self, username: str, password_hash: str) -> int | None:
        """New password hash and every session of the user ended; the number of sessions ended,
        or None if the user is unknown."""
        u = schema.users
        with self.engine.begin() as conn:
            done = conn.execute(update(u).where(u.c.username == username).values(password_hash=password_hash))
            if not done.rowcount:
                return None
            return _end_sessions(conn, username)

    # ---- sessions --------------------------------------------------------------------------------
    def start_session(self, sid_hash: str, username: str, max_age: timedelta) -> None:
        """Record a signed-in session; expired rows are swept here, so the table stays small."""
        s = schema.sessions
        now = utcnow()
        with self.engine.begin() as conn:
            conn.execute(delete(s).where(s.c.expires_at < now))
            conn.execute(
                insert(s).values(
                    sid_hash=sid_hash, username=username, created_at=now, expires_at=now + max_age
                )
            )

    def session_user(self, sid_hash: str) -> UserRecord | None:
        """The account of a live session (one query); None if ended, expired or the user is gone."""
        s, u = schema.sessions, schema.users
        query = (
            select(u)
            .join(s, s.c.username == u.c.username)
            .where(s.c.sid_hash == sid_hash, s.c.expires_at > utcnow())
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return UserRecord(row.username, row.password_hash, row.role, as_utc(row.created_at)) if row else None

    def end_session(self, sid_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.sessions).where(schema.sessions.c.sid_hash == sid_hash))

    def end_user_sessions(self, username: str) -> int:
        """End every session of ``username`` (e.g. a stolen laptop); the number ended."""
        with self.engine.begin() as conn:
            return _end_sessions(conn, username)

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
        stmt = (
            latest_versions(select(q, s.c.headline))
            .join(s, s.c.id == q.c.story_id)
            .where(and_(q.c.status.in_(WAITING), s.c.article_count > 0))
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

    def versions(self, story_id: str) -> list[VersionRecord]:
        """Every Quick Read version of a story, oldest first (what the "what changed" views diff)."""
        q = schema.quick_reads
        stmt = select(q).where(q.c.story_id == story_id).order_by(q.c.version)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            VersionRecord(
                _row_quick_read(r),
                as_utc(r.created_at),
                r.reviewed_by,
                as_utc(r.reviewed_at),
            )
            for r in rows
        ]

    def version_author(self, story_id: str, version: int) -> str | None:
        """Who made a version by hand (the audit entry that created it), None for machine versions."""
        a = schema.audit_log
        stmt = (
            select(a.c.actor)
            .where(
                and_(
                    a.c.story_id == story_id,
                    a.c.quick_read_version == version,
                    a.c.action.in_(AUTHORING_ACTIONS),
                )
            )
            .order_by(a.c.id)
            .limit(1)
        )
        with self.engine.connect() as conn:
            actor = conn.execute(stmt).scalar_one_or_none()
        return str(actor) if actor is not None else None

    def story_articles(self, story_id: str) -> list[NewArticle]:
        """A story's articles with the time each was stored, oldest first."""
        a = schema.articles
        stmt = (
            select(a.c.id, a.c.title, a.c.outlet, a.c.ingested_at)
            .where(a.c.story_id == story_id)
            .order_by(a.c.ingested_at, a.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [NewArticle(r.id, r.title, r.outlet, as_utc(r.ingested_at)) for r in rows]

    def change_times(self, story_ids: list[str]) -> dict[str, datetime]:
        """When each story last changed for a reader: its articles, or its Quick Read's words or status.

        The later of the story row's ``updated_at`` (written only when an article joins or the
        grouping changes it) and its newest Quick Read version's creation or review. A
        re-analysis that changes nothing writes neither, so a feed entry's ``updated`` moves
        exactly when what the entry shows moves. Pending edits are not shown to readers, so they
        do not count until a second editor approves them.
        """
        if not story_ids:
            return {}
        s, q = schema.stories, schema.quick_reads
        out: dict[str, datetime] = {}
        with self.engine.connect() as conn:
            for sid, stamp in conn.execute(select(s.c.id, s.c.updated_at).where(s.c.id.in_(story_ids))):
                out[sid] = as_utc(stamp) or datetime.min.replace(tzinfo=UTC)
            versions = conn.execute(
                select(q.c.story_id, func.max(q.c.created_at), func.max(q.c.reviewed_at))
                .where(and_(q.c.story_id.in_(story_ids), q.c.status != "pending"))
                .group_by(q.c.story_id)
            )
            for sid, created, reviewed in versions:
                for stamp in (as_utc(created), as_utc(reviewed)):
                    if stamp is not None and stamp > out.get(sid, stamp):
                        out[sid] = stamp
        return out

    def public_quick_reads(self, story_ids: list[str]) -> dict[str, QuickRead]:
        """Each story's newest Quick Read a reader may see (pending edits wait for approval)."""
        if not story_ids:
            return {}
        stmt = latest_versions(select(schema.quick_reads), story_ids, visible_only=True)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return {r.story_id: _row_quick_read(r) for r in rows}

    def public_bullets(self, story_ids: list[str]) -> dict[str, tuple[list[str], str]]:
        """Each story's visible Quick Read as (bullet texts, status), read straight from the JSON.

        The story feeds need only the texts, so decoding whole Quick Reads (``public_quick_reads``)
        would cost most of a 1,000-entry feed.
        """
        if not story_ids:
            return {}
        q = schema.quick_reads
        stmt = latest_versions(select(q.c.story_id, q.c.bullets, q.c.status), story_ids, visible_only=True)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return {sid: ([str(b.get("text", "")) for b in bullets], status) for sid, bullets, status in rows}

    def published_stories(self, limit: int = 50) -> list[tuple[Story, QuickRead, datetime | None]]:
        """Stories whose latest Quick Read an editor approved, for the Atom feed."""
        q, s = schema.quick_reads, schema.stories
        stmt = (
            latest_versions(select(q, s.c.headline, s.c.outlets, s.c.first_seen, s.c.last_updated))
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


def _int(column: Any) -> Any:
    from sqlalchemy import Integer, cast

    return cast(column, Integer)


def _row_quick_read(row: Any) -> QuickRead:
    bullets = from_jsonable(list[Bullet], row.bullets)
    return QuickRead(row.story_id, bullets, row.method, row.status, row.version)


def _qr_json(qr: QuickRead) -> dict[str, Any]:
    return {
        "version": qr.version,
        "status": qr.status,
        "method": qr.method,
        "bullets": [b.text for b in qr.bullets],
    }


def _end_sessions(conn: Connection, username: str) -> int:
    done = conn.execute(delete(schema.sessions).where(schema.sessions.c.username == username))
    return int(done.rowcount or 0)
