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


K = TypeVar("K", bound=Hashable)
_MISSING = object()  # a cached None is a value, not a miss
V = TypeVar("V")


class WeightedLRU(Generic[K, V]):
    """Least recently used entries whose summed ``weight`` stays within ``max_weight`` (an
    entry heavier than the whole budget is not kept): the store behind ``weighted_cache``, and
    for callers that look up many keys and compute the misses together (``nlp.entities``)."""

    def __init__(self, max_weight: int, weight: Callable[[V], int]) -> None:
        self.max_weight, self._weight = max_weight, weight
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._total = self.hits = self.misses = 0
        self._lock = RLock()

    def get(self, key: K, default: Any = None) -> Any:
        """The value kept for ``key`` (now the most recently used), else ``default``."""
        # a hit takes no lock: the hot callers (``concepts``) hit ~100k times a story, and each
        # OrderedDict step is atomic under the GIL; an entry evicted between the two steps by
        # another thread is still a right answer (the hit counter may then miss a count)
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return default
        try:  # noqa: SIM105 (contextlib.suppress costs a context manager per hit)
            self._entries.move_to_end(key)
        except KeyError:
            pass
        self.hits += 1
        return found[0]

    def put(self, key: K, value: V) -> None:
        cost = max(1, int(self._weight(value)))
        if cost > self.max_weight:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._total -= old[1]
            self._entries[key] = (value, cost)
            self._total += cost
            while self._total > self.max_weight:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._total -= dropped

    def info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self.hits, self.misses, None, len(self._entries), self._total, self.max_weight)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = self.hits = self.misses = 0


class WeightedCache(Generic[P, R]):
    """A least-recently-used cache of ``fn`` whose entries' summed ``weight`` stays within
    ``max_weight`` (an entry heavier than the whole budget is returned but not kept)."""

    def __init__(self, fn: Callable[P, R], max_weight: int, weight: Callable[[R], int]) -> None:
        self._fn = fn
        self._store: WeightedLRU[Hashable, R] = WeightedLRU(max_weight, weight)
        update_wrapper(self, fn)

    @property
    def max_weight(self) -> int:
        return self._store.max_weight

    @max_weight.setter
    def max_weight(self, value: int) -> None:
        self._store.max_weight = value

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key: Hashable = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        found = self._store.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[no-any-return]
        value = self._fn(*args, **kwargs)
        self._store.put(key, value)
        return value

    def cache_info(self) -> CacheInfo:
        return self._store.info()

    def cache_clear(self) -> None:
        self._store.clear()


def weighted_cache(
    max_weight: int, weight: Callable[[Any], int]
) -> Callable[[Callable[P, R]], WeightedCache[P, R]]:
    """Decorator: ``WeightedCache(fn, max_weight, weight)``."""

    def wrap(fn: Callable[P, R]) -> WeightedCache[P, R]:
        return WeightedCache(fn, max_weight, weight)

    return wrap
