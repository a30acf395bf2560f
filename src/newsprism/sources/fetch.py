"""Polite, defensive HTTP for feeds and article pages.

Polite: a User-Agent that names the project, robots.txt honoured, at most N requests in flight
and one request start per ``per_host_interval`` seconds for each host, conditional GET so an
unchanged feed costs a 304, exponential backoff with jitter when a server struggles.

Defensive: every response body is streamed and abandoned past a size cap (after decompression,
which runs in bounded steps, see ``decoding.py``, so a gzip or brotli bomb stops at the cap),
every request has connect/read/total timeouts, redirects are followed by hand with a limit, and
the SSRF guard runs *inside the connection layer*: the host is resolved, every address is checked,
and only a vetted address is connected to. That makes the check apply to every hop of a redirect
chain and to robots.txt, and leaves no window for DNS rebinding between the check and the connect."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import random
import socket
import ssl
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import Any
from urllib.parse import urljoin, urlsplit

import anyio
import httpcore
import httpx

from newsprism.sources.decoding import ACCEPT_ENCODING, DecodingError, StreamDecoder
from newsprism.sources.robots import RobotsCache
from newsprism.sources.urls import InvalidURL, check_url, host_key


def _version() -> str:
    try:
        return metadata.version("newsprism")
    except metadata.PackageNotFoundError:  # running from a source tree without an install
        return "0"


USER_AGENT = f"newsprism/{_version()} (+https://github.com/newsprism/newsprism)"
ROBOTS_AGENT = "newsprism"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


# ---- errors -------------------------------------------------------------------------------------
class FetchError(Exception):
    """A fetch that produced no usable response; ``transient`` says whether retrying later helps."""

    def __init__(self, message: str, *, url: str, status: int | None = None, transient: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.transient = transient


class BlockedAddress(FetchError):
    """The SSRF guard refused to connect: the host resolves to a non-public address."""


class RobotsDisallowed(FetchError):
    """robots.txt asks us not to fetch this URL."""


class TooLarge(FetchError):
    """The body exceeded the size cap (the transfer was abandoned, not buffered)."""


# ---- configuration ------------------------------------------------------------------------------
def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class FetchConfig:
    """Knobs of the HTTP client; ``from_env`` reads the operator's ``NEWSPRISM_*`` overrides."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # the whole exchange: a slow-drip server cannot hold a slot forever
    max_bytes: int = 10_000_000
    retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_interval: float = 1.0
    respect_robots: bool = True
    robots_ttl: float = 3600.0
    allow_private: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)  # "host", "host:port" or an IP
    ca_bundle: str | None = None  # extra trust (a corporate CA); default: certifi's bundle

    @classmethod
    def from_env(cls, **overrides: Any) -> FetchConfig:
        """Defaults, then ``NEWSPRISM_ALLOW_PRIVATE``, ``NEWSPRISM_ALLOWED_HOSTS`` (comma list),
        ``NEWSPRISM_HOST_INTERVAL`` and ``NEWSPRISM_FETCH_TIMEOUT``, then explicit overrides."""
        config = cls(
            allow_private=_env_flag("NEWSPRISM_ALLOW_PRIVATE"),
            allowed_hosts=frozenset(
                h.strip().lower()
                for h in os.environ.get("NEWSPRISM_ALLOWED_HOSTS", "").split(",")
                if h.strip()
            ),
        )
        if "NEWSPRISM_HOST_INTERVAL" in os.environ:
            config = replace(config, per_host_interval=float(os.environ["NEWSPRISM_HOST_INTERVAL"]))
        if "NEWSPRISM_FETCH_TIMEOUT" in os.environ:
            seconds = float(os.environ["NEWSPRISM_FETCH_TIMEOUT"])
            config = replace(config, connect_timeout=seconds, read_timeout=seconds)
        return replace(config, **overrides)


# ---- SSRF guard ---------------------------------------------------------------------------------
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: IPv4 in the low 32 bits
_SIIT = ipaddress.IPv6Network("::ffff:0:0:0/96")  # RFC 2765: ::ffff:0:a.b.c.d
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d
# never globally routable, though CPython 3.11's ``is_global`` says otherwise:
_NOT_PUBLIC_V6 = (
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # RFC 8215 local-use NAT64 (embedding varies)
    ipaddress.IPv6Network("fec0::/10"),  # site-local (deprecated, still routed inside some sites)
)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address carries (mapped, SIIT, compatible, 6to4, Teredo, NAT64).

    A translator or tunnel on the path delivers such an address to its IPv4 inside, so the
    guard must judge those too: ``64:ff9b::a9fe:a9fe`` is the cloud metadata service.
    """
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if any(ip in net for net in (_NAT64_WELL_KNOWN, _SIIT, _IPV4_COMPATIBLE)):
        found.append(low32)
    return [v4 for v4 in found if v4 is not None]


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses; an IPv6 address that embeds an IPv4 one is
    public only if every embedded IPv4 address is too."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _NOT_PUBLIC_V6):
            return False
        embedded = embedded_ipv4(ip)
        if embedded:
            return all(_public(v4) for v4 in embedded)
    return _public(ip)


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class AddressGuard:
    """Decides whether a (host, port, resolved address) may be connected to."""

    allow_private: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    def permits(self, host: str, port: int, address: str) -> bool:
        if self.allow_private or is_public_address(address):
            return True
        host = host.lower().strip("[]")
        names = {host, f"{host}:{port}", address, f"{address}:{port}"}
        return not names.isdisjoint(self.allowed_hosts)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that resolves, vets and then connects to a vetted address."""

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()
        self.refused: list[tuple[str, int, str]] = []  # for tests and logs: what was never connected

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port, timeout)
        for address in addresses:
            if not self.guard.permits(host, port, address):
                self.refused.append((host, port, address))
                raise BlockedAddress(
                    f"refused to connect to {host}:{port}: it resolves to the non-public address "
                    f"{address} (set NEWSPRISM_ALLOW_PRIVATE=1 or NEWSPRISM_ALLOWED_HOSTS to allow)",
                    url=f"{host}:{port}",
                )
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:
            with anyio.fail_after(timeout):
                infos = await anyio.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("unix sockets are never used for fetching", url=path)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(backend: GuardedBackend, ca_bundle: str | None = None) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections all go through ``backend``.

    httpx has no public hook for the network backend, so the pool is rebuilt with it. TLS still
    verifies the certificate against the URL's host name (SNI), although the socket was opened
    to the vetted IP address.
    """
    context = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=backend,
    )
    return transport


# ---- per-host politeness ------------------------------------------------------------------------
class HostLimiter:
    """At most ``concurrency`` requests in flight per host, request starts ``interval`` s apart."""

    def __init__(self, concurrency: int, interval: float) -> None:
        self.concurrency = max(1, concurrency)
        self.interval = max(0.0, interval)
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_start: dict[str, float] = {}
        self._intervals: dict[str, float] = {}

    def slow_down(self, host: str, interval: float) -> None:
        """Raise one host's interval (robots.txt ``Crawl-delay``); never lowers it."""
        self._intervals[host] = max(self.interval, interval)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        semaphore = self._slots.setdefault(host, asyncio.Semaphore(self.concurrency))
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with semaphore:
            async with lock:
                wait = self._next_start.get(host, 0.0) - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start[host] = time.monotonic() + self._intervals.get(host, self.interval)
            yield


# ---- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FetchResult:
    """A 2xx or 304 answer; ``content`` is decoded (gzip/brotli undone) and within the cap."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class _Raw:
    status: int
    headers: httpx.Headers
    content: bytes


@dataclass
class FetchStats:
    requests: int = 0
    bytes_received: int = 0
    retries: int = 0
    request_starts: dict[str, list[float]] = field(default_factory=dict)


# ---- the client ---------------------------------------------------------------------------------
class Fetcher:
    """The one HTTP client of the sources layer; use as ``async with Fetcher(config) as f``."""

    def __init__(self, config: FetchConfig | None = None) -> None:
        self.config = config or FetchConfig.from_env()
        self.backend = GuardedBackend(AddressGuard(self.config.allow_private, self.config.allowed_hosts))
        cfg = self.config
        self._client = httpx.AsyncClient(
            transport=guarded_transport(self.backend, cfg.ca_bundle),
            timeout=httpx.Timeout(cfg.read_timeout, connect=cfg.connect_timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": cfg.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self.limiter = HostLimiter(cfg.per_host_concurrency, cfg.per_host_interval)
        self.robots = RobotsCache(ROBOTS_AGENT, cfg.robots_ttl)
        self.stats = FetchStats()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = HTML_ACCEPT,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET with robots, redirects (each hop re-checked), retries and the size cap."""
        requested = url = self._checked(url, url)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hops: list[str] = []
        while True:
            await self._check_robots(url)
            raw = await self._with_retries(url, headers, max_bytes or self.config.max_bytes)
            location = raw.headers.get("location")
            if raw.status not in REDIRECT_STATUSES:
                return self._result(requested, url, raw, hops)
            if not location:
                raise FetchError(f"HTTP {raw.status} without a Location header", url=url, status=raw.status)
            if len(hops) >= self.config.max_redirects:
                raise FetchError(
                    f"more than {self.config.max_redirects} redirects", url=requested, status=raw.status
                )
            hops.append(url)
            url = self._checked(urljoin(url, location), requested)

    # ---- internals ----------------------------------------------------------------------------
    @staticmethod
    def _checked(url: str, requested: str) -> str:
        try:
            return check_url(url)
        except InvalidURL as exc:
            raise FetchError(str(exc), url=requested) from exc

    def _result(self, requested: str, url: str, raw: _Raw, hops: list[str]) -> FetchResult:
        if raw.status != 304 and not 200 <= raw.status < 300:
            raise FetchError(
                f"HTTP {raw.status} from {url}",
                url=requested,
                status=raw.status,
                transient=raw.status in RETRY_STATUSES,
            )
        return FetchResult(
            url=requested,
            final_url=url,
            status=raw.status,
            content=raw.content,
            content_type=raw.headers.get("content-type", "").split(";")[0].strip().lower(),
            etag=raw.headers.get("etag"),
            last_modified=raw.headers.get("last-modified"),
            redirects=tuple(hops),
        )

    async def _check_robots(self, url: str) -> None:
        if not self.config.respect_robots:
            return
        rules = await self.robots.rules_for(url, self._fetch_robots)
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self.limiter.slow_down(host_key(url), delay)
        if rules.error is not None:
            raise FetchError(
                f"{rules.error}; not fetching from this host until robots.txt can be read",
                url=url,
                transient=True,
            )
        if not rules.allows(ROBOTS_AGENT, url):
            raise RobotsDisallowed(f"robots.txt disallows {url}", url=url)

    async def _fetch_robots(self, robots_url: str) -> tuple[int, bytes] | str:
        """robots.txt itself: redirects followed (same limit), the guard applies, never robots."""
        url = robots_url
        try:
            for _ in range(self.config.max_redirects + 1):
                raw = await self._with_retries(url, {"Accept": "text/plain"}, 512_000)
                location = raw.headers.get("location")
                if raw.status not in REDIRECT_STATUSES or not location:
                    return raw.status, raw.content
                url = check_url(urljoin(url, location))
        except BlockedAddress:
            raise
        except (FetchError, InvalidURL) as exc:
            return f"robots.txt unavailable ({exc})"
        return "robots.txt unavailable (too many redirects)"

    async def _with_retries(self, url: str, headers: dict[str, str], max_bytes: int) -> _Raw:
        attempt = 0
        while True:
            try:
                raw = await self._once(url, headers, max_bytes)
            except (httpx.TransportError, TimeoutError) as exc:
                if attempt >= self.config.retries:
                    raise FetchError(_describe(exc, url), url=url, transient=True) from exc
                delay = self._backoff(attempt)
            else:
                if raw.status not in RETRY_STATUSES or attempt >= self.config.retries:
                    return raw
                delay = max(self._backoff(attempt), _retry_after(raw.headers.get("retry-after")))
            attempt += 1
            self.stats.retries += 1
            await asyncio.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter (spreads retries of many clients apart)."""
        ceiling = min(self.config.backoff_max, self.config.backoff_base * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)

    async def _once(self, url: str, headers: dict[str, str], max_bytes: int) -> _Raw:
        host = host_key(url)
        async with self.limiter.slot(host):
            self.stats.requests += 1
            self.stats.request_starts.setdefault(host, []).append(time.monotonic())
            async with asyncio.timeout(self.config.total_timeout):
                async with self._client.stream("GET", url, headers=headers) as response:
                    if response.status_code == 304 or not 200 <= response.status_code < 300:
                        return _Raw(response.status_code, response.headers, b"")
                    body = await self._read_capped(response, url, max_bytes)
        return _Raw(response.status_code, response.headers, body)

    async def _read_capped(self, response: httpx.Response, url: str, max_bytes: int) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            message = f"{url} declares {int(declared):,} bytes, over the {max_bytes:,}-byte cap"
            raise TooLarge(message, url=url)
        try:
            decoder = StreamDecoder(response.headers.get("content-encoding", ""))
        except DecodingError as exc:
            raise FetchError(f"{url}: {exc}", url=url) from exc
        chunks: list[bytes] = []
        total = 0
        async for raw in response.aiter_raw():
            self.stats.bytes_received += len(raw)
            total = _collect(decoder.feed(raw), chunks, total, url, max_bytes)
        _collect(decoder.finish(), chunks, total, url, max_bytes)
        return b"".join(chunks)


def _collect(pieces: Iterator[bytes], into: list[bytes], total: int, url: str, max_bytes: int) -> int:
    """Append decoded pieces until the cap; the decoder yields bounded pieces, so at most one
    step beyond the cap is ever held in memory."""
    try:
        for piece in pieces:
            total += len(piece)
            if total > max_bytes:
                raise TooLarge(f"{url} is larger than the {max_bytes:,}-byte cap (stopped reading)", url=url)
            into.append(piece)
    except DecodingError as exc:
        raise FetchError(f"{url}: {exc}", url=url) from exc
    return total


def _retry_after(value: str | None) -> float:
    """Seconds a server asked us to wait (``Retry-After`` as seconds or a date), capped."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))


def _describe(exc: BaseException, url: str) -> str:
    host = urlsplit(url).netloc
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return f"timed out talking to {host}"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {host}: {exc}"
    return f"network error from {host}: {exc.__class__.__name__}: {exc}"
