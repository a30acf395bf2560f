"""Helpers for analysis tests: literal stories and the two seed pages.

The seed Articles are built from the gold ``body_lines`` (+ title) ONLY: that is the clean
article the extractor must produce, so these tests judge analysis alone. Seed tests skip when
``../shared/seeds`` is absent, except under CI=true, where absence fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from factories import SHARED_DIR, require_shared

from newsprism.analysis import analyse_story
from newsprism.annotate import annotate
from newsprism.model import (
    Analysis,
    AnnotatedArticle,
    Article,
    Story,
    article_id_for,
    content_hash,
)

SEEDS = SHARED_DIR / "seeds"


def make_article(
    source: str, body: list[str], outlet: str, title: str = "", published: datetime | None = None
) -> Article:
    digest = content_hash("\n\n".join(body) + source)
    return Article(
        id=article_id_for(digest),
        source=source,
        title=title or body[0][:60],
        body=body,
        content_hash=digest,
        outlet=outlet,
        published_at=published,
    )


def make_story(
    articles: list[Article], groups: list[list[str]] | None = None
) -> tuple[Story, list[AnnotatedArticle]]:
    annotated = [annotate(a) for a in articles]
    story = Story(
        "s-test",
        articles[0].title,
        [a.id for a in articles],
        outlets=[a.outlet or "" for a in articles],
        syndication_groups=groups or [],
    )
    return story, annotated


@dataclass
class SeedStory:
    gold: dict[str, Any]
    articles: dict[str, Article]  # "000" / "001" -> Article
    annotated: list[AnnotatedArticle]
    story: Story
    analysis: Analysis

    def line_of(self, article_id: str, sentence_index: int) -> int:
        """Seed file line number of a sentence (via its paragraph)."""
        for key, art in self.articles.items():
            if art.id == article_id:
                annotated = next(a for a in self.annotated if a.article.id == article_id)
                paragraph = annotated.sentences[sentence_index].paragraph
                name = next(n for n in self.gold["articles"] if n.startswith(key))
                return int(self.gold["articles"][name]["body_lines"][paragraph])
        raise KeyError(article_id)

    def page_of(self, article_id: str) -> str:
        return next(k for k, a in self.articles.items() if a.id == article_id)


def load_seed_story() -> SeedStory:
    gold = json.loads(require_shared(SEEDS / "gold.json").read_text("utf-8"))
    event = datetime.fromisoformat(gold["story"]["event_date"])
    articles: dict[str, Article] = {}
    for name, meta in sorted(gold["articles"].items()):
        lines = (SEEDS / name).read_text("utf-8").splitlines()
        body = [lines[i - 1].strip() for i in meta["body_lines"]]
        articles[name[:3]] = make_article(name, body, meta["outlet"], meta["title"], event)
    story, annotated = make_story(list(articles.values()))
    return SeedStory(gold, articles, annotated, story, analyse_story(story, annotated))


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "records.jsonl"


def load_example_story() -> tuple[Story, list[AnnotatedArticle]]:
    """The sample records (one invented story, already clean text) as one story."""
    if not EXAMPLES.exists():
        pytest.skip("examples/records.jsonl not available")
    articles = []
    for line in EXAMPLES.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        body = [p.strip() for p in record["text"].split("\n\n") if p.strip()]
        published = datetime.fromisoformat(record["published_at"]).replace(tzinfo=None)
        articles.append(make_article(record["url"], body, record["outlet"], record["title"], published))
    return make_story(articles)
