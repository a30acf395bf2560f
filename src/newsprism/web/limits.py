"""Limits every request meets before any route runs: a body cap and no NUL bytes in the URL.

FastAPI reads and parses a request's body before it runs the route's dependencies, so without a
cap a 300 MB POST to ``/api/v1/session`` was buffered and parsed in full before the CSRF check
answered 403. This middleware refuses a declared ``Content-Length`` over the cap at once (nothing
read) and counts a streamed (chunked) body as it arrives, stopping it at the cap.

A NUL byte in the path or query string is refused with 400 here too: no identifier, search or
filter can contain one, and PostgreSQL rejects it inside text, which surfaced as a 500.
"""

from __future__ import annotations

import json
import os

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY = 1_000_000  # review edits and sign-ins are a few KB; a page form far less


def max_body_from_env() -> int:
    """``NEWSPRISM_MAX_BODY_BYTES`` or the default (1 MB)."""
    return int(os.environ.get("NEWSPRISM_MAX_BODY_BYTES", str(DEFAULT_MAX_BODY)))


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` mid-stream; FastAPI re-raises HTTPExceptions from body reading, so
    the app's error handler renders it (JSON for the API, a page for browsers)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


class RequestLimits:
    """Pure ASGI middleware: 400 for a NUL in the URL, 413 for bodies over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            await _refuse(send, 400, "NUL bytes are not allowed in URLs")
            return
        declared = _content_length(scope)
        if declared is not None and (declared < 0 or declared > self.max_bytes):
            await _refuse(send, 413, _too_large(self.max_bytes))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(send, 413, _too_large(self.max_bytes))


def _too_large(limit: int) -> str:
    return f"request body over the {limit:,}-byte limit"


def _has_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\0" in scope.get("path", "") or b"\0" in query or b"%00" in query


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1  # malformed: refused like an oversize one
    return None


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
