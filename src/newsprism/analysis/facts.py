"""Align clauses across outlets into facts.

Method: clause units get TF-IDF vectors over paraphrase-folded concepts (``units.py``); two units
of different voices are linked when their cosine is at least ``link_threshold`` *and* they share
at least ``min_shared`` non-name concepts, because sentences that merely share names ("Putin",
"Zelensky") are about the same people, not the same claim. Links are grouped by average-linkage
agglomeration over the sparse link graph (a group joins another only if the mean similarity of
all cross-voice pairs stays high), which avoids the chaining of connected components where one
broad sentence glues two different facts together. A group with two or more voices is a
consensus fact; clauses left alone become exclusive facts, one per sentence.

Counts do not block alignment: two clauses of different voices that count the same thing under
the same event (``counts.frames``: "1,200 people ...
evacuated" / "900 residents ... moved out of their homes") and share a name are joined after the
clustering, so their disagreement becomes a discrepancy of one fact rather than two facts.

A voice is an independent outlet: the copies in one syndication group count once, and two
articles of the same outlet are one voice.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from newsprism.analysis.counts import frames
from newsprism.analysis.paraphrase import concepts
from newsprism.analysis.units import Unit, build_units, name_concepts, unit_matrix
from newsprism.model import AnnotatedArticle, Fact, FactKind, NumberMention, SentenceRef, Story


@dataclass(frozen=True)
class AlignSettings:
    link_threshold: float = 0.2
    merge_threshold: float = 0.12
    min_shared: int = 2
    strong_link: float = 0.55


@dataclass
class FactGroup:
    """A fact under construction: its units, kept for quick reads and discrepancies."""

    units: list[Unit]
    cohesion: float = 0.0
    central: dict[tuple[str, int, int], float] = field(default_factory=dict)
    # (article id, sentence index) of a quote -> (its speaker, the sentence that names them)
    speakers: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)

    def centrality(self, unit: Unit) -> float:
        """Cosine of the unit with the story centroid: how much of the story it states."""
        return self.central.get((unit.article_id, unit.sentence.index, unit.start), 0.0)

    @property
    def peak(self) -> float:
        return max((self.centrality(u) for u in self.units), default=0.0)

    @property
    def voices(self) -> list[str]:
        return list(dict.fromkeys(u.voice for u in self.units))


def voices_for(story: Story, articles: list[AnnotatedArticle]) -> dict[str, str]:
    """Article id -> voice key: syndicated copies and same-outlet articles share a voice."""
    voices: dict[str, str] = {}
    for group in story.syndication_groups:
        for aid in group:
            voices[aid] = "syndicated:" + min(group)
    for annotated in articles:
        art = annotated.article
        voices.setdefault(art.id, "outlet:" + (art.outlet or art.source or art.id).casefold())
    return voices


def _centrality(matrix: sparse.csr_matrix) -> np.ndarray:
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid)) or 1.0
    return np.asarray(matrix @ (centroid / norm)).ravel()


def _edges(units: list[Unit], settings: AlignSettings) -> tuple[dict[tuple[int, int], float], np.ndarray]:
    """Cross-voice unit pairs that pass the similarity and shared-meaning tests, and each
    unit's centrality in the story."""
    if not units:
        return {}, np.zeros(0)
    matrix, binary = unit_matrix(units)
    rows, cols, vals = _cross_voice_pairs(matrix, [u.voice for u in units], settings.link_threshold)
    # shared non-name concepts of just the candidate pairs: a row-wise product, no n x n matrix
    shared = np.asarray(binary[rows].multiply(binary[cols]).sum(axis=1)).ravel()
    ok = (vals >= settings.strong_link) | (shared >= settings.min_shared)
    edges = {(int(r), int(c)): float(v) for r, c, v in zip(rows[ok], cols[ok], vals[ok], strict=True)}
    return edges, _centrality(matrix)


def _cross_voice_pairs(
    matrix: sparse.csr_matrix, voices: list[str], threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit pairs (row < col) of different voices with similarity >= threshold.

    Only the blocks between two voices are multiplied: the whole ``matrix @ matrix.T`` also
    compared every clause of a long article with every other clause of the same article,
    which is quadratic in one page's size (a 250 KB page took 1.5 GB) and always discarded.
    """
    voice = np.asarray(voices)
    groups = [np.flatnonzero(voice == v) for v in sorted(set(voices))]
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for i, left in enumerate(groups):
        for right in groups[i + 1 :]:
            block = (matrix[left] @ matrix[right].T).tocoo()
            keep = block.data >= threshold
            r, c = left[block.row[keep]], right[block.col[keep]]
            found.append((np.minimum(r, c), np.maximum(r, c), block.data[keep]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    rows, cols, vals = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.lexsort((cols, rows))
    return rows[order], cols[order], vals[order]


def _cross_pairs(a: Counter[str], b: Counter[str]) -> int:
    total_b = sum(b.values())
    return sum(n * (total_b - b[v]) for v, n in a.items())


def _agglomerate(units: list[Unit], edges: dict[tuple[int, int], float], floor: float) -> list[list[int]]:
    """Average-linkage clustering restricted to linked pairs (missing pairs count as 0)."""
    members: dict[int, list[int]] = {i: [i] for i in range(len(units))}
    voices: dict[int, Counter[str]] = {i: Counter([u.voice]) for i, u in enumerate(units)}
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), v in edges.items():
        sums[a][b] = v
        sums[b][a] = v
    heap = [(-v, a, b) for (a, b), v in edges.items()]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in sums[a]:
            continue
        avg = sums[a][b] / max(_cross_pairs(voices[a], voices[b]), 1)
        if abs(avg + neg) > 1e-12:
            heapq.heappush(heap, (-avg, a, b))
            continue
        if avg < floor:
            break
        _merge(a, b, members, voices, sums, heap)
    return [sorted(m) for m in members.values()]


def _merge(
    a: int,
    b: int,
    members: dict[int, list[int]],
    voices: dict[int, Counter[str]],
    sums: dict[int, dict[int, float]],
    heap: list[tuple[float, int, int]],
) -> None:
    members[a].extend(members.pop(b))
    voices[a].update(voices.pop(b))
    for other, value in sums.pop(b).items():
        sums[other].pop(b, None)
        if other == a:
            continue
        sums[a][other] = sums[a].get(other, 0.0) + value
        sums[other][a] = sums[a][other]
    sums[a].pop(b, None)
    for other, total in sums[a].items():
        avg = total / max(_cross_pairs(voices[a], voices[other]), 1)
        heapq.heappush(heap, (-avg, min(a, other), max(a, other)))


def _join_counts(
    units: list[Unit], clusters: list[list[int]], articles: list[AnnotatedArticle]
) -> list[list[int]]:
    """Join clusters holding clauses of different voices that count the same thing under the
    same event and share a name: one fact, whatever the numbers (they become a discrepancy)."""
    numbers: dict[tuple[str, int], list[NumberMention]] = defaultdict(list)
    for annotated in articles:
        for mention in annotated.numbers:
            numbers[(annotated.article.id, mention.sentence_index)].append(mention)
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        mentions = numbers.get((unit.article_id, unit.sentence.index))
        if mentions:
            for frame in frames(unit.text, mentions):
                index[frame].append(i)
    if not index:
        return clusters
    names = name_concepts(units)
    parent = list(range(len(clusters)))

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    owner = {i: c for c, cluster in enumerate(clusters) for i in cluster}
    for members in index.values():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                if units[a].voice == units[b].voice or find(owner[a]) == find(owner[b]):
                    continue
                shared = set(concepts(units[a].text)) & set(concepts(units[b].text)) & names
                if shared:
                    parent[find(owner[b])] = find(owner[a])
    joined: dict[int, list[int]] = defaultdict(list)
    for c, cluster in enumerate(clusters):
        joined[find(c)].extend(cluster)
    return [sorted(m) for m in joined.values()]


def quote_speakers(articles: list[AnnotatedArticle]) -> dict[tuple[str, int], tuple[str, str]]:
    """Where each attributed quote's speaker is named: the quote's own sentence or the latest
    earlier sentence of the article that spells the name."""
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for annotated in articles:
        for quote in annotated.quotes:
            if not quote.speaker:
                continue
            named = [
                s.text
                for s in annotated.sentences
                if s.index <= quote.sentence_index and quote.speaker in s.text
            ]
            if named:
                found.setdefault((annotated.article.id, quote.sentence_index), (quote.speaker, named[-1]))
    return found


def group_units(
    story: Story, articles: list[AnnotatedArticle], settings: AlignSettings | None = None
) -> tuple[list[FactGroup], list[FactGroup]]:
    """Consensus groups (2+ voices) and exclusive groups (one voice, one sentence each)."""
    settings = settings or AlignSettings()
    units = build_units(articles, voices_for(story, articles))
    edges, central = _edges(units, settings)
    weights = {(u.article_id, u.sentence.index, u.start): float(central[i]) for i, u in enumerate(units)}
    clusters = _join_counts(units, _agglomerate(units, edges, settings.merge_threshold), articles)
    owner = {i: c for c, cluster in enumerate(clusters) for i in cluster}
    cohesion: defaultdict[int, float] = defaultdict(float)
    for (a, b), v in edges.items():
        if owner[a] == owner[b]:
            cohesion[owner[a]] += v
    consensus: list[FactGroup] = []
    aligned: set[int] = set()
    speakers = quote_speakers(articles)
    for c, cluster in enumerate(clusters):
        group = FactGroup([units[i] for i in cluster], cohesion[c], weights, speakers)
        if len(group.voices) >= 2:
            consensus.append(group)
            aligned.update(cluster)
    exclusive: dict[tuple[str, int], FactGroup] = {}
    for i, unit in enumerate(units):
        if i in aligned or len(concepts(unit.text)) < 3:
            continue
        key = (unit.article_id, unit.sentence.index)
        exclusive.setdefault(key, FactGroup([], 0.0, weights, speakers)).units.append(unit)
    return consensus, list(exclusive.values())


def _order_key(group: FactGroup, article_rank: dict[str, int]) -> tuple[float, ...]:
    first = min(group.units, key=lambda u: (article_rank[u.article_id], u.sentence.index))
    mean_pos = sum(u.position for u in group.units) / len(group.units)
    return (
        -len(group.voices),
        round(mean_pos, 6),
        article_rank[first.article_id],
        first.sentence.index,
        first.start,
    )


def build_facts(
    story: Story, articles: list[AnnotatedArticle], settings: AlignSettings | None = None
) -> tuple[list[Fact], dict[str, FactGroup]]:
    """Facts in a stable order (consensus by support then position, then exclusive)."""
    consensus, exclusive = group_units(story, articles, settings)
    rank = {a.article.id: i for i, a in enumerate(articles)}
    outlet = {a.article.id: (a.article.outlet or a.article.source) for a in articles}
    consensus.sort(key=lambda g: _order_key(g, rank))
    # exclusive facts in lead order across articles: every outlet's first claim, then second
    exclusive.sort(key=lambda g: (g.units[0].sentence.index, rank[g.units[0].article_id]))
    facts: list[Fact] = []
    groups: dict[str, FactGroup] = {}
    for group in consensus + exclusive:
        fid = f"f{len(facts) + 1}"
        refs = _refs(group, rank)
        outlets = list(dict.fromkeys(outlet[r.article_id] for r in refs))
        kind: FactKind = "consensus" if len(group.voices) >= 2 else "exclusive"
        facts.append(Fact(fid, kind, outlets, refs))
        groups[fid] = group
    return facts, groups


def _refs(group: FactGroup, rank: dict[str, int]) -> list[SentenceRef]:
    seen: dict[tuple[str, int], SentenceRef] = {}
    for unit in sorted(group.units, key=lambda u: (rank[u.article_id], u.sentence.index)):
        key = (unit.article_id, unit.sentence.index)
        seen.setdefault(key, SentenceRef(unit.article_id, unit.sentence.text, unit.sentence.index))
    return list(seen.values())
