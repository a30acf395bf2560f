"""Server-rendered pages: the feed, story and article pages, sign-in and the review desk.

Every state-changing form posts a CSRF token; every review route checks the role first (401 for
anonymous visitors, 403 for readers). Reading needs no JavaScript.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsprism.model import Analysis, Article, Story
from newsprism.newsroom.feedback import parse_vote
from newsprism.newsroom.review import ReviewError, status_label
from newsprism.pipeline import SplitError, split_story
from newsprism.store.newsroom import VersionRecord
from newsprism.web.app import WebContext, context
from newsprism.web.cache import CSRF_PLACEHOLDER, TTLCache
from newsprism.web.changes import (
    COOKIE_AGE,
    READ_COOKIE,
    Changes,
    changes_since,
    last_public,
    parse_read,
    remember_read,
)
from newsprism.web.security import CSRF_FIELD
from newsprism.web.views import StoryView, build_story_view
from newsprism.web.views import coverage_svg as draw_coverage_svg


def feed_links(filters: dict[str, str]) -> dict[str, str]:
    """The story-feed URLs for the home page's filters (the page links them for feed readers)."""
    given = {k: v for k, v in filters.items() if v}
    suffix = f"?{urlencode(given)}" if given else ""
    return {"atom": f"/feeds/stories.atom{suffix}", "json": f"/feeds/stories.json{suffix}"}

router = APIRouter(include_in_schema=False)
VersionForm = Annotated[int, Form(ge=1, le=2**31 - 1)]  # bounded: a 64-bit value was a 500
PAGE_SIZE = 30


async def csrf_form(request: Request) -> None:
    """Dependency: the form's CSRF token must match (runs before field validation, so 403 first)."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    context(request).security.check_csrf(request, token if isinstance(token, str) else None)


async def editor_form(request: Request) -> str:
    """Dependency for review forms: role first (401/403), then the CSRF token; returns the editor."""
    session = context(request).security.require(request, "editor")
    await csrf_form(request)
    return session.user or "?"


CsrfChecked = Depends(csrf_form)
Editor = Annotated[str, Depends(editor_form)]


def render(
    request: Request,
    name: str,
    data: dict[str, Any],
    status: int = 200,
    cache_key: object = None,
    cache: TTLCache | None = None,
) -> Response:
    """Render a template with the session's user and CSRF token; set the cookie if it changed.

    With a ``cache_key``, an anonymous view is rendered once with a token placeholder and kept
    in ``cache`` (the micro-cache by default, see ``web.cache``); signed-in users always get a
    fresh render.
    """
    ctx = context(request)
    session = ctx.security.session(request)
    store = cache or ctx.page_cache
    if cache_key is not None and not session.user and store.enabled and status == 200:
        payload = {"request": request, "user": session, "csrf_token": CSRF_PLACEHOLDER, **data}
        html = ctx.templates.get_template(name).render(payload)
        store.put(cache_key, html)
        return _cached_response(request, html)
    payload = {"user": session, "csrf_token": ctx.security.csrf_token(request), **data}
    response = ctx.templates.TemplateResponse(request, name, payload, status_code=status)
    ctx.security.save(request, response)
    return response


def cached_page(request: Request, cache_key: object, cache: TTLCache | None = None) -> Response | None:
    """The cached page for an anonymous visitor, if there is a fresh one."""
    ctx = context(request)
    if ctx.security.session(request).user:
        return None
    html = (cache or ctx.page_cache).get(cache_key)
    return _cached_response(request, html) if isinstance(html, str) else None


def _cached_response(request: Request, html: str) -> Response:
    ctx = context(request)
    response = HTMLResponse(html.replace(CSRF_PLACEHOLDER, ctx.security.csrf_token(request)))
    ctx.security.save(request, response)
    return response


def redirect(request: Request, url: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    context(request).security.save(request, response)
    return response


def parse_day(value: str | None) -> datetime | None:
    """A YYYY-MM-DD filter value as midnight UTC; anything else is ignored rather than an error."""
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        return None


# ---- reader pages -------------------------------------------------------------------------------
# The feed and story pages are ``async def`` on purpose: a cache hit costs microseconds and a miss
# a few milliseconds of SQLite and Jinja, so running them on the event loop beats the thread-pool
# hop (and its 40-thread cap) that plain ``def`` routes pay on every request.
@router.get("/", response_class=HTMLResponse)
async def feed(
    request: Request,
    q: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    key = ("feed", request.url.query)
    hit = cached_page(request, key)
    if hit is not None:
        return hit
    ctx = context(request)
    query = (q or "").strip()[:200] or None
    end = parse_day(until)
    rows = ctx.repo.list_stories(
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
        outlet=outlet or None,
        since=parse_day(since),
        until=end + timedelta(days=1) if end else None,
        query=query,
    )
    return render(
        request,
        "feed.html",
        {
            "rows": rows[:PAGE_SIZE],
            "has_more": len(rows) > PAGE_SIZE,
            "page": page,
            "q": query or "",
            "outlet": outlet or "",
            "since": since or "",
            "until": until or "",
            "outlets": ctx.data_cache.get_or_compute("outlets", ctx.repo.outlets),
            "label": status_label,
            "feeds": feed_links(
                {"q": query or "", "outlet": outlet or "", "since": since or "", "until": until or ""}
            ),
        },
        cache_key=key,
    )


def load_story(ctx: WebContext, story_id: str) -> tuple[Story, list[Article], Analysis | None]:
    """Story, articles and analysis for a page; follows merge redirects; 404 if unknown."""
    found = ctx.repo.load_story(story_id)
    if found is None:
        raise HTTPException(404, "no such story")
    return found


def _story_or_404(ctx: WebContext, story_id: str) -> Any:
    story = ctx.repo.get_story(story_id)
    if story is None:
        raise HTTPException(404, "no such story")
    return story


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(
    request: Request,
    story_id: str,
    voted: str | None = None,
    since: Annotated[int | None, Query(ge=1, le=1_000_000, description="Mark what changed since")] = None,
) -> Response:
    ctx = context(request)
    session = ctx.security.session(request)
    read = parse_read(request.cookies.get(READ_COOKIE))
    mark = since if since is not None else read.get(story_id)
    # Anonymous pages are kept until their content changes: the stamp (one small query) moves
    # with every ingest, re-analysis, edit and review action, so no timer is needed.
    stamp = None if session.user or not ctx.story_pages.enabled else ctx.repo.story_stamp(story_id)
    # what is new depends on the version marked from, unless it is the newest (nothing is new then)
    newest = stamp[2] if stamp is not None else None
    marked = (mark, since is None) if mark is not None and (newest is None or mark < newest) else None
    key = ("story", story_id, stamp, session.voted_versions(story_id), bool(voted), marked)
    hit = cached_page(request, key, ctx.story_pages) if stamp is not None else None
    if hit is not None:
        shown = ctx.story_pages.get(("shown", key))
        return _remember_read(request, hit, read, story_id, shown if isinstance(shown, int) else None)
    story, articles, analysis = load_story(ctx, story_id)
    if story.id != story_id:  # merged into another story: send bookmarks to the new page
        return redirect(request, f"/stories/{story.id}" + (f"?since={since}" if since else ""))
    versions = _public_quick_read(ctx, story.id, analysis)
    view = build_story_view(story, articles, analysis)
    changes = _mark_changes(ctx, view, versions, mark)
    already = bool(view.quick_read and view.quick_read.version in session.voted_versions(story.id))
    data = {
        "v": view,
        "voted": voted,
        "already_voted": already,
        "changes": changes,
        "since": since,
        "versions": versions,
    }
    shown_version = view.quick_read.version if view.quick_read else None
    if stamp is not None:
        ctx.story_pages.put(("shown", key), shown_version)
    response = render(
        request, "story.html", data, cache_key=key if stamp is not None else None, cache=ctx.story_pages
    )
    return _remember_read(request, response, read, story.id, shown_version)


def _public_quick_read(ctx: WebContext, story_id: str, analysis: Analysis | None) -> list[VersionRecord]:
    """The story's Quick Read versions; a pending edit is swapped for the version before it.

    Under the two-editor policy an edit waits for a second editor, so readers keep seeing the
    last version that is not pending. The version list is read only when a story has more than
    one version (it is what the "what changed" views need); otherwise no query is made.
    """
    if analysis is None or analysis.quick_read.version <= 1:
        return []
    versions = ctx.store.versions(story_id)
    if analysis.quick_read.status == "pending":
        shown = next((v for v in reversed(versions) if v.quick_read.status != "pending"), None)
        if shown is not None:
            analysis.quick_read = shown.quick_read
    return versions


def _mark_changes(
    ctx: WebContext, view: StoryView, versions: list[VersionRecord], mark: int | None
) -> Changes | None:
    """Mark bullets and articles new since version ``mark`` on the view; the changes, if any."""
    qr = view.quick_read
    if mark is None or qr is None or mark >= qr.version:
        return None
    changes = changes_since(versions, ctx.store.story_articles(view.story.id), mark, qr)
    if changes is None:
        return None
    fresh = {c.after for c in changes.diff.changes if c.kind in {"added", "changed"}}
    for bullet in view.bullets:
        bullet.new = bullet.bullet.text in fresh
    view.new_article_ids = changes.new_article_ids
    return changes


def _remember_read(
    request: Request, response: Response, read: dict[str, int], story_id: str, version: int | None
) -> Response:
    """Store the version just shown as this browser's "last read" of the story (no account needed)."""
    if version is None or read.get(story_id) == version:
        return response
    response.set_cookie(
        READ_COOKIE,
        remember_read(read, story_id, version),
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="lax",
        secure=context(request).security.config.cookie_secure,
        path="/",
    )
    return response


@router.get("/stories/{story_id}/coverage.svg")
def coverage_svg(request: Request, story_id: str) -> Response:
    ctx = context(request)
    story, articles, analysis = load_story(ctx, story_id)
    if analysis is None or not analysis.facts:
        raise HTTPException(404, "no facts to chart yet")
    view = build_story_view(story, articles, None)  # the outlets, in the page's order
    return Response(draw_coverage_svg(analysis.facts, view.outlets), media_type="image/svg+xml")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    ctx = context(request)
    article = ctx.repo.get_article(article_id)
    if article is None:
        raise HTTPException(404, "no such article")
    story_id = ctx.repo.article_story_id(article_id)
    story = ctx.repo.get_story(story_id) if story_id else None
    return render(request, "article.html", {"a": article, "story": story})


@router.post("/stories/{story_id}/feedback", dependencies=[CsrfChecked])
def feedback_form(
    request: Request,
    story_id: str,
    helpful: Annotated[str, Form()],
    version: VersionForm,
    comment: Annotated[str, Form()] = "",
) -> Response:
    from newsprism.web.api import record_feedback

    ctx = context(request)
    try:
        vote = parse_vote(helpful, comment)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    story = _story_or_404(ctx, story_id)
    record_feedback(request, story.id, version, vote)
    return redirect(request, f"/stories/{story.id}?voted=1#feedback")


# ---- sign in ----------------------------------------------------------------------------------
def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") else "/review"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/review",
) -> Response:
    ctx = context(request)
    if ctx.security.sign_in(request, username.strip(), password, ctx.login_limiter) is None:
        return render(
            request, "login.html", {"next": _safe_next(next), "error": "Wrong username or password."}, 401
        )
    return redirect(request, _safe_next(next))


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request) -> Response:
    ctx = context(request)
    ctx.security.logout(request)
    return redirect(request, "/")


# ---- review desk ------------------------------------------------------------------------------
@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request) -> Response:
    ctx = context(request)
    ctx.security.require(request, "editor")
    return render(request, "review_queue.html", {"queue": ctx.store.review_queue()})


@router.get("/review/stories/{story_id}", response_class=HTMLResponse)
def review_story(request: Request, story_id: str) -> Response:
    ctx = context(request)
    ctx.security.require(request, "editor")
    return _review_page(request, story_id, None, None)


def _review_page(
    request: Request,
    story_id: str,
    check: Any,
    message: str | None,
    status: int = 200,
    texts: list[str] | None = None,
) -> Response:
    ctx = context(request)
    view = build_story_view(*load_story(ctx, story_id))
    story = view.story
    qr = view.quick_read
    versions = ctx.store.versions(story.id) if qr and qr.version > 1 else []
    published = last_public(versions)
    changes = None
    if qr is not None and published is not None and published.quick_read.version < qr.version:
        since = published.quick_read.version
        changes = changes_since(versions, ctx.store.story_articles(story.id), since, qr)
    author = ctx.store.version_author(story.id, qr.version) if qr and qr.status == "pending" else None
    data = {
        "v": view,
        "check": check,
        "message": message,
        "texts": texts,
        "history": ctx.store.audit_entries(story_id=story.id, limit=20),
        "changes": changes,
        "policy": ctx.review.policy,
        "author": author,
    }
    return render(request, "review_story.html", data, status)


@router.post("/review/stories/{story_id}/approve")
def approve(request: Request, story_id: str, editor: Editor, version: VersionForm) -> Response:
    return _decide(request, story_id, version, editor, "approve")


def _decide(request: Request, story_id: str, version: int, editor: str, action: str) -> Response:
    """Approve or reject a version: the review page with the reason when refused, else back to it."""
    ctx = context(request)
    decide = ctx.review.approve if action == "approve" else ctx.review.reject
    try:
        decide(story_id, version, editor)
    except ReviewError as exc:
        return _review_page(request, story_id, None, str(exc), exc.status)
    ctx.page_cache.clear()
    return redirect(request, f"/review/stories/{story_id}?done={action}d")


@router.post("/review/stories/{story_id}/split")
def split(
    request: Request, story_id: str, editor: Editor, article: Annotated[list[str], Form()]
) -> Response:
    """Move the ticked articles to a new story; the founding article's part keeps this id."""
    ctx = context(request)
    try:
        kept, _ = split_story(ctx.repo, story_id, article, editor)
    except SplitError as exc:
        return _review_page(request, story_id, None, str(exc), 422)
    ctx.page_cache.clear()
    return redirect(request, f"/review/stories/{kept.id}?done=split")


@router.post("/review/stories/{story_id}/edit")
def edit(
    request: Request,
    story_id: str,
    editor: Editor,
    version: VersionForm,
    bullet: Annotated[list[str], Form()],
) -> Response:
    ctx = context(request)
    try:
        check, saved = ctx.review.edit(story_id, version, bullet, editor)
    except ReviewError as exc:
        return _review_page(request, story_id, None, str(exc), exc.status)
    if saved is None:
        return _review_page(
            request, story_id, check, "Edit refused: not supported by the sources.", 422, bullet
        )
    ctx.page_cache.clear()
    return redirect(request, f"/review/stories/{story_id}?done=edited")


@router.post("/review/stories/{story_id}/bullets")
def bullet_action(
    request: Request,
    story_id: str,
    editor: Editor,
    version: Annotated[int, Form()],
    index: Annotated[int, Form(ge=0, le=1000)],
    action: Annotated[str, Form(max_length=32)],
    outlet: Annotated[str | None, Form(max_length=200)] = None,
    citation: Annotated[int | None, Form(ge=0, le=1000)] = None,
) -> Response:
    """One per-bullet fix (move, remove an outlet tag, drop a citation) as a new version."""
    ctx = context(request)
    try:
        ctx.review.bullet_action(story_id, version, action, index, editor, outlet=outlet, citation=citation)
    except ReviewError as exc:
        return _review_page(request, story_id, None, str(exc), exc.status)
    ctx.page_cache.clear()
    return redirect(request, f"/review/stories/{story_id}?done={action}")


@router.post("/review/stories/{story_id}/reject")
def reject(request: Request, story_id: str, editor: Editor, version: VersionForm) -> Response:
    return _decide(request, story_id, version, editor, "reject")


@router.get("/review/audit", response_class=HTMLResponse)
def audit(request: Request, story: str | None = None) -> Response:
    ctx = context(request)
    ctx.security.require(request, "editor")
    return render(request, "audit.html", {"entries": ctx.store.audit_entries(story_id=story), "story": story})


@router.get("/review/feedback", response_class=HTMLResponse)
def feedback_results(request: Request) -> Response:
    ctx = context(request)
    ctx.security.require(request, "editor")
    data = {
        "overall": ctx.store.feedback_overall(),
        "per_story": ctx.store.feedback_totals(),
        "comments": ctx.store.feedback_comments(),
    }
    return render(request, "feedback_results.html", data)


# ---- API documentation ----------------------------------------------------------------------------
@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    """The API reference rendered from the OpenAPI schema, without the CDN-hosted Swagger UI."""
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **op}
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    return render(request, "docs.html", {"schema": schema, "operations": operations})


# ---- Atom -------------------------------------------------------------------------------------
ATOM = "http://www.w3.org/2005/Atom"


@router.get("/feed.atom")
def atom(request: Request) -> Response:
    """Stories whose Quick Read an editor approved, newest approval first."""
    ctx = context(request)
    base = ctx.security.config.public_base(request)
    items = ctx.store.published_stories()
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}title").text = "newsprism: reviewed stories"
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"{base}/feed.atom"
    ET.SubElement(root, f"{{{ATOM}}}link", href=f"{base}/feed.atom", rel="self")
    ET.SubElement(root, f"{{{ATOM}}}link", href=f"{base}/")
    newest = max((at for _s, _q, at in items if at), default=datetime(2000, 1, 1, tzinfo=UTC))
    ET.SubElement(root, f"{{{ATOM}}}updated").text = newest.isoformat()
    for story, qr, reviewed_at in items:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = story.headline
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{base}/stories/{story.id}"
        ET.SubElement(entry, f"{{{ATOM}}}link", href=f"{base}/stories/{story.id}")
        stamp = reviewed_at or story.last_updated or newest
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp.isoformat()
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = ", ".join(story.outlets) or "newsprism"
        summary = " • ".join(b.text for b in qr.bullets)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"{summary} ({status_label(qr.status)})"
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(body, media_type="application/atom+xml")
