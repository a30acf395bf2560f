"""What the story page shows, assembled from the stored story, articles and analysis.

Kept apart from the routes so it is plain data in, plain data out (and easy to test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup

from newsprism.model import Analysis, Article, Bullet, Discrepancy, Fact, FramingTerm, QuickRead, Story
from newsprism.newsroom.review import status_label
from newsprism.web.cache import TTLCache
from newsprism.web.filters import badge
from newsprism.web.matrix import coverage_matrix as matrix_view
from newsprism.web.matrix import render_matrix
from newsprism.web.svg import coverage_matrix

MAX_FACTS = 40  # columns in the coverage matrix


@dataclass
class Source:
    outlet: str
    article: Article | None
    sentence: str


@dataclass(frozen=True)
class DisagreeView:
    """An outlet that disagrees with a bullet, and what it says instead (its figures, when known)."""

    outlet: str
    says: str = ""


@dataclass
class BulletView:
    index: int
    bullet: Bullet
    sources: list[Source]
    disagreeing: list[DisagreeView] = field(default_factory=list)  # outlets that state it differently
    new: bool = False  # added or reworded since the version the reader last saw


@dataclass(frozen=True)
class NearMiss:
    """For an exclusive fact: another outlet's closest sentence (why the fact is not shared)."""

    outlet: str
    sentence: str
    score: float | None


@dataclass
class ExclusiveView:
    fact: Fact
    misses: list[NearMiss]


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
    exclusive_views: list[ExclusiveView] = field(default_factory=list)
    matrix_html: Markup | None = None  # the coverage matrix section (web.matrix)
    quotes: list[QuoteView] = field(default_factory=list)
    discrepancies: list[DiscrepancyView] = field(default_factory=list)
    framing: list[tuple[str, list[FramingTerm]]] = field(default_factory=list)
    read_time: int = 0
    outlet_names: OutletNames = field(default_factory=OutletNames)
    new_article_ids: set[str] = field(default_factory=set)  # stored since the reader's last version

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
            disagreeing_outlets(b, outlet_of),
        )
        for i, b in enumerate(qr.bullets)
    ]
    view.shared = [f for f in analysis.facts if f.kind == "consensus"]
    view.exclusive = [f for f in analysis.facts if f.kind != "consensus"]
    view.exclusive_views = [ExclusiveView(f, nearest_misses(f, outlet_of)) for f in view.exclusive]
    if analysis.facts:
        view.matrix_html = coverage_table(analysis.facts, outlets, outlet_of)
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
    return view


# ---- keys the comparison may supply ------------------------------------------------------------
# The comparison stage adds, for each exclusive fact, its nearest miss in every other outlet and,
# for each bullet, the outlets that disagree with it. The page shows them when the stored
# analysis carries them and shows nothing otherwise, whichever of a few plain shapes they take
# (objects or dicts; ``outlet`` or ``article_id``; ``sentence`` or ``text``).
def _field(item: object, *names: str) -> object:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return None


def nearest_misses(fact: Fact, outlet_of: dict[str, str]) -> list[NearMiss]:
    """The fact's nearest misses as (outlet, sentence, score), best first; [] when absent."""
    raw = _field(fact, "nearest_misses", "near_misses")
    if isinstance(raw, dict):  # {outlet: miss}
        raw = [
            {"outlet": k, **v} if isinstance(v, dict) else {"outlet": k, "sentence": v}
            for k, v in raw.items()
        ]
    out: list[NearMiss] = []
    for item in raw if isinstance(raw, list) else []:
        sentence = _field(item, "sentence", "text")
        if sentence is not None and not isinstance(sentence, str):  # a sentence reference
            sentence = _field(sentence, "text")
        article = _field(item, "article_id")
        outlet = _field(item, "outlet") or outlet_of.get(str(article))
        score = _field(item, "score", "similarity")
        if isinstance(sentence, str) and sentence:
            out.append(NearMiss(str(outlet or "unknown outlet"), sentence, _number(score)))
    return out


def disagreeing_outlets(bullet: Bullet, outlet_of: dict[str, str]) -> list[DisagreeView]:
    """Outlets recorded as disagreeing with a bullet, each once, with what it says when recorded.

    Items may be outlet names, or records with ``outlet`` (or ``article_id``) and ``says`` (the
    outlet's own figures) or ``reason``.
    """
    raw = _field(bullet, "disagreeing", "disagreeing_outlets", "disagreements")
    out: dict[str, DisagreeView] = {}
    for item in raw if isinstance(raw, list) else []:
        name = item if isinstance(item, str) else _field(item, "outlet")
        if name is None:
            article = _field(item, "article_id")
            name = outlet_of.get(str(article)) if article is not None else None
        if not isinstance(name, str):
            continue
        name = outlet_of.get(name, name)
        says = None if isinstance(item, str) else _field(item, "says")
        text = ", ".join(str(x) for x in says) if isinstance(says, list) else ""
        if not text and not isinstance(item, str):
            reason = _field(item, "reason")
            text = f"differs ({reason})" if isinstance(reason, str) and reason != "content" else ""
        if name not in out or (text and not out[name].says):
            out[name] = DisagreeView(name, text)
    return list(out.values())


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


_TABLES = TTLCache(math.inf, max_entries=4096)


def coverage_table(facts: list[Fact], outlets: list[str], outlet_of: dict[str, str]) -> Markup:
    """The coverage matrix markup, built once per distinct content (like the SVG below).

    The key holds everything the table shows: the outlets, and per shown fact its id, kind,
    outlets, first sentence and the outlets and values of its disagreements.
    """
    shape = (
        tuple(outlets),
        tuple(
            (
                f.id,
                f.kind,
                tuple(f.outlets),
                f.sentences[0].text if f.sentences else "",
                tuple((outlet_of.get(a, ""), v) for d in f.discrepancies for a, v in d.values),
            )
            for f in facts[:MAX_FACTS]
        ),
        len(facts),
    )
    return _TABLES.get_or_compute(
        shape, lambda: render_matrix(matrix_view(facts, outlets, outlet_of, max_facts=MAX_FACTS), badge)
    )


_SVGS = TTLCache(math.inf, max_entries=4096)


def coverage_svg(facts: list[Fact], outlets: list[str]) -> str:
    """The coverage matrix, drawn once per distinct shape rather than once per page view.

    The SVG depends only on the outlets and on each shown fact's kind and outlets, so that is
    the key: a new analysis that changes any of them gets a new drawing, nothing else does.
    """
    shape = (tuple(outlets), tuple((f.kind, tuple(f.outlets)) for f in facts[:MAX_FACTS]))
    return _SVGS.get_or_compute(shape, lambda: coverage_matrix(facts, outlets, max_facts=MAX_FACTS))
