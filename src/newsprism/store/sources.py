"""The ``sources`` (subscribed feeds) and ``seen_entries`` tables, for the watch loop and CLI.

What makes the watch loop restartable lives here:

* ``seen_entries`` remembers every entry key (canonical link, guid) a source has handled, so a
  restart never fetches an old entry again;
* a feed's validators (ETag / Last-Modified) are stored only by ``record_poll`` at the end of a
  poll whose entries were all handled, so a poll cut short by a crash is redone in full next time
  (a 304 would otherwise hide the entries it never reached).

An entry is marked seen *after* its article is stored. The article write itself is atomic
(``Repository.ingest``), so a crash between the two leaves an article and an unseen entry; the
next run fetches the entry again, the repository recognises the article as a duplicate (same
canonical URL or content hash) and the entry is then marked seen: nothing lost, nothing doubled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsprism.store import schema
from newsprism.store.repository import as_utc, utcnow

DEFAULT_INTERVAL = 900


class SourceExists(ValueError):
    """``add`` of a URL that is already subscribed."""


class UnknownSource(KeyError):
    """A URL that is not subscribed."""


@dataclass(frozen=True)
class Source:
    id: int
    url: str
    outlet: str | None
    language: str | None
    poll_interval_seconds: int
    enabled: bool
    etag: str | None
    last_modified: str | None
    last_polled_at: datetime | None
    next_poll_at: datetime | None
    last_status: int | None
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of a source did, as stored on the source row."""

    status: int | None
    error: str | None
    polled_at: datetime
    next_poll_at: datetime
    etag: str | None = None  # None: keep the stored validators
    last_modified: str | None = None
    keep_validators: bool = True


class SourceStore:
    """Subscriptions and seen entries on the repository's engine (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ---- subscriptions ----------------------------------------------------------------------
    def add(
        self,
        url: str,
        *,
        outlet: str | None = None,
        language: str | None = None,
        poll_interval_seconds: int = DEFAULT_INTERVAL,
        enabled: bool = True,
    ) -> Source:
        with self.engine.begin() as conn:
            if _row(conn, url) is not None:
                raise SourceExists(url)
            conn.execute(
                insert(schema.sources).values(
                    url=url,
                    outlet=outlet,
                    language=language,
                    poll_interval_seconds=max(1, poll_interval_seconds),
                    enabled=enabled,
                    created_at=utcnow(),
                )
            )
            row = _row(conn, url)
        assert row is not None
        return _source(row)

    def update(self, url: str, **settings: Any) -> Source:
        """Change outlet, language, poll_interval_seconds or enabled of one source."""
        allowed = {"outlet", "language", "poll_interval_seconds", "enabled"}
        unknown = set(settings) - allowed
        if unknown:
            raise ValueError(f"not a source setting: {', '.join(sorted(unknown))}")
        with self.engine.begin() as conn:
            if _row(conn, url) is None:
                raise UnknownSource(url)
            if settings:
                conn.execute(update(schema.sources).where(schema.sources.c.url == url).values(**settings))
            row = _row(conn, url)
        assert row is not None
        return _source(row)

    def get(self, url: str) -> Source | None:
        with self.engine.connect() as conn:
            row = _row(conn, url)
        return _source(row) if row is not None else None

    def get_by_id(self, source_id: int) -> Source | None:
        s = schema.sources
        with self.engine.connect() as conn:
            row = conn.execute(select(s).where(s.c.id == source_id)).first()
        return _source(row) if row is not None else None

    def list_sources(self) -> list[Source]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.sources).order_by(schema.sources.c.id)).all()
        return [_source(r) for r in rows]

    def remove(self, url: str) -> None:
        """Unsubscribe (and forget its seen entries; stored articles stay)."""
        s = schema.sources
        with self.engine.begin() as conn:
            row = _row(conn, url)
            if row is None:
                raise UnknownSource(url)
            conn.execute(delete(schema.seen_entries).where(schema.seen_entries.c.source_id == row.id))
            conn.execute(delete(s).where(s.c.id == row.id))

    # ---- polling ----------------------------------------------------------------------------
    def due(self, now: datetime) -> list[Source]:
        """Enabled sources whose next poll time has come (never polled: due at once)."""
        s = schema.sources
        query = (
            select(s)
            .where(s.c.enabled.is_(True))
            .where((s.c.next_poll_at.is_(None)) | (s.c.next_poll_at <= now))
            .order_by(s.c.next_poll_at.nulls_first(), s.c.id)
        )
        with self.engine.connect() as conn:
            return [_source(r) for r in conn.execute(query)]

    def next_due_at(self) -> datetime | None:
        s = schema.sources
        query = select(s.c.next_poll_at).where(s.c.enabled.is_(True)).order_by(s.c.next_poll_at.nulls_first())
        with self.engine.connect() as conn:
            first = conn.execute(query.limit(1)).first()
        if first is None:
            return None
        return as_utc(first[0]) or utcnow()

    def record_poll(self, source_id: int, outcome: PollOutcome) -> None:
        values: dict[str, Any] = {
            "last_status": outcome.status,
            "last_error": outcome.error,
            "last_polled_at": outcome.polled_at,
            "next_poll_at": outcome.next_poll_at,
        }
        if not outcome.keep_validators:
            values.update(etag=outcome.etag, last_modified=outcome.last_modified)
        with self.engine.begin() as conn:
            conn.execute(update(schema.sources).where(schema.sources.c.id == source_id).values(**values))

    # ---- seen entries -----------------------------------------------------------------------
    def seen(self, source_id: int, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` this source has already handled."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        e = schema.seen_entries
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(e.c.entry_key).where(e.c.source_id == source_id, e.c.entry_key.in_(chunk))
                found.update(conn.execute(query).scalars())
        return found

    def mark_seen(
        self, source_id: int, keys: Iterable[str], article_id: str | None, now: datetime | None = None
    ) -> None:
        """Record one entry's keys as handled (idempotent: keys already present are left alone)."""
        self.mark_seen_many(source_id, [(list(keys), article_id)], now)

    def mark_seen_many(
        self,
        source_id: int,
        entries: Iterable[tuple[Sequence[str], str | None]],
        now: datetime | None = None,
    ) -> None:
        """Record many entries in one transaction (one commit per batch, not per entry)."""
        at = now or utcnow()
        rows: dict[str, dict[str, Any]] = {}
        for keys, article_id in entries:
            for key in keys:
                rows.setdefault(
                    key, {"source_id": source_id, "entry_key": key, "article_id": article_id, "seen_at": at}
                )
        if not rows:
            return
        with self.engine.begin() as conn:
            conn.execute(_insert_ignore(conn), list(rows.values()))

    def count_seen(self, source_id: int) -> int:
        e = schema.seen_entries
        with self.engine.connect() as conn:
            return len(conn.execute(select(e.c.entry_key).where(e.c.source_id == source_id)).all())


def next_poll(now: datetime, interval_seconds: int, failures: int = 0) -> datetime:
    """When to poll again: the interval, doubled per consecutive failure, at most a day."""
    seconds = min(interval_seconds * (2 ** min(failures, 8)), 86_400) if failures else interval_seconds
    return now + timedelta(seconds=seconds)


def _insert_ignore(conn: Connection) -> Any:
    e = schema.seen_entries
    keys = ["source_id", "entry_key"]
    if conn.dialect.name == "postgresql":
        return postgresql.insert(e).on_conflict_do_nothing(index_elements=keys)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(e).on_conflict_do_nothing(index_elements=keys)
    return insert(e).prefix_with("IGNORE")  # pragma: no cover - other backends are unsupported


def _row(conn: Connection, url: str) -> Any:
    return conn.execute(select(schema.sources).where(schema.sources.c.url == url)).first()


def _source(row: Any) -> Source:
    return Source(
        id=row.id,
        url=row.url,
        outlet=row.outlet,
        language=row.language,
        poll_interval_seconds=row.poll_interval_seconds,
        enabled=bool(row.enabled),
        etag=row.etag,
        last_modified=row.last_modified,
        last_polled_at=as_utc(row.last_polled_at),
        next_poll_at=as_utc(row.next_poll_at),
        last_status=row.last_status,
        last_error=row.last_error,
        created_at=as_utc(row.created_at) or utcnow(),
    )
