"""The story page explains itself: coverage matrix, legend, nearest misses, disagreements, what changed."""

from __future__ import annotations

from types import SimpleNamespace

from fastapi.testclient import TestClient
from test_workflow import add_article_and_reanalyse
from web_helpers import EDITOR, World, login

from newsprism.model import Fact, SentenceRef
from newsprism.newsroom.versions import diff_bullets, word_segments
from newsprism.web.changes import parse_read, remember_read
from newsprism.web.matrix import coverage_matrix, outlet_codes, short_label
from newsprism.web.views import build_story_view, disagreeing_outlets, nearest_misses


def test_matrix_rows_are_facts_and_columns_are_coded_outlets(client: TestClient, world: World) -> None:
    page = client.get("/stories/s-strike").text
    assert 'data-testid="coverage-matrix"' in page and "<svg" not in page
    legend = page.split('data-testid="matrix-legend">')[1].split("</p>")[0]
    assert "shared" in legend and "exclusive" in legend and "disagreement" in legend
    assert (
        '<abbr title="Harbour Ledger">HL</abbr>' in page and '<abbr title="Calder Courier">CC</abbr>' in page
    )
    # the strike-length disagreement (nine-day vs eight days) is marked on those outlets' cells
    assert 'title="Northern Wire: reported, but says “eight days”"' in page
    assert 'title="Calder Courier: reported (only this outlet)"' in page
    assert client.get("/stories/s-strike/coverage.svg").status_code == 200  # the picture stays served


def test_matrix_view_counts_and_labels(world: World) -> None:
    story, articles, analysis = world.repo.load_story("s-strike") or (None, [], None)
    assert story is not None and analysis is not None
    outlet_of = {a.id: a.outlet or "" for a in articles}
    matrix = coverage_matrix(analysis.facts, story.outlets, outlet_of)
    assert [r.kind for r in matrix.rows] == ["consensus", "consensus", "exclusive"]
    assert matrix.counts == {"shared": 3, "exclusive": 1, "disagree": 2}
    assert [c.name for c in matrix.columns] == story.outlets
    assert short_label("one two three", 2) == "one two…" and short_label("short", 9) == "short"
    assert outlet_codes(["The Harbour Ledger", "Reuters", "Harbour Lights", "BBC"]) == [
        "HL",
        "Reut",
        "HL2",
        "BBC",
    ]


def test_nearest_misses_and_disagreeing_outlets_render_when_the_analysis_has_them(
    client: TestClient, world: World
) -> None:
    """The comparison stage supplies these keys; the page shows them, in either plain shape."""
    story, articles, analysis = world.repo.load_story("s-strike") or (None, [], None)
    assert story is not None and analysis is not None
    outlet_of = {a.id: a.outlet or "" for a in articles}
    exclusive = analysis.facts[2]
    ledger = articles[0]
    exclusive.nearest_misses = [  # type: ignore[attr-defined]
        SimpleNamespace(outlet="Harbour Ledger", article_id=ledger.id, sentence=ledger.body[1], score=0.31),
        {"outlet": "Northern Wire", "text": "Striking dockworkers returned to work.", "similarity": 0.12},
    ]
    bullet = analysis.quick_read.bullets[0]
    bullet.disagreeing = [  # type: ignore[attr-defined]
        {"outlet": "Northern Wire", "article_id": articles[2].id, "reason": "number", "says": ["eight days"]},
        {"article_id": articles[2].id, "reason": "number", "says": []},  # the same outlet again
    ]
    misses = nearest_misses(exclusive, outlet_of)
    assert [(m.outlet, m.score) for m in misses] == [("Harbour Ledger", 0.31), ("Northern Wire", 0.12)]
    assert [(d.outlet, d.says) for d in disagreeing_outlets(bullet, outlet_of)] == [
        ("Northern Wire", "eight days")
    ]
    view = build_story_view(story, articles, analysis)
    ctx = client.app.state.newsprism  # type: ignore[attr-defined]
    html = ctx.templates.get_template("story.html").render(
        {"v": view, "user": ctx.security.session.__self__, "csrf_token": "t", "request": None}
    )
    near = html.split('data-testid="near-misses"')[1].split("</ul>")[0]
    assert "Harbour Ledger" in near and "(similarity 0.31)" in near and ledger.body[1] in near
    disagree = html.split('data-testid="bullet-disagree"')[1].split("</span></span>")[0]
    assert "Northern Wire" in disagree and "says “eight days”" in disagree
    # absent keys: nothing shown, nothing breaks
    plain = client.get("/stories/s-strike").text
    assert 'data-testid="near-misses"' not in plain and 'data-testid="bullet-disagree"' not in plain
    assert nearest_misses(Fact("x", "exclusive", ["A"], [SentenceRef("a", "s")]), {}) == []


def test_version_diff_is_line_then_word_level() -> None:
    from newsprism.model import Bullet

    a = [Bullet("One.", []), Bullet("Two cats sat.", []), Bullet("Three.", [])]
    b = [Bullet("One.", []), Bullet("Two dogs sat.", []), Bullet("Four.", []), Bullet("Five.", [])]
    diff = diff_bullets(a, b, 1, 2)
    assert [c.kind for c in diff.changes] == ["kept", "changed", "removed", "added", "added"]
    assert diff.count("changed") == 1 and diff.changed  # "Three." → "Four." is not a rewording
    assert [(s.kind, s.text) for s in word_segments("Two cats sat.", "Two dogs sat.")] == [
        ("same", "Two"),
        ("removed", "cats"),
        ("added", "dogs"),
        ("same", "sat."),
    ]
    assert not diff_bullets(a, a).changed
    moved = diff_bullets(a, [a[1], a[0], a[2]])
    assert moved.count("changed") == 0  # a reorder is not a rewrite


def test_what_changed_since_a_version_and_since_last_read(client: TestClient, world: World) -> None:
    first = client.get("/stories/s-strike")
    assert first.cookies.get("np_read") == "s-strike.1"  # this browser has read version 1
    new_id = add_article_and_reanalyse(world)
    # back with the cookie: what is new since version 1 is marked, with no account and no JS
    page = client.get("/stories/s-strike").text
    banner = page.split('data-testid="what-changed"')[1].split("</div>")[0]
    assert "Since you last read" in banner and "1 new line," in banner and "1 new article" in banner
    assert "1 removed" in banner
    assert page.count('data-testid="new-bullet"') == 1
    assert '<li class="is-new">\n      <p><span class="new-tag" data-testid="new-article">New</span>' in page
    assert new_id in banner
    # read now: the marks go away on the next visit
    again = client.get("/stories/s-strike").text
    assert 'data-testid="what-changed"' not in again and 'data-testid="new-bullet"' not in again
    # an explicit ?since= works for anyone, and says so when nothing changed
    explicit = client.get("/stories/s-strike?since=1").text
    assert "Since version 1" in explicit and explicit.count('data-testid="new-bullet"') == 1
    assert "<del>Ships would start unloading" in explicit
    assert "Show what changed since version" in explicit
    client.cookies.clear()
    assert client.get("/stories/s-strike?since=0").status_code == 422


def test_read_cookie_is_parsed_strictly() -> None:
    assert parse_read("s-a.1~bad entry~s-b.x~s-c.3") == {"s-a": 1, "s-c": 3}
    assert parse_read(None) == {}
    value = remember_read({"s-a": 1, "s-c": 3}, "s-a", 2)
    assert value == "s-c.3~s-a.2"  # most recent last
    many = {f"s{i}": 1 for i in range(60)}
    assert len(parse_read(remember_read(many, "new", 1))) == 40


def test_versions_and_diff_api(client: TestClient, world: World) -> None:
    token = login(client, EDITOR)
    client.post(
        "/api/v1/stories/s-strike/quick-read/approve", json={"version": 1}, headers={"X-CSRF-Token": token}
    )
    new_id = add_article_and_reanalyse(world)
    versions = client.get("/api/v1/stories/s-strike/versions").json()
    assert [(v["version"], v["status"], v["reviewed_by"]) for v in versions["versions"]] == [
        (1, "published", "erin"),
        (2, "draft", None),
    ]
    assert all(v["created_at"] for v in versions["versions"])
    diff = client.get("/api/v1/stories/s-strike/versions/diff?from=1").json()
    assert diff["from"] == 1 and diff["to"] == 2
    assert diff["counts"] == {"added": 1, "removed": 1, "changed": 0, "kept": 1}
    assert [a["id"] for a in diff["new_articles"]] == [new_id]
    added = next(c for c in diff["changes"] if c["kind"] == "added")
    assert added["after"].startswith("Port Calder cranes were moving again") and added["before"] is None
    assert client.get("/api/v1/stories/s-strike/versions/diff?from=2&to=1").status_code == 422
    assert client.get("/api/v1/stories/s-strike/versions/diff?from=9").status_code == 404
    assert client.get("/api/v1/stories/nope/versions").status_code == 404
