"""Online event clustering: each new article joins the best recent story or founds a new one.

Why this shape (the classic news-event-detection recipe): an article is compared only with
stories retrieved through an inverted index of their strongest terms, bucketed by day and
limited to a time window, so the work per article depends on how much news there is per day,
not on how many articles were ever stored. Similarity is cosine to the story centroid times
an exponential time decay, so yesterday's story about the same actors is a weaker match than
today's. Near-copies of a wire text go straight to the story of their original.

The decision (``scorer="learned"``, the default) is the pair model of ``pairs.py``: the few
candidates closest by cosine are scored on content, title, entities, event numbers, years and
dates mentioned, and the time gap to the story's nearest member, and the article joins the most
probable story if the model says so. Time is evidence there, not a gate: an undated article is
timed by its address or dateline when it has one; otherwise it is looked up among the stories
around the newest time seen (when it arrived, as far as the grouper knows), but its time counts
as unknown, so only a strong content match takes it. ``scorer="cosine"`` is the 0.1 decision
(cosine x decay with one threshold), kept for comparison.

Pure: no clock, no I/O.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import heapq
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from newsprism.model import Article, Story
from newsprism.stories.evidence import Evidence, evidence_of
from newsprism.stories.headline import build_story
from newsprism.stories.pairs import PairInputs, PairModel, bundled_model, gap_to_members
from newsprism.stories.settings import GroupingSettings
from newsprism.stories.syndication import SyndicationIndex
from newsprism.stories.vectors import (
    ENTITY_PREFIX,
    Features,
    OnlineTfidf,
    Vector,
    add_into,
    dot,
    norm_of,
    top_terms,
)

K = TypeVar("K")

_DAY = 86400.0


@dataclass
class Assignment:
    """What one ``add`` decided; ``merged_from`` ids now redirect to ``story_id``.

    ``changed``: other stories whose articles changed (re-clustering moved some in or out);
    ``redirects``: every id that vanished and where it points now (``merged_from`` included).
    """

    story_id: str
    is_new_story: bool
    merged_from: list[str] = field(default_factory=list)
    split_into: list[str] = field(default_factory=list)
    syndicated_with: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)


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
    # evidence for the learned decision (recent member vectors are dropped at retirement)
    members: deque[tuple[str, Vector]] = field(default_factory=deque)
    stamps: list[float] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)
    days: dict[int, int] = field(default_factory=dict)
    text_time: bool = False


def tfidf_for(s: GroupingSettings) -> OnlineTfidf:
    return OnlineTfidf(
        stopwords=s.stopwords,
        title_weight=s.title_weight,
        entity_weight=s.entity_weight,
        max_features=s.max_article_features,
        prior_docs=s.idf_prior_docs,
    )


def syndication_for(s: GroupingSettings) -> SyndicationIndex:
    return SyndicationIndex(
        threshold=s.syndication_threshold,
        num_perm=s.syndication_num_perm,
        shingle_size=s.syndication_shingle,
        min_shingles=s.syndication_min_shingles,
        window_days=s.syndication_window_days,
    )


class Redirects:
    """Merged story ids and where they point now (shared by both groupers)."""

    _redirects: dict[str, str]

    def resolve(self, story_id: str) -> str:
        seen = story_id
        while seen in self._redirects:
            seen = self._redirects[seen]
        return seen

    def redirects(self) -> dict[str, str]:
        return {old: self.resolve(old) for old in sorted(self._redirects)}


def story_id_for(article_id: str) -> str:
    """Deterministic story id: derived from the founding article, stable across runs."""
    return "s" + hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:12]


class OnlineGrouper(Redirects):
    """Single-pass story assignment (the 0.1 grouper and its learned variant), kept for comparison."""

    def __init__(self, settings: GroupingSettings | None = None) -> None:
        self.settings = s = settings or GroupingSettings()
        self._tfidf = tfidf_for(s)
        self._syndication = syndication_for(s)
        self._stories: dict[str, StoryState] = {}
        self._articles: dict[str, ArticleInfo] = {}
        self._story_of: dict[str, str] = {}
        self._redirects: dict[str, str] = {}
        self._index: dict[int | None, dict[str, dict[str, None]]] = {}
        self._entity_surface: dict[str, str] = {}
        self._latest: float | None = None
        self._arrival: float | None = None
        self._reach_days = reach_days(s)
        self._learned = s.scorer == "learned"
        self._model: PairModel | None = bundled_model() if self._learned else None
        self._join_threshold = s.join_probability if self._learned else s.threshold
        self._compacted_below: int | None = None
        self._apart: set[tuple[str, str]] = set()
        self._retired: list[str] = []  # stories past reach, in retirement order (see evict_retired)
        # the inputs of the last learned decision (read by the training replay, never by the grouper)
        self.last_candidates: list[tuple[str, PairInputs]] = []

    # ---- public API ------------------------------------------------------------------------
    def add(self, article: Article) -> Assignment:
        """Assign one article (streams should arrive roughly in publication order)."""
        if article.id in self._story_of:
            return Assignment(self.resolve(self._story_of[article.id]), is_new_story=False)
        evidence = evidence_of(article) if self._learned else None
        stamp = self._stamp(article, evidence)
        features = self._tfidf.learn(article)
        minhash = self._syndication.signature(article.text)
        copies_found = self._syndication.matches(minhash)
        copy_story = self._story_of_copy(copies_found)
        if evidence is None:
            scored = self._score(features.vector, stamp)
        else:
            scored = self._score_learned(features.vector, features.title_vector, evidence, stamp)
        target, is_new = self._choose(article.id, stamp, scored, copy_story)
        self._join(target, article, features, stamp, evidence)
        self._syndication.add(article.id, article.outlet, minhash, article.published_at, copies_found)
        merged = [] if is_new else self._merge_matches(target, scored)
        final = self.resolve(target)
        copies = self._syndication.copies_of(article.id, self._stories[final].article_ids)
        return Assignment(final, is_new, merged_from=merged, syndicated_with=copies)

    def teach(self, article: Article, story_id: str) -> list[tuple[str, PairInputs]]:
        """Labelled replay for training the pair model: the inputs of every candidate the live
        decision would score, then the article joins ``story_id`` (founded if new) whatever
        they say, so the stories look as they would if every earlier decision had been right."""
        evidence = evidence_of(article)
        stamp = self._stamp(article, evidence)
        features = self._tfidf.learn(article)
        inputs = self._ranked_inputs(features.vector, features.title_vector, evidence, stamp)
        if story_id not in self._stories:
            self._stories[story_id] = StoryState(story_id, founded=stamp if stamp is not None else 0.0)
        self._join(story_id, article, features, stamp, evidence)
        return inputs

    def keep_apart(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Story pairs an editor split: never merged again, whatever later articles suggest."""
        for a, b in pairs:
            self._apart.add((a, b))
            self._apart.add((b, a))

    def _kept_apart(self, a: str, b: str) -> bool:
        return any(self.resolve(x) == a and self.resolve(y) == b for x, y in self._apart)

    def members(self, story_id: str) -> list[str]:
        return list(self._stories[self.resolve(story_id)].article_ids)

    def restore(self, memberships: Iterable[tuple[Article, str]], *, ordered: bool = False) -> None:
        """Rebuild the index from stored (article, story id) pairs without re-deciding them.

        Pairs are replayed in publication order (undated last, then by id), the order
        ``pipeline.by_publication`` ingests in, so the IDF and centroids match a live run;
        ``ordered``: they already come in the grouping order (``model.grouping_key``), keep it.
        """
        pairs = (
            list(memberships)
            if ordered
            else sorted(memberships, key=lambda p: (p[0].published_at is None, _sort_time(p[0]), p[0].id))
        )
        for article, story_id in pairs:
            if article.id in self._story_of:
                continue
            evidence = evidence_of(article) if self._learned else None
            stamp = self._stamp(article, evidence)
            features = self._tfidf.learn(article)
            target = self.resolve(story_id)
            if target not in self._stories:
                self._stories[target] = StoryState(target, founded=stamp if stamp is not None else 0.0)
            self._join(target, article, features, stamp, evidence)
            minhash = self._syndication.signature(article.text)
            self._syndication.add(article.id, article.outlet, minhash, article.published_at)

    def evict_retired(self) -> list[str]:
        """Forget the retired stories entirely and return their ids.

        Why: a caller that keeps every story elsewhere (the backfill driver writes each change to
        the store as it goes) needs memory bounded by the window, not by every article ever seen.
        Retired stories have left the index, so no new article can reach them; an evicted story
        is unknown to ``story``/``story_of`` afterwards, and re-adding one of its articles would
        found a new story, which is why only callers that check the store for duplicates first
        should call this.
        """
        evicted: list[str] = []
        for story_id in self._retired:
            state = self._stories.get(story_id)
            ended = state is not None and state.end is not None
            if state is None or not ended or story_id != self.resolve(story_id):
                continue
            for article_id in state.article_ids:
                self._articles.pop(article_id, None)
                self._story_of.pop(article_id, None)
            self._syndication.forget(state.article_ids)
            del self._stories[story_id]
            evicted.append(story_id)
        self._retired.clear()
        return evicted

    def snapshot(self) -> OnlineGrouper:
        """An independent copy of the grouper's state (the shared, read-only pair model and
        settings are not copied): a checkpoint a rewind can start from instead of a restore."""
        shared: dict[int, object] = {id(self._model): self._model, id(self.settings): self.settings}
        return copy.deepcopy(self, shared)

    def rename(self, mapping: dict[str, str]) -> None:
        """Give live stories other ids (old → new; a permutation is fine) without changing them.

        Why: a rewind (``pipeline.rewind``) decides late articles again, and a story may then be
        founded by another article than the one its stored id came from; the store keeps the id
        readers, links and reviews know, and the grouper must speak the store's ids.
        """
        mapping = {old: new for old, new in mapping.items() if old != new and old in self._stories}
        if not mapping:
            return
        states = {old: self._stories.pop(old) for old in mapping}
        for old, state in states.items():
            state.id = mapping[old]
            self._stories[state.id] = state
            for article_id in state.article_ids:
                self._story_of[article_id] = state.id
        kept = {old: target for old, target in self._redirects.items() if old not in self._stories}
        self._redirects = {old: mapping.get(target, target) for old, target in kept.items()}
        for old, new in mapping.items():
            if old not in self._stories:
                self._redirects[old] = new
        for postings in self._index.values():
            for term, posting in postings.items():
                if any(story_id in mapping for story_id in posting):
                    postings[term] = {mapping.get(story_id, story_id): None for story_id in posting}
        self._apart = {(mapping.get(a, a), mapping.get(b, b)) for a, b in self._apart}
        self._retired = [mapping.get(story_id, story_id) for story_id in self._retired]

    def story(self, story_id: str) -> Story:
        state = self._stories[self.resolve(story_id)]
        members = [self._articles[a] for a in state.article_ids]
        groups = self._syndication_groups(state.article_ids)
        return build_story(state, members, groups, self._entity_surface, self.settings.key_entities)

    def stories(self) -> list[Story]:
        return [self.story(sid) for sid in sorted(self._stories)]

    def story_count(self) -> int:
        return len(self._stories)

    def story_of(self, article_id: str) -> str:
        return self.resolve(self._story_of[article_id])

    # ---- decision ----------------------------------------------------------------------------
    def _stamp(self, article: Article, evidence: Evidence | None) -> float | None:
        """The article's time; the newest publication time seen drives retirement.

        Legacy (``evidence is None``): an undated article is placed at the newest time seen.
        Learned: its time comes from its address or dateline, else it stays unknown (None).
        """
        if article.published_at is not None:
            published = article.published_at.timestamp()
            self._latest = published if self._latest is None else max(self._latest, published)
            self._compact(self._latest)
        if evidence is None:
            return article.published_at.timestamp() if article.published_at else self._latest
        if evidence.stamp is not None:
            self._arrival = evidence.stamp if self._arrival is None else max(self._arrival, evidence.stamp)
        return evidence.stamp

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
            if state is not None and stale:
                state.members.clear()
                self._retired.append(state.id)
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
        if scored and scored[0][0] >= self._join_threshold:
            return scored[0][1], False
        story_id = story_id_for(article_id)
        if story_id in self._stories or story_id in self._redirects:  # restored under this id
            story_id = story_id_for(f"{article_id}:refounded")
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

    def _score_learned(
        self, vector: Vector, title_vector: Vector, evidence: Evidence, stamp: float | None
    ) -> list[tuple[float, str]]:
        """Candidate stories with the pair model's probability, best first (ties by id).

        Cosine to the centroid ranks the retrieved candidates; only the best ``rerank`` are
        scored in full, which bounds the per-article cost however many stories match a term.
        """
        model = self._model
        assert model is not None
        self.last_candidates = self._ranked_inputs(vector, title_vector, evidence, stamp)
        scored = [(model.probability(inputs.vector()), story_id) for story_id, inputs in self.last_candidates]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return scored

    def _ranked_inputs(
        self, vector: Vector, title_vector: Vector, evidence: Evidence, stamp: float | None
    ) -> list[tuple[str, PairInputs]]:
        lookup = stamp if stamp is not None else self._arrival
        ranked: list[tuple[float, str, float | None]] = []
        for story_id in self._candidates(vector, lookup):
            state = self._stories[story_id]
            gap = gap_to_members(stamp, state.stamps)
            if state.norm == 0.0 or (gap is not None and gap > self._reach_days):
                continue
            ranked.append((dot(vector, state.centroid) / state.norm, story_id, gap))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        out = []
        for rank, (cosine, story_id, gap) in enumerate(ranked[: self.settings.rerank]):
            inputs = self._pair_inputs(vector, title_vector, evidence, self._stories[story_id], cosine, gap)
            rival = ranked[1][0] if rank == 0 and len(ranked) > 1 else (ranked[0][0] if rank else 0.0)
            out.append((story_id, replace(inputs, best=rank == 0, margin=cosine - rival)))
        return out

    def _pair_inputs(
        self,
        vector: Vector,
        title_vector: Vector,
        evidence: Evidence,
        state: StoryState,
        cosine: float,
        gap: float | None,
    ) -> PairInputs:
        cos_max = max((dot(vector, member) for _, member in state.members), default=cosine)
        titles = (self._articles[a].title_vector for a, _ in state.members)
        title_max = max((dot(title_vector, t) for t in titles), default=0.0)
        numbers_both = bool(evidence.numbers) and bool(state.numbers)
        shared = sum(1 for n in evidence.numbers if n in state.numbers)
        years_both = bool(evidence.years) and bool(state.years)
        years_shared = any(y in state.years for y in evidence.years)
        return PairInputs(
            cos_centroid=cosine,
            cos_max=cos_max,
            title_max=title_max,
            entities=_entity_cosine(vector, state.centroid),
            numbers_shared=shared / len(evidence.numbers) if numbers_both else 0.0,
            numbers_both=numbers_both,
            years_conflict=years_both and not years_shared,
            years_shared=years_shared,
            days_shared=sum(1 for d in evidence.days if d in state.days),
            gap_days=gap,
            text_time=gap is not None and (evidence.stamp_source == "text" or state.text_time),
            size=len(state.article_ids),
        )

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
        features: Features,
        stamp: float | None,
        evidence: Evidence | None,
    ) -> None:
        vector, title_vector, surfaces = features.vector, features.title_vector, features.entity_surfaces
        state = self._stories[story_id]
        if evidence is not None:
            self._note_evidence(state, article.id, vector, stamp, evidence)
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
        posted_at = stamp if stamp is not None or evidence is None else self._arrival
        self._post(story_id, posted_at, [*top_terms(state.centroid, self.settings.index_terms), *strongest])

    def _note_evidence(
        self, state: StoryState, article_id: str, vector: Vector, stamp: float | None, evidence: Evidence
    ) -> None:
        state.members.append((article_id, vector))
        if len(state.members) > self.settings.member_vectors:
            state.members.popleft()
        if stamp is not None:
            bisect.insort(state.stamps, stamp)
            state.text_time = state.text_time or evidence.stamp_source == "text"
        _count_into(state.numbers, evidence.numbers)
        _count_into(state.years, evidence.years)
        _count_into(state.days, evidence.days)

    def _post(self, story_id: str, stamp: float | None, terms: list[str]) -> None:
        bucket: int | None = None if stamp is None else int(stamp // _DAY)
        postings = self._index.setdefault(bucket, {})
        for term in terms:
            postings.setdefault(term, {})[story_id] = None

    def _merge_matches(self, target: str, scored: list[tuple[float, str]]) -> list[str]:
        """Merge other stories that this article also matched strongly and that resemble the target."""
        merged: list[str] = []
        limit = self.settings.merge_probability if self._learned else self.settings.merge_threshold
        for score, other in scored:
            if score < limit:
                break
            survivor, other = self.resolve(target), self.resolve(other)
            if other == survivor or (self._apart and self._kept_apart(survivor, other)):
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
        cosine = dot(sa.centroid, sb.centroid) / (sa.norm * sb.norm)
        return cosine if self._learned else cosine * self._decay(_span_gap_days(sa, sb))

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
        survivor.members.extend(loser.members)
        while len(survivor.members) > self.settings.member_vectors:
            survivor.members.popleft()
        survivor.stamps = sorted(survivor.stamps + loser.stamps)
        survivor.text_time = survivor.text_time or loser.text_time
        _count_into(survivor.numbers, loser.numbers)
        _count_into(survivor.years, loser.years)
        _count_into(survivor.days, loser.days)
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


def _count_into(counts: dict[K, int], keys: Iterable[K]) -> None:
    for key in keys:
        counts[key] = counts.get(key, 0) + 1


def _entity_cosine(vector: Vector, centroid: Vector) -> float:
    """Cosine over the named-entity features only (keys starting with the entity prefix)."""
    mine = {t: w for t, w in vector.items() if t[0] == ENTITY_PREFIX}
    theirs = {t: w for t, w in centroid.items() if t[0] == ENTITY_PREFIX}
    if not mine or not theirs:
        return 0.0
    return dot(mine, theirs) / (norm_of(mine.values()) * norm_of(theirs.values()))


def reach_days(settings: GroupingSettings) -> float:
    """How far back a story can still take an article: the window, or less when the decay alone
    already pushes the best possible score (cosine 1) below the threshold."""
    if settings.scorer == "learned" or settings.threshold <= 0.0:
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
