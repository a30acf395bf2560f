"""Sessions, CSRF tokens and role checks for the web app.

* The session is one signed cookie (itsdangerous, HMAC-SHA1 over a JSON payload with a timestamp):
  HttpOnly, SameSite=Lax, ``Secure`` when ``NEWSPRISM_COOKIE_SECURE`` is on (behind HTTPS).
  It holds a random session id, a random voter token and, after login, the username. A signed-in
  session also has a row in the ``sessions`` table (keyed by a hash of its id), read with the
  user's role on every request: sign-out, account removal and a password change delete the rows,
  so a copied cookie stops working at once, as does a role change.
* The CSRF token is an HMAC of the session id: forms carry it in a hidden field, API writes in the
  ``X-CSRF-Token`` header. SameSite=Lax already blocks most cross-site posts; the token covers
  the rest (older browsers, same-site subdomains).
* Login rotates the session id (no fixation) and keeps the voter token (one vote per browser).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import math
import os
import secrets
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from newsprism.newsroom.feedback import RateLimiter
from newsprism.newsroom.users import LoginBackoff, Role, has_role, verify_password
from newsprism.store.newsroom import NewsroomStore, UserRecord
from newsprism.web.limits import max_body_from_env

SESSION_COOKIE = "np_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class WebConfig:
    """Web-only settings, from the environment (``NEWSPRISM_SECRET_KEY``, ``NEWSPRISM_COOKIE_SECURE``...)."""

    secret_key: str = field(default_factory=lambda: os.environ.get("NEWSPRISM_SECRET_KEY", ""))
    cookie_secure: bool = field(default_factory=lambda: _env_flag("NEWSPRISM_COOKIE_SECURE", False))
    session_max_age: int = 14 * 24 * 3600
    feedback_per_minute: int = field(
        default_factory=lambda: int(os.environ.get("NEWSPRISM_FEEDBACK_PER_MINUTE", "10"))
    )
    login_per_minute: int = 10
    page_cache_seconds: float = field(
        default_factory=lambda: float(os.environ.get("NEWSPRISM_PAGE_CACHE_SECONDS", "2"))
    )
    # public address for absolute links (Atom); never taken from the client's Host header
    base_url: str = field(default_factory=lambda: os.environ.get("NEWSPRISM_BASE_URL", "").strip())
    max_body_bytes: int = field(default_factory=max_body_from_env)

    def public_base(self, request: Request) -> str:
        """``NEWSPRISM_BASE_URL``, else the address this server listens on (the socket, not the
        ``Host`` header, which any client can set to ``evil.example``)."""
        if self.base_url:
            return self.base_url.rstrip("/")
        host, port = request.scope.get("server") or ("127.0.0.1", 8000)
        host = f"[{host}]" if ":" in str(host) else str(host)
        default = {"http": 80, "https": 443}.get(request.url.scheme)
        return f"{request.url.scheme}://{host}" + ("" if port == default else f":{port}")

    def resolved(self) -> WebConfig:
        """A config with a secret: without one, a random per-process key (sessions end on restart)."""
        if self.secret_key:
            return self
        print(
            "newsprism: NEWSPRISM_SECRET_KEY is not set; using a random key (logins end on restart)",
            file=sys.stderr,
        )
        return dataclasses.replace(self, secret_key=secrets.token_urlsafe(32))


@dataclass
class Session:
    sid: str
    voter: str
    user: str | None = None
    role: str | None = None
    voted: list[str] = field(default_factory=list)  # "story_id:version", most recent last
    dirty: bool = False

    def payload(self) -> dict[str, Any]:
        return {"sid": self.sid, "voter": self.voter, "user": self.user, "voted": self.voted}

    def voted_versions(self, story_id: str) -> tuple[int, ...]:
        """Versions of this story's Quick Read this browser voted on (kept in the cookie)."""
        prefix = story_id + ":"
        return tuple(sorted(int(v[len(prefix) :]) for v in self.voted if v.startswith(prefix)))

    def remember_vote(self, story_id: str, version: int, keep: int = 50) -> None:
        self.voted = [*self.voted, f"{story_id}:{version}"][-keep:]
        self.dirty = True


def sid_hash(sid: str) -> str:
    """What the sessions table stores: a leaked table row cannot be turned back into a cookie."""
    return hashlib.sha256(sid.encode()).hexdigest()


class Security:
    """Loads and saves sessions, issues and checks CSRF tokens, enforces roles."""

    def __init__(self, config: WebConfig, store: NewsroomStore) -> None:
        self.config = config
        self.store = store
        self._serializer = URLSafeTimedSerializer(config.secret_key, salt="newsprism.session")
        self.backoff = LoginBackoff()

    # ---- sessions ------------------------------------------------------------------------------
    def session(self, request: Request) -> Session:
        """The request's session, loaded once; a new anonymous one if the cookie is absent or bad."""
        cached = getattr(request.state, "np_session", None)
        if isinstance(cached, Session):
            return cached
        session = self._load(request.cookies.get(SESSION_COOKIE))
        request.state.np_session = session
        return session

    def _load(self, cookie: str | None) -> Session:
        if cookie:
            try:
                data = self._serializer.loads(cookie, max_age=self.config.session_max_age)
            except BadSignature:
                data = None
            if (
                isinstance(data, dict)
                and isinstance(data.get("sid"), str)
                and isinstance(data.get("voter"), str)
            ):
                voted = data.get("voted")
                session = Session(data["sid"], data["voter"], data.get("user"))
                if isinstance(voted, list):
                    session.voted = [v for v in voted if isinstance(v, str)][-50:]
                if session.user:
                    # the server-side row decides: signed out, removed or re-passworded users
                    # lose the session although the cookie's signature is still valid
                    record = self.store.session_user(sid_hash(session.sid))
                    if record is None or record.username != session.user:
                        session.user, session.dirty = None, True
                    session.role = record.role if session.user and record else None
                return session
        return Session(secrets.token_urlsafe(18), secrets.token_urlsafe(18), dirty=True)

    def save(self, request: Request, response: Response) -> None:
        """Write the cookie if the session is new or changed (most page views send nothing)."""
        session = getattr(request.state, "np_session", None)
        if isinstance(session, Session) and session.dirty:
            response.set_cookie(
                SESSION_COOKIE,
                self._serializer.dumps(session.payload()),
                max_age=self.config.session_max_age,
                httponly=True,
                samesite="lax",
                secure=self.config.cookie_secure,
                path="/",
            )

    def login(self, request: Request, username: str, role: str) -> Session:
        session = self.session(request)
        session.sid = secrets.token_urlsafe(18)
        session.user, session.role, session.dirty = username, role, True
        self.store.start_session(
            sid_hash(session.sid), username, timedelta(seconds=self.config.session_max_age)
        )
        return session

    def sign_in(
        self, request: Request, username: str, password: str, per_address: RateLimiter
    ) -> UserRecord | None:
        """Check a password under both throttles (429 when either refuses); on success the
        session is signed in and the login logged. The form and the API share this."""
        if not per_address.allow(self.client_key(request)):
            raise HTTPException(429, "too many sign-in attempts; wait a minute")
        wait = self.backoff.wait(username)
        if wait > 0:
            raise HTTPException(
                429,
                f"too many failed sign-ins for this account; try again in {math.ceil(wait)} s",
                headers={"Retry-After": str(math.ceil(wait))},
            )
        record = self.store.get_user(username)
        # the hash is verified even for unknown names, so timing does not reveal which exist
        if not verify_password(record.password_hash if record else None, password) or record is None:
            self.backoff.failed(username)
            return None
        self.backoff.succeeded(username)
        self.login(request, record.username, record.role)
        self.store.log(record.username, "login")
        return record

    def logout(self, request: Request) -> None:
        """End the session server-side (a copied cookie stops working) and rotate the id."""
        session = self.session(request)
        if session.user:
            self.store.end_session(sid_hash(session.sid))
        session.sid = secrets.token_urlsafe(18)
        session.user, session.role, session.dirty = None, None, True

    # ---- CSRF --------------------------------------------------------------------------------
    def csrf_token(self, request: Request) -> str:
        sid = self.session(request).sid
        return hmac.new(self.config.secret_key.encode(), b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, request: Request, supplied: str | None) -> None:
        """403 unless ``supplied`` matches this session's token (compared in constant time)."""
        if not supplied or not hmac.compare_digest(supplied, self.csrf_token(request)):
            raise HTTPException(403, "missing or invalid CSRF token")

    # ---- roles -------------------------------------------------------------------------------
    def require(self, request: Request, role: Role) -> Session:
        """401 for anonymous users, 403 for signed-in users below ``role``."""
        session = self.session(request)
        if not session.user:
            raise HTTPException(401, "sign in required", headers={"WWW-Authenticate": "Cookie"})
        if not has_role(session.role, role):
            raise HTTPException(403, f"{role} role required")
        return session

    def client_key(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"
