"""Running the app under uvicorn with timeouts that close slow or idle connections.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but has no timer for a
client that sends its request headers slowly: 300 such connections held open for 25 s were
never closed. ``HeaderTimeoutH11`` adds one: a connection whose request line and headers are
not complete ``header_timeout`` seconds after it opened (or after its previous response) is
closed, on the httptools parser when it is installed (a required dependency; faster), else on
h11. ``limit_concurrency`` bounds the connections and tasks served at once (503 beyond).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = float(os.environ.get("NEWSPRISM_HEADER_TIMEOUT", "10"))
MAX_CONNECTIONS = int(os.environ.get("NEWSPRISM_MAX_CONNECTIONS", "1000"))
KEEP_ALIVE_TIMEOUT = 5


class _HeaderDeadline:
    """The header deadline shared by both HTTP protocols: armed when a connection opens or goes
    idle after a response, disarmed once a request's headers are in."""

    header_timeout = HEADER_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._awaiting_headers() and not self.transport.is_closing():
            self.transport.close()

    def _awaiting_headers(self) -> bool:
        raise NotImplementedError


class HeaderTimeoutH11(_HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol plus a deadline for each request's headers."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if not self._awaiting_headers():  # request line and headers are in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _awaiting_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE


def _httptools_protocol() -> type[asyncio.Protocol] | None:
    """The header-deadline protocol on uvicorn's httptools parser, when httptools is installed.

    Why: with 50 clients the HTTP layer was a third of a JSON API request's server CPU; the C
    parser (httptools) cuts ~0.1 ms per request against the pure-Python h11 (measured with
    ``benchmarks/web.py``, server CPU per request). h11 stays the fallback.
    """
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return None

    class HeaderTimeoutHttpTools(_HeaderDeadline, HttpToolsProtocol):
        """uvicorn's httptools protocol plus a deadline for each request's headers."""

        _waiting = True  # for the headers of the next request (none in flight, none queued)

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_headers_complete(self) -> None:
            self._waiting = False
            self._disarm()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            idle = not self.pipeline  # a queued request already has its headers
            super().on_response_complete()
            if idle and not self.transport.is_closing():
                self._waiting = True
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _awaiting_headers(self) -> bool:
            return self._waiting

    return HeaderTimeoutHttpTools


def server_options() -> dict[str, Any]:
    """uvicorn keyword arguments shared by ``newsprism serve`` and the web benchmark."""
    return {
        "http": _httptools_protocol() or HeaderTimeoutH11,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_graceful_shutdown": 10,
    }
