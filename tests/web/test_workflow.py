"""Review policy (one or two editors), per-bullet actions, and a story sent back to review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import EDITOR, T0, World, login, make_article

from newsprism.config import Settings
from newsprism.model import Analysis, Bullet, Citation, QuickRead, Story
from newsprism.newsroom.users import hash_password
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import StoryChange
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig

SECOND = ("sam", "second-pair-of-eyes-3")
EDITED = "Dockworkers at Port Calder voted on Tuesday to end a nine-day strike."


@pytest.fixture
def two_editors(world: World, web_config: WebConfig) -> Iterator[TestClient]:
    """The app under the two-editor policy, with a second editor account."""
    NewsroomStore(world.repo.engine).add_user(SECOND[0], hash_password(SECOND[1]), "editor")
    settings = Settings(database_url="sqlite://", review_policy="two-editor")
    app = create_app(settings, repo=world.repo, web=web_config)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def _audit(client: TestClient) -> list[dict[str, Any]]:
    entries = client.get("/api/v1/review/audit?story=s-strike").json()["entries"]
    assert isinstance(entries, list)
    return entries


def _form_token(client: TestClient, path: str) -> str:
    return client.get(path).text.split('name="csrf_token" value="')[1].split('"')[0]


def test_two_editor_policy_end_to_end(two_editors: TestClient, world: World) -> None:
    client = two_editors
    original = client.get("/api/v1/stories/s-strike/quick-read").json()["bullets"][0]["text"]
    reader = TestClient(client.app)  # an anonymous reader in another browser
    feed_before = reader.get("/feeds/stories.json").json()["items"][0]
    # erin edits: the edit waits as "pending" and readers keep seeing the version before it
    token = login(client, EDITOR)
    response = client.post(
        "/api/v1/stories/s-strike/quick-read/edit",
        json={"version": 1, "bullets": [EDITED, ""]},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "pending" and response.json()["version"] == 2
    page = client.get("/stories/s-strike").text
    assert original in page and EDITED not in page  # not shown before approval
    assert reader.get("/api/v1/stories/s-strike/quick-read").json()["version"] == 1
    assert EDITED not in reader.get("/api/v1/stories/s-strike").text
    assert EDITED not in reader.get("/").text
    assert reader.get("/feeds/stories.json").json()["items"][0] == feed_before  # nothing new for feeds
    queue = client.get("/review").text
    assert "Port Calder dockworkers end nine-day strike" in queue  # pending edits wait in the queue
    review = client.get("/review/stories/s-strike").text
    assert "two editors" in review and 'data-testid="qr-author">erin<' in review
    # erin cannot approve her own edit, neither by the API nor by the form
    refused = client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 2}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code == 403 and "second editor" in refused.json()["detail"]
    form = client.post(
        "/review/stories/s-strike/approve",
        data={"version": "2", "csrf_token": _form_token(client, "/review/stories/s-strike")},
    )
    assert form.status_code == 403 and "second editor" in form.text
    assert client.get("/api/v1/stories/s-strike/quick-read").json()["status"] == "pending"
    # sam, a second editor, approves: published, and readers see the edit
    token = login(client, SECOND)
    approved = client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 2}, headers={"X-CSRF-Token": token}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    page = client.get("/stories/s-strike").text
    assert EDITED in page and "newsroom-reviewed" in page
    after = reader.get("/feeds/stories.json").json()["items"][0]
    assert EDITED in after["content_html"] and after["date_modified"] > feed_before["date_modified"]
    assert reader.get("/api/v1/stories/s-strike/quick-read").json()["version"] == 2
    entries = _audit(client)
    assert [(e["actor"], e["action"], e["quick_read_version"]) for e in entries[:2]] == [
        ("sam", "approve", 2),
        ("erin", "edit", 2),
    ]
    assert entries[1]["after"]["status"] == "pending" and entries[0]["after"]["status"] == "published"


def test_single_editor_policy_publishes_an_edit_at_once(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    response = client.post(
        "/api/v1/stories/s-strike/quick-read/edit",
        json={"version": 1, "bullets": [EDITED, ""]},
        headers={"X-CSRF-Token": token},
    )
    assert response.json()["status"] == "published"
    assert "one editor" in client.get("/review/stories/s-strike").text


def test_unknown_policy_is_refused() -> None:
    from newsprism.newsroom.review import parse_policy

    assert parse_policy(None) == "single" and parse_policy(" Two-Editor ") == "two-editor"
    with pytest.raises(ValueError, match="unknown review policy"):
        parse_policy("three")


def _bullet_action(client: TestClient, token: str, **body: Any) -> Any:
    return client.post(
        "/api/v1/stories/s-strike/quick-read/bullets", json=body, headers={"X-CSRF-Token": token}
    )


def test_per_bullet_actions_keep_tags_and_citations_consistent(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    # without the Ledger, the Courier's sentence ("ended their strike") does not say "voted"
    refused = _bullet_action(
        client, token, version=1, action="remove-outlet", bullet=1, outlet="Harbour Ledger"
    )
    assert refused.status_code == 422 and "“voted”" in refused.json()["detail"]
    # remove a tag: the outlet's citations go with it, the bullet stays grounded
    done = _bullet_action(client, token, version=1, action="remove-outlet", bullet=1, outlet="Calder Courier")
    assert done.status_code == 200, done.text
    first = done.json()["bullets"][0]
    assert first["outlets"] == ["Harbour Ledger"]
    assert [c["article_id"] for c in first["citations"]] == [world.strike_articles[0].id]
    assert done.json()["version"] == 2 and done.json()["status"] == "published"
    # the last citation cannot go
    last = _bullet_action(client, token, version=2, action="drop-citation", bullet=1, citation=1)
    assert last.status_code == 422 and "at least one citation" in last.json()["detail"]
    # dropping one citation of two drops that outlet's tag
    dropped = _bullet_action(client, token, version=2, action="drop-citation", bullet=2, citation=2)
    second = dropped.json()["bullets"][1]
    assert second["outlets"] == ["Harbour Ledger"] and len(second["citations"]) == 1
    # move: bullet 2 goes first
    moved = _bullet_action(client, token, version=3, action="move-up", bullet=2)
    assert [b["text"] for b in moved.json()["bullets"]] == [second["text"], first["text"]]
    beyond = _bullet_action(client, token, version=4, action="move-up", bullet=1)
    assert beyond.status_code == 422
    stale = _bullet_action(client, token, version=1, action="move-down", bullet=1)
    assert stale.status_code == 409  # acting on an old version is a conflict
    unknown = _bullet_action(client, token, version=4, action="shuffle", bullet=1)
    assert unknown.status_code == 422 and "unknown action" in unknown.json()["detail"]
    actions = [e["action"] for e in _audit(client)[:3]]
    assert actions == ["move-up", "drop-citation", "remove-outlet"]


def test_bullet_action_refused_when_the_rest_does_not_support_the_words(
    client: TestClient, world: World
) -> None:
    """A citation that alone backs some words cannot be dropped (the grounding check re-runs)."""
    courier = world.strike_articles[1]
    story = world.repo.get_story("s-strike")
    assert story is not None
    only_one = Bullet(
        "Shipping firms estimate the stoppage cost 40 million pounds; ships unload on Wednesday morning.",
        [
            Citation(courier.id, courier.body[3]),
            Citation(world.strike_articles[0].id, world.strike_articles[0].body[1]),
        ],
        [],
        ["Calder Courier", "Harbour Ledger"],
    )
    analysis = world.repo.get_analysis("s-strike")
    assert analysis is not None
    analysis.quick_read = QuickRead("s-strike", [only_one])
    world.repo.save_analysis(analysis)
    token = login(client, EDITOR)
    refused = _bullet_action(
        client, token, version=2, action="remove-outlet", bullet=1, outlet="Calder Courier"
    )
    assert refused.status_code == 422 and "do not support" in refused.json()["detail"]


def test_bullet_action_forms_on_the_review_page(client: TestClient, world: World) -> None:
    login(client, EDITOR)
    page = client.get("/review/stories/s-strike").text
    assert 'aria-label="Remove the Harbour Ledger tag from line 1"' in page
    assert 'aria-label="Move line 2 up"' in page
    token = _form_token(client, "/review/stories/s-strike")
    response = client.post(
        "/review/stories/s-strike/bullets",
        data={"csrf_token": token, "version": "1", "index": "1", "action": "move-up"},
    )
    assert response.status_code == 200 and "Done: move-up" in response.text
    qr = world.repo.latest_quick_read("s-strike")
    assert qr is not None and qr.version == 2 and qr.bullets[0].text.startswith("Ships would")
    refused = client.post(
        "/review/stories/s-strike/bullets",
        data={"csrf_token": token, "version": "2", "index": "0", "action": "move-up"},
    )
    assert refused.status_code == 422 and "cannot move" in refused.text


def add_article_and_reanalyse(world: World) -> str:
    """A fourth outlet joins the strike story and the re-analysis adds a bullet (a new draft)."""
    new = make_article(
        "Valley Post",
        "Port Calder back to work",
        ["Port Calder cranes were moving again on Wednesday after the nine-day strike ended."],
        when=T0 + timedelta(hours=5),
        url="https://valleypost.example/port-calder",
    )
    old = world.repo.get_story("s-strike")
    assert old is not None
    story = Story(
        old.id,
        old.headline,
        [*old.article_ids, new.id],
        sorted({*old.outlets, "Valley Post"}),
        first_seen=old.first_seen,
        last_updated=new.published_at,
    )
    assert world.repo.ingest(new, StoryChange([story], {}, []))
    analysis = world.repo.get_analysis("s-strike")
    assert analysis is not None
    bullet = Bullet(new.body[0], [Citation(new.id, new.body[0])], [], ["Valley Post"])
    bullets = [*analysis.quick_read.bullets[:1], bullet]
    world.repo.save_analysis(
        Analysis("s-strike", analysis.facts, QuickRead("s-strike", bullets), analysis.quotes)
    )
    return new.id


def test_story_back_in_review_shows_new_articles_and_the_diff(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    new_id = add_article_and_reanalyse(world)
    assert "Port Calder dockworkers end nine-day strike" in client.get("/review").text  # back in the queue
    page = client.get("/review/stories/s-strike").text
    assert "Back for review: what changed since the published version 1" in page
    assert f'href="/articles/{new_id}">Port Calder back to work</a>' in page
    assert "<ins>Port Calder cranes were moving again" in page
    assert "<del>Ships would start unloading" in page
    assert page.count('data-testid="qr-diff"') == 1  # shown once, above the Quick Read
