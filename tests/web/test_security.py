"""Security: hostile article text is inert, review needs a role, every write needs CSRF, votes are capped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_helpers import EDITOR, READER, World, csrf, login

from newsprism.config import Settings
from newsprism.web.app import create_app
from newsprism.web.security import SESSION_COOKIE, WebConfig

HTML = {"accept": "text/html"}


def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]*)"', html)


@pytest.mark.parametrize("page", ["/", "/stories/s-evil", "article"])
def test_script_tags_and_javascript_links_are_rendered_inert(
    client: TestClient, world: World, page: str
) -> None:
    url = f"/articles/{world.evil_article.id}" if page == "article" else page
    html = client.get(url, headers=HTML).text
    assert "alert" in html  # the hostile text is shown, as text...
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/app.js" defer>']  # ...but only our own script runs
    assert "<img" not in html and "onerror=" not in html.replace("onerror=alert", "")
    assert "&lt;script&gt;" in html
    assert not [
        h for h in _hrefs(html) if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
    ]
    assert "javascript:" not in " ".join(_hrefs(html))


def test_the_evil_story_api_returns_data_not_markup(client: TestClient) -> None:
    data = client.get("/api/v1/stories/s-evil").json()
    assert data["headline"] == "Brennock floods <script>alert(5)</script>"  # JSON carries text as-is
    assert client.get("/api/v1/stories/s-evil").headers["content-type"].startswith("application/json")


def test_the_coverage_svg_escapes_outlet_names(client: TestClient) -> None:
    svg = client.get("/stories/s-evil/coverage.svg").text
    assert "<b>" not in svg and "&lt;b&gt;Bugle&lt;/b&gt;" in svg


REVIEW_PAGES = ["/review", "/review/stories/s-strike", "/review/audit", "/review/feedback"]
REVIEW_API_GETS = ["/api/v1/review/queue", "/api/v1/review/feedback", "/api/v1/review/audit"]
REVIEW_POSTS: list[tuple[str, dict[str, Any]]] = [
    ("/review/stories/s-strike/approve", {"version": "1"}),
    ("/review/stories/s-strike/edit", {"version": "1", "bullet": ["x", "y"]}),
    ("/review/stories/s-strike/reject", {"version": "1"}),
    ("/review/stories/s-strike/bullets", {"version": "1", "index": "1", "action": "move-up"}),
]
REVIEW_API_POSTS: list[tuple[str, dict[str, Any]]] = [
    ("/api/v1/stories/s-strike/quick-read/approve", {"version": 1}),
    ("/api/v1/stories/s-strike/quick-read/edit", {"version": 1, "bullets": ["x", "y"]}),
    ("/api/v1/stories/s-strike/quick-read/reject", {"version": 1}),
    ("/api/v1/stories/s-strike/quick-read/bullets", {"version": 1, "action": "move-up", "bullet": 2}),
]


def test_review_refuses_anonymous_with_401(client: TestClient) -> None:
    token = csrf(client)
    for url in REVIEW_PAGES:
        response = client.get(url, headers=HTML)
        assert response.status_code == 401, url
        assert 'action="/login"' in response.text  # the 401 page offers the sign-in form
    for url in REVIEW_API_GETS:
        assert client.get(url).status_code == 401, url
    for url, form in REVIEW_POSTS:
        assert client.post(url, data={**form, "csrf_token": token}).status_code == 401, url
    for url, body in REVIEW_API_POSTS:
        assert client.post(url, json=body, headers={"X-CSRF-Token": token}).status_code == 401, url


def test_review_refuses_readers_with_403(client: TestClient, world: World) -> None:
    token = login(client, READER)
    for url in REVIEW_PAGES:
        assert client.get(url, headers=HTML).status_code == 403, url
    for url in REVIEW_API_GETS:
        assert client.get(url).status_code == 403, url
    for url, form in REVIEW_POSTS:
        assert client.post(url, data={**form, "csrf_token": token}).status_code == 403, url
    for url, body in REVIEW_API_POSTS:
        assert client.post(url, json=body, headers={"X-CSRF-Token": token}).status_code == 403, url
    assert world.repo.latest_quick_read("s-strike").status == "draft"  # type: ignore[union-attr]


def all_routes() -> list[APIRoute]:
    """Every route the app serves (pages and API), straight from the routers it includes."""
    from newsprism.web import api, pages

    return [r for r in [*api.router.routes, *pages.router.routes] if isinstance(r, APIRoute)]


def _state_changing_routes() -> list[tuple[str, str]]:
    routes = []
    for route in all_routes():
        for method in sorted((route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            routes.append((method, route.path.replace("{story_id}", "s-strike")))
    return routes


def test_every_state_changing_route_requires_a_csrf_token(client: TestClient, world: World) -> None:
    """Signed in as an editor (so only the token is missing), every write is refused with 403."""
    good = login(client, EDITOR)
    routes = _state_changing_routes()
    assert len(routes) >= 10
    forms = {
        "/stories/s-strike/feedback": {"helpful": "yes", "version": "1"},
        "/login": {"username": EDITOR[0], "password": EDITOR[1]},
        "/logout": {},
        "/review/stories/s-strike/split": {"article": "x"},
        **{url: form for url, form in REVIEW_POSTS},
    }
    api_bodies = {
        "/api/v1/stories/s-strike/feedback": {"helpful": True},
        "/api/v1/session": {"username": EDITOR[0], "password": EDITOR[1]},
        "/api/v1/stories/s-strike/split": {"article_ids": ["x"]},
        **{url: body for url, body in REVIEW_API_POSTS},
    }
    for method, path in routes:
        if path.startswith("/api/"):
            for headers in ({}, {"X-CSRF-Token": "forged"}):
                response = client.request(method, path, json=api_bodies.get(path), headers=headers)
                assert response.status_code == 403, (method, path, headers)
        else:
            for extra in ({}, {"csrf_token": "forged"}):
                response = client.request(method, path, data={**forms[path], **extra})
                assert response.status_code == 403, (method, path, extra)
    latest = world.repo.latest_quick_read("s-strike")
    assert latest is not None and latest.version == 1 and latest.status == "draft"
    assert client.get("/api/v1/session").json()["user"] == EDITOR[0]  # logout without token did nothing
    assert good


def test_a_token_from_another_session_is_refused(client: TestClient, world: World) -> None:
    other = TestClient(client.app)
    stolen = csrf(other)
    csrf(client)
    response = client.post(
        "/stories/s-strike/feedback", data={"helpful": "yes", "version": "1", "csrf_token": stolen}
    )
    assert response.status_code == 403


def test_feedback_cannot_be_replayed_and_is_rate_limited(client: TestClient, world: World) -> None:
    token = csrf(client)
    vote = {"helpful": "yes", "version": "1", "csrf_token": token}
    first = client.post("/stories/s-strike/feedback", data=vote, follow_redirects=False)
    assert first.status_code == 303
    replay = client.post("/stories/s-strike/feedback", data=vote)
    assert replay.status_code == 409  # same browser, same version
    api_replay = client.post(
        "/api/v1/stories/s-strike/feedback", json={"helpful": False}, headers={"X-CSRF-Token": token}
    )
    assert api_replay.status_code == 409
    # fresh browsers from one address: allowed up to the limit (10 a minute), then 429
    statuses = []
    for _ in range(12):
        browser = TestClient(client.app)
        statuses.append(
            browser.post(
                "/api/v1/stories/s-strike/feedback",
                json={"helpful": True},
                headers={"X-CSRF-Token": csrf(browser)},
            ).status_code
        )
    assert statuses.count(201) == 7 and statuses[-1] == 429  # 3 of the 10 were used above
    totals = client.get("/api/v1/session")
    assert totals.status_code == 200


def test_session_cookie_flags_and_secure_option(world: World) -> None:
    plain = TestClient(
        create_app(Settings(), repo=world.repo, web=WebConfig(secret_key="k", cookie_secure=False))
    )
    cookie = plain.get("/api/v1/session").headers["set-cookie"]
    assert (
        f"{SESSION_COOKIE}=" in cookie
        and "HttpOnly" in cookie
        and "SameSite=lax" in cookie.replace("Lax", "lax")
    )
    assert "Secure" not in cookie
    secure = TestClient(
        create_app(Settings(), repo=world.repo, web=WebConfig(secret_key="k", cookie_secure=True))
    )
    assert "Secure" in secure.get("/api/v1/session").headers["set-cookie"]


def test_tampered_session_cookie_is_ignored(client: TestClient, world: World) -> None:
    login(client, EDITOR)
    value = client.cookies[SESSION_COOKIE]
    # change a character well inside the signature: the last base64 character carries padding
    # bits, so swapping it alone can leave the decoded signature, and the session, intact
    middle = len(value) - 8
    swapped = "A" if value[middle] != "A" else "B"
    jar = client.cookies.jar
    original = next(c for c in jar if c.name == SESSION_COOKIE)
    # replace the cookie itself (same domain and path): a second cookie of the same name beside
    # the valid one would let the server read either
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(
        SESSION_COOKIE,
        value[:middle] + swapped + value[middle + 1 :],
        domain=original.domain,
        path=original.path,
    )
    assert [c.value for c in client.cookies.jar if c.name == SESSION_COOKIE] != [value]
    assert client.get("/api/v1/session").json()["user"] is None
    assert client.get("/review", headers=HTML).status_code == 401


def test_login_rotates_the_session_and_wrong_passwords_fail(client: TestClient, world: World) -> None:
    before = csrf(client)
    bad = client.post(
        "/login", data={"username": EDITOR[0], "password": "wrong-password", "csrf_token": before}
    )
    assert bad.status_code == 401 and "Wrong username or password" in bad.text
    unknown = client.post(
        "/login", data={"username": "nobody", "password": "whatever1", "csrf_token": before}
    )
    assert unknown.status_code == 401
    ok = client.post(
        "/login",
        data={"username": EDITOR[0], "password": EDITOR[1], "csrf_token": before, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/review"  # no open redirect
    assert csrf(client) != before  # new session id, new token


def test_role_removal_takes_effect_on_next_request(client: TestClient, world: World) -> None:
    from newsprism.store.newsroom import NewsroomStore

    login(client, EDITOR)
    assert client.get("/api/v1/review/queue").status_code == 200
    NewsroomStore(world.repo.engine).set_role(EDITOR[0], "reader")
    assert client.get("/api/v1/review/queue").status_code == 403


def test_routes_are_collected(client: TestClient) -> None:
    paths = {r.path for r in all_routes()}
    assert "/api/v1/stories/{story_id}/quick-read/approve" in paths and "/" in paths


def test_security_headers_on_every_response(client: TestClient) -> None:
    for url in ("/", "/stories/s-strike", "/api/v1/stories", "/nope"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
