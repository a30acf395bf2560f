"""One learned decision: does this article report the same event as that story?

Why a learned model rather than one tuned threshold: each similarity alone is weak evidence
(topic words are shared by look-alike events; a date gap means little for a developing story
and nothing when a page is undated), but together they decide well, and how much each counts
is measured on labelled pairs rather than guessed (Miranda et al. 2018 found the same for
streaming news: a learned join decision beat a tuned threshold by 11 points of pairwise F1).

The model is a logistic regression over the features below, trained by
``benchmarks/stories_train.py`` on pairs from the tune halves of the public corpora
(cross-validated by event) and shipped as ``pair_model.json``: feature names, a mean and scale
per feature, and the weights. No text from any corpus is in it.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

_DAY = 86400.0

FEATURES = (
    "cos_centroid",  # article vs the story's TF-IDF centroid (title, body, entities)
    "cos_max",  # article vs its closest member
    "title_max",  # title vs the closest member title
    "entities",  # cosine over named-entity features only
    "numbers_shared",  # share of the article's event numbers the story also mentions
    "numbers_both",  # both sides mention event numbers (so a zero share is a conflict)
    "years_conflict",  # both mention years, none shared: a look-alike event of another year
    "years_shared",
    "days_shared",  # full dates mentioned by both
    "timed",  # both sides have a time (published, or from the page's address or dateline)
    "gap_log",  # log(1 + days between the article and the story's nearest member), if timed
    "gap_far",  # gap beyond two days (developing story or another event)
    "text_time",  # a side's time came from its text, not its metadata
    "cos_x_gap",  # content match x gap: far in time is fine when the content is close
    "cos_untimed",  # content match when time cannot help: demands a stronger match
    "best",  # the closest candidate by cosine (most articles join their closest story)
    "cos_decayed",  # the 0.1 score: cosine x exp(-(gap - 0.5 day) / 0.25 day), cosine when untimed
    "margin",  # cosine minus the best other candidate's: a look-alike close behind is a warning
)


# one tree node: (feature index, threshold, left child, right child, leaf value); a leaf has
# feature index -1. Values go left when ``x[feature] <= threshold`` (scikit-learn's rule).
Node = tuple[int, float, int, int, float]


@dataclass(frozen=True)
class PairModel:
    """p = sigmoid(bias + w . (x - mean) / scale + sum of tree leaves).

    Either part may be empty: the shipped model is gradient-boosted trees (scikit-learn's
    ``HistGradientBoostingClassifier``, exported node by node), which beat a logistic
    regression on cross-validated pair F1 (0.945 vs 0.883) because the features interact
    (a long gap is fine when the content is close; an untimed pair needs more content).
    """

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    trees: tuple[tuple[Node, ...], ...] = ()

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias
        if any(self.weights):
            for value, mean, scale, weight in zip(x, self.mean, self.scale, self.weights, strict=True):
                z += weight * (value - mean) / scale
        for tree in self.trees:  # inlined ``_leaf``: this loop is most of the graph grouper's time
            node = tree[0]
            while node[0] >= 0:
                node = tree[node[2] if x[node[0]] <= node[1] else node[3]]
            z += node[4]
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self, features: Sequence[str] = FEATURES) -> dict[str, object]:
        return {
            "features": list(features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "bias": self.bias,
            "trees": [[list(node) for node in tree] for tree in self.trees],
        }


@cache
def bundled_model() -> PairModel:
    """The shipped weights (read once per process; a mismatch with FEATURES is a packaging bug)."""
    return _bundled("pair_model.json", FEATURES)


@cache
def bundled_edge_model() -> PairModel:
    """The article-pair model of the graph grouper (``edges.EDGE_FEATURES``)."""
    from newsprism.stories.edges import EDGE_FEATURES

    return _bundled("edge_model.json", EDGE_FEATURES)


def _bundled(name: str, features: Sequence[str]) -> PairModel:
    text = resources.files("newsprism.stories").joinpath(name).read_text(encoding="utf-8")
    return model_from_json(json.loads(text), features)


def model_from_json(data: Mapping[str, object], features: Sequence[str] = FEATURES) -> PairModel:
    names = data.get("features")
    if names != list(features):
        raise ValueError(f"pair model features {names} do not match {list(features)}")
    return PairModel(
        mean=tuple(float(v) for v in _floats(data["mean"])),
        scale=tuple(float(v) for v in _floats(data["scale"])),
        weights=tuple(float(v) for v in _floats(data["weights"])),
        bias=float(str(data["bias"])),
        trees=tuple(_tree(t) for t in _list(data.get("trees", []))),
    )


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError("pair model: expected a list")
    return value


def _tree(value: object) -> tuple[Node, ...]:
    nodes = []
    for raw in _list(value):
        f, threshold, left, right, leaf = _list(raw)
        nodes.append((int(str(f)), float(str(threshold)), int(str(left)), int(str(right)), float(str(leaf))))
    return tuple(nodes)


def _floats(value: object) -> list[float]:
    if not isinstance(value, list):
        raise ValueError("pair model: expected a list of numbers")
    return [float(v) for v in value]


@dataclass(frozen=True)
class PairInputs:
    """The raw measurements of one (article, story) pair, turned into ``FEATURES`` by ``vector``."""

    cos_centroid: float
    cos_max: float
    title_max: float
    entities: float
    numbers_shared: float
    numbers_both: bool
    years_conflict: bool
    years_shared: bool
    days_shared: int
    gap_days: float | None
    text_time: bool
    size: int
    best: bool = False
    margin: float = 0.0

    def vector(self) -> list[float]:
        timed = self.gap_days is not None
        gap = self.gap_days or 0.0
        gap_log = math.log1p(gap)
        content = max(self.cos_centroid, self.cos_max)
        return [
            self.cos_centroid,
            self.cos_max,
            self.title_max,
            self.entities,
            self.numbers_shared,
            float(self.numbers_both),
            float(self.years_conflict),
            float(self.years_shared),
            math.log1p(self.days_shared),
            float(timed),
            gap_log,
            float(gap > 2.0),
            float(self.text_time),
            content * gap_log,
            0.0 if timed else content,
            float(self.best),
            self.cos_centroid * math.exp(-max(0.0, gap - 0.5) / 0.25),
            self.margin,
        ]


def gap_to_members(stamp: float | None, stamps: Sequence[float]) -> float | None:
    """Days from ``stamp`` to the nearest timed member (``stamps`` sorted); None when untimed.

    Nearest member, not the story's start: coverage of a developing story keeps arriving, and
    what matters is whether this article continues it.
    """
    if stamp is None or not stamps:
        return None
    at = bisect.bisect_left(stamps, stamp)
    near = [abs(stamps[i] - stamp) for i in (at - 1, at) if 0 <= i < len(stamps)]
    return min(near) / _DAY
