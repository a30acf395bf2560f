"""Running the app under uvicorn with timeouts that close slow or idle connections.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but has no timer for a
client that sends its request headers slowly: 300 such connections held open for 25 s were
never closed. ``HeaderTimeoutH11`` adds one: a connection whose request line and headers are
not complete ``header_timeout`` seconds after it opened (or after its previous response) is
closed. ``limit_concurrency`` bounds the connections and tasks served at once (503 beyond).
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


class HeaderTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol plus a deadline for each request's headers."""

    header_timeout = HEADER_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # request line and headers are in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def server_options() -> dict[str, Any]:
    """uvicorn keyword arguments shared by ``newsprism serve`` and the web benchmark."""
    return {
        "http": HeaderTimeoutH11,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_graceful_shutdown": 10,
    }
