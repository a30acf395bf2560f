"""Feed formats, unsafe and malformed feeds, OPML, and URL canonicalisation."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from sources_support import BILLION_LAUGHS, article_html, rss

from newsprism.sources.feeds import FeedError, parse_feed
from newsprism.sources.opml import FeedSubscription, OPMLError, build_opml, parse_opml
from newsprism.sources.urls import InvalidURL, canonical_url

FULL = "".join(f"<p>{'word ' * 40}</p>" for _ in range(4))  # 160 words: full text

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Times</title><link>http://old.example/</link>
<description>d</description><language>en</language>
<item><title>Old item</title><link>http://old.example/1</link><description>teaser</description></item>
</channel></rss>"""

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://rdf.example/"><title>RDF News</title><link>http://rdf.example/</link>
<description>d</description></channel>
<item rdf:about="http://rdf.example/1"><title>RDF item</title><link>http://rdf.example/1</link>
<dc:creator>Ana Author</dc:creator><dc:date>2026-11-20T08:30:00Z</dc:date>
<description>teaser</description></item>
</rdf:RDF>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title><id>urn:atom</id>
<link href="http://atom.example/"/><updated>2026-11-21T10:00:00Z</updated>
<entry><title type="html">Floods &amp;amp; rescue</title><link href="http://atom.example/a?utm_source=atom"/>
<id>urn:a1</id><published>2026-11-21T09:00:00+01:00</published><updated>2026-11-21T10:00:00Z</updated>
<author><name>Bo Writer</name></author><summary>teaser</summary>
<content type="html"><![CDATA[{FULL}]]></content></entry>
</feed>""".encode()


def test_rss20_full_content_and_summary_only() -> None:
    feed = parse_feed(
        rss(
            [
                {"title": "Full", "link": "http://x.example/full", "content": FULL},
                {"title": "Teaser", "link": "http://x.example/teaser?utm_medium=rss", "guid": "t-1"},
            ]
        ).encode()
    )
    assert feed.format == "rss20" and feed.title == "Test Outlet"
    full, teaser = feed.entries
    assert full.has_full_text and full.content and "word" in full.content
    assert full.published == datetime.fromtimestamp(1_790_000_000, UTC)
    assert not teaser.has_full_text and teaser.summary == "A short teaser."
    assert teaser.key == "http://x.example/teaser" and teaser.all_keys() == [teaser.key, "guid:t-1"]


def test_rss091_rss10_and_atom() -> None:
    old = parse_feed(RSS091)
    assert old.format.startswith("rss09") and old.entries[0].link == "http://old.example/1"
    rdf = parse_feed(RSS10)
    assert rdf.format == "rss10" and rdf.entries[0].author == "Ana Author"
    assert rdf.entries[0].published == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    atom = parse_feed(ATOM)
    entry = atom.entries[0]
    assert atom.format == "atom10" and entry.title == "Floods & rescue" and entry.author == "Bo Writer"
    assert entry.has_full_text and entry.guid == "urn:a1" and entry.key == "http://atom.example/a"
    assert entry.published == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_json_feed() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Times",
        "authors": [{"name": "Desk"}],
        "items": [
            {"id": "1", "url": "http://j.example/1", "title": "One", "content_html": FULL,
             "date_published": "2026-11-22T07:00:00Z"},
            {"id": "2", "url": "http://j.example/2", "content_text": "plain " * 150,
             "authors": [{"name": "Cy"}]},
            {"id": "3", "url": "http://j.example/3", "summary": "teaser only"},
            "not an item",
        ],
    }  # fmt: skip
    feed = parse_feed(json.dumps(doc).encode(), "application/feed+json")
    one, two, three = feed.entries
    assert feed.format == "json1.1" and feed.title == "JSON Times"
    assert one.has_full_text and one.content_is_html and one.author == "Desk"
    assert one.published == datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    assert two.has_full_text and not two.content_is_html and two.author == "Cy"
    assert not three.has_full_text and three.summary == "teaser only"


@pytest.mark.parametrize(
    "document",
    [
        BILLION_LAUGHS,
        BILLION_LAUGHS.decode().encode("utf-16"),  # no byte pattern to spot: defusedxml catches it
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
    ],
)
def test_entity_bombs_and_external_entities_are_refused_quickly(document: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(FeedError, match="refused"):
        parse_feed(document)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"", "empty"),
        (b'<rss version="2.0"><channel><item><title>cut off', "malformed"),
        (b"<rss><channel><item><title>a & b</title></item></channel></rss>", "malformed"),
        (article_html(1).encode(), "malformed|not a feed"),
        (b"<html><body><p>Service unavailable</p></body></html>", "not a feed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "malformed"),
        (b'{"version": "2"}', "not a feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "malformed"),
        (b"{broken json", "malformed"),
    ],
)
def test_malformed_and_non_feeds_are_refused(document: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(document)


def test_opml_round_trip_and_nested_folders() -> None:
    subs = [
        FeedSubscription("http://a.example/feed", "Alpha", "en", 600, True),
        FeedSubscription("http://b.example/rss?x=1&y=2", "B & Co", None, None, False),
    ]
    assert parse_opml(build_opml(subs)) == subs
    reader_export = b"""<?xml version="1.0"?><opml version="1.0"><head><title>Reader</title></head><body>
      <outline text="News"><outline text="Gamma" type="rss" xmlUrl="http://g.example/rss"/>
        <outline text="Gamma again" xmlUrl="http://g.example/rss"/></outline>
      <outline text="no feed here" htmlUrl="http://h.example/"/></body></opml>"""
    assert parse_opml(reader_export) == [FeedSubscription("http://g.example/rss", "Gamma")]


@pytest.mark.parametrize(
    "document",
    [BILLION_LAUGHS, b"<opml><body><outline", b"<rss/>"],
)
def test_bad_opml_is_refused(document: bytes) -> None:
    with pytest.raises(OPMLError):
        parse_opml(document)


def test_canonical_url_strips_tracking_and_noise() -> None:
    base = "https://news.example/world/story-1"
    for variant in [
        "https://news.example/world/story-1?utm_source=rss&utm_medium=feed",
        "HTTPS://News.Example:443/world/story-1#comments",
        "https://news.example/world/story-1?fbclid=abc&gclid=def",
        "  https://news.example/world/story-1?utm_campaign=x  ",
    ]:
        assert canonical_url(variant) == base, variant
    assert canonical_url("https://news.example/item?id=42&utm_source=x") == "https://news.example/item?id=42"
    for bad in ["ftp://x/y", "not a url", "http://", "javascript:alert(1)"]:
        with pytest.raises(InvalidURL):
            canonical_url(bad)


def test_relative_entry_links_resolve_against_the_feed_url() -> None:
    feed = parse_feed(
        rss([{"title": "Rel", "link": "/world/1?utm_source=rss"}]).encode(),
        base_url="https://n.example/feeds/all",
    )
    assert feed.entries[0].link == "https://n.example/world/1?utm_source=rss"
    assert feed.entries[0].key == "https://n.example/world/1"
