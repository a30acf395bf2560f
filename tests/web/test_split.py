"""An editor's split: API and form, audit entry, the founding article's part keeps the id."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_helpers import EDITOR, World, login

from newsprism.pipeline import by_publication


def _strike_ids(world: World) -> list[str]:
    return [a.id for a in by_publication(world.repo.articles_for_story("s-strike"))]


def test_api_split_keeps_the_founders_part_and_audits(client: TestClient, world: World) -> None:
    ids = _strike_ids(world)
    token = login(client, EDITOR)
    response = client.post(
        "/api/v1/stories/s-strike/split", json={"article_ids": [ids[-1]]}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kept"] == "s-strike" and body["articles"] == [ids[-1]]
    new_id = body["split_into"]
    assert world.repo.article_story_id(ids[-1]) == new_id
    assert sorted(a.id for a in world.repo.articles_for_story("s-strike")) == sorted(ids[:-1])
    assert client.get(f"/api/v1/stories/{new_id}").status_code == 200
    entry = client.get("/api/v1/review/audit").json()["entries"][0]
    assert entry["actor"] == EDITOR[0] and entry["action"] == "split" and entry["story_id"] == "s-strike"
    assert entry["after"]["split_into"] == new_id
    assert world.repo.separations() == [("s-strike", new_id)]


def test_splitting_the_founder_off_moves_the_others(client: TestClient, world: World) -> None:
    """Ticking the founding article is the same split: the founder's part keeps the id."""
    ids = _strike_ids(world)
    token = login(client, EDITOR)
    body = client.post(
        "/api/v1/stories/s-strike/split", json={"article_ids": [ids[0]]}, headers={"X-CSRF-Token": token}
    ).json()
    assert body["kept"] == "s-strike" and sorted(body["articles"]) == sorted(ids[1:])


def test_bad_splits_are_refused_with_a_reason(client: TestClient, world: World) -> None:
    ids = _strike_ids(world)
    token = login(client, EDITOR)
    headers = {"X-CSRF-Token": token}
    everything = client.post("/api/v1/stories/s-strike/split", json={"article_ids": ids}, headers=headers)
    assert everything.status_code == 422 and "at least one article" in everything.json()["detail"]
    stranger = client.post("/api/v1/stories/s-strike/split", json={"article_ids": ["nope"]}, headers=headers)
    assert stranger.status_code == 422 and "nope" in stranger.json()["detail"]
    missing = client.post("/api/v1/stories/s-none/split", json={"article_ids": ["x"]}, headers=headers)
    assert missing.status_code == 404
    assert sorted(a.id for a in world.repo.articles_for_story("s-strike")) == sorted(ids)


def test_split_needs_an_editor(client: TestClient, world: World) -> None:
    response = client.post("/api/v1/stories/s-strike/split", json={"article_ids": ["x"]})
    assert response.status_code == 401


def test_split_form_on_the_review_page(client: TestClient, world: World) -> None:
    ids = _strike_ids(world)
    token = login(client, EDITOR)
    page = client.get("/review/stories/s-strike").text
    assert 'data-testid="split-form"' in page and ids[1] in page
    done = client.post(
        "/review/stories/s-strike/split", data={"csrf_token": token, "article": [ids[1], ids[2]]}
    )
    assert done.status_code == 200 and "Done: split" in done.text
    assert world.repo.article_story_id(ids[1]) == world.repo.article_story_id(ids[2]) != "s-strike"
