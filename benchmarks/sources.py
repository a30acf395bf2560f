"""Benchmark the sources layer: entries processed per second from a 1,000-item local feed.

A feed of N items is served on loopback by a separate process (so the server does not compete
for our GIL). Three modes, each run in its own process so peak memory is measured per mode:

* ``sources``  — fetch + parse + seen bookkeeping, pipeline replaced by a no-op (the ceiling
                 of this layer);
* ``full``     — feed entries carry full text (content:encoded): parse → Page → real pipeline
                 (extract, group, store on SQLite, analyse);
* ``pages``    — summary-only entries: every article page is fetched (per-host interval 0,
                 4 in flight) and then goes through the real pipeline.

Run: ``.venv/bin/python benchmarks/sources.py [--items 1000] [--mode all|sources|full|pages]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CITIES = [
    "Lisbon",
    "Nairobi",
    "Osaka",
    "Quito",
    "Tallinn",
    "Perth",
    "Accra",
    "Bergen",
    "Cusco",
    "Hanoi",
    "Lima",
]
THINGS = ["flood barrier", "tram line", "seed bank", "solar farm", "museum wing", "bridge", "clinic"]
PEOPLE = ["engineers", "commuters", "farmers", "residents", "historians", "nurses", "teachers"]


def paragraphs(n: int) -> list[str]:
    city, thing, people = CITIES[n % 10], THINGS[n % 7], PEOPLE[(n // 7) % 7]
    return [
        f"Officials in {city} opened a new {thing} on day {n}, after {people} spent {n % 9 + 2} years "
        f"campaigning and collected {1000 + 37 * n} signatures for project {n}.",
        f"The {thing} cost about {n % 50 + 10} million euros and finished {n % 5 + 1} weeks early, "
        f"the city said, despite a wet spring and supply delays affecting {n % 13 + 2} suppliers.",
        f'"This changes daily life for {2000 + 11 * n} families," said committee chair Person {n}, '
        f"adding that a second phase for {city} would begin in {2027 + n % 3}.",
        f"Critics argued the money could have gone to schools; {n % 7 + 3} council members voted "
        f"against the plan for the {thing} when it was first tabled in {city}.",
        f"Project {n} will be reviewed next year by an independent panel, and its findings on the "
        f"{thing} will be published in full, a spokesperson for {city} said on Tuesday evening.",
        f"Local businesses near the {thing} said trade had risen by {n % 20 + 5} percent since "
        f"construction ended, though {people} warned that parking remained a problem.",
    ]


def article_html(n: int) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs(n))
    return (
        f"<!DOCTYPE html><html><head><title>Item {n}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Project {n} opens</h1>{body}</article><footer>(c) Bench</footer></body></html>"
    ).encode()


def feed(base: str, items: int, full: bool) -> bytes:
    parts = []
    for n in range(items):
        content = "".join(f"<p>{p}</p>" for p in paragraphs(n)) if full else ""
        encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if full else ""
        parts.append(
            f"<item><title>Project {n} opens</title>"
            f"<link>{escape(base)}/story/{n}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<guid>{base}/story/{n}</guid>"
            f"<pubDate>{formatdate(1_790_000_000 + 60 * n, usegmt=True)}</pubDate>"
            f"<description>Teaser {n}</description>{encoded}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title>'
        f"<link>{base}/</link><description>bench</description>{''.join(parts)}</channel></rss>"
    ).encode()


# ---- the server (child process) -----------------------------------------------------------------
def serve(port_queue: Any, items: int) -> None:
    routes: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16  # one send per response: unbuffered writes hit Nagle + delayed ACK (40 ms)

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            body = routes.get(path)
            if body is None and path.startswith("/story/"):
                body = article_html(int(path.rsplit("/", 1)[1]))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/rss+xml" if "feed" in path else "text/html")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    routes["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    routes["/full-feed"] = feed(base, items, full=True)
    routes["/summary-feed"] = feed(base, items, full=False)
    port_queue.put(httpd.server_address[1])
    httpd.serve_forever()


# ---- one measured run ---------------------------------------------------------------------------
@dataclass
class NullReport:
    added: list[Any] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[Any] = field(default_factory=list)


@dataclass
class _Added:
    id: str
    source: str


class NullIngestor:
    """Accepts every page without doing anything: isolates the cost of the sources layer."""

    def ingest_pages(self, pages: Sequence[Any], *, analyse: bool = True) -> NullReport:
        return NullReport(added=[_Added(f"a{i}", p.source) for i, p in enumerate(pages)])

    def refresh_analyses(self) -> list[str]:
        return []


def measure(mode: str, port: int, items: int, trace: bool = False) -> dict[str, Any]:
    from newsprism.config import Settings
    from newsprism.sources.fetch import FetchConfig, Fetcher
    from newsprism.sources.watch import WatchConfig, Watcher
    from newsprism.store.repository import Repository
    from newsprism.store.sources import SourceStore

    ingestor: Any = NullIngestor()
    tmp = tempfile.mkdtemp(prefix="newsprism-bench-")
    repo = Repository.open(f"sqlite:///{tmp}/bench.db")
    if mode != "sources":
        from newsprism.pipeline import Ingestor

        ingestor = Ingestor(repo, Settings(database_url=f"sqlite:///{tmp}/bench.db"))
    store = SourceStore(repo.engine)
    path = "/summary-feed" if mode == "pages" else "/full-feed"
    store.add(f"http://127.0.0.1:{port}{path}")
    config = FetchConfig(
        allowed_hosts=frozenset({f"127.0.0.1:{port}"}), per_host_interval=0.0, per_host_concurrency=4
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:  # Python-heap peak; costs a 2-3x slowdown, so it is opt-in
        tracemalloc.start()

    async def run() -> Any:
        async with Fetcher(config) as fetcher:
            watcher = Watcher(store, fetcher, ingestor, WatchConfig(batch_size=50))
            try:
                return (await watcher.poll_due())[0]
            finally:
                watcher.close()

    started = time.perf_counter()
    report = asyncio.run(run())
    elapsed = time.perf_counter() - started
    py_peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stored = repo.count_articles()
    return {
        "mode": mode,
        "entries": report.entries,
        "added": len(report.added),
        "articles_stored": stored,
        "failed": report.failed,
        "error": report.error,
        "seconds": round(elapsed, 2),
        "entries_per_second": round(report.entries / elapsed, 1),
        "python_heap_peak_mb": round(py_peak / 1e6, 1) if trace else None,
        "process_peak_rss_mb": round(rss_after / 1024, 1),
        "rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--mode", choices=["all", "sources", "full", "pages"], default="all")
    parser.add_argument("--tracemalloc", action="store_true", help="Also report the Python heap peak.")
    args = parser.parse_args()
    if args.mode == "all":
        for mode in ["sources", "full", "pages"]:
            extra = ["--tracemalloc"] if args.tracemalloc else []
            command = [sys.executable, __file__, "--mode", mode, "--items", str(args.items), *extra]
            subprocess.run(command, check=True)
        return
    queue: Any = multiprocessing.get_context("fork").Queue()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(queue, args.items), daemon=True)
    server.start()
    try:
        result = measure(args.mode, queue.get(timeout=30), args.items, args.tracemalloc)
    finally:
        server.terminate()
    print(json.dumps(result))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
