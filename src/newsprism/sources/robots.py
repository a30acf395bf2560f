"""robots.txt, fetched once per origin and cached, read the way RFC 9309 says.

* 2xx: the rules apply (``Crawl-delay`` raises the per-host interval, capped);
* 4xx: there are no rules, everything is allowed;
* 5xx or unreachable: assume everything is disallowed for a short while and ask again later —
  a site that is struggling is exactly the site we should not add load to.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from newsprism.sources.urls import origin

MAX_ROBOTS_BYTES = 512_000
MAX_CRAWL_DELAY = 60.0
ERROR_TTL = 300.0

RobotsFetch = Callable[[str], Awaitable[tuple[int, bytes] | str]]
"""``fetch(robots_url)`` → ``(status, body)``, or why the host could not be reached."""


@dataclass
class RobotsRules:
    """The parsed rules of one origin, and until when they may be reused."""

    parser: RobotFileParser
    expires: float
    error: str | None = None  # why robots.txt could not be read (then everything is disallowed)

    def allows(self, agent: str, url: str) -> bool:
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        delay = self.parser.crawl_delay(agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay is not None else None


def rules_from_response(
    status: int | None, body: bytes, expires: float, error: str | None = None
) -> RobotsRules:
    """Rules for one robots.txt answer (``status`` None = unreachable, ``error`` says why)."""
    parser = RobotFileParser()
    if status is not None and status >= 500:
        error = f"robots.txt answered HTTP {status}"
    if status is not None and 200 <= status < 300:
        parser.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").splitlines())
    elif status is not None and 400 <= status < 500:
        parser.parse([])  # no rules: everything allowed
    else:
        parser.parse(["User-agent: *", "Disallow: /"])
    parser.modified()  # RobotFileParser refuses everything until it believes it has read a file
    return RobotsRules(parser, expires, error)


class RobotsCache:
    """Per-origin robots.txt rules with a TTL; concurrent first requests share one fetch."""

    def __init__(self, agent: str, ttl: float = 3600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.agent = agent
        self.ttl = ttl
        self._clock = clock
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str, fetch: RobotsFetch) -> RobotsRules:
        key = origin(url)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._rules.get(key)
            if cached is not None and cached.expires > self._clock():
                return cached
            answer = await fetch(f"{key}/robots.txt")
            if isinstance(answer, str):
                rules = rules_from_response(None, b"", self._clock() + min(self.ttl, ERROR_TTL), answer)
            else:
                status, body = answer
                ttl = self.ttl if status < 500 else min(self.ttl, ERROR_TTL)
                rules = rules_from_response(status, body, self._clock() + ttl)
            self._rules[key] = rules
            return rules

    async def allowed(self, url: str, fetch: RobotsFetch) -> bool:
        return (await self.rules_for(url, fetch)).allows(self.agent, url)
