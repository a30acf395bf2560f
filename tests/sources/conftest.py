"""Fixtures for the sources tests: a real HTTP server on loopback and a client config for it.

Each test gets its own server on an ephemeral port, so tests run in parallel (``pytest -n``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sources_support import Handler, LoopbackServer, QuietServer

from newsprism.sources.fetch import FetchConfig


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    owner = LoopbackServer(httpd)
    httpd.owner = owner  # type: ignore[attr-defined]
    owner.static("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield owner
    owner.closing.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def fetch_config(server: LoopbackServer) -> FetchConfig:
    """Loopback allowed for this server's port only; fast timeouts and backoff for tests."""
    return FetchConfig(
        allowed_hosts=frozenset({server.host}),
        per_host_interval=0.0,
        per_host_concurrency=4,
        connect_timeout=2.0,
        read_timeout=2.0,
        total_timeout=10.0,
        backoff_base=0.05,
        backoff_max=0.2,
    )
