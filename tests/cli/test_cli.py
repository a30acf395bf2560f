"""Every CLI command on real inputs, including the bad ones a user will certainly try."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.store import schema
from newsprism.store.repository import Repository

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def article_count(db: str) -> int:
    repo = Repository.open(db)
    try:
        return repo.count_articles()
    finally:
        repo.close()


def example_pages() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in {".html", ".txt"})


def test_help_explains_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("ingest", "extract", "analyse", "stories", "show", "demo", "serve"):
        assert command in out


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "newsprism"
    assert script.exists()
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "analyse" in done.stdout


def test_extract_prints_clean_article_json(seeds_dir: Path) -> None:
    page = seeds_dir / "001_e873a29073fcead1.txt"
    code, out, _ = run("extract", str(page), "--format", "json")
    assert code == 0
    record = json.loads(out)
    for key in (
        "title",
        "outlet",
        "author",
        "published_at",
        "body",
        "word_count",
        "read_time_minutes",
        "syndicated",
        "agency",
        "removed",
        "path",
    ):
        assert key in record
    assert record["author"] == "Kateryna Denisova"
    assert all({"text", "reason"} <= set(r) for r in record["removed"])
    assert not any("Show More" in p for p in record["body"])


def test_extract_many_files_gives_one_json_object_per_line(seeds_dir: Path, tmp_path: Path) -> None:
    pages = sorted(seeds_dir.glob("*.txt"))
    zipped = tmp_path / "copy.txt.gz"
    zipped.write_bytes(gzip.compress(pages[0].read_bytes()))
    code, out, _ = run("extract", *map(str, pages), str(zipped), "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["path"] for r in records] == [*map(str, pages), str(zipped)]
    assert records[0]["body"] == records[2]["body"]


def test_analyse_seeds_one_story_with_cited_quick_read(seeds_dir: Path) -> None:
    pages = sorted(seeds_dir.glob("*.txt"))
    code, out, _ = run("analyse", *map(str, pages), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data["stories"]) == 1
    story = data["stories"][0]
    assert {a["source"] for a in story["articles"]} == set(map(str, pages))
    bullets = story["quick_read"]["bullets"]
    assert 3 <= len(bullets) <= 5
    ids = {a["id"] for a in story["articles"]}
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    for bullet in bullets:
        assert bullet["citations"], bullet
        for citation in bullet["citations"]:
            assert citation["article"] in ids
            assert any(citation["sentence"] in t for t in texts.values())
    for fact in story["facts"]:
        assert fact["kind"] in {"consensus", "exclusive"}
        for sentence in fact["sentences"]:
            assert any(sentence["text"] in t for t in texts.values())
    # issue 13: why a fact is exclusive (the other outlet's closest sentence), who disagrees
    for fact in story["facts"]:
        if fact["kind"] == "exclusive":
            (miss,) = fact["nearest_misses"]  # two pages: one other outlet
            assert miss["article"] if "article" in miss else miss["article_id"] in ids
            assert 0.0 <= miss["score"] <= 1.0 and any(miss["sentence"] in t for t in texts.values())
        else:
            assert fact["nearest_misses"] == []
    assert all(isinstance(b["disagreeing"], list) and isinstance(b["dates"], list) for b in bullets)


def test_ingest_twice_stores_once_and_lists_stories(db: str) -> None:
    pages = example_pages()
    assert pages, "examples/ must hold sample pages"
    code, out, err = run("ingest", str(EXAMPLES), "--format", "json", db=db)
    assert code == 0, err
    first = json.loads(out)
    assert len(first["added"]) == len(pages) + 3  # + the three JSON Lines records
    code, out, _ = run("ingest", str(EXAMPLES), "--format", "json", db=db)
    assert code == 0
    assert json.loads(out)["added"] == []
    assert article_count(db) == len(first["added"])

    code, out, _ = run("stories", "--format", "json", db=db)
    assert code == 0
    stories = json.loads(out)["stories"]
    assert len(stories) >= 3
    for story in stories:
        assert {"id", "headline", "articles", "quick_read", "facts"} <= set(story)
        assert all(a["source"] for a in story["articles"])

    code, out, _ = run("show", stories[0]["id"], "--format", "json", db=db)
    assert code == 0 and json.loads(out)["id"] == stories[0]["id"]
    code, out, _ = run("show", stories[0]["id"], db=db)
    assert code == 0 and "Quick Read" in out
    code, out, _ = run("stories", db=db)
    assert code == 0 and stories[0]["id"] in out


def test_show_unknown_story_is_a_one_line_error(db: str) -> None:
    code, _, err = run("show", "s-missing", db=db)
    assert code != 0
    assert err.strip().count("\n") == 0 and "no story" in err


def test_demo_ingests_examples_and_prints_stories(db: str) -> None:
    code, out, err = run("demo", db=db)
    assert code == 0, err
    assert "Quick Read" in out
    assert article_count(db) >= 9


def test_demo_takes_another_examples_folder_and_names_a_missing_one(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "samples"
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "port-calder-strike", folder)
    code, out, err = run("demo", "--examples", str(folder), "--format", "json", db=db)
    assert code == 0, err
    stories = json.loads(out)["stories"]
    assert len(stories) == 1 and len(stories[0]["articles"]) >= 2
    code, _, err = run("demo", "--examples", str(tmp_path / "nowhere"), db=db)
    assert code == 2 and "examples folder not found" in err and "nowhere" in err


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("missing.html", None, "no such file"),
        ("binary.html", bytes(range(256)) * 40, "binary"),
        ("empty.txt", b"", "empty"),
        ("broken.txt", b"\xff\xfe\xfa" + bytes([0x80, 0x81, 0x00, 0x9F]) * 300, ""),
    ],
)
def test_bad_input_is_a_one_line_error_and_stores_nothing(
    tmp_path: Path, db: str, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = run("ingest", str(path), db=db)
    assert code == 3  # nothing succeeded
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and str(path) in lines[0]
    assert reason in lines[0].lower()
    assert article_count(db) == 0


def test_page_in_a_legacy_encoding_is_decoded_not_rejected(tmp_path: Path, db: str) -> None:
    text = (
        "Die Hafenarbeiter in Nordstadt beendeten am Montag ihren Streik, nachdem die "
        "Gewerkschaft einer Lohnerhöhung von fünf Prozent zugestimmt hatte. " * 3
    )
    page = tmp_path / "latin1.txt"
    page.write_bytes(("Streik beendet: Einigung über Löhne\n\n" + (text + "\n\n") * 4).encode("cp1252"))
    code, out, err = run("extract", str(page), "--format", "json")
    assert code == 0, err
    assert "Lohnerhöhung" in json.loads(out)["body"][0]


def test_unusable_database_url_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("stories", db="nosuchdb://x")
    assert code == 3 and "cannot open the store" in err


def test_examples_are_original_not_copies_of_the_seeds(seeds_dir: Path) -> None:
    seed_lines = {
        line.strip()
        for p in seeds_dir.glob("*.txt")
        for line in p.read_text(encoding="utf-8").splitlines()
        if len(line) > 60
    }
    for page in example_pages():
        assert not seed_lines & {line.strip() for line in page.read_text(encoding="utf-8").splitlines()}


def test_no_seed_copy_in_repository() -> None:
    assert shutil.which("git")
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True).stdout
    assert "3bd1294ce722238c" not in tracked and "e873a29073fcead1" not in tracked


def test_stories_json_lists_every_story_and_honours_limit(db: str) -> None:
    code, _, err = run("ingest", str(EXAMPLES), db=db)
    assert code == 0, err
    repo = Repository.open(db)
    try:
        stored = repo.count_stories()
    finally:
        repo.close()
    code, out, _ = run("stories", "--format", "json", db=db)
    assert code == 0 and len(json.loads(out)["stories"]) == stored
    code, out, _ = run("stories", "--format", "json", "--limit", "1", db=db)
    assert code == 0 and len(json.loads(out)["stories"]) == 1


def test_show_repairs_an_analysis_a_crash_left_stale(db: str) -> None:
    code, _, err = run("ingest", str(EXAMPLES / "records.jsonl"), db=db)
    assert code == 0, err
    repo = Repository.open(db)
    try:
        story_id = repo.list_stories()[0].story.id
        with repo.engine.begin() as conn:  # as if the process died before re-analysing
            conn.execute(schema.analyses.delete())
            conn.execute(schema.stories.update().values(analysis_stale=True))
    finally:
        repo.close()
    code, out, _ = run("show", story_id, "--format", "json", db=db)
    assert code == 0
    assert json.loads(out)["quick_read"]["bullets"]


def test_version_names_the_release_and_the_extraction_build() -> None:
    from importlib.metadata import version

    from newsprism.extract import compiled

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"newsprism {version('newsprism')} ")
    assert ("compiled by mypyc" if compiled() else "pure Python") in result.output
