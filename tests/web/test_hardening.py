"""Regression tests for the outside probe's findings on the web app (issue #16 items 3, 4, 9, 10
and the per-account sign-in back-off). Each failed at commit e675e5b.

They run on SQLite and, when configured, PostgreSQL (the ``client`` fixture follows the backend).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import EDITOR, READER, World, csrf, login

from newsprism.cli.users import users_app
from newsprism.config import Settings
from newsprism.newsroom.users import LoginBackoff
from newsprism.web.app import create_app
from newsprism.web.security import SESSION_COOKIE, WebConfig

HTML = {"accept": "text/html"}


def _copied_client(client: TestClient) -> TestClient:
    """A second browser holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = TestClient(client.app, base_url="http://testserver")
    thief.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    return thief


# ---- item 4: sign-out, password change and removal end the session server-side ------------------
def test_api_sign_out_ends_a_copied_session(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    thief = _copied_client(client)
    assert thief.get("/api/v1/review/queue").status_code == 200
    assert client.request("DELETE", "/api/v1/session", headers={"X-CSRF-Token": token}).status_code == 200
    assert thief.get("/api/v1/review/queue").status_code == 401
    assert thief.get("/api/v1/session").json()["user"] is None


def test_form_sign_out_ends_a_copied_session(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    thief = _copied_client(client)
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert thief.get("/api/v1/review/queue").status_code == 401
    assert thief.get("/review", headers=HTML).status_code == 401


def test_password_change_and_removal_end_every_session(
    client: TestClient, world: World, database_url: str
) -> None:
    runner = CliRunner()
    login(client, EDITOR)
    other_browser = TestClient(client.app, base_url="http://testserver")
    login(other_browser, EDITOR)
    changed = runner.invoke(
        users_app,
        ["password", EDITOR[0], "--password-stdin", "--database", database_url],
        input="new-pass-123\n",
    )
    assert changed.exit_code == 0 and "2 session(s) ended" in changed.output, changed.output
    assert client.get("/api/v1/review/queue").status_code == 401
    assert other_browser.get("/api/v1/review/queue").status_code == 401
    login(client, (EDITOR[0], "new-pass-123"))
    assert client.get("/api/v1/review/queue").status_code == 200

    login(other_browser, READER)
    ended = runner.invoke(users_app, ["logout", READER[0], "--database", database_url])
    assert ended.exit_code == 0 and "1 session(s)" in ended.output
    assert other_browser.get("/api/v1/session").json()["user"] is None

    removed = runner.invoke(users_app, ["remove", EDITOR[0], "--database", database_url])
    assert removed.exit_code == 0, removed.output
    assert client.get("/api/v1/review/queue").status_code == 401
    again = runner.invoke(users_app, ["remove", EDITOR[0], "--database", database_url])
    assert again.exit_code == 3 and "no user" in again.output
    weak = runner.invoke(
        users_app, ["password", READER[0], "--password-stdin", "--database", database_url], input="short\n"
    )
    assert weak.exit_code == 2 and "at least 8" in weak.output


# ---- item 3: request bodies are capped before parsing ------------------------------------------
def test_declared_oversize_body_is_refused_before_the_route(client: TestClient, world: World) -> None:
    body = b'{"username": "' + b"a" * 2_000_000 + b'", "password": "x"}'
    response = client.post("/api/v1/session", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    assert client.post("/login", content=body).status_code == 413  # every route, forms too


def test_streamed_oversize_body_is_stopped_at_the_cap(client: TestClient, world: World) -> None:
    def chunks() -> object:
        for _ in range(40):
            yield b"x" * 65536  # 2.6 MB, no Content-Length (chunked)

    response = client.post("/api/v1/session", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_small_bodies_still_work(client: TestClient, world: World) -> None:
    login(client, EDITOR)  # a normal JSON sign-in passes the cap


# ---- item 9: unvalidated input is a 4xx, never a 500 ------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stories?offset=9223372036854775808",
        "/api/v1/stories?offset=-1",
        "/api/v1/stories?q=a%00b",
        "/api/v1/stories?outlet=%00",
        "/api/v1/articles/%00",
        "/api/v1/stories/s%00x",
        "/stories/s%00x",
        "/articles/%00",
        "/?q=%00",
    ],
)
def test_hostile_query_values_are_client_errors(client: TestClient, world: World, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:200])


def test_nul_and_huge_numbers_in_bodies_are_client_errors(client: TestClient, world: World) -> None:
    token = csrf(client)
    nul_login = client.post(
        "/api/v1/session", json={"username": "erin\x00", "password": "x"}, headers={"X-CSRF-Token": token}
    )
    assert nul_login.status_code in {400, 401}
    huge = client.post(
        f"/api/v1/stories/{world.strike.id}/feedback",
        json={"helpful": True, "version": 2**63},
        headers={"X-CSRF-Token": token},
    )
    assert huge.status_code == 422
    comment = client.post(
        f"/api/v1/stories/{world.strike.id}/feedback",
        json={"helpful": True, "comment": "nul \x00 here"},
        headers={"X-CSRF-Token": token},
    )
    assert comment.status_code in {201, 400}


# ---- item 10: absolute links never come from the Host header ----------------------------------
def test_atom_links_ignore_a_forged_host_header(client: TestClient, world: World) -> None:
    feed = client.get("/feed.atom", headers={"Host": "evil.example"})
    assert feed.status_code == 200 and "evil.example" not in feed.text


def test_atom_links_use_the_configured_base_url(world: World, web_config: WebConfig) -> None:
    config = WebConfig(**{**web_config.__dict__, "base_url": "https://news.example.org/"})
    app = create_app(Settings(database_url="sqlite://"), repo=world.repo, web=config)
    with TestClient(app) as client:
        feed = client.get("/feed.atom", headers={"Host": "evil.example"})
    assert 'href="https://news.example.org/feed.atom"' in feed.text and "evil.example" not in feed.text


# ---- also seen: per-account back-off on failed sign-ins ----------------------------------------
def test_failed_sign_ins_back_off_per_account(client: TestClient, world: World) -> None:
    token = csrf(client)

    def attempt(password: str) -> int:
        response = client.post(
            "/api/v1/session",
            json={"username": EDITOR[0], "password": password},
            headers={"X-CSRF-Token": token},
        )
        return response.status_code

    assert [attempt("wrong-password") for _ in range(6)] == [401] * 6
    assert attempt(EDITOR[1]) == 429  # even the right password waits out the back-off


def test_backoff_doubles_and_resets() -> None:
    backoff = LoginBackoff(free=2, base=1.0, cap=8.0)
    for _ in range(2):
        backoff.failed("ada", now=0.0)
    assert backoff.wait("ada", now=0.0) == 0.0
    waits = []
    for _ in range(6):
        backoff.failed("ada", now=100.0)
        waits.append(backoff.wait("ada", now=100.0))
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert backoff.wait("bob", now=100.0) == 0.0  # other accounts are not affected
    backoff.succeeded("ada")
    assert backoff.wait("ada", now=100.0) == 0.0


# ---- the API's caches (benchmark fix) never serve stale content after a change -----------------
def test_cached_api_reads_follow_review_actions(world: World, web_config: WebConfig) -> None:
    config = WebConfig(**{**web_config.__dict__, "page_cache_seconds": 60})
    app = create_app(Settings(database_url="sqlite://"), repo=world.repo, web=config)
    with TestClient(app) as client:
        story = client.get("/api/v1/stories/s-strike").json()
        listed = client.get("/api/v1/stories").json()["stories"]
        assert story["quick_read"]["status"] == "draft"
        assert {s["id"]: s["quick_read_status"] for s in listed}["s-strike"] == "draft"
        token = login(client, EDITOR)
        approved = client.post(
            "/api/v1/stories/s-strike/quick-read/approve",
            json={"version": 1},
            headers={"X-CSRF-Token": token},
        )
        assert approved.status_code == 200
        assert client.get("/api/v1/stories/s-strike").json()["quick_read"]["status"] == "published"
        listed = client.get("/api/v1/stories").json()["stories"]
        assert {s["id"]: s["quick_read_status"] for s in listed}["s-strike"] == "published"
