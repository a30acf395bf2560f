"""Plain dataclasses that flow through the pipeline.

Every stage in the middle (extract, annotate, stories, analysis) takes and returns these
objects and nothing else: no ORM rows, no HTTP responses, no clock. That keeps the stages pure,
testable on literals and runnable unchanged on Dask workers (all of them pickle).

Identifiers are strings. An article's id is derived from its content hash, so the same text
gets the same id in a one-shot ``analyse`` run and in the store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from newsprism.textnorm import ASCII_LOWER, collapse_whitespace

PageKind = Literal["html", "text"]
FactKind = Literal["consensus", "exclusive"]
# "pending": an editor's edit waiting for a second editor (the two-editor review policy)
QuickReadStatus = Literal["draft", "pending", "reviewed", "published", "rejected"]
# "day": the page gave a date without a time of day; "time": it gave a time too.
DatePrecision = Literal["day", "time"]
# Who a byline names: a person, or an organisation (an outlet, an agency, "Staff").
AuthorKind = Literal["person", "organization"]


def content_hash(text: str) -> str:
    """Hash of whitespace-normalised, case-folded text: the identity of an article's words."""
    text = collapse_whitespace(text)
    if text.isascii():  # folding ASCII is lowering it, which a byte table does fastest
        return hashlib.sha256(text.encode("ascii").translate(ASCII_LOWER)).hexdigest()
    return hashlib.sha256(text.casefold().encode("utf-8")).hexdigest()


def article_id_for(hash_hex: str) -> str:
    """Short, stable article id (URL-safe) derived from the content hash."""
    return "a" + hash_hex[:12]


@dataclass(frozen=True)
class Page:
    """One raw input before extraction: a saved HTML page, pre-scraped text or a feed entry.

    ``content`` is undecoded bytes when it came from a file or the network (extraction detects
    the encoding); ``hints`` carry metadata the caller already knows (from a JSONL record, a feed
    entry or CLI flags) and always win over what extraction infers.
    """

    source: str
    content: bytes | str
    kind: PageKind
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    # When the page was fetched or read: publication dates later than this (+ 1 day) are
    # impossible and rejected. ``None``: extraction uses the time it runs.
    fetched_at: datetime | None = None
    # A structured record (JSON Lines) whose text is already the article: not a page scrape.
    record: bool = False


@dataclass(slots=True)
class RemovedLine:
    """A line of page furniture dropped from the article, kept so a reader can audit the cut."""

    text: str
    reason: str
    line: int | None = None


@dataclass
class Article:
    """The clean article and its metadata, the output of ``extract``."""

    id: str
    source: str
    title: str
    body: list[str]
    content_hash: str
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    author_role: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    word_count: int = 0
    read_time_minutes: int = 1
    read_time_stated: bool = False
    syndicated: bool = False
    agency: str | None = None
    outlet_summary: list[str] = field(default_factory=list)
    lead_image_caption: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    # ``published_at`` as the page stated it: "day" (a date only: the time part is not real)
    # or "time", and the UTC offset it wrote in minutes (``None``: none stated, read as UTC).
    published_precision: DatePrecision | None = None
    published_offset_minutes: int | None = None
    # One kind per entry of ``authors``: "person" or "organization".
    author_kinds: list[AuthorKind] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)


GroupingKey = tuple[datetime, bool, str]
"""An article's place in the grouping order: (time, undated, id)."""

EARLIEST = datetime.min.replace(tzinfo=UTC)


def grouping_key(article: Article, clock: datetime | None) -> GroupingKey:
    """Where an article sits in the order stories are grouped in (the store keeps this order).

    A dated article sits at its publication time. An undated one sits at ``clock``, the newest
    publication time known when it arrived, after the dated articles of that time, then by id.
    Why: one-shot ``analyse`` looks an undated article up at the newest time it has seen, so it
    places every undated article last; giving one the clock of its arrival does the same for a
    stream without making every later dated article "earlier" than every undated one (which
    would replay all undated articles ever stored on each ingest). ``analyse`` is one arrival of
    everything, so there ``clock`` is the newest date of the set and the order is
    ``pipeline.by_publication``'s. An undated article that came before any dated one sorts first.
    """
    if article.published_at is not None:
        return (article.published_at, False, article.id)
    return (clock or EARLIEST, True, article.id)


@dataclass(frozen=True)
class ExtractionFailure:
    """Why a page produced no article: empty, binary, not an article, too large, undecodable."""

    source: str
    reason: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article body; ``text`` is an exact substring of its paragraph."""

    article_id: str
    index: int
    paragraph: int
    text: str


@dataclass(frozen=True)
class Entity:
    text: str
    label: str  # PERSON, ORG, PLACE, MISC (heuristic labels; see annotate.entities)
    sentence_index: int


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None
    article_id: str
    sentence_index: int
    cue: str | None = None  # the reporting verb ("said", "according to")
    speaker_as_written: str | None = None  # the cue's words before resolution ("he", "Sen. Kerry")
    resolved_by: str | None = None  # explicit | title | pronoun | continuation | context | description


@dataclass(frozen=True)
class NumberMention:
    """A number, count or date inside a sentence, normalised for comparison across outlets."""

    text: str
    value: float | str
    unit: str | None
    sentence_index: int
    qualifier: str | None = None  # "at least", "about", "more than" ...


@dataclass(frozen=True)
class LoadedWord:
    """An evaluative word or phrase of a sentence and the lexicon entry that flagged it."""

    text: str
    sentence_index: int
    start: int  # offsets into the sentence text
    end: int
    entry: str
    lexicon: str  # newsprism (curated phrase) | model (annotate.loaded)


@dataclass
class AnnotatedArticle:
    article: Article
    sentences: list[Sentence]
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[NumberMention] = field(default_factory=list)
    loaded: list[LoadedWord] = field(default_factory=list)


@dataclass
class Story:
    """Coverage of one event: the unit the product shows."""

    id: str
    headline: str
    article_ids: list[str]
    outlets: list[str] = field(default_factory=list)
    key_entities: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_updated: datetime | None = None
    # groups of article ids that are copies of one wire text (each group counts as one voice)
    syndication_groups: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class SentenceRef:
    article_id: str
    text: str
    sentence_index: int = -1


@dataclass(frozen=True)
class Discrepancy:
    """Numbers or dates inside one fact that disagree between outlets."""

    fact_id: str
    kind: str  # "number" | "date"
    values: list[tuple[str, str]]  # (article_id, the mention as written)
    note: str = ""


@dataclass(frozen=True)
class NearMiss:
    """For an exclusive fact: another outlet's most similar sentence and how similar (cosine of
    the concept vectors, 0-1), so a reader sees what was checked and what came closest."""

    outlet: str
    article_id: str
    sentence: str
    score: float
    sentence_index: int = -1


@dataclass
class Fact:
    id: str
    kind: FactKind
    outlets: list[str]
    sentences: list[SentenceRef]
    discrepancies: list[Discrepancy] = field(default_factory=list)
    # exclusive facts only: the nearest sentence of every other outlet of the story
    nearest_misses: list[NearMiss] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(s.article_id for s in self.sentences))


@dataclass(frozen=True)
class Citation:
    article_id: str
    sentence: str


@dataclass(frozen=True)
class Disagreement:
    """An outlet of a bullet's fact whose sentence does not state the bullet's claim as written
    (another count, the opposite polarity, another speaker): it is not cited for the bullet."""

    outlet: str
    article_id: str
    sentence: str
    reason: str  # "number" | "negation" | "attribution" | "content"
    says: list[str] = field(default_factory=list)  # that outlet's own figures, e.g. ["about 900"]


@dataclass(frozen=True)
class DateNote:
    """A relative date of a bullet ("last week", "on Tuesday") resolved against the publication
    date of the sentence it came from (ISO date or "start/end" interval), for a tooltip."""

    text: str
    resolved: str


@dataclass
class Bullet:
    text: str
    citations: list[Citation]
    fact_ids: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    disagreeing: list[Disagreement] = field(default_factory=list)
    dates: list[DateNote] = field(default_factory=list)


@dataclass
class QuickRead:
    story_id: str
    bullets: list[Bullet]
    method: str = "extractive"
    status: QuickReadStatus = "draft"
    version: int = 1


@dataclass
class QuoteVariants:
    """One statement quoted by several outlets, each in its own wording."""

    speaker: str | None
    variants: list[Quote]


@dataclass
class FramingTerm:
    term: str
    score: float
    loaded: bool = False  # also in the curated lexicon of loaded terms


@dataclass
class Analysis:
    """Everything the comparison shows for one story."""

    story_id: str
    facts: list[Fact]
    quick_read: QuickRead
    quotes: list[QuoteVariants] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    framing: dict[str, list[FramingTerm]] = field(default_factory=dict)


def quick_read_label(status: str) -> str:
    """The public label: reviewed summaries say so, everything else is plainly AI-generated."""
    return "AI-generated, newsroom-reviewed" if status in {"reviewed", "published"} else "AI-generated"
