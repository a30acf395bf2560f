"""Assemble an ``Article`` from either path, with hints winning over inferred metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final, cast
from urllib.parse import urljoin

from newsprism.extract import encoding, metadata, pagemeta, rules
from newsprism.extract.html import HtmlResult, extract_html
from newsprism.extract.metadata import Dated
from newsprism.extract.text import TextResult, clean_text
from newsprism.model import (
    Article,
    AuthorKind,
    DatePrecision,
    ExtractionFailure,
    Page,
    RemovedLine,
    article_id_for,
)
from newsprism.model import content_hash as hash_text
from newsprism.sources.urls import InvalidURL, canonical_url

DEFAULT_MAX_BYTES: Final = 5_000_000
# Fewer body words than this is a stub, an error page or a section front, not an article.
# Chinese, Japanese and Thai do not space their words: there CJK_CHARS_PER_WORD characters
# count as one word (about the mean word length in those scripts).
MIN_ARTICLE_WORDS: Final = 40
CJK_CHARS_PER_WORD: Final = rules.CJK_CHARS_PER_WORD
# A body without a sentence-shaped paragraph is a list of links or labels. Plain text has no
# markup to vouch for it, so a short plain-text body (under SHORT_TEXT_WORDS) needs two prose
# paragraphs, HTML one. A structured record (JSON Lines) is the article its producer extracted:
# the word minimum is its only rule.
MIN_PROSE_PARAGRAPHS: Final = {"html": 1, "text": 2}
SHORT_TEXT_WORDS: Final = 120
_PROSE_RULE: Final = {
    "html": "an article needs at least one",
    "text": f"scraped text under {SHORT_TEXT_WORDS} words needs two (a JSONL record needs only the words)",
}


@dataclass
class Draft:
    """Everything either path found, before hints are applied."""

    body: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    author_kinds: list[str] = field(default_factory=list)
    author_role: str | None = None
    outlet: str | None = None
    canonical_url: str | None = None
    published: Dated | None = None
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
    word_count: int = 0  # words, with each CJK/Thai character counted as one
    cjk_chars: int = 0  # of which CJK/Thai characters
    prose_paragraphs: int = 0


def _size(content: bytes | str, cap: int) -> int:
    """Bytes of ``content``; text is encoded only when its length leaves the cap in doubt
    (a UTF-8 character is 1 to 4 bytes), as encoding a whole page costs as much as parsing."""
    if isinstance(content, bytes) or len(content) * 4 <= cap:
        return len(content)  # cannot reach the cap; exact only for ASCII, and only compared with it
    return len(content.encode("utf-8", "replace"))


def _decode(page: Page, max_bytes: int) -> str | ExtractionFailure:
    """Text of the page, or why there is none (empty, too large, binary, undecodable)."""
    size = _size(page.content, max_bytes)
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
    words, cjk = _measure(body, sum(line.n_words for line in result.body))
    return Draft(
        body=body,
        word_count=words,
        cjk_chars=cjk,
        prose_paragraphs=sum(1 for line in result.body if line.prose),
        removed=result.removed,
        title=result.title,
        standfirst=result.standfirst,
        authors=authors,
        author_role=result.author_role or metadata.byline_role(context[:40]),
        context=result.context,
        bios=result.bios,
        masthead=result.masthead,
        published=metadata.date_in(context[:40]),
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
    words, cjk = _measure(result.body, None)
    return Draft(
        body=result.body,
        word_count=words,
        cjk_chars=cjk,
        prose_paragraphs=sum(1 for p in result.body if rules.is_prose(p)),
        removed=result.removed,
        title=result.title,
        standfirst=standfirst,
        authors=result.authors,
        author_kinds=result.author_kinds,
        author_role=result.author_role,
        outlet=result.sitename,
        context=[r.text for r in result.removed],
        canonical_url=result.canonical_url,
        published=result.published,
        language=result.language,
        read_time_stated=metadata.stated_read_time(read_lines),
        notices=notices,
        caption=result.caption,
        credits=[r.text for r in result.removed if r.reason == "wire credit line"],
    )


def _measure(body: list[str], spaced_words: int | None) -> tuple[int, int]:
    """(words, CJK/Thai characters) of a body: those scripts count one unit per character."""
    cjk = sum(rules.cjk_chars(p) for p in body)
    if cjk == 0:
        words = spaced_words if spaced_words is not None else sum(len(rules.words(p)) for p in body)
        return words, 0
    return sum(rules.word_count(rules.without_cjk(p)) for p in body) + cjk, cjk


def _word_equivalents(draft: Draft) -> float:
    """Words, with CJK/Thai characters converted at CJK_CHARS_PER_WORD (for the length rules)."""
    return draft.word_count - draft.cjk_chars + draft.cjk_chars / CJK_CHARS_PER_WORD


def _not_article(page: Page, draft: Draft) -> ExtractionFailure | None:
    """Too little text, or too little prose, to be an article: a section front, an error page, a
    stub. The reason names the rule that refused the page."""
    size = _word_equivalents(draft)
    shown = f"{draft.word_count} words" if not draft.cjk_chars else f"{draft.word_count} words and characters"
    if size < MIN_ARTICLE_WORDS:
        return ExtractionFailure(
            page.source,
            f"not an article: {shown} of article text found; an article needs {MIN_ARTICLE_WORDS} words",
        )
    if page.record:
        return None
    needed = MIN_PROSE_PARAGRAPHS[page.kind] if size < SHORT_TEXT_WORDS else 1
    if draft.prose_paragraphs < needed:
        return ExtractionFailure(
            page.source,
            f"not an article: {draft.prose_paragraphs} sentence-shaped paragraphs in {shown}; "
            f"{_PROSE_RULE[page.kind]}",
        )
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
    known = metadata.outlet_from_url(page.url)  # the address fetched is where the page ran
    if known or draft.outlet:
        return known or draft.outlet
    known = metadata.outlet_from_url(draft.canonical_url)
    if known:
        return known
    voted = metadata.outlet_votes(
        notices=draft.notices,
        lines=draft.context,
        bios=draft.bios,
        masthead=draft.masthead,
        url=page.url,
        exclude=agency,
    )
    # the domain itself ("floridatoday.com") rather than nothing, never a bare fragment of it
    return voted or pagemeta.host_of(page.url or draft.canonical_url) or None


def _published(page: Page, draft: Draft) -> Dated | None:
    """The caller's date when it is possible, else the page's (already bounded by extraction)."""
    hint = metadata.stamp(page.published_at) if page.published_at is not None else None
    return metadata.plausible(hint, _latest(page)) or draft.published


def _latest(page: Page) -> datetime:
    """The latest possible publication instant: the fetch time (else now) plus a day.

    The only clock read in extraction, and only when the caller does not say when the page was
    fetched: a page cannot be published after it was read.
    """
    return metadata.latest_plausible(page.fetched_at or datetime.now(UTC))


def _article(page: Page, draft: Draft) -> Article:
    """Apply hints (they win), derive id, counts, read time and syndication."""
    digest = hash_text(" ".join(draft.body))  # the same hash as "\n\n".join: whitespace is normalised
    word_count = draft.word_count
    copy = metadata.wire_copy(draft.notices, draft.body + draft.credits)
    outlet = _outlet(page, draft, copy[1])
    syndicated, agency = metadata.not_by_outlet(copy, outlet)
    stated = draft.read_time_stated
    published = _published(page, draft)
    authors = [page.author] if page.author else draft.authors
    kinds = draft.author_kinds if not page.author and len(draft.author_kinds) == len(authors) else []
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
        authors=authors,
        author_kinds=cast(list[AuthorKind], kinds or [pagemeta.author_kind(a) for a in authors]),
        author_role=draft.author_role,
        published_at=published.when if published else None,
        published_precision=cast(DatePrecision, published.precision) if published else None,
        published_offset_minutes=published.offset_minutes if published else None,
        language=draft.language,
        word_count=word_count,
        read_time_minutes=stated
        or metadata.estimated_read_time(word_count - draft.cjk_chars, draft.cjk_chars),
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
        result = extract_html(text, _latest(page))
        if result is None:
            return ExtractionFailure(page.source, "not an article: the HTML could not be parsed")
        draft = _from_html(result)
    else:
        draft = _from_text(clean_text(text))
        if page.record:
            _keep_record_text(draft, text)
    return _not_article(page, draft) or _article(page, draft)


def _keep_record_text(draft: Draft, text: str) -> None:
    """A structured record's text is the article its producer extracted: when the line
    classifier (built for whole-page scrapes) cuts most of it, keep the record's paragraphs."""
    paragraphs = [" ".join(p.split()) for p in text.splitlines() if p.strip()]
    words, cjk = _measure(paragraphs, None)
    if draft.word_count * 2 >= words:
        return
    draft.body, draft.word_count, draft.cjk_chars = paragraphs, words, cjk
    draft.removed = []


def extract(page: Page, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article | ExtractionFailure:
    """Clean article and metadata from one page, or the reason there is none. Never raises."""
    try:
        return _extract(page, max_bytes)
    except Exception as exc:  # a malformed page must never take a batch down
        return ExtractionFailure(page.source, f"extraction error: {type(exc).__name__}: {exc}")
