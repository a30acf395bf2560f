"""Sparse TF-IDF vectors over words and light named entities, with an IDF learned online.

Why online: the grouper sees one article at a time and must keep its per-article cost flat,
so document frequencies are counted as articles arrive instead of refitting a vectoriser.
Vectors are plain ``dict[str, float]`` (L2-normalised, truncated to the strongest features):
cheap to build, cheap to dot with a story centroid, and deterministic (no Python ``hash``).

Entities are capitalised token runs in the body (multilingual-safe: ``str.isupper`` on the
first letter works for any cased script; uncased scripts simply contribute words only).
"""

from __future__ import annotations

import heapq
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newsprism.model import Article

Vector = dict[str, float]

ENTITY_PREFIX = "@"
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN_OR_BREAK = re.compile(r"\w+|[.!?;:\"“”«»()\[\]\n—]|--", re.UNICODE)

# English default; other languages plug in their own list through GroupingSettings.stopwords.
_STOPWORDS_EN_TEXT = """a about above after again against all also am an and any are as at be
    because been before
    being below between both but by can could did do does doing down during each even ever every
    few for from further had has have having he her here hers herself him himself his how however
    i if in into is it its itself just last like made make many may me might more most much must
    my myself new no nor not now of off on once one only or other our ours ourselves out over own
    per said same say says she should since so some still such than that the their theirs them
    themselves then there these they this those through to too two under until up upon us very
    via was we were what when where which while who whom whose why will with within without would
    year years yet you your yours yourself told according including week day monday tuesday
    wednesday thursday friday saturday sunday mr mrs ms dr get got going go first time people"""
STOPWORDS_EN: frozenset[str] = frozenset(_STOPWORDS_EN_TEXT.split())


def words(text: str, stopwords: frozenset[str]) -> list[str]:
    """Casefolded content words: ``\\w+`` tokens minus stopwords, short tokens and bare numbers."""
    return [
        t
        for t in _WORD.findall(text.casefold())
        if len(t) > 1 and t not in stopwords and not (len(t) < 4 and t.isdigit())
    ]


def entities(text: str, stopwords: frozenset[str]) -> list[tuple[str, str]]:
    """Capitalised token runs as ``(key, surface)``; a lone capital at sentence start is skipped.

    Sentence-initial words are capitalised for grammar, not because they name something, so
    a single capitalised token only counts when it is not the first word of its sentence.
    One regex pass: punctuation tokens end runs and mark the next word as sentence-initial.
    """
    found: list[tuple[str, str]] = []
    run: list[str] = []
    run_starts_sentence = False
    at_start = True
    for token in _TOKEN_OR_BREAK.findall(text):
        if token[0].isupper() and token.casefold() not in stopwords:
            if not run:
                run_starts_sentence = at_start
            run.append(token)
        else:
            _flush(run, run_starts_sentence, found)
            run = []
        at_start = not token[0].isalnum() and token[0] != "_"
    _flush(run, run_starts_sentence, found)
    return found


def _flush(run: list[str], starts_sentence: bool, found: list[tuple[str, str]]) -> None:
    if not run or (len(run) == 1 and starts_sentence):
        return
    surface = " ".join(run[:4])
    found.append((sys.intern(ENTITY_PREFIX + surface.casefold()), surface))


@dataclass(frozen=True)
class Features:
    """An article's weighted vector plus the pieces the story summary needs later."""

    vector: Vector
    title_vector: Vector
    entity_surfaces: dict[str, str]


class OnlineTfidf:
    """TF-IDF whose document frequencies grow with the stream (smoothed like scikit-learn's)."""

    def __init__(
        self,
        *,
        stopwords: frozenset[str],
        title_weight: float,
        entity_weight: float,
        max_features: int,
        prior_docs: int = 0,
    ) -> None:
        self.stopwords = stopwords
        self.title_weight = title_weight
        self.entity_weight = entity_weight
        self.max_features = max_features
        self.prior_docs = prior_docs
        self.df: dict[str, int] = {}
        self.n_docs = 0

    def idf(self, term: str) -> float:
        """Smoothed IDF; ``prior_docs`` imaginary documents without the term calm a cold start.

        With two articles every shared word would otherwise look common and be discounted,
        exactly the words that show the two belong together.
        """
        return math.log((1 + self.n_docs + self.prior_docs) / (1 + self.df.get(term, 0))) + 1.0

    frozen = False

    def fix(self, articles: Iterable[Article]) -> None:
        """Count these articles into the IDF and stop learning from the stream.

        Why: an IDF learned in arrival order is the one part of the graph grouper whose result
        depends on the order articles came in; with a fixed IDF the grouping of a set is the
        same for any order or batching.
        """
        for article in articles:
            self._count(self._counts(article)[0])
        self.frozen = True

    def _count(self, counts: Mapping[str, float]) -> None:
        self.n_docs += 1
        for term in counts:
            self.df[term] = self.df.get(term, 0) + 1

    def learn(self, article: Article) -> Features:
        """Count the article into the IDF (unless fixed), then vectorise it."""
        counts, title_counts, surfaces = self._counts(article)
        if not self.frozen:
            self._count(counts)
        vector = _top(normalise(self._weigh(counts)), self.max_features)
        title_vector = normalise(self._weigh(title_counts))
        return Features(vector, title_vector, surfaces)

    def _counts(self, article: Article) -> tuple[dict[str, float], dict[str, float], dict[str, str]]:
        body = "\n".join([article.standfirst or "", *article.body])
        title_words = words(article.title, self.stopwords)
        counts: dict[str, float] = dict(Counter(words(body, self.stopwords)))
        title_counts: dict[str, float] = dict(Counter(title_words))
        for token, count in title_counts.items():
            counts[token] = counts.get(token, 0.0) + self.title_weight * count
        surfaces: dict[str, str] = {}
        for key, surface in entities(body, self.stopwords):
            counts[key] = counts.get(key, 0.0) + self.entity_weight
            surfaces.setdefault(key, surface)
        return counts, title_counts, surfaces

    def _weigh(self, counts: Mapping[str, float]) -> Vector:
        total = math.log(1 + self.n_docs + self.prior_docs) + 1.0
        df, log = self.df.get, math.log
        return {
            sys.intern(t): (1.0 + log(c) if c >= 1.0 else c) * (total - log(1 + df(t, 0)))
            for t, c in counts.items()
        }


def normalise(vector: Mapping[str, float]) -> Vector:
    norm = math.hypot(*vector.values())
    if norm == 0.0:
        return {}
    return {t: w / norm for t, w in vector.items()}


def _top(vector: Vector, limit: int) -> Vector:
    """Keep the strongest features (ties: first inserted, which is deterministic)."""
    if len(vector) <= limit:
        return vector
    return dict(heapq.nlargest(limit, vector.items(), key=_weight))


def _weight(item: tuple[str, float]) -> float:
    return item[1]


def top_terms(vector: Mapping[str, float], limit: int) -> list[str]:
    return [t for t, _ in heapq.nlargest(limit, vector.items(), key=_weight)]


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Sparse dot product over the shared terms (a C-level key intersection, then ``fsum``).

    ``fsum`` is exactly rounded, so the result does not depend on the set's iteration order,
    which changes with PYTHONHASHSEED: scores, and so tie-breaks, are the same every run.
    """
    return math.fsum([a[t] * b[t] for t in a.keys() & b.keys()])


def add_into(target: Vector, source: Mapping[str, float], limit: int) -> Vector:
    """Sum ``source`` into a centroid; prune back to ``limit`` features once it passes 1.5x.

    Pruning lazily (amortised) keeps memory bounded without a sort on every join.
    """
    for term, weight in source.items():
        target[term] = target.get(term, 0.0) + weight
    return _top(target, limit) if len(target) > limit * 3 // 2 else target


def norm_of(vector: Iterable[float]) -> float:
    return math.hypot(*vector)
