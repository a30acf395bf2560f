"""What changed in a story since a version: for readers (the story page) and editors (review).

A reader's "last read" lives in a small cookie of ``story.version`` pairs, so it needs no
account and no JavaScript: the story page reads it, marks what is newer, and stores the version
just shown. The cookie holds nothing but public ids and numbers, parsed strictly (anything
malformed is dropped), and keeps the most recent ``MAX_STORIES`` stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from newsprism.model import QuickRead
from newsprism.newsroom.versions import VersionDiff, diff_bullets
from newsprism.store.newsroom import NewArticle, VersionRecord

READ_COOKIE = "np_read"
MAX_STORIES = 40
COOKIE_AGE = 365 * 24 * 3600
_PAIR = re.compile(r"^([A-Za-z0-9_-]{1,40})\.(\d{1,6})$")


def parse_read(value: str | None) -> dict[str, int]:
    """The cookie as {story id: version}; malformed entries are ignored, order kept (oldest first)."""
    out: dict[str, int] = {}
    for part in (value or "").split("~")[-MAX_STORIES:]:
        match = _PAIR.match(part)
        if match:
            out.pop(match.group(1), None)
            out[match.group(1)] = int(match.group(2))
    return out


def remember_read(read: dict[str, int], story_id: str, version: int) -> str:
    """The cookie value after reading ``version`` of a story (it moves to the most recent end)."""
    updated = {k: v for k, v in read.items() if k != story_id}
    if _PAIR.match(f"{story_id}.{version}"):
        updated[story_id] = version
    pairs = [f"{k}.{v}" for k, v in updated.items()][-MAX_STORIES:]
    return "~".join(pairs)


@dataclass
class Changes:
    """What is new since ``since``: the Quick Read diff and the articles stored after it."""

    since: int
    current: int
    diff: VersionDiff
    new_articles: list[NewArticle] = field(default_factory=list)
    since_at: datetime | None = None

    @property
    def new_article_ids(self) -> set[str]:
        return {a.id for a in self.new_articles}

    @property
    def anything(self) -> bool:
        return self.diff.changed or bool(self.new_articles)


def changes_since(
    versions: list[VersionRecord],
    articles: list[NewArticle],
    since: int,
    current: QuickRead,
    until: datetime | None = None,
) -> Changes | None:
    """The changes from version ``since`` to ``current``; None when ``since`` is not an older version.

    New articles are those stored after version ``since`` was made (and, with ``until``, no later
    than that: the articles that led to an older target version).
    """
    base = next((v for v in versions if v.quick_read.version == since), None)
    if base is None or since >= current.version:
        return None
    stamp = base.created_at
    fresh = [
        a
        for a in articles
        if stamp is not None
        and a.ingested_at is not None
        and a.ingested_at > stamp
        and (until is None or a.ingested_at <= until)
    ]
    diff = diff_bullets(base.quick_read.bullets, current.bullets, since, current.version)
    return Changes(since, current.version, diff, fresh, stamp)


def last_public(versions: list[VersionRecord]) -> VersionRecord | None:
    """The newest version an editor approved (what a reader saw before a story went back to review)."""
    return next((v for v in reversed(versions) if v.quick_read.status in {"reviewed", "published"}), None)
