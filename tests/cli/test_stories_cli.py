"""Grouping through the CLI: nothing vanishes, a late copy joins its story, editors can split."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import EXAMPLES, run

from newsprism.newsroom.review import ReviewService
from newsprism.store.newsroom import NewsroomStore
from newsprism.store.repository import Repository

FLOOD = EXAMPLES / "brennock-flood" / "meridian-wire.html"


def _valley(tmp_path: Path) -> Path:
    """One demo page with one word changed and its canonical link removed (the issue's repro)."""
    html = FLOOD.read_text(encoding="utf-8")
    lines = [line for line in html.splitlines() if 'rel="canonical"' not in line]
    changed = "\n".join(lines).replace("two days of heavy rain", "two days of torrential rain")
    assert changed != html
    path = tmp_path / "valley.html"
    path.write_text(changed, encoding="utf-8")
    return path


def test_identical_texts_are_reported_in_analyse_json(tmp_path: Path) -> None:
    copy = tmp_path / "copy.html"
    copy.write_text(FLOOD.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("analyse", str(FLOOD), str(copy), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    grouped = [a["source"] for s in data["stories"] for a in s["articles"]]
    assert data["duplicates"] == [{"source": str(copy), "duplicate_of": str(FLOOD)}]
    assert sorted([*grouped, *(d["source"] for d in data["duplicates"])]) == sorted([str(FLOOD), str(copy)])


def test_a_late_copy_joins_its_stored_story_as_analyse_groups_it(tmp_path: Path) -> None:
    """#11 failure 5: the late copy joins the story ``analyse`` puts it in (it sorts before the
    story's founder, so the store rewinds), the story keeps its id, and its reviewed Quick Read
    goes back to review."""
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    valley = _valley(tmp_path)
    assert run("demo", "--format", "json", db=db)[0] == 0
    repo = Repository.open(db)
    try:
        (reviewed,) = {s for a, s in repo.iter_memberships() if a.source == str(FLOOD)}
        review = ReviewService(repo, NewsroomStore(repo.engine))
        approved = review.approve(reviewed, None, "erin")
        assert approved.status == "published"
    finally:
        repo.close()
    code, out, err = run("ingest", str(valley), "--outlet", "Valley Post", "--format", "json", db=db)
    assert code == 0, err
    report = json.loads(out)
    assert len(report["added"]) == 1
    repo = Repository.open(db)
    try:
        flood = repo.article_story_id(report["added"][0])
        assert flood == reviewed
        members = {a.source for a in repo.articles_for_story(flood)}
        latest = repo.latest_quick_read(flood)
        assert latest is not None and latest.version > approved.version and latest.status == "draft"
    finally:
        repo.close()
    assert str(FLOOD) in {str(Path(m)) for m in members} or any("meridian-wire" in m for m in members)
    code, out, _ = run("analyse", str(EXAMPLES / "brennock-flood"), str(valley), "--format", "json")
    stories = json.loads(out)["stories"]
    (one_shot,) = [s for s in stories if any(a["source"] == str(valley) for a in s["articles"])]
    assert {Path(a["source"]).name for a in one_shot["articles"]} == {Path(m).name for m in members}


def test_split_from_the_cli_survives_a_later_ingest(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'split.db'}"
    assert run("ingest", str(EXAMPLES / "brennock-flood"), "--format", "json", db=db)[0] == 0
    repo = Repository.open(db)
    try:
        (story,) = [s.story for s in repo.list_stories()]
        moved = repo.articles_for_story(story.id)[-1].id
    finally:
        repo.close()
    code, out, err = run("split", story.id, moved, "--editor", "erin", "--format", "json", db=db)
    assert code == 0, err
    result = json.loads(out)
    assert result["kept"] == story.id and result["articles"] == [moved]
    assert run("ingest", str(_valley(tmp_path)), "--format", "json", db=db)[0] == 0
    repo = Repository.open(db)
    try:
        assert repo.article_story_id(moved) == result["split_into"]
        assert repo.resolve_story_id(result["split_into"]) == result["split_into"]
    finally:
        repo.close()
    code, _, err = run("split", story.id, "not-an-article", db=db)
    assert code == 3 and err.startswith("error:") and "not-an-article" in err and len(err.splitlines()) == 1
