"""Near-duplicate detection of wire copy (MinHash LSH over word shingles, datasketch).

Why: an agency text republished by several outlets (often with a trimmed lead or a changed
headline) is one voice, not independent confirmation. MinHash LSH finds such copies in
constant time per article; only a recent window is indexed, because wire copy is republished
within days, and that keeps memory flat however long the stream runs.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from datetime import datetime

from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the casefolded text (the unit of copy detection)."""
    tokens = [t.casefold() for t in _WORD.findall(text)]
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


class UnionFind:
    """Groups of article ids; the root is the smallest id, so groups print the same every run."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.find(parent)
            self.parent[item] = parent
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


class SyndicationIndex:
    """Finds earlier articles whose body is a near copy of a new one (estimated Jaccard)."""

    def __init__(
        self, *, threshold: float, num_perm: int, shingle_size: int, min_shingles: int, window_days: float
    ) -> None:
        self.threshold = threshold
        self.shingle_size = shingle_size
        self.min_shingles = min_shingles
        self.window_seconds = window_days * 86400.0
        # crc32 instead of datasketch's default sha1: 4x cheaper, and shingles are not adversarial
        self._template = MinHash(num_perm=num_perm, seed=7, hashfunc=zlib.crc32)
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._hashes: dict[str, MinHash] = {}
        self._outlets: dict[str, str | None] = {}
        self._order: deque[tuple[float, str]] = deque()
        self._latest = float("-inf")
        self.groups = UnionFind()

    def signature(self, text: str) -> MinHash | None:
        grams = shingles(text, self.shingle_size)
        if len(grams) < self.min_shingles:
            return None  # too short to tell a copy from a shared stock phrase
        minhash = MinHash(
            num_perm=self._template.num_perm,
            seed=self._template.seed,
            permutations=self._template.permutations,
            scheme=self._template.scheme,
            hashfunc=zlib.crc32,
        )
        minhash.update_batch(sorted(grams))
        return minhash

    def matches(self, minhash: MinHash | None) -> list[tuple[str, float]]:
        """Indexed articles whose estimated Jaccard with ``minhash`` reaches the threshold."""
        if minhash is None:
            return []
        found = []
        for key in sorted(self._lsh.query(minhash)):
            similarity = minhash.jaccard(self._hashes[key])
            if similarity >= self.threshold:
                found.append((key, similarity))
        found.sort(key=lambda kv: (-kv[1], kv[0]))
        return found

    def add(
        self,
        article_id: str,
        outlet: str | None,
        minhash: MinHash | None,
        when: datetime | None,
        matches: list[tuple[str, float]] | None = None,
    ) -> None:
        """Index an article and join it to the copies found (across outlets only).

        ``matches`` is ``self.matches(minhash)`` when the caller already asked (saves a query).
        """
        self.groups.find(article_id)
        if minhash is None or article_id in self._hashes:
            return
        for other, _ in self.matches(minhash) if matches is None else matches:
            if _different_voices(outlet, self._outlets[other]):
                self.groups.union(article_id, other)
        self._lsh.insert(article_id, minhash)
        self._hashes[article_id] = minhash
        self._outlets[article_id] = outlet
        stamp = when.timestamp() if when is not None else self._latest
        self._latest = max(self._latest, stamp)
        self._order.append((stamp, article_id))
        self._evict()

    def copies_of(self, article_id: str, candidates: list[str]) -> list[str]:
        root = self.groups.find(article_id)
        return [c for c in candidates if c != article_id and self.groups.find(c) == root]

    def forget(self, article_ids: list[str]) -> None:
        """Drop articles from the copy groups (their story was evicted: see ``evict_retired``).

        A remaining article whose group root was dropped simply becomes its own root again."""
        for article_id in article_ids:
            self.groups.parent.pop(article_id, None)

    def _evict(self) -> None:
        """Forget signatures older than the window (relative to the newest article seen)."""
        horizon = self._latest - self.window_seconds
        while self._order and self._order[0][0] < horizon:
            _, old = self._order.popleft()
            if old in self._hashes:
                self._lsh.remove(old)
                del self._hashes[old]
                del self._outlets[old]


def _different_voices(a: str | None, b: str | None) -> bool:
    """A copy in the same outlet is a revision, not syndication; unknown outlets count as other."""
    return a is None or b is None or a.casefold() != b.casefold()
