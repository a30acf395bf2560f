"""The polite HTTP client against a real loopback server: what actually goes over the wire."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import brotli
import peak_memory
import pytest
from peak_memory import peak_growth
from sources_support import Handler, LoopbackServer, QuietServer, gzipped

from newsprism.sources.fetch import (
    AddressGuard,
    BlockedAddress,
    FetchConfig,
    Fetcher,
    FetchError,
    FetchResult,
    RobotsDisallowed,
    TooLarge,
    is_public_address,
)


def fetch(config: FetchConfig, url: str, **kwargs: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(config) as fetcher:
            return await fetcher.get(url, **kwargs)

    return asyncio.run(go())


def test_user_agent_names_the_project(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    server.static("/a", "<p>hi</p>")
    result = fetch(fetch_config, server.url("/a"))
    assert result.status == 200 and result.content == b"<p>hi</p>"
    assert server.hits_for("/a")[0].headers["User-Agent"].startswith("newsprism/")
    assert "+https://github.com/newsprism" in server.hits_for("/a")[0].headers["User-Agent"]


def test_conditional_get_second_request_transfers_no_body(
    server: LoopbackServer, fetch_config: FetchConfig
) -> None:
    server.static(
        "/feed", "<rss/>" * 1000, "application/rss+xml", etag='"v1"', last_modified="Mon, 01 Jan 2026"
    )
    first = fetch(fetch_config, server.url("/feed"))
    assert first.status == 200 and first.etag == '"v1"' and len(first.content) == 6000
    second = fetch(fetch_config, server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    hits = server.hits_for("/feed")
    assert hits[1].headers["If-None-Match"] == '"v1"'
    assert hits[1].headers["If-Modified-Since"] == "Mon, 01 Jan 2026"
    assert (hits[0].sent, hits[1].sent, hits[1].status) == (6000, 0, 304)


def test_gzip_and_brotli_are_decoded(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    body = b"<p>" + b"compressible " * 500 + b"</p>"
    server.routes["/gz"] = lambda h: h.reply(200, gzipped(body), {"Content-Encoding": "gzip"})
    server.routes["/br"] = lambda h: h.reply(200, brotli.compress(body), {"Content-Encoding": "br"})
    assert fetch(fetch_config, server.url("/gz")).content == body
    assert fetch(fetch_config, server.url("/br")).content == body
    assert "br" in server.hits_for("/br")[0].headers["Accept-Encoding"]


def test_robots_disallow_is_respected_and_cached(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    server.static("/private/secret", "nope")
    server.static("/public", "yes")

    async def go() -> None:
        async with Fetcher(fetch_config) as fetcher:
            with pytest.raises(RobotsDisallowed):
                await fetcher.get(server.url("/private/secret"))
            await fetcher.get(server.url("/public"))
            await fetcher.get(server.url("/public"))

    asyncio.run(go())
    assert server.hits_for("/private/secret") == []
    assert len(server.hits_for("/robots.txt")) == 1
    assert len(server.hits_for("/public")) == 2


def test_robots_server_error_means_disallow(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    server.static("/robots.txt", "down", status=503)
    server.static("/page", "x")
    with pytest.raises(FetchError, match=r"robots\.txt answered HTTP 503"):
        fetch(replace(fetch_config, retries=0), server.url("/page"))
    assert server.hits_for("/page") == []


def test_rate_limit_spaces_request_starts(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    server.static("/r", "ok")
    config = replace(fetch_config, per_host_interval=0.25, per_host_concurrency=4)

    async def go() -> list[float]:
        async with Fetcher(config) as fetcher:
            await asyncio.gather(*(fetcher.get(server.url("/r")) for _ in range(5)))
            return fetcher.stats.request_starts[server.host]

    client_starts = asyncio.run(go())  # robots.txt + 5 pages, all on one host
    client_gaps = [b - a for a, b in itertools.pairwise(client_starts)]
    assert len(client_gaps) == 5 and min(client_gaps) >= 0.245, client_gaps
    server_starts = sorted(h.at for h in server.hits_for("/r"))
    server_gaps = [b - a for a, b in itertools.pairwise(server_starts)]
    # as seen by the server (scheduling jitter allowed per gap, none overall)
    assert min(server_gaps) >= 0.15 and server_starts[-1] - server_starts[0] >= 0.95, server_gaps


def test_per_host_concurrency_is_capped(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    active = {"now": 0, "max": 0}
    guard = threading.Lock()

    def slow(h: Handler) -> None:
        with guard:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.15)
        with guard:
            active["now"] -= 1
        h.reply(200, b"ok")

    server.routes["/slow"] = slow
    config = replace(fetch_config, per_host_concurrency=2)

    async def go() -> None:
        async with Fetcher(config) as fetcher:
            await asyncio.gather(*(fetcher.get(server.url("/slow")) for _ in range(6)))

    asyncio.run(go())
    assert active["max"] == 2


def test_server_error_then_success_is_retried(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    calls = {"n": 0}

    def flaky(h: Handler) -> None:
        calls["n"] += 1
        h.reply(500 if calls["n"] <= 2 else 200, b"ok" if calls["n"] > 2 else b"boom")

    server.routes["/flaky"] = flaky

    async def go() -> tuple[FetchResult, int]:
        async with Fetcher(fetch_config) as fetcher:
            return await fetcher.get(server.url("/flaky")), fetcher.stats.retries

    result, retries = asyncio.run(go())
    assert result.status == 200 and result.content == b"ok"
    assert retries == 2 and calls["n"] == 3
    starts = [h.at for h in server.hits_for("/flaky")]
    assert starts[1] - starts[0] >= 0.025 and starts[2] - starts[1] >= 0.05  # backed off (with jitter)


def test_persistent_server_error_gives_up(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    server.static("/down", "boom", status=503)
    with pytest.raises(FetchError) as info:
        fetch(fetch_config, server.url("/down"))
    assert info.value.status == 503 and info.value.transient
    assert len(server.hits_for("/down")) == fetch_config.retries + 1


def test_hanging_server_times_out_fast(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    def hang(h: Handler) -> None:
        server.closing.wait(30)

    server.routes["/hang"] = hang
    config = replace(fetch_config, read_timeout=0.4, retries=1, backoff_base=0.05)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(config, server.url("/hang"))
    assert "timed out" in str(info.value) and info.value.transient
    assert time.monotonic() - started < 3.0


def test_slow_drip_body_hits_total_timeout(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    def drip(h: Handler) -> None:
        def chunks() -> Iterator[bytes]:
            while not server.closing.is_set():
                time.sleep(0.1)
                yield b"."

        h.stream(chunks())

    server.routes["/drip"] = drip
    config = replace(fetch_config, total_timeout=0.8, retries=0)
    started = time.monotonic()
    with pytest.raises(FetchError):
        fetch(config, server.url("/drip"))
    assert time.monotonic() - started < 3.0


def test_fifty_megabyte_body_is_cut_off_while_streaming(
    server: LoopbackServer, fetch_config: FetchConfig
) -> None:
    chunk = b"x" * 65536

    def huge(h: Handler) -> None:
        h.stream(chunk for _ in range(50 * 1024 * 1024 // len(chunk)))

    server.routes["/huge"] = huge
    started = time.monotonic()
    with pytest.raises(TooLarge):
        fetch(fetch_config, server.url("/huge"), max_bytes=1_000_000)
    assert time.monotonic() - started < 5.0
    time.sleep(0.2)  # let the server notice the hang-up
    assert server.hits_for("/huge")[0].sent < 20 * 1024 * 1024  # nowhere near 50 MB went out


def test_declared_oversize_body_is_refused_before_reading(
    server: LoopbackServer, fetch_config: FetchConfig
) -> None:
    server.static("/big", b"y" * 2_000_000)
    with pytest.raises(TooLarge, match="declares"):
        fetch(fetch_config, server.url("/big"), max_bytes=1_000_000)


def test_gzip_bomb_stops_at_the_cap(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    bomb = gzipped(b"\0" * 30_000_000)  # ~30 KB on the wire, 30 MB decoded
    server.routes["/bomb"] = lambda h: h.reply(200, bomb, {"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        fetch(fetch_config, server.url("/bomb"), max_bytes=1_000_000)


def _bomb(compressor: Any, finish: Callable[[], bytes], size: int = 1 << 30) -> bytes:
    """``size`` zero bytes compressed in 1 MiB steps (the test never holds the expansion)."""
    block = bytes(1 << 20)
    return b"".join(compressor(block) for _ in range(size >> 20)) + finish()


@pytest.fixture(scope="module")
def bombs() -> dict[str, tuple[str, bytes]]:
    """1 GiB of brotli in ~1.6 KB (as the probe sent); deflate tops out near 1000:1, so its bombs
    are 256 MiB in ~260 KB (generating 1 GiB costs seconds and proves nothing more)."""
    gz = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    deflate = zlib.compressobj(6)
    br = brotli.Compressor(quality=3)
    gzip_body = _bomb(gz.compress, gz.flush, 256 << 20)
    return {
        "gzip": ("gzip", gzip_body),
        "deflate": ("deflate", _bomb(deflate.compress, deflate.flush, 256 << 20)),
        "br": ("br", _bomb(br.process, br.finish)),
        # two codings, gzip applied first: the br of a gzip bomb
        "gzip-br": ("gzip, br", brotli.compress(gzip_body)),
    }


@pytest.mark.parametrize("name", ["gzip", "deflate", "br", "gzip-br"])
def test_decompression_bombs_stop_at_the_cap_in_bounded_memory(
    server: LoopbackServer, fetch_config: FetchConfig, bombs: dict[str, tuple[str, bytes]], name: str
) -> None:
    """Issue #16 item 2: a 1 GiB expansion used to be decoded chunk by chunk before the cap was
    checked (brotli: 2 GB RSS). Each coding now decodes in bounded steps."""
    coding, body = bombs[name]
    assert len(body) < 2_000_000  # a small download...
    server.routes["/bomb"] = lambda h: h.reply(200, body, {"Content-Encoding": coding})
    fetch(fetch_config, server.url("/robots.txt"))  # warm up: imports, TLS context, pools
    outcome, growth = peak_growth(lambda: fetch(fetch_config, server.url("/bomb")))
    print(f"{name}: {len(body):,} bytes on the wire, peak RSS growth {growth / peak_memory.MB:.1f} MB")
    assert isinstance(outcome, TooLarge), outcome  # ...stopped at the default 10 MB cap
    assert growth <= peak_memory.LIMIT, f"{name}: peak RSS grew {growth / peak_memory.MB:.0f} MB"


def test_corrupt_or_unknown_coding_is_a_clear_fetch_error(
    server: LoopbackServer, fetch_config: FetchConfig
) -> None:
    server.routes["/bad"] = lambda h: h.reply(200, b"not gzip at all", {"Content-Encoding": "gzip"})
    server.routes["/zz"] = lambda h: h.reply(200, b"whatever", {"Content-Encoding": "compress"})
    with pytest.raises(FetchError, match="corrupt gzip"):
        fetch(fetch_config, server.url("/bad"))
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'compress'"):
        fetch(fetch_config, server.url("/zz"))


def test_redirects_are_followed_with_a_limit(server: LoopbackServer, fetch_config: FetchConfig) -> None:
    server.redirect("/old", "/new", 301)
    server.static("/new", "moved here")
    result = fetch(fetch_config, server.url("/old"))
    assert result.final_url == server.url("/new") and result.redirects == (server.url("/old"),)
    server.redirect("/loop", "/loop")
    with pytest.raises(FetchError, match="redirects"):
        fetch(fetch_config, server.url("/loop"))
    assert len(server.hits_for("/loop")) == fetch_config.max_redirects + 1


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9/",
        "http://[::1]/",
    ],
)
def test_redirect_to_private_address_is_refused_without_connecting(
    server: LoopbackServer, fetch_config: FetchConfig, target: str
) -> None:
    server.redirect("/go", target)

    async def go() -> list[tuple[str, int, str]]:
        async with Fetcher(fetch_config) as fetcher:
            with pytest.raises(BlockedAddress):
                await fetcher.get(server.url("/go"))
            return fetcher.backend.refused

    started = time.monotonic()
    refused = asyncio.run(go())
    assert time.monotonic() - started < 1.5  # no connect attempt (10.0.0.1 would hang until timeout)
    assert refused and refused[0][0] in target


def test_loopback_is_refused_unless_allowed(server: LoopbackServer) -> None:
    server.static("/a", "x")
    with pytest.raises(BlockedAddress, match="non-public"):
        fetch(FetchConfig(retries=0), server.url("/a"))
    assert server.hits == []
    assert fetch(FetchConfig(allow_private=True, per_host_interval=0), server.url("/a")).content == b"x"


def test_non_http_schemes_are_refused(fetch_config: FetchConfig) -> None:
    for url in ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/"]:
        with pytest.raises(FetchError, match="only http"):
            fetch(fetch_config, url)


def test_address_classification() -> None:
    assert is_public_address("93.184.216.34") and is_public_address("2606:4700::1111")
    for private in ["10.0.0.1", "127.0.0.1", "169.254.169.254", "192.168.1.1", "::1", "fe80::1", "0.0.0.0"]:
        assert not is_public_address(private), private
    assert not is_public_address("::ffff:10.0.0.1")  # IPv4-mapped private
    assert not is_public_address("224.0.0.1")  # multicast
    guard = AddressGuard(allowed_hosts=frozenset({"127.0.0.1:8080"}))
    assert guard.permits("127.0.0.1", 8080, "127.0.0.1")
    assert not guard.permits("127.0.0.1", 8081, "127.0.0.1")


def test_ipv6_forms_embedding_a_private_ipv4_are_refused() -> None:
    """Issue #16 item 7: translators and tunnels deliver these to the IPv4 address inside."""
    for private in [
        "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254 (cloud metadata)
        "64:ff9b::7f00:1",  # NAT64 to 127.0.0.1
        "64:ff9b:1::7f00:1",  # local-use NAT64 prefix
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "::127.0.0.1",  # IPv4-compatible
        "::ffff:0:7f00:1",  # SIIT
        "::ffff:127.0.0.1",  # IPv4-mapped
        "fec0::1",  # site-local
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    ]:
        assert not is_public_address(private), private
    # the same translations of a public address stay public
    for public in ["64:ff9b::5db8:d822", "2002:5db8:d822::1", "::ffff:93.184.216.34"]:
        assert is_public_address(public), public


def test_config_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPRISM_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("NEWSPRISM_ALLOWED_HOSTS", "127.0.0.1:1234, Intranet")
    monkeypatch.setenv("NEWSPRISM_HOST_INTERVAL", "0.5")
    config = FetchConfig.from_env(retries=0)
    assert config.allow_private and config.allowed_hosts == {"127.0.0.1:1234", "intranet"}
    assert config.per_host_interval == 0.5 and config.retries == 0


def test_https_verifies_the_host_name_though_the_vetted_ip_is_dialled(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl not available to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    owner = LoopbackServer(httpd)
    httpd.owner = owner  # type: ignore[attr-defined]
    owner.static("/robots.txt", "", "text/plain")
    owner.static("/a", "secure")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        port = owner.port
        config = FetchConfig(
            allowed_hosts=frozenset({f"localhost:{port}", f"127.0.0.1:{port}"}),
            ca_bundle=str(cert),
            per_host_interval=0,
            retries=0,
        )
        assert fetch(config, f"https://localhost:{port}/a").content == b"secure"
        with pytest.raises(FetchError):  # same socket address, but the certificate does not name it
            fetch(config, f"https://127.0.0.1:{port}/a")
    finally:
        httpd.shutdown()
        httpd.server_close()
