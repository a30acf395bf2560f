"""Align clauses across outlets into facts.

Method: clause units get TF-IDF vectors over paraphrase-folded concepts (``units.py``); two units
of different voices are linked when their cosine is at least ``link_threshold`` *and* they share
at least ``min_shared`` non-name concepts, because sentences that merely share names ("Putin",
"Zelensky") are about the same people, not the same claim. Links are grouped by average-linkage
agglomeration over the sparse link graph (a group joins another only if the mean similarity of
all cross-voice pairs stays high), which avoids the chaining of connected components where one
broad sentence glues two different facts together. A group with two or more voices is a
consensus fact; clauses left alone become exclusive facts, one per sentence.

Facts partition the sentences: a sentence whose clauses landed in several groups stays only in
the strongest one (most independent voices, then cohesion), and a group that loses its second
voice that way is no longer consensus. Independent voices: outlets whose clauses in the group are
word-for-word copies (an undetected wire copy) count once. Each exclusive fact records its
nearest miss in every other outlet (the most similar sentence and its cosine), which is what a
reader needs to see why it is exclusive.

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
from newsprism.model import (
    AnnotatedArticle,
    Fact,
    FactKind,
    NearMiss,
    NumberMention,
    SentenceRef,
    Story,
)


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
    # (article id, sentence index) -> its dates resolved against the publication date
    dates: dict[tuple[str, int], list[NumberMention]] = field(default_factory=dict)
    nearest: list[NearMiss] = field(default_factory=list)
    outlet_of: dict[str, str] = field(default_factory=dict)  # article id -> outlet name

    def centrality(self, unit: Unit) -> float:
        """Cosine of the unit with the story centroid: how much of the story it states."""
        return self.central.get((unit.article_id, unit.sentence.index, unit.start), 0.0)

    @property
    def peak(self) -> float:
        return max((self.centrality(u) for u in self.units), default=0.0)

    @property
    def voices(self) -> list[str]:
        return list(dict.fromkeys(u.voice for u in self.units))

    @property
    def independent(self) -> int:
        """Voices that are not word-for-word copies of one another within this fact."""
        return independent_voices(self.units)


def _wording(text: str) -> str:
    return " ".join(text.casefold().split())


def independent_voices(units: list[Unit]) -> int:
    """Number of voices once voices sharing an identical clause are counted as one."""
    parent: dict[str, str] = {u.voice: u.voice for u in units}

    def find(v: str) -> str:
        while parent[v] != v:
            v = parent[v]
        return v

    first: dict[str, str] = {}
    for unit in units:
        seen = first.setdefault(_wording(unit.sentence.text), unit.voice)
        a, b = find(seen), find(unit.voice)
        if a != b:
            parent[b] = a
    return len({find(v) for v in parent})


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


Edges = dict[tuple[int, int], float]


def _edges(units: list[Unit], settings: AlignSettings) -> tuple[Edges, np.ndarray, sparse.csr_matrix]:
    """Cross-voice unit pairs that pass the similarity and shared-meaning tests, each unit's
    centrality in the story, and the unit vectors (for nearest misses)."""
    if not units:
        return {}, np.zeros(0), sparse.csr_matrix((0, 0))
    matrix, binary = unit_matrix(units)
    rows, cols, vals = _cross_voice_pairs(matrix, [u.voice for u in units], settings.link_threshold)
    # shared non-name concepts of just the candidate pairs: a row-wise product, no n x n matrix
    shared = np.asarray(binary[rows].multiply(binary[cols]).sum(axis=1)).ravel()
    ok = (vals >= settings.strong_link) | (shared >= settings.min_shared)
    edges = {(int(r), int(c)): float(v) for r, c, v in zip(rows[ok], cols[ok], vals[ok], strict=True)}
    return edges, _centrality(matrix), matrix


def _cross_voice_pairs(
    matrix: sparse.csr_matrix, voices: list[str], threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit pairs (row < col) of different voices with similarity >= threshold.

    Rows are put in voice order, then each voice's block is multiplied with the block of all
    later voices in one product: the whole ``matrix @ matrix.T`` also compared every clause of
    a long article with every other clause of the same article, which is quadratic in one
    page's size (a 250 KB page took 1.5 GB) and always discarded, while one product per pair
    of voices cost ~1,200 small sparse products (and their slicing) for 50 outlets.
    """
    order = np.argsort(np.asarray(voices), kind="stable")
    ordered, sorted_voices = matrix[order], np.asarray(voices)[order]
    ends = np.flatnonzero(np.r_[sorted_voices[1:] != sorted_voices[:-1], True]) + 1
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    start = 0
    for end in ends[:-1]:
        block = (ordered[start:end] @ ordered[end:].T).tocoo()
        keep = block.data >= threshold
        r, c = order[start + block.row[keep]], order[end + block.col[keep]]
        found.append((np.minimum(r, c), np.maximum(r, c), block.data[keep]))
        start = end
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


def _dates(articles: list[AnnotatedArticle]) -> dict[tuple[str, int], list[NumberMention]]:
    found: dict[tuple[str, int], list[NumberMention]] = defaultdict(list)
    for annotated in articles:
        for mention in annotated.numbers:
            if mention.unit == "date" and not str(mention.value).startswith(("relative:", "--")):
                found[(annotated.article.id, mention.sentence_index)].append(mention)
    return found


def _partition(units: list[Unit], clusters: list[list[int]], cohesion: dict[int, float]) -> list[list[int]]:
    """Multi-voice clusters with every sentence in one of them only: the strongest cluster
    (independent voices, then cohesion) keeps a shared sentence, the others drop its clauses
    and stay only if two voices remain (consensus if two of them are independent)."""
    order = sorted(
        range(len(clusters)),
        key=lambda c: (-independent_voices([units[i] for i in clusters[c]]), -cohesion.get(c, 0.0), c),
    )
    taken: set[tuple[str, int]] = set()
    kept: list[list[int]] = []
    for c in order:
        members = [i for i in clusters[c] if (units[i].article_id, units[i].sentence.index) not in taken]
        if len({units[i].voice for i in members}) < 2:
            continue
        taken.update((units[i].article_id, units[i].sentence.index) for i in members)
        kept.append(members)
    # the winner holds its sentences whole: their other clauses join it rather than vanish
    home = {
        (units[i].article_id, units[i].sentence.index): k for k, members in enumerate(kept) for i in members
    }
    placed = {i for members in kept for i in members}
    for i, unit in enumerate(units):
        k = home.get((unit.article_id, unit.sentence.index))
        if k is not None and i not in placed:
            kept[k].append(i)
    return [sorted(members) for members in kept]


def _inner_links(clusters: list[list[int]], edges: Edges) -> defaultdict[int, float]:
    """Cluster index -> the summed similarity of its linked pairs, in one pass over the links
    (a pass per cluster was quadratic in a big story's size)."""
    home = {i: k for k, cluster in enumerate(clusters) for i in cluster}
    inner: defaultdict[int, float] = defaultdict(float)
    for (a, b), value in edges.items():
        k = home.get(a)
        if k is not None and home.get(b) == k:
            inner[k] += value
    return inner


def _nearest_all(
    groups: list[tuple[FactGroup, list[int]]],
    units: list[Unit],
    matrix: sparse.csr_matrix,
    outlet: dict[str, str],
) -> None:
    """Each lone group's nearest miss in every other outlet: the most similar clause's sentence
    and its cosine. One sparse product for all groups, a max per group's rows, then one argmax
    per outlet's columns for all groups (not one per group and outlet: 100k in a big story)."""
    if not groups or not units:
        return
    rows = [r for _, group_rows in groups for r in group_rows]
    sims = np.asarray((matrix[rows] @ matrix.T).todense())
    columns: dict[str, list[int]] = defaultdict(list)
    for j, unit in enumerate(units):
        columns[outlet[unit.article_id]].append(j)
    starts = np.cumsum([0] + [len(group_rows) for _, group_rows in groups[:-1]])
    best = np.maximum.reduceat(sims, starts, axis=0)  # one row per group: its clauses' maxima
    picks: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, cols in columns.items():  # per outlet, every group's closest clause at once
        block = best[:, cols]
        at = block.argmax(axis=1)
        picks[name] = (np.asarray(cols)[at], block[np.arange(len(groups)), at])
    for g, (group, _) in enumerate(groups):
        mine = {outlet[u.article_id] for u in group.units}
        for name, (where, value) in picks.items():
            if name in mine:
                continue
            j = int(where[g])
            sentence = units[j].sentence
            group.nearest.append(
                NearMiss(name, units[j].article_id, sentence.text, round(float(value[g]), 3), sentence.index)
            )


def group_units(
    story: Story,
    articles: list[AnnotatedArticle],
    settings: AlignSettings | None = None,
    aligned: list[FactGroup] | None = None,
) -> tuple[list[FactGroup], list[FactGroup]]:
    """Consensus groups (2+ independent voices) and exclusive groups (one sentence each);
    every sentence is in at most one group. ``aligned``, when given, receives the clause
    alignment before the partition (every multi-voice cluster): framing compares outlets'
    wording of shared claims clause by clause, which the one-fact-per-sentence view would hide."""
    settings = settings or AlignSettings()
    units = build_units(articles, voices_for(story, articles))
    edges, central, matrix = _edges(units, settings)
    weights = {(u.article_id, u.sentence.index, u.start): float(central[i]) for i, u in enumerate(units)}
    clusters = _join_counts(units, _agglomerate(units, edges, settings.merge_threshold), articles)
    owner = {i: c for c, cluster in enumerate(clusters) for i in cluster}
    cohesion: defaultdict[int, float] = defaultdict(float)
    for (a, b), v in edges.items():
        if owner[a] == owner[b]:
            cohesion[owner[a]] += v
    speakers = quote_speakers(articles)
    dates = _dates(articles)
    if aligned is not None:
        for cluster in clusters:
            members = [units[i] for i in cluster]
            if len({u.voice for u in members}) >= 2:
                aligned.append(FactGroup(members, 0.0, weights, speakers))
    outlet = {a.article.id: (a.article.outlet or a.article.source or a.article.id) for a in articles}
    consensus: list[FactGroup] = []
    copies: list[tuple[FactGroup, list[int]]] = []  # one claim, several voices, one wording
    in_groups: set[tuple[str, int]] = set()
    kept = _partition(units, clusters, cohesion)
    inner = _inner_links(kept, edges)
    for k, cluster in enumerate(kept):
        group = FactGroup([units[i] for i in cluster], inner[k], weights, speakers, dates, outlet_of=outlet)
        if group.independent >= 2:
            consensus.append(group)
        else:
            copies.append((group, cluster))
        in_groups.update((units[i].article_id, units[i].sentence.index) for i in cluster)
    exclusive: dict[tuple[str, int], tuple[FactGroup, list[int]]] = {}
    for i, unit in enumerate(units):
        key = (unit.article_id, unit.sentence.index)
        if key in in_groups or len(concepts(unit.text)) < 3:
            continue
        group, rows = exclusive.setdefault(
            key, (FactGroup([], 0.0, weights, speakers, dates, outlet_of=outlet), [])
        )
        group.units.append(unit)
        rows.append(i)
    alone = copies + list(exclusive.values())
    _nearest_all(alone, units, matrix, outlet)
    return consensus, [g for g, _ in alone]


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
    story: Story,
    articles: list[AnnotatedArticle],
    settings: AlignSettings | None = None,
    aligned: list[FactGroup] | None = None,
) -> tuple[list[Fact], dict[str, FactGroup]]:
    """Facts in a stable order (consensus by support then position, then exclusive);
    ``aligned`` as in ``group_units``."""
    consensus, exclusive = group_units(story, articles, settings, aligned)
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
        kind: FactKind = "consensus" if group.independent >= 2 else "exclusive"
        facts.append(Fact(fid, kind, outlets, refs, nearest_misses=list(group.nearest)))
        groups[fid] = group
    return facts, groups


def _refs(group: FactGroup, rank: dict[str, int]) -> list[SentenceRef]:
    seen: dict[tuple[str, int], SentenceRef] = {}
    for unit in sorted(group.units, key=lambda u: (rank[u.article_id], u.sentence.index)):
        key = (unit.article_id, unit.sentence.index)
        seen.setdefault(key, SentenceRef(unit.article_id, unit.sentence.text, unit.sentence.index))
    return list(seen.values())
