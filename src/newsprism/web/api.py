"""JSON API under ``/api/v1``: stories, articles, Quick Reads, feedback and review actions.

Reads are public. Writes need the session cookie and its CSRF token in ``X-CSRF-Token``
(``GET /api/v1/session`` returns it); review actions also need the editor role.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from newsprism.model import QuickRead
from newsprism.newsroom.feedback import Vote, parse_vote, voter_key
from newsprism.newsroom.review import ReviewError, status_label
from newsprism.newsroom.users import has_role
from newsprism.pipeline import SplitError, split_story
from newsprism.serialize import contract_from_records, from_jsonable, to_jsonable
from newsprism.store.newsroom import VersionRecord
from newsprism.store.repository import StorySummary
from newsprism.web.app import WebContext, context
from newsprism.web.changes import changes_since
from newsprism.web.security import CSRF_HEADER

router = APIRouter(prefix="/api/v1", tags=["api"])
# integers from clients are bounded to what every store column holds (a 64-bit offset overflowed
# SQLite's and PostgreSQL's binding and came back as a 500)
MAX_INT = 2**31 - 1
CsrfHeader = Annotated[
    str | None, Header(alias=CSRF_HEADER, description="CSRF token from GET /api/v1/session")
]


def editor_read(request: Request) -> str:
    """Dependency: the signed-in editor (401 anonymous, 403 reader)."""
    session = context(request).security.require(request, "editor")
    return session.user or "?"


def editor_write(request: Request, csrf: CsrfHeader = None) -> str:
    """Dependency for review writes: role first, then the CSRF header (before body validation)."""
    user = editor_read(request)
    context(request).security.check_csrf(request, csrf)
    return user


def csrf_header(request: Request, csrf: CsrfHeader = None) -> None:
    """Dependency for other writes: the CSRF header must match the session."""
    context(request).security.check_csrf(request, csrf)


EditorRead = Annotated[str, Depends(editor_read)]
EditorWrite = Annotated[str, Depends(editor_write)]
CsrfChecked = Depends(csrf_header)


class FeedbackIn(BaseModel):
    helpful: bool
    comment: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(
        default=None, ge=1, le=MAX_INT, description="Quick Read version voted on (default: latest)"
    )


class VersionIn(BaseModel):
    version: int | None = Field(default=None, ge=1, le=MAX_INT, description="The version the editor reviewed")


class EditIn(VersionIn):
    bullets: list[str] = Field(description="One text per current bullet, in order; blank removes it")


class RejectIn(VersionIn):
    regenerate: bool = True


class SplitIn(BaseModel):
    article_ids: list[str] = Field(min_length=1, description="The articles to move to a new story")


class BulletActionIn(VersionIn):
    action: str = Field(description="move-up, move-down, remove-outlet or drop-citation")
    bullet: int = Field(ge=1, le=1000, description="Bullet number, from 1")
    outlet: str | None = Field(default=None, max_length=200, description="For remove-outlet")
    citation: int | None = Field(default=None, ge=1, le=1000, description="For drop-citation, from 1")


class LoginIn(BaseModel):
    username: str
    password: str


def _summary(row: StorySummary) -> dict[str, Any]:
    s = row.story
    return {
        "id": s.id,
        "headline": s.headline,
        "outlets": s.outlets,
        "article_count": row.article_count,
        "last_updated": s.last_updated.isoformat() if s.last_updated else None,
        "read_time_minutes": row.read_time_minutes,
        "first_bullet": row.first_bullet,
        "quick_read_status": row.quick_read_status,
        "label": status_label(row.quick_read_status) if row.quick_read_status else None,
    }


def _quick_read(qr: QuickRead) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(qr)
    data["label"] = status_label(qr.status)
    return data


# The two hottest reads are ``async def`` and cached, like the reader pages: a cache hit costs a
# dict lookup (plus, for a story, the one-query content stamp), which is cheaper on the event loop
# than the thread-pool hop a plain ``def`` route pays. Both return ready JSON bytes: the payload
# is already JSON-shaped, so FastAPI's generic encoder (a third of a miss's cost) is skipped.
@router.get("/stories", summary="List stories, newest first", response_model=None)
async def list_stories(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Search headlines and titles")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 30,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> Response:
    ctx = context(request)

    def compute() -> bytes:
        rows = ctx.repo.list_stories(
            limit=limit, offset=offset, outlet=outlet, since=since, until=until, query=q
        )
        return _json({"stories": [_summary(r) for r in rows], "limit": limit, "offset": offset})

    # the feed's micro-cache: a few seconds, cleared by every review action of this process
    body = ctx.page_cache.get_or_compute(("api-stories", q, outlet, since, until, limit, offset), compute)
    return Response(body, media_type="application/json")


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _story(request: Request, story_id: str) -> Any:
    story = context(request).repo.get_story(story_id)
    if story is None:
        raise HTTPException(404, "no such story")
    return story


def _visible(ctx: WebContext, qr: QuickRead) -> QuickRead:
    """The version readers see: a pending edit (two-editor policy) waits for its approval."""
    if qr.status != "pending":
        return qr
    return ctx.store.public_quick_reads([qr.story_id]).get(qr.story_id, qr)


def _visible_to(request: Request, qr: QuickRead) -> QuickRead:
    """A pending edit for editors; for everyone else the version readers see (as on the page)."""
    ctx = context(request)
    if has_role(ctx.security.session(request).role, "editor"):
        return qr
    return _visible(ctx, qr)


@router.get(
    "/stories/{story_id}",
    summary="One story with its articles, Quick Read and comparison",
    response_model=None,
)
async def get_story(request: Request, story_id: str) -> Response:
    ctx = context(request)
    # kept until the story's content stamp moves (ingest, re-analysis, edit, review), as pages are
    stamp = ctx.repo.story_stamp(story_id) if ctx.api_stories.enabled else None
    key = ("api-story", story_id, stamp)
    body = ctx.api_stories.get(key) if stamp is not None else None
    if not isinstance(body, bytes):
        body = _json(_story_json(ctx, story_id))
        if stamp is not None:
            ctx.api_stories.put(key, body)
    return Response(body, media_type="application/json")


def _story_json(ctx: WebContext, story_id: str) -> dict[str, Any]:
    """The public contract plus each article's byline and read time, built from the stored JSON
    (``Repository.load_story_record``); a pending edit is swapped for the version readers see."""
    record = ctx.repo.load_story_record(story_id)
    if record is None:
        raise HTTPException(404, "no such story")
    analysis = record.analysis
    if analysis is not None and analysis["quick_read"]["status"] == "pending":
        qr = _visible(ctx, from_jsonable(QuickRead, analysis["quick_read"]))
        analysis = {**analysis, "quick_read": to_jsonable(qr)}
    out = contract_from_records(record.story, record.articles, analysis)
    if out.get("quick_read"):
        out["quick_read"]["label"] = status_label(out["quick_read"]["status"])
    by_id = {a["id"]: a for a in record.articles}
    for item in out["articles"]:
        a = by_id[item["id"]]
        item.update(
            authors=a["authors"],
            read_time_minutes=a["read_time_minutes"],
            syndicated=a["syndicated"],
            agency=a["agency"],
        )
    return out


@router.get("/stories/{story_id}/quick-read", summary="The latest Quick Read of a story")
def get_quick_read(request: Request, story_id: str) -> dict[str, Any]:
    story = _story(request, story_id)
    qr = context(request).repo.latest_quick_read(story.id)
    if qr is None:
        raise HTTPException(404, "no Quick Read yet")
    return _quick_read(_visible_to(request, qr))


def _version(record: VersionRecord) -> dict[str, Any]:
    data = _quick_read(record.quick_read)
    data.update(
        created_at=record.created_at.isoformat() if record.created_at else None,
        reviewed_by=record.reviewed_by,
        reviewed_at=record.reviewed_at.isoformat() if record.reviewed_at else None,
    )
    return data


@router.get("/stories/{story_id}/versions", summary="Every Quick Read version of a story, oldest first")
def get_versions(request: Request, story_id: str) -> dict[str, Any]:
    story = _story(request, story_id)
    versions = context(request).store.versions(story.id)
    return {"story_id": story.id, "versions": [_version(v) for v in versions]}


@router.get(
    "/stories/{story_id}/versions/diff",
    summary="What changed between two Quick Read versions: bullets added, removed, reworded; new articles",
)
def get_version_diff(
    request: Request,
    story_id: str,
    since: Annotated[int, Query(alias="from", ge=1, description="The older version")],
    to: Annotated[int | None, Query(ge=1, description="The newer version (default: latest)")] = None,
) -> dict[str, Any]:
    ctx = context(request)
    story = _story(request, story_id)
    versions = ctx.store.versions(story.id)
    by_number = {v.quick_read.version: v for v in versions}
    target = by_number.get(to) if to is not None else (versions[-1] if versions else None)
    if since not in by_number or target is None:
        raise HTTPException(404, "no such version")
    if since >= target.quick_read.version:
        raise HTTPException(422, "'from' must be older than 'to'")
    until = target.created_at if to is not None else None
    changes = changes_since(versions, ctx.store.story_articles(story.id), since, target.quick_read, until)
    if changes is None:  # unreachable: both versions exist and are ordered (checked above)
        raise HTTPException(404, "no such version")
    return {
        "story_id": story.id,
        "from": since,
        "to": target.quick_read.version,
        "counts": {k: changes.diff.count(k) for k in ("added", "removed", "changed", "kept")},
        "changes": to_jsonable(changes.diff.changes),
        "new_articles": [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "ingested_at": a.ingested_at.isoformat()}
            for a in changes.new_articles
            if a.ingested_at is not None
        ],
    }


@router.get("/articles/{article_id}", summary="One clean article with its removed furniture")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    ctx = context(request)
    article = ctx.repo.get_article(article_id)
    if article is None:
        raise HTTPException(404, "no such article")
    data: dict[str, Any] = to_jsonable(article)
    data["story_id"] = ctx.repo.article_story_id(article_id)
    return data


def record_feedback(request: Request, story_id: str, version: int | None, vote: Vote) -> int:
    """Shared by the form and the API: rate limit, current version only, one vote per browser."""
    ctx = context(request)
    if not ctx.feedback_limiter.allow("ip:" + ctx.security.client_key(request)):
        raise HTTPException(429, "too many votes from this address; try again in a minute")
    qr = ctx.repo.latest_quick_read(story_id)
    if qr is None:
        raise HTTPException(404, "this story has no Quick Read to rate")
    if version is not None and version != qr.version:
        raise HTTPException(409, "this summary has changed since you read it; reload to vote")
    key = voter_key(ctx.security.config.secret_key, ctx.security.session(request).voter)
    session = ctx.security.session(request)
    if not ctx.store.add_feedback(story_id, qr.version, vote.helpful, vote.comment, key):
        session.remember_vote(story_id, qr.version)  # e.g. the cookie list was trimmed
        raise HTTPException(409, "you already voted on this version of the summary")
    session.remember_vote(story_id, qr.version)
    return qr.version


@router.post(
    "/stories/{story_id}/feedback",
    status_code=201,
    dependencies=[CsrfChecked],
    summary="Did this summary help? (one vote per browser)",
)
def post_feedback(request: Request, story_id: str, body: FeedbackIn) -> JSONResponse:
    ctx = context(request)
    story = _story(request, story_id)
    version = record_feedback(request, story.id, body.version, parse_vote(body.helpful, body.comment))
    response = JSONResponse({"story_id": story.id, "version": version, "recorded": True}, status_code=201)
    ctx.security.save(request, response)
    return response


# ---- session -----------------------------------------------------------------------------------
@router.get("/session", summary="Who is signed in, and the CSRF token for writes")
def get_session(request: Request) -> JSONResponse:
    ctx = context(request)
    session = ctx.security.session(request)
    response = JSONResponse(
        {"user": session.user, "role": session.role, "csrf_token": ctx.security.csrf_token(request)}
    )
    ctx.security.save(request, response)
    return response


@router.post("/session", dependencies=[CsrfChecked], summary="Sign in (sets the session cookie)")
def post_session(request: Request, body: LoginIn) -> JSONResponse:
    ctx = context(request)
    record = ctx.security.sign_in(request, body.username, body.password, ctx.login_limiter)
    if record is None:
        raise HTTPException(401, "wrong username or password")
    response = JSONResponse(
        {"user": record.username, "role": record.role, "csrf_token": ctx.security.csrf_token(request)}
    )
    ctx.security.save(request, response)
    return response


@router.delete("/session", dependencies=[CsrfChecked], summary="Sign out")
def delete_session(request: Request) -> JSONResponse:
    ctx = context(request)
    ctx.security.logout(request)
    response = JSONResponse({"user": None})
    ctx.security.save(request, response)
    return response


# ---- review (editors) ----------------------------------------------------------------------------


@router.get("/review/queue", summary="Quick Reads waiting for review (editors)")
def review_queue(request: Request, _editor: EditorRead) -> dict[str, Any]:
    return {"queue": to_jsonable(context(request).store.review_queue())}


@router.post("/stories/{story_id}/quick-read/approve", summary="Approve the current Quick Read (editors)")
def api_approve(request: Request, story_id: str, body: VersionIn, actor: EditorWrite) -> dict[str, Any]:
    try:
        approved = context(request).review.approve(story_id, body.version, actor)
        context(request).page_cache.clear()
        return _quick_read(approved)
    except ReviewError as exc:
        raise HTTPException(exc.status, str(exc)) from exc


@router.post(
    "/stories/{story_id}/quick-read/edit",
    summary="Edit bullets (editors); refused with 422 and the unsupported words if not grounded",
)
def api_edit(request: Request, story_id: str, body: EditIn, actor: EditorWrite) -> dict[str, Any]:
    try:
        check, saved = context(request).review.edit(story_id, body.version, body.bullets, actor)
    except ReviewError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    if saved is None:
        raise HTTPException(
            422,
            {
                "message": "edit refused: not supported by the cited sources",
                "unsupported": {str(i + 1): words for i, words in check.problems.items()},
                "errors": check.errors,
                "meaning_changes": {
                    str(i + 1): [{"category": c, "words": w} for c, w in found]
                    for i, found in check.changes.items()
                },
            },
        )
    context(request).page_cache.clear()
    return _quick_read(saved)


@router.post(
    "/stories/{story_id}/quick-read/bullets",
    summary="Per-bullet fix (editors): move a bullet, remove an outlet tag or drop a citation",
)
def api_bullet_action(
    request: Request, story_id: str, body: BulletActionIn, actor: EditorWrite
) -> dict[str, Any]:
    try:
        saved = context(request).review.bullet_action(
            story_id,
            body.version,
            body.action,
            body.bullet - 1,
            actor,
            outlet=body.outlet,
            citation=body.citation - 1 if body.citation is not None else None,
        )
    except ReviewError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    context(request).page_cache.clear()
    return _quick_read(saved)


@router.post("/stories/{story_id}/quick-read/reject", summary="Reject and regenerate (editors)")
def api_reject(request: Request, story_id: str, body: RejectIn, actor: EditorWrite) -> dict[str, Any]:
    try:
        rejected = context(request).review.reject(story_id, body.version, actor, regenerate=body.regenerate)
        context(request).page_cache.clear()
        return _quick_read(rejected)
    except ReviewError as exc:
        raise HTTPException(exc.status, str(exc)) from exc


@router.post(
    "/stories/{story_id}/split",
    summary="Split articles off a story (editors): the founding article's part keeps the id",
)
def api_split(request: Request, story_id: str, body: SplitIn, actor: EditorWrite) -> dict[str, Any]:
    ctx = context(request)
    if ctx.repo.get_story(story_id) is None:
        raise HTTPException(404, f"no story {story_id!r}")
    try:
        kept, new = split_story(ctx.repo, story_id, body.article_ids, actor)
    except SplitError as exc:
        raise HTTPException(422, str(exc)) from exc
    ctx.page_cache.clear()
    return {"kept": kept.id, "split_into": new.id, "articles": new.article_ids}


@router.get("/review/feedback", summary="Feedback totals and comments (editors)")
def feedback_results(request: Request, _editor: EditorRead, story: str | None = None) -> dict[str, Any]:
    store = context(request).store
    overall = store.feedback_overall()
    return {
        "overall": {"helpful": overall.helpful, "not_helpful": overall.not_helpful, "total": overall.total},
        "stories": [
            {
                "story_id": t.story_id,
                "headline": t.headline,
                "helpful": t.helpful,
                "not_helpful": t.not_helpful,
                "total": t.total,
            }
            for t in store.feedback_totals(story)
        ],
        "comments": to_jsonable(store.feedback_comments(story_id=story)),
    }


@router.get("/review/audit", summary="The audit log, newest first (editors)")
def audit_log(request: Request, _editor: EditorRead, story: str | None = None) -> dict[str, Any]:
    return {"entries": to_jsonable(context(request).store.audit_entries(story_id=story))}
