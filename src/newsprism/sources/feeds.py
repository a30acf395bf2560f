"""Feed entries from RSS 0.9x/1.0/2.0, Atom (via feedparser) and JSON Feed (parsed here).

Feeds are untrusted input. Before feedparser sees a byte, the document is checked for entity
declarations (the "billion laughs" family) with a byte scan and with defusedxml, which also
decodes UTF-16 and friends; a feed that declares entities is refused outright. A document that
is not well-formed XML is refused too rather than guessed at: a half-parsed feed would store
half-parsed articles. Either way the caller gets ``FeedError`` with a one-line reason and
nothing downstream runs.
"""

from __future__ import annotations

import calendar
import html
import json
import re
import xml.sax
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import defusedxml
import defusedxml.ElementTree
import feedparser

from newsprism.sources.urls import InvalidURL, canonical_url

MIN_FULL_TEXT_WORDS = 120
"""Feed content shorter than this is a teaser, not the article: fetch the page instead."""

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_JSON_FEED_PREFIX = "https://jsonfeed.org/version/"


class FeedError(ValueError):
    """A document we refuse to read as a feed (unsafe, malformed, or not a feed at all)."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, normalised across formats."""

    link: str | None
    guid: str | None
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    content: str | None = None  # full text when the feed carries it (HTML unless content_is_html False)
    content_is_html: bool = True
    summary: str | None = None

    @property
    def key(self) -> str:
        """Identity for "seen before?": the canonical link (trackers stripped), else the guid."""
        if self.link:
            try:
                return canonical_url(self.link)
            except InvalidURL:
                pass
        return f"guid:{self.guid}" if self.guid else f"title:{self.title or ''}"

    def all_keys(self) -> list[str]:
        """Every identity this entry is known by (link and guid), so either one finds it again."""
        keys = [self.key]
        if self.guid and f"guid:{self.guid}" not in keys:
            keys.append(f"guid:{self.guid}")
        return keys

    @property
    def has_full_text(self) -> bool:
        return bool(self.content) and word_count(self.content or "") >= MIN_FULL_TEXT_WORDS


@dataclass(frozen=True)
class Feed:
    title: str | None
    link: str | None
    format: str  # feedparser's version string ("rss20", "atom10", ...) or "json1"
    entries: list[FeedEntry] = field(default_factory=list)


def word_count(markup: str) -> int:
    return len(html.unescape(_TAG.sub(" ", markup)).split())


def parse_feed(data: bytes, content_type: str = "", base_url: str | None = None) -> Feed:
    """Parse a feed document of any supported format, or raise ``FeedError``.

    ``base_url`` (where the feed was fetched from) makes relative entry links absolute.
    """
    if not data.strip():
        raise FeedError("empty document")
    feed = parse_json_feed(data) if _looks_like_json(data, content_type) else parse_xml_feed(data)
    if base_url:
        entries = [replace(e, link=urljoin(base_url, e.link)) if e.link else e for e in feed.entries]
        feed = replace(feed, entries=entries)
    return feed


def _looks_like_json(data: bytes, content_type: str) -> bool:
    return "json" in content_type or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


# ---- XML feeds ----------------------------------------------------------------------------------
def check_xml_safety(data: bytes) -> None:
    """Refuse documents that declare entities or reference external resources."""
    if _ENTITY_DECL.search(data):
        raise FeedError("refused: the document declares XML entities (possible entity-expansion bomb)")
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise FeedError(f"refused: unsafe XML ({exc.__class__.__name__})") from exc
    except Exception as exc:  # ParseError and friends: not well-formed
        raise FeedError(f"malformed feed: not well-formed XML ({exc})") from exc


def parse_xml_feed(data: bytes) -> Feed:
    check_xml_safety(data)
    # No sanitising here: entry HTML is never shown as-is, it goes through extraction (which keeps
    # text only). feedparser's sanitiser and URI rewriting would double the parse time.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and isinstance(problem, xml.sax.SAXException):
        raise FeedError(f"malformed feed: {problem}")
    if not parsed.get("version"):
        raise FeedError("not a feed: no RSS, Atom or RDF root element")
    channel = parsed.get("feed", {})
    entries = [e for e in (_xml_entry(raw) for raw in parsed.get("entries", [])) if e.link or e.guid]
    return Feed(_text(channel.get("title")), _text(channel.get("link")), parsed["version"], entries)


def _xml_entry(raw: Any) -> FeedEntry:
    content, is_html = _xml_content(raw)
    return FeedEntry(
        link=_text(raw.get("link")),
        guid=_text(raw.get("id")),
        title=_plain(raw.get("title")),
        published=_struct_time(raw.get("published_parsed") or raw.get("updated_parsed")),
        author=_text(raw.get("author")),
        content=content,
        content_is_html=is_html,
        summary=_text(raw.get("summary")),
    )


def _xml_content(raw: Any) -> tuple[str | None, bool]:
    """The longest full-content block (content:encoded, atom:content), if any."""
    blocks = [c for c in raw.get("content") or [] if isinstance(c.get("value"), str) and c["value"].strip()]
    if not blocks:
        return None, True
    best = max(blocks, key=lambda c: len(c["value"]))
    return best["value"], best.get("type", "text/html") != "text/plain"


def _struct_time(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


# ---- JSON Feed ----------------------------------------------------------------------------------
def parse_json_feed(data: bytes) -> Feed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FeedError(f"malformed feed: invalid JSON ({exc})") from exc
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(_JSON_FEED_PREFIX):
        raise FeedError("not a feed: JSON without a jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("malformed feed: JSON Feed without an 'items' list")
    feed_author = _json_author(doc)
    entries = [_json_entry(i, feed_author) for i in items if isinstance(i, dict)]
    version = str(doc["version"]).removeprefix(_JSON_FEED_PREFIX)
    return Feed(
        _text(doc.get("title")),
        _text(doc.get("home_page_url")),
        f"json{version}",
        [e for e in entries if e.link or e.guid],
    )


def _json_entry(item: dict[str, Any], feed_author: str | None) -> FeedEntry:
    content_html, content_text = _text(item.get("content_html")), _text(item.get("content_text"))
    guid = item.get("id")
    return FeedEntry(
        link=_text(item.get("url")) or _text(item.get("external_url")),
        guid=str(guid) if guid is not None and str(guid).strip() else None,
        title=_text(item.get("title")),
        published=_iso_date(item.get("date_published") or item.get("date_modified")),
        author=_json_author(item) or feed_author,
        content=content_html or content_text,
        content_is_html=content_html is not None,
        summary=_text(item.get("summary")),
    )


def _json_author(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj["author"]] if isinstance(obj.get("author"), dict) else []
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    found = [n for n in names if n]
    return ", ".join(found) or None


def _iso_date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# ---- helpers ------------------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _plain(value: Any) -> str | None:
    text = _text(value)
    return " ".join(html.unescape(_TAG.sub(" ", text)).split()) or None if text else None
