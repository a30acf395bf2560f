"""Reader feedback rules: one vote per browser per Quick Read version, rate-limited, no identity.

The browser carries a random voter token in a cookie; only a keyed hash of it is stored, so the
table cannot be joined back to a cookie without the server's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from dataclasses import dataclass

MAX_COMMENT = 1000


@dataclass(frozen=True)
class Vote:
    helpful: bool
    comment: str | None


def voter_key(secret: str, token: str) -> str:
    """Keyed hash of the browser's voter token (what the feedback table stores)."""
    return hmac.new(secret.encode(), b"voter:" + token.encode(), hashlib.sha256).hexdigest()


def parse_vote(helpful: str | bool, comment: str | None) -> Vote:
    """Normalise a form or JSON vote; comments are trimmed and capped, blank means none."""
    if isinstance(helpful, bool):
        value = helpful
    elif helpful.lower() in {"yes", "true", "1"}:
        value = True
    elif helpful.lower() in {"no", "false", "0"}:
        value = False
    else:
        raise ValueError("helpful must be yes or no")
    text = " ".join((comment or "").split())[:MAX_COMMENT]
    return Vote(value, text or None)


class RateLimiter:
    """Sliding-window limit per key (client address, voter): at most ``limit`` hits per ``window``.

    In-process memory is enough for one server process; behind several workers each keeps its
    own window, which only loosens the limit by the number of workers.
    """

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 100_000:  # bound memory under a flood of distinct keys
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
            return True
