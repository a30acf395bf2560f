"""What the story page shows, assembled from the stored story, articles and analysis.

Kept apart from the routes so it is plain data in, plain data out (and easy to test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from newsprism.model import Analysis, Article, Bullet, Discrepancy, Fact, FramingTerm, QuickRead, Story
from newsprism.newsroom.review import status_label
from newsprism.web.cache import TTLCache
from newsprism.web.svg import coverage_matrix

MAX_FACTS = 40  # columns in the coverage matrix


@dataclass
class Source:
    outlet: str
    article: Article | None
    sentence: str


@dataclass
class BulletView:
    index: int
    bullet: Bullet
    sources: list[Source]


@dataclass
class QuoteView:
    speaker: str | None
    variants: list[tuple[str, str]]  # (outlet, wording)


@dataclass
class DiscrepancyView:
    discrepancy: Discrepancy
    values: list[tuple[str, str]]  # (outlet, value as written)


class OutletNames(dict[str, str]):
    """Article id -> outlet name, "unknown outlet" for ids not in the story (a template lookup
    by subscript, cheaper than a method call per sentence)."""

    def __missing__(self, article_id: str) -> str:
        return "unknown outlet"


@dataclass
class StoryView:
    story: Story
    articles: list[Article]
    outlets: list[str]
    analysis: Analysis | None
    quick_read: QuickRead | None
    label: str
    bullets: list[BulletView] = field(default_factory=list)
    shared: list[Fact] = field(default_factory=list)
    exclusive: list[Fact] = field(default_factory=list)
    quotes: list[QuoteView] = field(default_factory=list)
    discrepancies: list[DiscrepancyView] = field(default_factory=list)
    framing: list[tuple[str, list[FramingTerm]]] = field(default_factory=list)
    coverage_svg: str = ""
    read_time: int = 0
    outlet_names: OutletNames = field(default_factory=OutletNames)

    def outlet_of(self, article_id: str) -> str:
        return self.outlet_names[article_id]


def build_story_view(story: Story, articles: list[Article], analysis: Analysis | None) -> StoryView:
    """Everything the story page needs, grouped by outlet (never by internal ids)."""
    by_id = {a.id: a for a in articles}
    outlet_of = {a.id: a.outlet or "unknown outlet" for a in articles}
    outlets = list(dict.fromkeys([*story.outlets, *outlet_of.values()]))
    qr = analysis.quick_read if analysis else None
    view = StoryView(
        story=story,
        articles=articles,
        outlets=outlets,
        analysis=analysis,
        quick_read=qr,
        label=status_label(qr.status) if qr else "",
        read_time=max((a.read_time_minutes for a in articles), default=0),
        # the first article with an id wins, as a scan of ``articles`` would find it
        outlet_names=OutletNames((a.id, a.outlet or "unknown outlet") for a in reversed(articles)),
    )
    if analysis is None or qr is None:
        return view
    view.bullets = [
        BulletView(
            i,
            b,
            [
                Source(outlet_of.get(c.article_id, "unknown outlet"), by_id.get(c.article_id), c.sentence)
                for c in b.citations
            ],
        )
        for i, b in enumerate(qr.bullets)
    ]
    view.shared = [f for f in analysis.facts if f.kind == "consensus"]
    view.exclusive = [f for f in analysis.facts if f.kind != "consensus"]
    view.quotes = [
        QuoteView(q.speaker, [(outlet_of.get(v.article_id, "unknown outlet"), v.text) for v in q.variants])
        for q in analysis.quotes
        if len(q.variants) > 1
    ]
    view.discrepancies = [
        DiscrepancyView(d, [(outlet_of.get(a, "unknown outlet"), v) for a, v in d.values])
        for d in analysis.discrepancies
    ]
    view.framing = [(o, terms[:10]) for o, terms in analysis.framing.items() if terms]
    view.coverage_svg = coverage_svg(analysis.facts, outlets) if analysis.facts else ""
    return view


_SVGS = TTLCache(math.inf, max_entries=4096)


def coverage_svg(facts: list[Fact], outlets: list[str]) -> str:
    """The coverage matrix, drawn once per distinct shape rather than once per page view.

    The SVG depends only on the outlets and on each shown fact's kind and outlets, so that is
    the key: a new analysis that changes any of them gets a new drawing, nothing else does.
    """
    shape = (tuple(outlets), tuple((f.kind, tuple(f.outlets)) for f in facts[:MAX_FACTS]))
    return _SVGS.get_or_compute(shape, lambda: coverage_matrix(facts, outlets, max_facts=MAX_FACTS))
