"""The FastAPI application: pages for readers and editors, the JSON API and the Atom feed.

``create_app`` wires one ``Repository`` (the pipeline's store), the newsroom store, security and
templates into a ``WebContext`` kept on ``app.state``; routes fetch it from there, so tests can
build an app around any store they have filled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import DataError
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism.config import Settings
from newsprism.newsroom.feedback import RateLimiter
from newsprism.newsroom.review import ReviewService, parse_policy
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository
from newsprism.web import filters
from newsprism.web.cache import TTLCache
from newsprism.web.limits import RequestLimits
from newsprism.web.security import Security, WebConfig

HERE = Path(__file__).parent


@dataclass
class WebContext:
    repo: Repository
    store: NewsroomStore
    security: Security
    review: ReviewService
    templates: Jinja2Templates
    feedback_limiter: RateLimiter
    login_limiter: RateLimiter
    page_cache: TTLCache
    data_cache: TTLCache
    story_pages: TTLCache
    api_stories: TTLCache


def context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.newsprism
    return ctx


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: compile once, never stat per render
    )
    filters.install(env)
    return Jinja2Templates(env=env)


def create_app(
    settings: Settings, *, repo: Repository | None = None, web: WebConfig | None = None
) -> FastAPI:
    """Build the app; pass ``repo`` to serve an existing store (tests, benchmarks)."""
    from newsprism.web import api, feeds, pages

    repo = repo or Repository.open(settings.database_url)
    store = NewsroomStore(repo.engine)
    config = (web or WebConfig()).resolved()
    app = FastAPI(
        title="newsprism",
        version="1",
        summary="One news event through many outlets: stories, grounded Quick Reads, coverage.",
        docs_url=None,  # the stock Swagger UI loads from a CDN; /docs is rendered here instead
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.newsprism = WebContext(
        repo=repo,
        store=store,
        security=Security(config, store),
        review=ReviewService(repo, store, policy=parse_policy(settings.review_policy)),
        templates=_templates(),
        feedback_limiter=RateLimiter(config.feedback_per_minute, 60.0),
        login_limiter=RateLimiter(config.login_per_minute, 60.0),
        page_cache=TTLCache(config.page_cache_seconds),
        data_cache=TTLCache(60.0, max_entries=64),  # outlet list for the filter: staleness is harmless
        # anonymous story pages, keyed by the story's content stamp: no expiry, only eviction
        story_pages=TTLCache(math.inf if config.page_cache_seconds > 0 else 0, max_entries=2048),
        api_stories=TTLCache(
            math.inf if config.page_cache_seconds > 0 else 0, max_entries=2048
        ),  # same, JSON
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.add_middleware(RequestLimits, max_bytes=config.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(DataError, _data_error)  # type: ignore[arg-type]
    return app


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Pure ASGI middleware adding CSP and friends to every response (a second line of defence:
    even if escaping failed somewhere, inline scripts and foreign scripts would not run)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", "")


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """JSON errors for the API, a readable page (with a sign-in form on 401) for browsers."""
    headers = dict(exc.headers or {})
    if _wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    ctx = context(request)
    response = ctx.templates.TemplateResponse(
        request,
        "error.html",
        {
            "status": exc.status_code,
            "detail": exc.detail,
            "csrf_token": ctx.security.csrf_token(request),
            "user": ctx.security.session(request),
            "next": request.url.path,
        },
        status_code=exc.status_code,
        headers=headers,
    )
    ctx.security.save(request, response)
    return response


async def _data_error(request: Request, exc: DataError) -> Response:
    """The database refused a value from the request (a NUL byte in a form field on PostgreSQL,
    an out-of-range number): the client's fault, so 400, not 500."""
    return await _http_error(
        request, HTTPException(400, "a value in the request cannot be stored or searched")
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": exc.errors()}, status_code=422)
    return await _http_error(request, HTTPException(422, "the form was incomplete or invalid"))
