"""Main text and metadata from HTML: trafilatura for the body, htmldate for the date.

The page is parsed once; htmldate and a few XPath look-ups read metadata from that tree, then
trafilatura extracts the body from it (precision mode, comments off, which beat its defaults on
the public benchmark). Where precision mode is unsure (very little text) the default mode runs
as a fallback. The body then passes the furniture rules shared with the text path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newsprism.extract import rules
from newsprism.model import RemovedLine

# Below this many words precision mode has probably cut the article: retry in default mode.
FALLBACK_WORDS = 120
# Shape rules worth applying to trafilatura's output. Captions and copyright lines are left
# alone: on the public benchmark they were article text (wire credits) as often as furniture,
# and so were trailing short lines, so the teaser rule of the text path is not used here.
_HTML_SHAPES = frozenset({"read time", "syndication notice", "summary widget", "update stamp"})
_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# htmldate compares against "today" unless told otherwise; a fixed bound keeps it pure.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "2100-12-31"}


@dataclass
class HtmlResult:
    """Body paragraphs, audited removals and the metadata the page declares."""

    body: list[str] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    sitename: str | None = None
    canonical_url: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    caption: str | None = None
    pagetype: str | None = None


def _first(tree: HtmlElement, xpath: str) -> str | None:
    """First non-empty value of the ``|``-separated XPaths, tried in order (cheap ones first)."""
    for path in xpath.split("|"):
        for value in tree.xpath(path):
            text = " ".join(str(value).split())
            if text:
                return text
    return None


def _metadata(tree: HtmlElement, result: HtmlResult) -> None:
    """Cheap look-ups of what the page declares about itself."""
    result.title = _first(
        tree, '//meta[@property="og:title"]/@content|//title/text()|//h1//text()'
    )
    result.description = _first(
        tree, '//meta[@property="og:description"]/@content|//meta[@name="description"]/@content'
    )
    result.sitename = _first(
        tree, '//meta[@property="og:site_name"]/@content|//meta[@name="application-name"]/@content'
    )
    result.canonical_url = _first(
        tree, '//link[@rel="canonical"]/@href|//meta[@property="og:url"]/@content'
    )
    result.language = _first(tree, "/html/@lang|//meta[@http-equiv='content-language']/@content")
    result.pagetype = _first(tree, '//meta[@property="og:type"]/@content')
    author = _first(
        tree,
        '//meta[@name="author"]/@content|//meta[@property="article:author"]/@content'
        '|//a[@rel="author"]//text()',
    )
    if author and not author.startswith("http"):
        result.authors = [a.strip() for a in re.split(r"\s*(?:;|,| and | & )\s*", author) if a]
    if result.language:
        result.language = result.language.split("-")[0].split("_")[0].lower() or None


def _date(tree: HtmlElement) -> datetime | None:
    try:
        found = find_date(tree, **_DATE_PARAMS)
    except Exception:  # htmldate is defensive but a broken tree must not stop extraction
        return None
    if not found:
        return None
    try:
        return datetime.fromisoformat(found)
    except ValueError:
        return None


def _caption(html: str) -> str | None:
    m = _FIGCAPTION.search(html)
    if not m:
        return None
    text = " ".join(unescape(_TAG.sub(" ", m.group(1))).split())
    return text or None


def _body_text(tree: HtmlElement, html: str) -> str:
    """trafilatura in precision mode, default mode when precision keeps too little."""
    doc = trafilatura.bare_extraction(tree, favor_precision=True, include_comments=False)
    text = (doc.text if doc else "") or ""
    if len(text.split()) < FALLBACK_WORDS:
        retry = trafilatura.extract(html, include_comments=False) or ""
        if len(retry.split()) > len(text.split()):
            text = retry
    return text


def _clean(lines: list[str], title: str | None, result: HtmlResult) -> None:
    """Apply the shared furniture rules to trafilatura's lines."""
    title_key = rules.normalise(title) if title else None
    kept: list[str] = []
    for i, line in enumerate(lines, start=1):
        reason = rules.vocabulary_reason(line)
        if reason is None and len(rules.words(line)) <= 40:
            shape = rules.shape_reason(line)
            reason = shape if shape in _HTML_SHAPES else None
        if reason is None and title_key and rules.normalise(line) == title_key and not kept:
            reason = "repeated headline"
        if reason is None:
            kept.append(line)
        else:
            result.removed.append(RemovedLine(line, reason, i))
    result.body = kept


def extract_html(html: str) -> HtmlResult | None:
    """Body and metadata of an HTML page, or ``None`` when the markup cannot be parsed."""
    tree = load_html(html)
    if tree is None:
        return None
    result = HtmlResult()
    _metadata(tree, result)
    result.published_at = _date(tree)
    result.caption = _caption(html)
    text = _body_text(tree, html)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    _clean([line for line in lines if line], result.title, result)
    return result
