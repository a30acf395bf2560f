"""Test data builders shared by the store and web tests (one place for how a test Article is made).

The id and content hash come from the text exactly as extraction computes them, so tests that
ingest the same words twice exercise the store's real duplicate check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsprism.model import Article, article_id_for, content_hash


def article_from_paragraphs(
    body: list[str],
    *,
    title: str,
    outlet: str,
    when: datetime | None,
    url: str | None = None,
    source: str | None = None,
    **fields: Any,
) -> Article:
    """An Article as the extractor hands it over; ``fields`` sets any other Article field."""
    digest = content_hash("\n\n".join(body))
    return Article(
        id=article_id_for(digest),
        source=source or url or f"{outlet}.txt",
        title=title,
        body=body,
        content_hash=digest,
        url=url,
        canonical_url=url,
        outlet=outlet,
        published_at=when,
        word_count=sum(len(p.split()) for p in body),
        **fields,
    )
