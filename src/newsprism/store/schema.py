"""Table definitions (SQLAlchemy Core), the single source of column names for the repository.

The migrations under ``migrations/versions`` are frozen copies of how these tables looked at each
revision; a test compares the migrated database with this metadata so the two cannot drift.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.sql.elements import TextClause

metadata = MetaData()

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("headline", Text, nullable=False),
    Column("outlets", JSON, nullable=False),
    Column("key_entities", JSON, nullable=False),
    Column("syndication_groups", JSON, nullable=False),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_updated", DateTime(timezone=True)),
    Column("article_count", Integer, nullable=False, default=0),
    Column("analysis_stale", Boolean, nullable=False, default=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_stories_last_updated", "last_updated"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("canonical_url", String(2048), unique=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("outlet", String(200)),
    Column("title", Text, nullable=False),
    Column("standfirst", Text),
    Column("authors", JSON, nullable=False),
    Column("author_role", String(200)),
    # the publication instant in UTC (SQLite keeps no offset), with the offset the page stated
    # (minutes) and its precision ("day" or "time") beside it, so a round trip returns all three
    Column("published_at", DateTime(timezone=True)),
    Column("language", String(16)),
    Column("body", JSON, nullable=False),
    Column("word_count", Integer, nullable=False),
    Column("read_time_minutes", Integer, nullable=False),
    Column("read_time_stated", Boolean, nullable=False),
    Column("syndicated", Boolean, nullable=False),
    Column("agency", String(100)),
    Column("outlet_summary", JSON, nullable=False),
    Column("lead_image_caption", Text),
    Column("removed", JSON, nullable=False),
    Column("story_id", String(32), ForeignKey("stories.id")),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("published_offset_minutes", Integer),
    Column("published_precision", String(8)),
    Column("author_kinds", JSON),  # null on rows stored before revision 0002
    # an undated article's place in the grouping order: the newest publication time the store
    # held when it arrived (null for dated articles, and for undated ones that came before any
    # dated article: they sort first); see ``pipeline.grouping_key``
    Column("grouped_at", DateTime(timezone=True)),
    Index("ix_articles_story_id", "story_id"),
    Index("ix_articles_published_at", "published_at"),
    Index("ix_articles_grouped_at", "grouped_at"),
)

story_redirects = Table(
    "story_redirects",
    metadata,
    Column("old_id", String(32), primary_key=True),
    Column("new_id", String(32), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

story_events = Table(
    "story_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_story_events_story_id", "story_id"),
)

analyses = Table(
    "analyses",
    metadata,
    Column("story_id", String(32), ForeignKey("stories.id"), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

quick_reads = Table(
    "quick_reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(32), ForeignKey("stories.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("method", String(100), nullable=False),
    Column("status", String(16), nullable=False),
    Column("bullets", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reviewed_by", String(100)),
    Column("reviewed_at", DateTime(timezone=True)),
    UniqueConstraint("story_id", "version", name="uq_quick_reads_story_version"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Signed-in sessions, so sign-out, account removal and password changes end them server-side
# (a signed cookie alone stays valid until it expires). Keyed by a hash of the cookie's session
# id: a copy of this table does not let anyone impersonate a session.
sessions = Table(
    "sessions",
    metadata,
    Column("sid_hash", String(64), primary_key=True),
    Column("username", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_sessions_username", "username"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("story_id", String(32)),
    Column("quick_read_version", Integer),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_story_id", "story_id"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(32), nullable=False),
    Column("quick_read_version", Integer, nullable=False),
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text),
    Column("voter_key", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("story_id", "quick_read_version", "voter_key", name="uq_feedback_vote"),
    Index("ix_feedback_story_id", "story_id"),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("outlet", String(200)),
    Column("language", String(16)),
    Column("poll_interval_seconds", Integer, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", DateTime(timezone=True)),
    Column("next_poll_at", DateTime(timezone=True)),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

seen_entries = Table(
    "seen_entries",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id"), primary_key=True),
    Column("entry_key", String(2048), primary_key=True),
    Column("article_id", String(32)),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

backfill_units = Table(
    # one row per finished unit of a backfill (a WARC file's run of records, a JSONL byte range,
    # a batch of files), written in the same transaction as the unit's last articles: a re-run
    # skips these and redoes the rest, where the duplicate check makes redone articles harmless
    "backfill_units",
    metadata,
    Column("key", String(1024), primary_key=True),
    Column("articles", Integer, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("done_at", DateTime(timezone=True), nullable=False),
)


def _fts(column: str) -> TextClause:
    """The expression ``Repository.search_clause`` matches, so PostgreSQL's planner uses the index."""
    return text(f"to_tsvector('simple'::regconfig, {column})")


# full-text search at volume (PostgreSQL only; SQLite searches with LIKE, see search_clause)
Index("ix_stories_headline_fts", _fts("headline"), postgresql_using="gin", _table=stories).ddl_if(
    dialect="postgresql"
)
Index("ix_articles_title_fts", _fts("title"), postgresql_using="gin", _table=articles).ddl_if(
    dialect="postgresql"
)
