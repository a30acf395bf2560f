"""Grouping settings.

The default decision is the learned pair model (``scorer="learned"``, see ``pairs.py``): a
story takes an article when the model's probability reaches ``join_probability``. Time is one
of the model's features, not a gate: ``window_days`` only bounds which stories are looked at
(coverage of one event spreads over days, a developing story over a week or more), and stories
stay in the index ``retain_days`` longer so a crawl up to a week out of publication order still
finds them.

``GroupingSettings.legacy()`` is the 0.1 grouper (cosine x time decay with one threshold,
tuned on the even half of the AllSides roundups, where every event is dated to one day): kept
so the benchmark can run it beside the new one on the same stream.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsprism.stories.vectors import STOPWORDS_EN


@dataclass(frozen=True)
class GroupingSettings:
    # "graph": average linkage over learned article-pair probabilities (``graph.py``);
    # "learned": online assignment with the article-to-story model; "cosine": the 0.1 grouper
    scorer: str = "learned"
    # graph: two clusters join when the mean pair probability between them reaches this
    join_probability: float = 0.5
    # graph: an edge needs this cosine; each article keeps its closest ``max_neighbours``
    edge_cosine: float = 0.05
    max_neighbours: int = 20
    # graph: a new article re-clusters its component over edges of at least this probability
    link_probability: float = 0.1
    max_scope: int = 300
    # graph: what a pair that is not an edge counts in a cluster mean
    missing_probability: float = 0.0
    # candidates scored in full by the model (the rest were ranked out by cosine first)
    rerank: int = 6
    # recent member vectors a story keeps for the closest-member features
    member_vectors: int = 12
    # a story must score at least this (cosine x time decay) to take an article
    threshold: float = 0.10
    # time decay exp(-(gap - grace)/tau) between the article and the story's span; nothing past
    # window. The grace covers one news cycle: the tuning data is dated by day, so it says
    # nothing about hours, and hours apart on one day must not count against a match.
    grace_days: float = 0.5
    decay_days: float = 0.25
    window_days: float = 10.0
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
    retain_days: float = 7.0
    retired_centroid_features: int = 24
    max_candidates: int = 50
    # merge: a second story also matching this well, and close to the first, is the same story
    merge_threshold: float = 0.15
    merge_story_threshold: float = 0.20
    # learned: a second story the article joins with this probability is the same story
    merge_probability: float = 0.9
    # syndication: estimated Jaccard of word 5-gram sets; copies younger than the window only
    syndication_threshold: float = 0.5
    syndication_num_perm: int = 64
    syndication_shingle: int = 5
    syndication_min_shingles: int = 12
    syndication_window_days: float = 7.0
    key_entities: int = 8
    stopwords: frozenset[str] = field(default=STOPWORDS_EN)

    @classmethod
    def legacy(cls) -> GroupingSettings:
        """The 0.1.x grouper: cosine x decay after a half-day grace, a 3-day window."""
        return cls(scorer="cosine", window_days=3.0, retain_days=2.0)
