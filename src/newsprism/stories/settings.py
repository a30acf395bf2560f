"""Grouping settings. Defaults were tuned on the even-id half of the AllSides roundups.

``python benchmarks/stories.py --tune`` re-runs the grid search on that half and prints the
best settings; the odd-id half is never looked at while tuning (see benchmarks/stories.py).

Caveat on ``decay_days``: every AllSides event is dated to one day, so the tuning favours a
short decay after the half-day grace (yesterday's story needs a ~7x stronger match). A story's span grows
with each article, so continuing coverage still chains day to day; revisit with a labelled
multi-day stream if one becomes available.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsprism.stories.vectors import STOPWORDS_EN


@dataclass(frozen=True)
class GroupingSettings:
    # a story must score at least this (cosine x time decay) to take an article
    threshold: float = 0.10
    # time decay exp(-(gap - grace)/tau) between the article and the story's span; nothing past
    # window. The grace covers one news cycle: the tuning data is dated by day, so it says
    # nothing about hours, and hours apart on one day must not count against a match.
    grace_days: float = 0.5
    decay_days: float = 0.25
    window_days: float = 3.0
    # feature weights: title words count this many times a body word, entities as extra features
    title_weight: float = 4.0
    entity_weight: float = 1.0
    idf_prior_docs: int = 0
    max_article_features: int = 150
    max_centroid_features: int = 120
    # candidate retrieval: the article's terms are looked up in a day-bucketed index where each
    # story is posted under its strongest terms (so postings stay short however many stories)
    query_terms: int = 40
    index_terms: int = 20
    max_posting: int = 100
    # stories out of reach for this many extra days are retired: off the index, small centroid
    retain_days: float = 2.0
    retired_centroid_features: int = 24
    max_candidates: int = 50
    # merge: a second story also matching this well, and close to the first, is the same story
    merge_threshold: float = 0.15
    merge_story_threshold: float = 0.20
    # syndication: estimated Jaccard of word 5-gram sets; copies younger than the window only
    syndication_threshold: float = 0.5
    syndication_num_perm: int = 64
    syndication_shingle: int = 5
    syndication_min_shingles: int = 12
    syndication_window_days: float = 7.0
    key_entities: int = 8
    stopwords: frozenset[str] = field(default=STOPWORDS_EN)
