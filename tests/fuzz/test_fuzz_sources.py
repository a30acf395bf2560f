"""Fuzz: every parser of untrusted input at the sources edge fails only in its documented way.

Feeds raise only ``FeedError``, OPML only ``OPMLError``, URLs only ``InvalidURL``, robots.txt
and JSON Lines never raise (a bad record is an ``ExtractionFailure``), and content decoding
raises only ``DecodingError`` while undoing any split of a real compressed stream exactly.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import zlib

import brotli
from fuzz_support import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from newsprism.extract import extract
from newsprism.model import Article, ExtractionFailure, Page
from newsprism.sources.decoding import DecodingError, StreamDecoder
from newsprism.sources.feeds import FeedError, parse_feed
from newsprism.sources.fetch import is_public_address
from newsprism.sources.files import pages_from_jsonl
from newsprism.sources.opml import OPMLError, parse_opml
from newsprism.sources.robots import rules_from_response
from newsprism.sources.urls import InvalidURL, canonical_url, check_url, host_key, origin

# text with everything hostile input carries: controls, NUL, RTL marks, combining marks, emoji
WILD = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)
ATTR = st.one_of(WILD, st.sampled_from(["", "&amp;", "&bogus;", "]]>", "<b>x</b>", "2026-13-45T99:99"]))


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@st.composite
def rss(draw: st.DrawFn) -> bytes:
    """Well-formed or nearly so RSS/Atom skeletons with hostile field values."""
    items = draw(st.lists(st.tuples(ATTR, ATTR, ATTR, ATTR), max_size=5))
    escape = draw(st.booleans())
    body = "".join(
        f"<item><title>{_xml_escape(t) if escape else t}</title><link>{_xml_escape(link)}</link>"
        f"<pubDate>{_xml_escape(d)}</pubDate><description>{_xml_escape(x)}</description></item>"
        for t, link, d, x in items
    )
    root = draw(st.sampled_from(["rss", "feed", "rdf:RDF", "html", "opml"]))
    text = f'<?xml version="1.0"?><{root} version="2.0"><channel><title>x</title>{body}</channel></{root}>'
    cut = draw(st.integers(0, len(text)))
    return (text if draw(st.booleans()) else text[:cut]).encode("utf-8", "surrogatepass")


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WILD,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(WILD, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def json_feed(draw: st.DrawFn) -> bytes:
    keys = st.sampled_from(
        ["id", "url", "title", "content_html", "content_text", "date_published", "authors"]
    )
    items = draw(st.lists(st.dictionaries(keys, JSON_VALUE, max_size=7), max_size=4))
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": draw(JSON_VALUE), "items": items}
    return json.dumps(draw(st.sampled_from([feed, items, draw(JSON_VALUE)]))).encode()


@FUZZ
@given(st.one_of(st.binary(max_size=2000), rss(), json_feed()), st.sampled_from(["", "application/json"]))
def test_feeds_fail_only_with_feed_error(data: bytes, content_type: str) -> None:
    try:
        feed = parse_feed(data, content_type, base_url="https://example.org/feed")
    except FeedError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        return
    for entry in feed.entries:
        assert entry.link or entry.guid


@st.composite
def opml(draw: st.DrawFn) -> bytes:
    outlines = draw(st.lists(st.tuples(ATTR, ATTR), max_size=5))
    rows = "".join(f'<outline text="{_xml_escape(t)}" xmlUrl="{_xml_escape(u)}"/>' for t, u in outlines)
    doctype = draw(st.sampled_from(["", '<!DOCTYPE x [<!ENTITY a "aaaa">]>']))
    return f'<?xml version="1.0"?>{doctype}<opml version="2.0"><body>{rows}</body></opml>'.encode()


@FUZZ
@given(st.one_of(st.binary(max_size=1500), opml()))
def test_opml_fails_only_with_opml_error(data: bytes) -> None:
    try:
        subscriptions = parse_opml(data)
    except OPMLError as exc:
        assert str(exc)
        return
    assert len({s.url for s in subscriptions}) == len(subscriptions)


ROBOTS_LINE = st.one_of(
    WILD,
    st.builds(
        "{}: {}".format,
        st.sampled_from(["User-agent", "Disallow", "Allow", "Crawl-delay", "Sitemap", "user-AGENT"]),
        st.one_of(WILD, st.sampled_from(["*", "/", "/private/", "newsprism", "-1", "1e309", "nan", "0.5"])),
    ),
)


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=1500), st.lists(ROBOTS_LINE, max_size=20).map(lambda ls: "\n".join(ls).encode())
    )
)
def test_robots_never_raises(body: bytes) -> None:
    rules = rules_from_response(200, body, expires=0.0)
    assert isinstance(rules.allows("newsprism", "https://example.org/a/b?c"), bool)
    delay = rules.crawl_delay("newsprism")
    assert delay is None or delay >= 0 or delay != delay  # a number (robots.txt may say anything)


URLISH = st.one_of(
    WILD,
    st.builds(
        "{}://{}{}".format,
        st.sampled_from(["http", "https", "HTTP", "ftp", "javascript", ""]),
        st.one_of(
            WILD,
            st.sampled_from(["[::1]", "[fe80::1%eth0]", "a:99999", "a:-1", "xn--bcher-kva.example", "@"]),
        ),
        WILD,
    ),
)


@FUZZ
@given(URLISH)
def test_urls_fail_only_with_invalid_url(url: str) -> None:
    try:
        checked = check_url(url)
        canonical = canonical_url(url)
    except InvalidURL as exc:
        assert str(exc)
        return
    assert canonical.split("://", 1)[0] in {"http", "https"}
    assert host_key(checked).rsplit(":", 1)[1].isdigit() and origin(checked)


@FUZZ
@given(st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)))
def test_address_guard_answers_for_every_address(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    public = is_public_address(str(address))
    if public and isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        assert address.ipv4_mapped.is_global  # never public through a private embedded address


@FUZZ
@given(
    st.lists(st.one_of(st.binary(max_size=200), JSON_VALUE.map(lambda v: json.dumps(v).encode())), max_size=8)
)
def test_jsonl_records_become_pages_or_failures(lines: list[bytes]) -> None:
    # json.dumps escapes lone surrogates as \ud800, which json.loads turns back into them
    for item in pages_from_jsonl(b"\n".join(lines), "fuzz.jsonl"):
        assert isinstance(item, Page | ExtractionFailure)
        if isinstance(item, Page):
            assert isinstance(extract(item), Article | ExtractionFailure)


@FUZZ
@given(st.text(max_size=300), st.sampled_from(["text", "html"]))
def test_jsonl_lone_surrogates_do_not_crash_extraction(text: str, kind: str) -> None:
    record = json.dumps({kind: "\ud800 " + text + " \udfff", "url": "https://example.org/\ud83d"})
    for item in pages_from_jsonl(record.encode(), "fuzz.jsonl"):
        assert isinstance(item, Page | ExtractionFailure)
        if isinstance(item, Page):
            assert isinstance(extract(item), Article | ExtractionFailure)


CODINGS = st.sampled_from(["gzip", "deflate", "br", "identity", "gzip, br", "br, gzip", "x-gzip", ""])


def _encode(data: bytes, coding: str) -> bytes:
    for name in [c.strip() for c in coding.split(",") if c.strip()]:
        if name in {"gzip", "x-gzip"}:
            data = gzip.compress(data)
        elif name == "deflate":
            data = zlib.compress(data)
        elif name == "br":
            data = brotli.compress(data)
    return data


def _decode_all(coding: str, chunks: list[bytes]) -> bytes:
    decoder = StreamDecoder(coding)
    out = [piece for chunk in chunks for piece in decoder.feed(chunk)]
    return b"".join(out + list(decoder.finish()))


@FUZZ
@given(st.binary(max_size=5000), CODINGS, st.lists(st.integers(1, 300), max_size=20))
def test_decoding_round_trips_any_split(data: bytes, coding: str, cuts: list[int]) -> None:
    wire = _encode(data, coding)
    chunks, at = [], 0
    for size in cuts:
        chunks.append(wire[at : at + size])
        at += size
    chunks.append(wire[at:])
    assert _decode_all(coding, chunks) == data


@FUZZ
@given(st.binary(max_size=3000), CODINGS)
def test_decoding_garbage_fails_only_with_decoding_error(data: bytes, coding: str) -> None:
    try:
        _decode_all(coding, [data[:100], data[100:]])
    except DecodingError as exc:
        assert str(exc)
