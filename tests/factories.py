"""Test data builders shared by the test folders (one place for how a test Article is made, and
one for where the shared seed and evaluation data live).

The id and content hash come from the text exactly as extraction computes them, so tests that
ingest the same words twice exercise the store's real duplicate check.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from newsprism.model import Article, article_id_for, content_hash

# The user's seed pages and the public evaluation data sit beside the checkout, never in it.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


def require_shared(path: Path) -> Path:
    """Shared data is optional on a laptop but mandatory in CI, where its absence must fail."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing (required under CI=true)")
        pytest.skip(f"{path} not present")
    return path


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
