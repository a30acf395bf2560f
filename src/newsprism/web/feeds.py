"""Feeds out: one entry per story (Atom and JSON Feed), per-story update feeds, OPML of sources.

Feed readers show one item per feed entry, so a reader subscribed to several outlets sees one
event many times. newsprism already knows the stories, so its story feed has exactly one entry
per story, whose ``updated`` moves when the story does (an article joins, its Quick Read
changes or is reviewed: ``NewsroomStore.change_times``) and at no other time, so readers
re-show an entry only when there is something new in it. The filters are the home page's.

A per-story feed has one entry per Quick Read version: subscribe to one story and be told when
it changes, with what changed. Both are built from plain data by ``atom_feed``/``json_feed``;
the XML goes through ElementTree (every text escaped) and the HTML inside entries through
``markupsafe``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from newsprism.newsroom.review import status_label
from newsprism.newsroom.versions import diff_bullets
from newsprism.sources.opml import FeedSubscription, build_opml
from newsprism.store.repository import StorySummary
from newsprism.store.sources import SourceStore
from newsprism.web.app import context
from newsprism.web.pages import load_story, parse_day

router = APIRouter(include_in_schema=False)
ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
MAX_ENTRIES = 1000


@dataclass
class FeedEntry:
    id: str
    title: str
    link: str
    updated: datetime
    published: datetime | None
    authors: list[str]
    summary: str
    content_html: str
    tags: list[str] = field(default_factory=list)


@dataclass
class FeedDoc:
    id: str
    title: str
    self_url: str
    home_url: str
    entries: list[FeedEntry]

    @property
    def updated(self) -> datetime:
        return max((e.updated for e in self.entries), default=EPOCH)


# ---- rendering ------------------------------------------------------------------------------------
def atom_feed(doc: FeedDoc) -> str:
    """Atom 1.0 (RFC 4287): id, title, updated on the feed and on every entry; HTML content."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    root = ET.Element(f"{{{ATOM}}}feed")
    sub(root, "title", doc.title)
    sub(root, "id", doc.id)
    sub(root, "link", href=doc.self_url, rel="self", type="application/atom+xml")
    sub(root, "link", href=doc.home_url, rel="alternate", type="text/html")
    sub(root, "updated", doc.updated.isoformat())
    sub(sub(root, "author"), "name", "newsprism")
    sub(root, "generator", "newsprism")
    for e in doc.entries:
        entry = sub(root, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        sub(entry, "link", href=e.link, rel="alternate", type="text/html")
        sub(entry, "updated", e.updated.isoformat())
        if e.published:
            sub(entry, "published", e.published.isoformat())
        for name in e.authors or ["newsprism"]:
            sub(sub(entry, "author"), "name", name)
        for tag in e.tags:
            sub(entry, "category", term=tag)
        sub(entry, "summary", e.summary)
        sub(entry, "content", e.content_html, type="html")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def json_feed(doc: FeedDoc) -> str:
    """JSON Feed 1.1: the same entries as the Atom feed (``date_modified`` is Atom's ``updated``)."""
    items = [
        {
            "id": e.id,
            "url": e.link,
            "title": e.title,
            "summary": e.summary,
            "content_html": e.content_html,
            "date_published": e.published.isoformat() if e.published else None,
            "date_modified": e.updated.isoformat(),
            "authors": [{"name": n} for n in e.authors or ["newsprism"]],
            "tags": e.tags,
        }
        for e in doc.entries
    ]
    feed = {
        "version": JSON_FEED,
        "title": doc.title,
        "home_page_url": doc.home_url,
        "feed_url": doc.self_url,
        "items": [{k: v for k, v in item.items() if v is not None} for item in items],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _bullets_html(texts: list[str], status: str | None) -> str:
    """The Quick Read as HTML for a feed entry (escaped; f-strings, as this runs per entry)."""
    if not texts:
        return "<p>The Quick Read for this story is being prepared.</p>"
    lines = "".join(f"<li>{escape(t)}</li>" for t in texts)
    return f"<ul>{lines}</ul><p><em>Summary is {escape(status_label(status or 'draft'))}.</em></p>"


def story_entry(
    row: StorySummary, quick: tuple[list[str], str] | None, updated: datetime, base: str
) -> FeedEntry:
    """One story as one entry: headline, its Quick Read and who covered it."""
    story = row.story
    link = f"{base}/stories/{story.id}"
    texts, status = quick or ([], None)
    outlets = escape(", ".join(story.outlets) or "no outlet named")
    plural = "" if row.article_count == 1 else "s"
    content = (
        f"{_bullets_html(texts, status)}<p>Covered by {outlets} ({row.article_count} article{plural}).</p>"
    )
    return FeedEntry(
        id=link,
        title=story.headline,
        link=link,
        updated=updated,
        published=story.first_seen,
        authors=list(story.outlets),
        summary=texts[0] if texts else story.headline,
        content_html=content,
        tags=list(story.outlets),
    )


# ---- routes ---------------------------------------------------------------------------------------
@dataclass
class StoryFilters:
    """The home page's filters, shared by both story feeds (one FastAPI dependency)."""

    q: Annotated[str | None, Query(max_length=200, description="Search headlines and titles")] = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    limit: Annotated[int, Query(ge=1, le=MAX_ENTRIES, description="How many stories, newest first")] = 50


Filters = Annotated[StoryFilters, Depends()]


def _story_feed(request: Request, filters: StoryFilters, fmt: str) -> FeedDoc:
    ctx = context(request)
    base = str(request.base_url).rstrip("/")
    q, outlet = filters.q, filters.outlet
    end = parse_day(filters.until)
    rows = ctx.repo.list_stories(
        limit=filters.limit,
        outlet=outlet or None,
        since=parse_day(filters.since),
        until=end + timedelta(days=1) if end else None,
        query=(q or "").strip()[:200] or None,
    )
    ids = [r.story.id for r in rows]
    times = ctx.store.change_times(ids)
    quick = ctx.store.public_bullets(ids)
    entries = [story_entry(r, quick.get(r.story.id), times.get(r.story.id, EPOCH), base) for r in rows]
    query = f"?{request.url.query}" if request.url.query else ""
    title = "newsprism: stories" + (f" matching “{q.strip()}”" if q and q.strip() else "")
    title += f" covered by {outlet}" if outlet else ""
    return FeedDoc(
        f"{base}/feeds/stories.{fmt}{query}",
        title,
        f"{base}/feeds/stories.{fmt}{query}",
        f"{base}/{query}",
        entries,
    )


@router.get("/feeds/stories.atom")
def stories_atom(request: Request, filters: Filters) -> Response:
    """One entry per story (Atom), filtered like the home page."""
    return Response(atom_feed(_story_feed(request, filters, "atom")), media_type="application/atom+xml")


@router.get("/feeds/stories.json")
def stories_json(request: Request, filters: Filters) -> Response:
    """One item per story (JSON Feed 1.1), filtered like the home page."""
    return Response(json_feed(_story_feed(request, filters, "json")), media_type="application/feed+json")


def _version_feed(request: Request, story_id: str, fmt: str) -> FeedDoc:
    """One entry per Quick Read version a reader may see, newest first, each saying what changed."""
    ctx = context(request)
    base = str(request.base_url).rstrip("/")
    story, _articles, _analysis = load_story(ctx, story_id)
    versions = [v for v in ctx.store.versions(story.id) if v.quick_read.status != "pending"]
    articles = ctx.store.story_articles(story.id)
    entries: list[FeedEntry] = []
    for i, record in enumerate(versions):
        qr = record.quick_read
        made = record.created_at or EPOCH
        previous = versions[i - 1] if i else None
        diff = diff_bullets(previous.quick_read.bullets if previous else [], qr.bullets)
        after = previous.created_at if previous and previous.created_at else None
        fresh = [a for a in articles if a.ingested_at and (after is None or a.ingested_at > after)]
        fresh = [a for a in fresh if a.ingested_at and a.ingested_at <= made]
        note = Markup("<p>{} new line(s), {} reworded, {} removed; {} new article(s){}</p>").format(
            diff.count("added"),
            diff.count("changed"),
            diff.count("removed"),
            len(fresh),
            Markup(": ")
            + Markup(", ").join(escape(f"{a.outlet or 'unknown outlet'}: {a.title}") for a in fresh)
            if fresh
            else "",
        )
        link = f"{base}/stories/{story.id}" + (f"?since={previous.quick_read.version}" if previous else "")
        entries.append(
            FeedEntry(
                id=f"{base}/stories/{story.id}#version-{qr.version}",
                title=f"{story.headline} (version {qr.version})",
                link=link,
                updated=max(made, record.reviewed_at or made),
                published=made,
                authors=list(story.outlets),
                summary=qr.bullets[0].text if qr.bullets else story.headline,
                content_html=str(note) + _bullets_html([b.text for b in qr.bullets], qr.status),
                tags=list(story.outlets),
            )
        )
    entries.reverse()
    url = f"{base}/stories/{story.id}/feed.{fmt}"
    return FeedDoc(url, f"newsprism: {story.headline}", url, f"{base}/stories/{story.id}", entries)


@router.get("/stories/{story_id}/feed.atom")
def story_atom(request: Request, story_id: str) -> Response:
    """Updates of one story (Atom): an entry per Quick Read version."""
    return Response(atom_feed(_version_feed(request, story_id, "atom")), media_type="application/atom+xml")


@router.get("/stories/{story_id}/feed.json")
def story_json(request: Request, story_id: str) -> Response:
    """Updates of one story (JSON Feed 1.1)."""
    return Response(json_feed(_version_feed(request, story_id, "json")), media_type="application/feed+json")


@router.get("/sources.opml")
def sources_opml(request: Request) -> Response:
    """The subscribed feeds as OPML 2.0 (what `newsprism sources export` writes), enabled ones only."""
    store = SourceStore(context(request).repo.engine)
    subs = [
        FeedSubscription(s.url, s.outlet, s.language, s.poll_interval_seconds, s.enabled)
        for s in store.list_sources()
        if s.enabled
    ]
    return Response(build_opml(subs), media_type="text/x-opml")
