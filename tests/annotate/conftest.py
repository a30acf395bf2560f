"""Fixtures for annotation tests: literal articles with a known publication date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from newsprism.model import Article, article_id_for, content_hash


@pytest.fixture()
def article() -> Callable[..., Article]:
    def build(body: list[str], published: datetime | None = datetime(2025, 9, 12)) -> Article:
        digest = content_hash("\n\n".join(body))
        return Article(
            id=article_id_for(digest),
            source="t",
            title="T",
            body=body,
            content_hash=digest,
            outlet="O",
            published_at=published,
        )

    return build
