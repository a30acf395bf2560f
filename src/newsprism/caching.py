"""Per-process caches bounded by what their entries weigh, not by how many there are.

Why: ``functools.lru_cache(maxsize=n)`` bounds entries, which bounds memory only when entries
are of one size. A long-running process (a backfill, a worker) fills every cache to its bound,
so a cache whose entries are big or vary in size (a spaCy parse of a sentence, a word's
embedding rows) holds its bound times the biggest entries it happened to see. ``weighted_cache``
evicts least recently used entries until the summed weights (tokens, bytes) are within a
budget, so the memory a cache can hold is written down in the decorator.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import update_wrapper
from threading import RLock
from typing import Any, Generic, NamedTuple, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class CacheInfo(NamedTuple):
    """``functools.lru_cache``'s figures plus the summed weight and its budget."""

    hits: int
    misses: int
    maxsize: int | None
    currsize: int
    weight: int
    max_weight: int


class WeightedCache(Generic[P, R]):
    """A least-recently-used cache of ``fn`` whose entries' summed ``weight`` stays within
    ``max_weight`` (an entry heavier than the whole budget is returned but not kept)."""

    def __init__(self, fn: Callable[P, R], max_weight: int, weight: Callable[[R], int]) -> None:
        self._fn, self.max_weight, self._weight = fn, max_weight, weight
        self._entries: OrderedDict[Hashable, tuple[R, int]] = OrderedDict()
        self._total = self._hits = self._misses = 0
        self._lock = RLock()
        update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key: Hashable = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        # a hit takes no lock: the hot callers (``concepts``) hit ~100k times a story, and each
        # OrderedDict step is atomic under the GIL; an entry evicted between the two steps by
        # another thread is still a right answer (the hit counter may then miss a count)
        found = self._entries.get(key)
        if found is not None:
            try:  # noqa: SIM105 (contextlib.suppress costs a context manager per hit)
                self._entries.move_to_end(key)
            except KeyError:
                pass
            self._hits += 1
            return found[0]
        self._misses += 1
        value = self._fn(*args, **kwargs)
        cost = max(1, int(self._weight(value)))
        if cost > self.max_weight:
            return value
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._total -= old[1]
            self._entries[key] = (value, cost)
            self._total += cost
            while self._total > self.max_weight:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._total -= dropped
        return value

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, None, len(self._entries), self._total, self.max_weight)

    def cache_clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = self._hits = self._misses = 0


def weighted_cache(
    max_weight: int, weight: Callable[[Any], int]
) -> Callable[[Callable[P, R]], WeightedCache[P, R]]:
    """Decorator: ``WeightedCache(fn, max_weight, weight)``."""

    def wrap(fn: Callable[P, R]) -> WeightedCache[P, R]:
        return WeightedCache(fn, max_weight, weight)

    return wrap
