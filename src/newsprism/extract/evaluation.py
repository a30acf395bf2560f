"""Body-extraction metric of the Zyte article-extraction-benchmark, reproduced exactly.

Figures must be comparable with the published ones (trafilatura 0.958 F1 ...), so this follows
the benchmark's own definition: ``\\w+`` tokens, word 4-gram shingle multisets, per-page
tp/fp/fn normalised by their sum, precision/recall averaged over pages, F1 of the two means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


def tokens(text: str) -> list[str]:
    """Unicode word tokens, as the benchmark splits them."""
    return _TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of word n-grams (the benchmark's "shingles")."""
    toks = tokens(text)
    return Counter(tuple(toks[i : i + size]) for i in range(len(toks) - size + 1))


@dataclass(frozen=True)
class PageScore:
    """Normalised true/false positives and false negatives of one page."""

    tp: float
    fp: float
    fn: float
    exact: bool


def score_page(truth: str, prediction: str) -> PageScore:
    """Score one page: shared, extra and missed shingles divided by their sum."""
    gold, pred = shingles(truth), shingles(prediction)
    tp = sum((gold & pred).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    exact = tokens(truth) == tokens(prediction)
    if total == 0:
        return PageScore(0.0, 0.0, 0.0, exact)
    return PageScore(tp / total, fp / total, fn / total, exact)


@dataclass(frozen=True)
class Summary:
    """Benchmark figures over a set of pages."""

    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int


def _page_precision(s: PageScore) -> float | None:
    if s.fp == 0 and s.fn == 0:
        return 1.0
    if s.tp + s.fp > 0:
        return s.tp / (s.tp + s.fp)
    return None


def _page_recall(s: PageScore) -> float | None:
    if s.fp == 0 and s.fn == 0:
        return 1.0
    if s.tp + s.fn > 0:
        return s.tp / (s.tp + s.fn)
    return None


def _mean(values: Iterable[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else 0.0


def summarise(scores: Iterable[PageScore]) -> Summary:
    """Mean precision and recall over pages, then F1 of the means (the benchmark's order)."""
    items = list(scores)
    precision = _mean(_page_precision(s) for s in items)
    recall = _mean(_page_recall(s) for s in items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(s.exact for s in items) / len(items) if items else 0.0
    return Summary(f1, precision, recall, accuracy, len(items))


def evaluate(truth: Mapping[str, str], predictions: Mapping[str, str]) -> Summary:
    """Score predictions (missing ids count as empty) against ground truth."""
    return summarise(score_page(truth[k], predictions.get(k, "")) for k in sorted(truth))
