"""Assemble an ``Article`` from either path, with hints winning over inferred metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from urllib.parse import urljoin

from newsprism.extract import encoding, metadata, rules
from newsprism.extract.html import HtmlResult, extract_html
from newsprism.extract.text import TextResult, clean_text
from newsprism.model import Article, ExtractionFailure, Page, RemovedLine, article_id_for
from newsprism.model import content_hash as hash_text
from newsprism.sources.urls import InvalidURL, canonical_url

DEFAULT_MAX_BYTES: Final = 5_000_000
# Fewer body words than this is a stub, an error page or a section front, not an article.
MIN_ARTICLE_WORDS: Final = 40
# A body without sentence-shaped paragraphs is a list of links or labels. Plain text has no
# markup to vouch for it, so a short text body needs two prose paragraphs, HTML needs one.
MIN_PROSE_PARAGRAPHS: Final = {"html": 1, "text": 2}
SHORT_TEXT_WORDS: Final = 120


@dataclass
class Draft:
    """Everything either path found, before hints are applied."""

    body: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    author_role: str | None = None
    outlet: str | None = None
    canonical_url: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    read_time_stated: int | None = None
    notices: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    bios: list[str] = field(default_factory=list)
    masthead: str | None = None
    summary: list[str] = field(default_factory=list)
    caption: str | None = None
    # wire credit lines cut from the body ("(Reporting by ...; Editing by ...)", "With AFP"):
    # not article text, but they still name the agency for syndication
    credits: list[str] = field(default_factory=list)
    word_count: int = 0
    prose_paragraphs: int = 0


def _size(content: bytes | str) -> int:
    return len(content) if isinstance(content, bytes) else len(content.encode("utf-8", "replace"))


def _decode(page: Page, max_bytes: int) -> str | ExtractionFailure:
    """Text of the page, or why there is none (empty, too large, binary, undecodable)."""
    size = _size(page.content)
    if size == 0 or not (page.content.strip() if page.content else page.content):
        return ExtractionFailure(page.source, "empty page: no content")
    if size > max_bytes:
        return ExtractionFailure(
            page.source, f"page too large: {size:,} bytes exceeds the {max_bytes:,}-byte cap"
        )
    if isinstance(page.content, str):
        if "\x00" in page.content[:4096]:
            return ExtractionFailure(page.source, "binary content: not text or HTML")
        return page.content
    if encoding.looks_binary(page.content):
        return ExtractionFailure(page.source, "binary content: not text or HTML")
    text = encoding.decode(page.content)
    if text is None:
        return ExtractionFailure(page.source, "undecodable: no character encoding fits the bytes")
    return text


def _from_text(result: TextResult) -> Draft:
    body = [line.text for line in result.body]
    context = result.context
    authors = [result.author] if result.author else []
    if not authors:
        found = metadata.byline(context[:40])
        authors = [found] if found else []
    return Draft(
        body=body,
        word_count=sum(line.n_words for line in result.body),
        prose_paragraphs=sum(1 for line in result.body if line.prose),
        removed=result.removed,
        title=result.title,
        standfirst=result.standfirst,
        authors=authors,
        author_role=result.author_role or metadata.byline_role(context[:40]),
        context=result.context,
        bios=result.bios,
        masthead=result.masthead,
        published_at=metadata.date_in(context[:40]),
        language=metadata.language(" ".join(body[:5])),
        read_time_stated=metadata.stated_read_time(result.read_time_lines),
        notices=result.notices,
        summary=result.summary,
        caption=result.captions[0] if result.captions else None,
    )


def _from_html(result: HtmlResult) -> Draft:
    read_lines = [r.text for r in result.removed if r.reason == "read time"]
    notices = [r.text for r in result.removed if r.reason == "syndication notice"]
    standfirst = result.description
    if standfirst and result.body and rules.near_duplicate(standfirst, [rules.shingle_set(result.body[0])]):
        standfirst = None
    standfirst = standfirst or result.standfirst
    return Draft(
        body=result.body,
        word_count=sum(len(rules.words(p)) for p in result.body),
        prose_paragraphs=sum(1 for p in result.body if rules.is_prose(p)),
        removed=result.removed,
        title=result.title,
        standfirst=standfirst,
        authors=result.authors,
        author_role=result.author_role,
        outlet=result.sitename,
        context=[r.text for r in result.removed],
        canonical_url=result.canonical_url,
        published_at=result.published_at,
        language=result.language or metadata.language(" ".join(result.body[:5])),
        read_time_stated=metadata.stated_read_time(read_lines),
        notices=notices,
        caption=result.caption,
        credits=[r.text for r in result.removed if r.reason == "wire credit line"],
    )


def _not_article(page: Page, draft: Draft) -> ExtractionFailure | None:
    """Too little prose to be an article: a section front, an error page, a stub."""
    words, prose = draft.word_count, draft.prose_paragraphs
    short = words < SHORT_TEXT_WORDS or page.kind == "html"
    if words < MIN_ARTICLE_WORDS or (prose < MIN_PROSE_PARAGRAPHS[page.kind] and short):
        return ExtractionFailure(page.source, f"not an article: only {words} words of article text found")
    return None


def _canonical(url: str | None, declared: str | None) -> str | None:
    """The declared canonical URL (resolved against the page URL), else the page URL, normalised
    by ``sources.urls.canonical_url`` so tracking parameters never make two identities."""
    candidates = [urljoin(url, declared) if url and declared else declared, url]
    for candidate in candidates:
        if candidate:
            try:
                return canonical_url(candidate)
            except (InvalidURL, ValueError):
                continue
    return None


def _outlet(page: Page, draft: Draft, agency: str | None) -> str | None:
    """The hint, a known domain, the page's declared site name, else the page's own words.

    The wire ``agency`` a syndicated copy credits is excluded from the vote unless the page
    names no other publisher, so a newspaper's copy of agency text is filed under the newspaper.
    """
    if page.outlet:
        return page.outlet
    known = metadata.outlet_from_url(page.url)
    if known or draft.outlet:
        return known or draft.outlet
    return metadata.outlet_votes(
        notices=draft.notices,
        lines=draft.context,
        bios=draft.bios,
        masthead=draft.masthead,
        url=page.url,
        exclude=agency,
    )


def _article(page: Page, draft: Draft) -> Article:
    """Apply hints (they win), derive id, counts, read time and syndication."""
    digest = hash_text(" ".join(draft.body))  # the same hash as "\n\n".join: whitespace is normalised
    word_count = draft.word_count
    copy = metadata.wire_copy(draft.notices, draft.body + draft.credits)
    outlet = _outlet(page, draft, copy[1])
    syndicated, agency = metadata.not_by_outlet(copy, outlet)
    stated = draft.read_time_stated
    return Article(
        id=article_id_for(digest),
        source=page.source,
        title=page.title or draft.title or (draft.body[0][:120] if draft.body else ""),
        body=draft.body,
        content_hash=digest,
        url=page.url,
        canonical_url=_canonical(page.url, draft.canonical_url),
        outlet=outlet,
        standfirst=draft.standfirst,
        authors=[page.author] if page.author else draft.authors,
        author_role=draft.author_role,
        published_at=metadata.aware(page.published_at) or draft.published_at,
        language=draft.language,
        word_count=word_count,
        read_time_minutes=stated or metadata.estimated_read_time(word_count),
        read_time_stated=stated is not None,
        syndicated=syndicated,
        agency=agency,
        outlet_summary=draft.summary,
        lead_image_caption=draft.caption,
        removed=draft.removed,
    )


def extract_text_document(text: str) -> list[str]:
    """Body paragraphs of pre-scraped text (the text path without metadata), for benchmarks."""
    return [line.text for line in clean_text(text).body]


def _extract(page: Page, max_bytes: int) -> Article | ExtractionFailure:
    text = _decode(page, max_bytes)
    if isinstance(text, ExtractionFailure):
        return text
    if page.kind == "html":
        result = extract_html(text)
        if result is None:
            return ExtractionFailure(page.source, "not an article: the HTML could not be parsed")
        draft = _from_html(result)
    else:
        draft = _from_text(clean_text(text))
    return _not_article(page, draft) or _article(page, draft)


def extract(page: Page, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article | ExtractionFailure:
    """Clean article and metadata from one page, or the reason there is none. Never raises."""
    try:
        return _extract(page, max_bytes)
    except Exception as exc:  # a malformed page must never take a batch down
        return ExtractionFailure(page.source, f"extraction error: {type(exc).__name__}: {exc}")
