"""Builders for literal articles used by the stories tests (no extractor needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsprism.model import Article, article_id_for, content_hash


def make_article(
    title: str,
    body: str | list[str],
    *,
    outlet: str | None = None,
    when: datetime | None = None,
) -> Article:
    paragraphs = [body] if isinstance(body, str) else body
    digest = content_hash(f"{outlet}\n{title}\n" + "\n".join(paragraphs))
    return Article(
        id=article_id_for(digest),
        source=f"test:{outlet}",
        title=title,
        body=paragraphs,
        content_hash=digest,
        outlet=outlet,
        published_at=when,
    )


def day(d: int, hour: int = 12) -> datetime:
    return datetime(2025, 9, d, hour, tzinfo=UTC)


def seed_article(path: Path, when: datetime | None = None) -> Article:
    """A seed page as an Article without the extractor: first line is the title, long lines
    (more than 25 words) are the body. Crude, but enough text for grouping."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line.strip() for line in lines if len(line.split()) > 25]
    return make_article(lines[0].strip(), body, outlet=path.stem, when=when)
