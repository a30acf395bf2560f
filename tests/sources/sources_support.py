"""Helpers for the sources tests: a loopback HTTP server, and feeds and articles written for them.

The server is a threaded ``http.server`` on an ephemeral port; each test gets its own, so tests
run in parallel. Routes are plain functions of the request handler, and every request is logged
(path, headers, start time, body bytes sent) so tests can assert what went over the wire.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[["Handler"], None]


class QuietServer(ThreadingHTTPServer):
    """Clients hanging up mid-response is what several tests are about: not worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float
    sent: int = 0
    status: int = 0


@dataclass
class LoopbackServer:
    httpd: ThreadingHTTPServer
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    closing: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits_for(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]

    # ---- route builders ----------------------------------------------------------------------
    def static(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        status: int = 200,
        delay: float = 0.0,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body

        def route(h: Handler) -> None:
            if delay:
                time.sleep(delay)
            if (etag and h.headers.get("If-None-Match") == etag) or (
                last_modified and h.headers.get("If-Modified-Since") == last_modified
            ):
                h.reply(304, b"", {"ETag": etag or "", "Last-Modified": last_modified or ""})
                return
            headers = {"Content-Type": content_type}
            if etag:
                headers["ETag"] = etag
            if last_modified:
                headers["Last-Modified"] = last_modified
            h.reply(status, data, headers)

        self.routes[path] = route

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = lambda h: h.reply(status, b"", {"Location": location})


class Handler(BaseHTTPRequestHandler):
    server: Any
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # one send per response: unbuffered writes hit Nagle + delayed ACK (40 ms)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        return None

    @property
    def owner(self) -> LoopbackServer:
        owner: LoopbackServer = self.server.owner
        return owner

    def do_GET(self) -> None:
        path = self.path
        hit = Hit(path, dict(self.headers.items()), time.monotonic())
        with self.owner.lock:
            self.owner.hits.append(hit)
        self.hit = hit
        route = self.owner.routes.get(path) or self.owner.routes.get(path.split("?")[0])
        try:
            if route is None:
                self.reply(404, b"not found", {"Content-Type": "text/plain"})
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up on purpose (size cap, timeout)

    def reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            if value:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and status != 304:
            self.wfile.write(body)
            self.hit.sent += len(body)
        self.hit.status = status

    def stream(self, chunks: Iterator[bytes], headers: dict[str, str] | None = None) -> None:
        """Chunked transfer of an open-ended body (no Content-Length to refuse early)."""
        self.send_response(200)
        for name, value in (headers or {"Content-Type": "text/html"}).items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.hit.status = 200
        for chunk in chunks:
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.flush()
            self.hit.sent += len(chunk)
        self.wfile.write(b"0\r\n\r\n")


# ---- content written for the tests -------------------------------------------------------------
CITIES = ["Lisbon", "Nairobi", "Osaka", "Quito", "Tallinn", "Perth", "Accra", "Bergen", "Cusco", "Hanoi"]
TOPICS = [
    ("flood barrier", "engineers", "the river authority"),
    ("tram line", "commuters", "the transport department"),
    ("seed bank", "farmers", "the agriculture ministry"),
    ("solar farm", "residents", "the energy regulator"),
    ("museum wing", "historians", "the culture office"),
]


def article_text(n: int) -> list[str]:
    """Five distinct paragraphs about event ``n`` (about 200 words, unique per ``n``)."""
    city = CITIES[n % len(CITIES)]
    thing, people, body = TOPICS[n % len(TOPICS)]
    count = 1000 + 37 * n
    return [
        f"Officials in {city} opened a new {thing} on Tuesday, the {n}th such project in the region, "
        f"after {people} spent {n % 9 + 2} years campaigning for it and collecting {count} signatures.",
        f"The {thing} cost about {n % 50 + 10} million euros, according to {body}, which said the "
        f"work finished {n % 5 + 1} weeks ahead of schedule despite a wet spring and supply delays.",
        f'"This changes daily life for {count} families," said Maria Example-{n}, who chairs the '
        f"local committee. She added that the next phase would begin in {2027 + n % 3}.",
        f"Critics in {city} argued the money could have gone to schools, and {n % 7 + 3} council "
        f"members voted against the plan when it was first tabled, citing rising maintenance costs.",
        f"Project number {n} will be reviewed by {body} next year, and the results of that review "
        f"will be published in full, the spokesperson for {city} said on Tuesday evening.",
    ]


def article_html(n: int, title: str | None = None) -> str:
    title = title or f"{CITIES[n % len(CITIES)]} opens {TOPICS[n % len(TOPICS)][0]} number {n}"
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article_text(n))
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article><h1>{title}</h1>"
        f"<p class='byline'>By Test Reporter</p>{paragraphs}</article>"
        f"<footer>Copyright Test Outlet</footer></body></html>"
    )


def rss(items: list[dict[str, str]], title: str = "Test Outlet") -> str:
    """RSS 2.0 with optional ``content:encoded`` per item."""
    parts = []
    for item in items:
        content = item.get("content")
        encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        parts.append(
            f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
            f"<guid isPermaLink='false'>{escape(item.get('guid', item['link']))}</guid>"
            f"<pubDate>{item.get('date', formatdate(1_790_000_000, usegmt=True))}</pubDate>"
            f"<description>{item.get('summary', 'A short teaser.')}</description>{encoded}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>http://example.invalid/</link>"
        f"<description>feed</description>{''.join(parts)}</channel></rss>"
    )


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
    b"<link>http://example.invalid/x</link></item></channel></rss>"
)
