"""Online event clustering: each new article joins the best recent story or founds a new one.

Why this shape (the classic news-event-detection recipe): an article is compared only with
stories retrieved through an inverted index of their strongest terms, bucketed by day and
limited to a time window, so the work per article depends on how much news there is per day,
not on how many articles were ever stored. Similarity is cosine to the story centroid times
an exponential time decay, so yesterday's story about the same actors is a weaker match than
today's. Near-copies of a wire text go straight to the story of their original.

Pure: no clock, no I/O. Time comes from ``published_at``; an undated article is placed at the
newest time seen so far in the stream (the moment it arrived, as far as the grouper can know).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from newsprism.model import Article, Story
from newsprism.stories.headline import build_story
from newsprism.stories.settings import GroupingSettings
from newsprism.stories.syndication import SyndicationIndex
from newsprism.stories.vectors import OnlineTfidf, Vector, add_into, dot, norm_of, top_terms

_DAY = 86400.0


@dataclass
class Assignment:
    """What one ``add`` decided; ``merged_from`` ids now redirect to ``story_id``."""

    story_id: str
    is_new_story: bool
    merged_from: list[str] = field(default_factory=list)
    split_into: list[str] = field(default_factory=list)
    syndicated_with: list[str] = field(default_factory=list)


@dataclass
class ArticleInfo:
    """The little the grouper keeps per article (vectors are folded into the centroid)."""

    id: str
    title: str
    title_vector: Vector
    outlet: str | None
    published_at: datetime | None
    stamp: float | None


@dataclass
class StoryState:
    id: str
    founded: float
    article_ids: list[str] = field(default_factory=list)
    centroid: Vector = field(default_factory=dict)
    norm: float = 0.0
    start: float | None = None
    end: float | None = None
    entity_counts: dict[str, int] = field(default_factory=dict)


def story_id_for(article_id: str) -> str:
    """Deterministic story id: derived from the founding article, stable across runs."""
    return "s" + hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:12]


class StoryGrouper:
    """Incremental story assignment with merge redirects and syndication groups."""

    def __init__(self, settings: GroupingSettings | None = None) -> None:
        self.settings = s = settings or GroupingSettings()
        self._tfidf = OnlineTfidf(
            stopwords=s.stopwords,
            title_weight=s.title_weight,
            entity_weight=s.entity_weight,
            max_features=s.max_article_features,
            prior_docs=s.idf_prior_docs,
        )
        self._syndication = SyndicationIndex(
            threshold=s.syndication_threshold,
            num_perm=s.syndication_num_perm,
            shingle_size=s.syndication_shingle,
            min_shingles=s.syndication_min_shingles,
            window_days=s.syndication_window_days,
        )
        self._stories: dict[str, StoryState] = {}
        self._articles: dict[str, ArticleInfo] = {}
        self._story_of: dict[str, str] = {}
        self._redirects: dict[str, str] = {}
        self._index: dict[int | None, dict[str, dict[str, None]]] = {}
        self._entity_surface: dict[str, str] = {}
        self._latest: float | None = None
        self._reach_days = reach_days(s)
        self._compacted_below: int | None = None

    # ---- public API ------------------------------------------------------------------------
    def add(self, article: Article) -> Assignment:
        """Assign one article (streams should arrive roughly in publication order)."""
        if article.id in self._story_of:
            return Assignment(self.resolve(self._story_of[article.id]), is_new_story=False)
        stamp = self._stamp(article)
        features = self._tfidf.learn(article)
        minhash = self._syndication.signature(article.text)
        copies_found = self._syndication.matches(minhash)
        copy_story = self._story_of_copy(copies_found)
        scored = self._score(features.vector, stamp)
        target, is_new = self._choose(article.id, stamp, scored, copy_story)
        self._join(target, article, features.vector, features.title_vector, features.entity_surfaces, stamp)
        self._syndication.add(article.id, article.outlet, minhash, article.published_at, copies_found)
        merged = [] if is_new else self._merge_matches(target, scored)
        final = self.resolve(target)
        copies = self._syndication.copies_of(article.id, self._stories[final].article_ids)
        return Assignment(final, is_new, merged_from=merged, syndicated_with=copies)

    def restore(self, memberships: Iterable[tuple[Article, str]]) -> None:
        """Rebuild the index from stored (article, story id) pairs without re-deciding them.

        Pairs are replayed in publication order (undated last, then by id), the order
        ``pipeline.by_publication`` ingests in, so the IDF and centroids match a live run.
        """
        pairs = sorted(memberships, key=lambda p: (p[0].published_at is None, _sort_time(p[0]), p[0].id))
        for article, story_id in pairs:
            if article.id in self._story_of:
                continue
            stamp = self._stamp(article)
            features = self._tfidf.learn(article)
            target = self.resolve(story_id)
            if target not in self._stories:
                self._stories[target] = StoryState(target, founded=stamp if stamp is not None else 0.0)
            vector, title_vector, surfaces = features.vector, features.title_vector, features.entity_surfaces
            self._join(target, article, vector, title_vector, surfaces, stamp)
            minhash = self._syndication.signature(article.text)
            self._syndication.add(article.id, article.outlet, minhash, article.published_at)

    def story(self, story_id: str) -> Story:
        state = self._stories[self.resolve(story_id)]
        members = [self._articles[a] for a in state.article_ids]
        groups = self._syndication_groups(state.article_ids)
        return build_story(state, members, groups, self._entity_surface, self.settings.key_entities)

    def stories(self) -> list[Story]:
        return [self.story(sid) for sid in sorted(self._stories)]

    def story_count(self) -> int:
        return len(self._stories)

    def resolve(self, story_id: str) -> str:
        seen = story_id
        while seen in self._redirects:
            seen = self._redirects[seen]
        return seen

    def redirects(self) -> dict[str, str]:
        return {old: self.resolve(old) for old in sorted(self._redirects)}

    def story_of(self, article_id: str) -> str:
        return self.resolve(self._story_of[article_id])

    # ---- decision ----------------------------------------------------------------------------
    def _stamp(self, article: Article) -> float | None:
        if article.published_at is None:
            return self._latest
        stamp = article.published_at.timestamp()
        self._latest = stamp if self._latest is None else max(self._latest, stamp)
        self._compact(self._latest)
        return stamp

    def _compact(self, latest: float) -> None:
        """Retire day buckets no new article can reach, and shrink their stories' centroids.

        Why: memory must not grow with every story ever seen. A story whose whole span lies
        before ``latest - reach - retain_days`` keeps only its strongest terms (enough for its
        headline) and leaves the index; an article arriving that late starts a new story.
        """
        horizon = latest - (self._reach_days + self.settings.retain_days) * _DAY
        cutoff = int(horizon // _DAY)
        if self._compacted_below is None:
            self._compacted_below = min([d for d in self._index if d is not None] + [cutoff])
        if cutoff <= self._compacted_below:
            return
        retired: dict[str, None] = {}
        for day in range(self._compacted_below, cutoff):
            for posting in self._index.pop(day, {}).values():
                retired.update(posting)
        self._compacted_below = cutoff
        limit = self.settings.retired_centroid_features
        for story_id in retired:
            state = self._stories.get(self.resolve(story_id))
            stale = state is not None and state.end is not None and state.end < horizon
            if state is not None and stale and len(state.centroid) > limit:
                state.centroid = dict(heapq.nlargest(limit, state.centroid.items(), key=_weight))
                state.norm = norm_of(state.centroid.values())

    def _story_of_copy(self, matches: list[tuple[str, float]]) -> str | None:
        for other, _ in matches:
            if other in self._story_of:
                return self.resolve(self._story_of[other])
        return None

    def _choose(
        self, article_id: str, stamp: float | None, scored: list[tuple[float, str]], copy_story: str | None
    ) -> tuple[str, bool]:
        if copy_story is not None:
            return copy_story, False
        if scored and scored[0][0] >= self.settings.threshold:
            return scored[0][1], False
        story_id = story_id_for(article_id)
        self._stories[story_id] = StoryState(story_id, founded=stamp if stamp is not None else 0.0)
        return story_id, True

    def _score(self, vector: Vector, stamp: float | None) -> list[tuple[float, str]]:
        """Candidate stories with their time-decayed cosine, best first (ties by id)."""
        scored = []
        for story_id in self._candidates(vector, stamp):
            state = self._stories[story_id]
            gap = _gap_days(stamp, state.start, state.end)
            if gap > self._reach_days or state.norm == 0.0:
                continue
            cosine = dot(vector, state.centroid) / state.norm
            scored.append((cosine * self._decay(gap), story_id))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return scored

    def _decay(self, gap_days: float) -> float:
        """exp(-(gap - grace) / tau): no penalty within the grace period (same news cycle)."""
        late = max(0.0, gap_days - self.settings.grace_days)
        return math.exp(-late / self.settings.decay_days)

    def _candidates(self, vector: Vector, stamp: float | None) -> list[str]:
        """Stories sharing strong terms with the article in nearby day buckets (bounded count).

        A term posted for more than ``max_posting`` stories in one day says little about which
        story this is (it is a stopword of the day), so its list is skipped: that caps the work.
        """
        terms = top_terms(vector, self.settings.query_terms)
        cap = self.settings.max_posting
        hits: dict[str, float] = {}
        get = hits.get
        for bucket in self._buckets_near(stamp):
            postings = self._index.get(bucket)
            if not postings:
                continue
            for term in terms:
                posting = postings.get(term)
                if not posting or len(posting) > cap:
                    continue
                weight = vector[term]
                for story_id in posting:
                    hits[story_id] = get(story_id, 0.0) + weight
        if self._redirects:
            hits = self._resolve_hits(hits)
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        return [story_id for story_id, _ in ranked[: self.settings.max_candidates]]

    def _resolve_hits(self, hits: dict[str, float]) -> dict[str, float]:
        live: dict[str, float] = {}
        for story_id, weight in hits.items():
            target = self.resolve(story_id)
            live[target] = live.get(target, 0.0) + weight
        return live

    def _buckets_near(self, stamp: float | None) -> list[int | None]:
        if stamp is None:
            return [None]
        day = int(stamp // _DAY)
        reach = math.ceil(self._reach_days)
        return [*range(day - reach, day + reach + 1), None]

    # ---- state updates -----------------------------------------------------------------------
    def _join(
        self,
        story_id: str,
        article: Article,
        vector: Vector,
        title_vector: Vector,
        surfaces: dict[str, str],
        stamp: float | None,
    ) -> None:
        state = self._stories[story_id]
        state.article_ids.append(article.id)
        state.centroid = add_into(state.centroid, vector, self.settings.max_centroid_features)
        state.norm = norm_of(state.centroid.values())
        if stamp is not None:
            state.start = stamp if state.start is None else min(state.start, stamp)
            state.end = stamp if state.end is None else max(state.end, stamp)
        for key, surface in surfaces.items():
            state.entity_counts[key] = state.entity_counts.get(key, 0) + 1
            self._entity_surface.setdefault(key, surface)
        self._articles[article.id] = ArticleInfo(
            article.id, article.title, title_vector, article.outlet, article.published_at, stamp
        )
        self._story_of[article.id] = story_id
        strongest = top_terms(vector, self.settings.query_terms)
        self._post(story_id, stamp, [*top_terms(state.centroid, self.settings.index_terms), *strongest])

    def _post(self, story_id: str, stamp: float | None, terms: list[str]) -> None:
        bucket: int | None = None if stamp is None else int(stamp // _DAY)
        postings = self._index.setdefault(bucket, {})
        for term in terms:
            postings.setdefault(term, {})[story_id] = None

    def _merge_matches(self, target: str, scored: list[tuple[float, str]]) -> list[str]:
        """Merge other stories that this article also matched strongly and that resemble the target."""
        merged: list[str] = []
        for score, other in scored:
            if score < self.settings.merge_threshold:
                break
            survivor, other = self.resolve(target), self.resolve(other)
            if other == survivor:
                continue
            if self._story_similarity(survivor, other) < self.settings.merge_story_threshold:
                continue
            keep, drop = self._survivor_order(survivor, other)
            self._absorb(keep, drop)
            merged.append(drop)
        return merged

    def _story_similarity(self, a: str, b: str) -> float:
        sa, sb = self._stories[a], self._stories[b]
        if sa.norm == 0.0 or sb.norm == 0.0:
            return 0.0
        gap = _span_gap_days(sa, sb)
        return dot(sa.centroid, sb.centroid) / (sa.norm * sb.norm) * self._decay(gap)

    def _survivor_order(self, a: str, b: str) -> tuple[str, str]:
        """The bigger story survives (then the older, then the smaller id): stable and explainable."""
        sa, sb = self._stories[a], self._stories[b]
        rank_a = (-len(sa.article_ids), sa.founded, a)
        rank_b = (-len(sb.article_ids), sb.founded, b)
        return (a, b) if rank_a <= rank_b else (b, a)

    def _absorb(self, keep: str, drop: str) -> None:
        survivor, loser = self._stories[keep], self._stories.pop(drop)
        survivor.article_ids.extend(loser.article_ids)
        survivor.centroid = add_into(survivor.centroid, loser.centroid, self.settings.max_centroid_features)
        survivor.norm = norm_of(survivor.centroid.values())
        survivor.founded = min(survivor.founded, loser.founded)
        for stamp in (loser.start, loser.end):
            if stamp is not None:
                survivor.start = stamp if survivor.start is None else min(survivor.start, stamp)
                survivor.end = stamp if survivor.end is None else max(survivor.end, stamp)
        for key, count in loser.entity_counts.items():
            survivor.entity_counts[key] = survivor.entity_counts.get(key, 0) + count
        for article_id in loser.article_ids:
            self._story_of[article_id] = keep
        self._redirects[drop] = keep

    def _syndication_groups(self, article_ids: list[str]) -> list[list[str]]:
        groups: dict[str, list[str]] = {}
        for article_id in article_ids:
            groups.setdefault(self._syndication.groups.find(article_id), []).append(article_id)
        return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _weight(item: tuple[str, float]) -> float:
    return item[1]


def reach_days(settings: GroupingSettings) -> float:
    """How far back a story can still take an article: the window, or less when the decay alone
    already pushes the best possible score (cosine 1) below the threshold."""
    if settings.threshold <= 0.0:
        return settings.window_days
    reach = settings.grace_days + settings.decay_days * math.log(1.0 / settings.threshold)
    return min(settings.window_days, reach)


def _sort_time(article: Article) -> float:
    return article.published_at.timestamp() if article.published_at is not None else 0.0


def _gap_days(stamp: float | None, start: float | None, end: float | None) -> float:
    """Days between a time and a story's span (0 inside it, or when either side is undated)."""
    if stamp is None or start is None or end is None:
        return 0.0
    if stamp < start:
        return (start - stamp) / _DAY
    return max(0.0, stamp - end) / _DAY


def _span_gap_days(a: StoryState, b: StoryState) -> float:
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return 0.0
    return max(0.0, max(a.start, b.start) - min(a.end, b.end)) / _DAY
