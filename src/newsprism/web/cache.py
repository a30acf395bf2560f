"""A small in-process micro-cache for anonymous page views (the bulk of a news site's traffic).

Anonymous readers of one URL see the same page apart from their CSRF token, so the page is
rendered once with a placeholder and the token is substituted per response. Entries live for a
few seconds (``NEWSPRISM_PAGE_CACHE_SECONDS``, default 2; 0 disables it) and every write made
through this process (review action, vote) clears the cache at once; writes from another
process (the pipeline) show up within the TTL. Story pages use a second instance with no expiry,
keyed by the story's content stamp (``Repository.story_stamp``), so they are replaced exactly when
their content changes. Signed-in editors always get fresh pages.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
CSRF_PLACEHOLDER = "__NEWSPRISM_CSRF_TOKEN__"


class TTLCache:
    """Thread-safe mapping with per-entry expiry and a size bound (oldest entries go first)."""

    def __init__(self, ttl_seconds: float, max_entries: int = 2048) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._data: OrderedDict[object, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def get(self, key: object) -> object | None:
        if not self.enabled:
            return None
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._data[key]
                return None
            return item[1]

    def put(self, key: object, value: object) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._data[key] = (time.monotonic() + self.ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def get_or_compute(self, key: object, compute: Callable[[], T]) -> T:
        found = self.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
        value = compute()
        self.put(key, value)
        return value
