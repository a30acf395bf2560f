"""The JSON API: every endpoint exercised, and the schema is valid OpenAPI."""

from __future__ import annotations

import json
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_helpers import EDITOR, World, csrf, login

from newsprism.serialize import story_contract


def test_list_stories_with_filters(client: TestClient) -> None:
    data = client.get("/api/v1/stories").json()
    assert [s["id"] for s in data["stories"]] == ["s-strike", "s-evil"]
    first = data["stories"][0]
    assert first["article_count"] == 3 and first["read_time_minutes"] == 2
    assert first["label"] == "AI-generated" and first["first_bullet"].startswith("Port Calder")
    assert [s["id"] for s in client.get("/api/v1/stories?q=dockworkers").json()["stories"]] == ["s-strike"]
    assert [s["id"] for s in client.get("/api/v1/stories?outlet=Calder+Courier").json()["stories"]] == [
        "s-strike"
    ]
    since = client.get("/api/v1/stories", params={"since": "2026-11-20T00:00:00Z"}).json()
    assert [s["id"] for s in since["stories"]] == ["s-strike"]
    until = client.get("/api/v1/stories", params={"until": "2026-11-20T00:00:00Z"}).json()
    assert [s["id"] for s in until["stories"]] == ["s-evil"]
    assert [s["id"] for s in client.get("/api/v1/stories?limit=1&offset=1").json()["stories"]] == ["s-evil"]
    assert client.get("/api/v1/stories?limit=0").status_code == 422


def test_get_story_follows_the_public_contract(client: TestClient, world: World) -> None:
    data = client.get("/api/v1/stories/s-strike").json()
    assert {"id", "headline", "outlets", "articles", "quick_read", "facts", "comparison"} <= set(data)
    assert data["quick_read"]["label"] == "AI-generated"
    assert data["quick_read"]["bullets"][0]["citations"][0]["sentence"]
    assert {a["id"] for a in data["articles"]} == {a.id for a in world.strike_articles}
    wire = next(a for a in data["articles"] if a["outlet"] == "Northern Wire")
    assert wire["syndicated"] is True and wire["agency"] == "Northern Wire" and wire["read_time_minutes"] == 2
    assert client.get("/api/v1/stories/nope").status_code == 404


def test_story_json_from_the_stored_json_says_what_the_decoded_contract_says(
    client: TestClient, world: World
) -> None:
    """The API builds a story from the stored analysis JSON (no dataclass round trip); it must
    say exactly what ``story_contract`` over the decoded story says (the CLI's path)."""
    for story_id in ("s-strike", "s-evil"):
        found = world.repo.load_story(story_id)
        assert found is not None
        expected = json.loads(json.dumps(story_contract(*found)))
        got = client.get(f"/api/v1/stories/{story_id}").json()
        for item in got["articles"]:
            for extra in ("authors", "read_time_minutes", "syndicated", "agency"):
                del item[extra]
        if got["quick_read"]:
            del got["quick_read"]["label"]
        assert got == expected


def test_get_quick_read(client: TestClient) -> None:
    data = client.get("/api/v1/stories/s-strike/quick-read").json()
    assert data["version"] == 1 and data["status"] == "draft" and len(data["bullets"]) == 2
    assert client.get("/api/v1/stories/nope/quick-read").status_code == 404


def test_get_article(client: TestClient, world: World) -> None:
    article = world.strike_articles[0]
    data = client.get(f"/api/v1/articles/{article.id}").json()
    assert data["body"] == article.body and data["story_id"] == "s-strike"
    assert data["removed"][0] == {"text": "Advertisement", "reason": "advertisement", "line": 2}
    assert client.get("/api/v1/articles/nope").status_code == 404


def test_post_feedback(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/api/v1/stories/s-strike/feedback",
        json={"helpful": True, "comment": "  Clear   and short. ", "version": 1},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201 and response.json() == {
        "story_id": "s-strike",
        "version": 1,
        "recorded": True,
    }
    other = TestClient(client.app)
    stale = other.post(
        "/api/v1/stories/s-strike/feedback",
        json={"helpful": True, "version": 9},
        headers={"X-CSRF-Token": csrf(other)},
    )
    assert stale.status_code == 409
    assert (
        other.post(
            "/api/v1/stories/nope/feedback", json={"helpful": True}, headers={"X-CSRF-Token": csrf(other)}
        ).status_code
        == 404
    )
    login(client, EDITOR)
    comments = client.get("/api/v1/review/feedback?story=s-strike").json()["comments"]
    assert comments[0]["comment"] == "Clear and short."


def test_session_endpoints(client: TestClient) -> None:
    anonymous = client.get("/api/v1/session").json()
    assert anonymous["user"] is None and anonymous["csrf_token"]
    wrong = client.post(
        "/api/v1/session",
        json={"username": EDITOR[0], "password": "nope-nope"},
        headers={"X-CSRF-Token": anonymous["csrf_token"]},
    )
    assert wrong.status_code == 401
    token = login(client, EDITOR)
    assert client.get("/api/v1/session").json()["role"] == "editor"
    out = client.delete("/api/v1/session", headers={"X-CSRF-Token": token})
    assert out.status_code == 200 and client.get("/api/v1/session").json()["user"] is None


def test_review_endpoints(client: TestClient) -> None:
    token = login(client, EDITOR)
    queue = client.get("/api/v1/review/queue").json()["queue"]
    assert [q["story_id"] for q in queue] == ["s-evil", "s-strike"] or {q["story_id"] for q in queue} == {
        "s-evil",
        "s-strike",
    }
    approved = client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    assert approved.json()["status"] == "published"
    assert client.get("/api/v1/review/audit?story=s-strike").json()["entries"][0]["action"] == "approve"
    assert client.get("/api/v1/review/feedback").json()["overall"]["total"] == 0
    # edit and reject are covered in test_review.py


def test_openapi_schema_is_valid_and_documents_the_api(client: TestClient) -> None:
    schema: dict[str, Any] = client.get("/openapi.json").json()
    try:  # dev dependency openapi-spec-validator; a structural check below either way
        from openapi_spec_validator import validate
    except ImportError:
        pass
    else:
        validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "newsprism"
    paths = schema["paths"]
    assert all(p.startswith("/api/v1/") for p in paths)
    for path, methods in paths.items():
        for method, op in methods.items():
            assert op.get("summary"), (method, path)
            assert op.get("responses"), (method, path)
    assert "X-CSRF-Token" in str(paths["/api/v1/stories/{story_id}/quick-read/approve"]["post"]["parameters"])
    docs = client.get("/docs").text  # rendered here: the stock Swagger UI would load from a CDN
    assert "<code>POST /api/v1/stories/{story_id}/quick-read/edit</code>" in docs
    assert "cdn" not in docs.lower()


# (method, path) -> the test that exercises it; the meta-test below keeps this table complete
ENDPOINT_TESTS = {
    (
        "POST",
        "/api/v1/stories/{story_id}/split",
    ): "test_split.py::test_api_split_keeps_the_founders_part_and_audits",
    ("POST", "/review/stories/{story_id}/split"): "test_split.py::test_split_form_on_the_review_page",
    ("GET", "/api/v1/stories"): "test_api.py::test_list_stories_with_filters",
    ("GET", "/api/v1/stories/{story_id}"): "test_api.py::test_get_story_follows_the_public_contract",
    ("GET", "/api/v1/stories/{story_id}/quick-read"): "test_api.py::test_get_quick_read",
    ("GET", "/api/v1/articles/{article_id}"): "test_api.py::test_get_article",
    ("POST", "/api/v1/stories/{story_id}/feedback"): "test_api.py::test_post_feedback",
    ("GET", "/api/v1/session"): "test_api.py::test_session_endpoints",
    ("POST", "/api/v1/session"): "test_api.py::test_session_endpoints",
    ("DELETE", "/api/v1/session"): "test_api.py::test_session_endpoints",
    ("GET", "/api/v1/review/queue"): "test_api.py::test_review_endpoints",
    ("POST", "/api/v1/stories/{story_id}/quick-read/approve"): "test_api.py::test_review_endpoints",
    (
        "POST",
        "/api/v1/stories/{story_id}/quick-read/edit",
    ): "test_review.py::test_grounded_edit_is_stored_as_a_reviewed_version_with_audit",
    (
        "POST",
        "/api/v1/stories/{story_id}/quick-read/reject",
    ): "test_review.py::test_reject_and_regenerate_makes_a_fresh_draft",
    ("GET", "/api/v1/review/feedback"): "test_review.py::test_feedback_results_for_editors",
    ("GET", "/api/v1/review/audit"): "test_api.py::test_review_endpoints",
    ("GET", "/"): "test_pages.py::test_feed_search_outlet_and_date_filters",
    (
        "GET",
        "/stories/{story_id}",
    ): "test_pages.py::test_story_page_shows_label_bullets_sources_comparison_and_articles",
    ("GET", "/stories/{story_id}/coverage.svg"): "test_pages.py::test_coverage_svg_marks_who_reported_what",
    (
        "GET",
        "/articles/{article_id}",
    ): "test_pages.py::test_article_page_has_clean_text_and_removed_furniture_toggle",
    (
        "POST",
        "/stories/{story_id}/feedback",
    ): "test_security.py::test_feedback_cannot_be_replayed_and_is_rate_limited",
    ("GET", "/login"): "test_review.py::test_queue_lists_drafts_and_approval_changes_the_public_label",
    ("POST", "/login"): "test_security.py::test_login_rotates_the_session_and_wrong_passwords_fail",
    ("POST", "/logout"): "test_api.py::test_logout_form",
    ("GET", "/review"): "test_review.py::test_queue_lists_drafts_and_approval_changes_the_public_label",
    ("GET", "/review/stories/{story_id}"): "test_review.py::test_reject_form_and_review_pages",
    (
        "POST",
        "/review/stories/{story_id}/approve",
    ): "test_review.py::test_queue_lists_drafts_and_approval_changes_the_public_label",
    (
        "POST",
        "/review/stories/{story_id}/edit",
    ): "test_review.py::test_edit_with_an_unsupported_claim_is_refused_and_explained",
    ("POST", "/review/stories/{story_id}/reject"): "test_review.py::test_reject_form_and_review_pages",
    ("GET", "/review/audit"): "test_review.py::test_reject_form_and_review_pages",
    ("GET", "/review/feedback"): "test_review.py::test_feedback_results_for_editors",
    ("GET", "/feed.atom"): "test_review.py::test_atom_feed_lists_only_approved_stories",
    ("GET", "/docs"): "test_api.py::test_openapi_schema_is_valid_and_documents_the_api",
    ("GET", "/api/v1/stories/{story_id}/versions"): "test_story_page.py::test_versions_and_diff_api",
    ("GET", "/api/v1/stories/{story_id}/versions/diff"): "test_story_page.py::test_versions_and_diff_api",
    (
        "POST",
        "/api/v1/stories/{story_id}/quick-read/bullets",
    ): "test_workflow.py::test_per_bullet_actions_keep_tags_and_citations_consistent",
    (
        "POST",
        "/review/stories/{story_id}/bullets",
    ): "test_workflow.py::test_bullet_action_forms_on_the_review_page",
    (
        "GET",
        "/feeds/stories.atom",
    ): "test_story_feeds.py::test_story_feeds_have_one_entry_per_story_and_follow_the_home_page_filters",
    (
        "GET",
        "/feeds/stories.json",
    ): "test_story_feeds.py::test_story_feeds_have_one_entry_per_story_and_follow_the_home_page_filters",
    (
        "GET",
        "/stories/{story_id}/feed.atom",
    ): "test_story_feeds.py::test_per_story_feed_has_an_entry_per_version",
    (
        "GET",
        "/stories/{story_id}/feed.json",
    ): "test_story_feeds.py::test_per_story_feed_has_an_entry_per_version",
    ("GET", "/sources.opml"): "test_story_feeds.py::test_sources_opml_lists_enabled_sources",
}


def test_logout_form(client: TestClient) -> None:
    login(client, EDITOR)
    page = client.get("/review").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert client.get("/api/v1/session").json()["user"] is None


def test_every_endpoint_has_a_test() -> None:
    from pathlib import Path

    from newsprism.web import api, feeds, pages

    served = {
        (method, route.path)
        for route in [*api.router.routes, *pages.router.routes, *feeds.router.routes]
        if isinstance(route, APIRoute)
        for method in route.methods or set()
    }
    assert served == set(ENDPOINT_TESTS), served ^ set(ENDPOINT_TESTS)
    here = Path(__file__).parent
    for target in set(ENDPOINT_TESTS.values()):
        module, name = target.split("::")
        assert f"def {name}(" in (here / module).read_text(), target
