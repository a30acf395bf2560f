"""The review workflow: approve, edit with grounding re-check, reject and regenerate, audit, re-review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.testclient import TestClient
from web_helpers import EDITOR, T0, World, login, make_article

from newsprism.model import Analysis, Bullet, Citation, QuickRead, Story
from newsprism.store.repository import StoryChange

HTML = {"accept": "text/html"}
ATOM = "{http://www.w3.org/2005/Atom}"


def _form_login(client: TestClient) -> str:
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": EDITOR[0], "password": EDITOR[1], "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/review"
    page = client.get("/review").text
    return str(page.split('name="csrf_token" value="')[1].split('"')[0])


def test_queue_lists_drafts_and_approval_changes_the_public_label(client: TestClient, world: World) -> None:
    token = _form_login(client)
    queue = client.get("/review").text
    assert "Port Calder dockworkers end nine-day strike" in queue and "v1" in queue
    assert "Summary is AI-generated</p>" in client.get("/stories/s-strike").text
    response = client.post("/review/stories/s-strike/approve", data={"version": "1", "csrf_token": token})
    assert response.status_code == 200 and "Done: approved" in response.text
    assert "Summary is AI-generated, newsroom-reviewed" in client.get("/stories/s-strike").text
    assert "Port Calder dockworkers" not in client.get("/review").text  # left the queue
    api = client.get("/api/v1/stories/s-strike/quick-read").json()
    assert api["status"] == "published" and api["label"] == "AI-generated, newsroom-reviewed"
    entry = world_audit(client)[0]
    assert entry["actor"] == "erin" and entry["action"] == "approve"
    assert entry["before"]["status"] == "draft" and entry["after"]["status"] == "published"


def world_audit(client: TestClient) -> list[dict[str, Any]]:
    entries = client.get("/api/v1/review/audit").json()["entries"]
    assert isinstance(entries, list)
    return entries


def test_edit_with_an_unsupported_claim_is_refused_and_explained(client: TestClient, world: World) -> None:
    token = _form_login(client)
    first = world.repo.latest_quick_read("s-strike")
    assert first is not None
    texts = [
        "Port Calder dockworkers voted on Tuesday to end a nine-day strike after a 9 percent pay rise "
        "demanded by rioters.",
        first.bullets[1].text,
    ]
    response = client.post(
        "/review/stories/s-strike/edit", data={"version": "1", "csrf_token": token, "bullet": texts}
    )
    assert response.status_code == 422
    assert "Why the edit was refused" in response.text
    assert '<mark class="unsupported">rioters</mark>' in response.text
    assert '<mark class="unsupported">9</mark>' in response.text
    assert "demanded by rioters" in response.text  # the editor's text is kept for correction
    latest = world.repo.latest_quick_read("s-strike")
    assert latest is not None and latest.version == 1  # nothing stored


def test_grounded_edit_is_stored_as_a_reviewed_version_with_audit(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    edited = "Dockworkers at Port Calder voted on Tuesday to end a nine-day strike."
    response = client.post(
        "/api/v1/stories/s-strike/quick-read/edit",
        json={"version": 1, "bullets": [edited, ""]},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["version"] == 2 and data["status"] == "published" and data["method"] == "extractive+edited"
    assert [b["text"] for b in data["bullets"]] == [edited]
    assert data["bullets"][0]["citations"]  # kept the sources of the bullet it replaced
    entry = world_audit(client)[0]
    assert entry["action"] == "edit" and entry["quick_read_version"] == 2
    assert entry["before"]["bullets"][1].startswith("Ships would start")
    assert entry["after"]["bullets"] == [edited]
    refused = client.post(
        "/api/v1/stories/s-strike/quick-read/edit",
        json={"version": 2, "bullets": ["Police arrested forty strikers."]},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 422
    assert "Police" in refused.json()["detail"]["unsupported"]["1"]


def test_stale_versions_conflict(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    stale = client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 7}, headers={"X-CSRF-Token": token}
    )
    assert stale.status_code == 409
    missing = client.post(
        "/api/v1/stories/nope/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    assert missing.status_code == 404


def test_reject_and_regenerate_makes_a_fresh_draft(client: TestClient, world: World) -> None:
    calls: list[str] = []

    def regenerate(story_id: str) -> QuickRead:
        calls.append(story_id)
        current = world.repo.latest_quick_read(story_id)
        assert current is not None
        return QuickRead(story_id, current.bullets[:1], "extractive")

    client.app.state.newsprism.review.regenerate_fn = regenerate  # type: ignore[attr-defined]
    token = login(client, EDITOR)
    response = client.post(
        "/api/v1/stories/s-strike/quick-read/reject", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 200
    data = response.json()
    assert calls == ["s-strike"] and data["version"] == 2 and data["status"] == "draft"
    actions = [e["action"] for e in world_audit(client)]
    assert actions[:2] == ["regenerate", "reject"]
    assert "Summary is AI-generated</p>" in client.get("/stories/s-strike").text
    no_regen = client.post(
        "/api/v1/stories/s-strike/quick-read/reject",
        json={"version": 2, "regenerate": False},
        headers={"X-CSRF-Token": token},
    )
    assert no_regen.json()["status"] == "rejected"
    cannot = client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 2}, headers={"X-CSRF-Token": token}
    )
    assert cannot.status_code == 409


def test_reject_form_and_review_pages(client: TestClient, world: World) -> None:
    client.app.state.newsprism.review.regenerate_fn = lambda _sid: None  # type: ignore[attr-defined]
    token = _form_login(client)
    page = client.get("/review/stories/s-strike").text
    assert "Approve" in page and "Reject and regenerate" in page and 'name="bullet"' in page
    done = client.post("/review/stories/s-strike/reject", data={"version": "1", "csrf_token": token})
    assert done.status_code == 200 and 'data-testid="qr-status">rejected' in done.text
    conflict = client.post("/review/stories/s-strike/approve", data={"version": "1", "csrf_token": token})
    assert conflict.status_code == 409 and "cannot be approved" in conflict.text
    audit = client.get("/review/audit").text
    assert "reject" in audit and "erin" in audit and "login" in audit
    assert "reject" in client.get("/review/audit?story=s-strike").text


def test_a_new_article_sends_a_reviewed_story_back_to_review(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    assert "newsroom-reviewed" in client.get("/stories/s-strike").text
    late = make_article(
        "Harbour Ledger",
        "Port Calder strike: ships unload",
        ["The first container ship was unloaded at Port Calder on Wednesday."],
        when=T0 + timedelta(days=1),
        url="https://harbourledger.example/ships-unload",
    )
    story = world.strike
    grown = Story(
        story.id,
        story.headline,
        [*story.article_ids, late.id],
        story.outlets,
        first_seen=story.first_seen,
        last_updated=late.published_at,
    )
    assert world.repo.ingest(late, StoryChange([grown], {}, []))
    analysis = world.repo.get_analysis(story.id)
    assert analysis is not None
    bullets = [*analysis.quick_read.bullets, Bullet(late.body[0], [Citation(late.id, late.body[0])])]
    world.repo.save_analysis(Analysis(story.id, analysis.facts, QuickRead(story.id, bullets)))
    page = client.get("/stories/s-strike").text
    assert "Summary is AI-generated</p>" in page and "first container ship" in page
    assert "Port Calder dockworkers" in client.get("/review").text


def test_atom_feed_lists_only_approved_stories(client: TestClient, world: World) -> None:
    empty = ET.fromstring(client.get("/feed.atom").content)
    assert empty.findall(f"{ATOM}entry") == []
    token = login(client, EDITOR)
    client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    response = client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{ATOM}title") == "Port Calder dockworkers end nine-day strike"
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/stories/s-strike"  # type: ignore[union-attr]
    assert "newsroom-reviewed" in (entries[0].findtext(f"{ATOM}summary") or "")
    for tag in ("id", "updated", "title"):
        assert feed.findtext(f"{ATOM}{tag}")


def test_feedback_results_for_editors(client: TestClient, world: World) -> None:
    voter = TestClient(client.app)
    token = voter.get("/api/v1/session").json()["csrf_token"]
    voter.post(
        "/stories/s-strike/feedback",
        data={
            "helpful": "no",
            "version": "1",
            "comment": "Missed the <b>pay</b> details",
            "csrf_token": token,
        },
    )
    login(client, EDITOR)
    page = client.get("/review/feedback").text
    assert "0 helpful · 1 not helpful" in page and "Missed the &lt;b&gt;pay&lt;/b&gt; details" in page
    data = client.get("/api/v1/review/feedback").json()
    assert data["overall"] == {"helpful": 0, "not_helpful": 1, "total": 1}
    assert data["stories"][0]["story_id"] == "s-strike" and data["comments"][0]["comment"].startswith(
        "Missed"
    )
