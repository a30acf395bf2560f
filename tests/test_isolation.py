"""No single item takes a run down: a page, an article or a story that a stage cannot process is
reported as one ``error:`` line and everything else is stored and analysed (issue #12, #16.1).

Failures are injected where the stages meet (``pipeline.analyse_story``), because the real causes
(an impossible date, say) are being fixed one by one and must not be what keeps this guarantee
tested. The Dask test uses a real function raising on real workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsprism import pipeline
from newsprism.cli import app
from newsprism.config import Settings
from newsprism.model import Analysis, AnnotatedArticle, Article, Page, Story
from newsprism.pipeline import Ingestor, ItemError, analyse_pages, extract_pages, parallel_map
from newsprism.sources.files import load_pages
from newsprism.store.repository import Repository

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()


def folder_pages(name: str) -> list[Page]:
    return [p for p in load_pages([EXAMPLES / name]) if isinstance(p, Page)]


class Poison:
    """Makes the analysis of any story holding one of ``article_ids`` raise, until cured."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, article_ids: set[str]) -> None:
        self.article_ids = article_ids
        self.real = pipeline.analyse_story
        monkeypatch.setattr(pipeline, "analyse_story", self)

    def __call__(self, story: Story, annotated: list[AnnotatedArticle], **kw: Any) -> Analysis:
        if self.article_ids & {a.article.id for a in annotated}:
            raise OverflowError("date value out of range")
        return self.real(story, annotated, **kw)

    def cure(self) -> None:
        self.article_ids = set()


def cli(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NEWSPRISM_DATABASE_URL": db})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def error_lines(stderr: str) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(line.startswith("error: ") for line in lines), stderr
    assert "Traceback" not in stderr
    return lines


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'iso.db'}"


def test_one_story_failing_leaves_the_others_analysed_one_shot(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = folder_pages("brennock-flood") + folder_pages("port-calder-strike")
    flood = [a for a in extract_pages(folder_pages("brennock-flood"), settings=Settings())]
    Poison(monkeypatch, {a.id for a in flood if isinstance(a, Article)})
    batch = analyse_pages(pages)
    failed = [r for r in batch.stories if r.analysis is None]
    analysed = [r for r in batch.stories if r.analysis is not None]
    assert failed and analysed
    assert [e.what for e in batch.errors] == [f"story {r.story.id}" for r in failed]
    assert all(e.reason == "analysis failed: OverflowError: date value out of range" for e in batch.errors)
    assert all("Traceback" in e.trace for e in batch.errors)


def test_stored_story_that_cannot_be_analysed_poisons_nothing_and_is_repaired(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#16.1: later ingest and show succeed, the story is reported, and repaired once fixed."""
    repo = Repository.open(db)
    flood = folder_pages("brennock-flood")
    flood_ids = {a.id for a in extract_pages(flood, settings=Settings()) if isinstance(a, Article)}
    poison = Poison(monkeypatch, flood_ids)
    first = Ingestor(repo).ingest_pages(flood)
    assert len(first.added) == len(flood) and first.errors
    bad = sorted(first.stories)
    assert repo.stale_story_ids() == bad  # stays stale: the next run retries it
    assert repo.analysis_error(bad[0]) == "analysis failed: OverflowError: date value out of range"

    # a later ingest of unrelated pages stores and analyses them, and names the bad story
    code, out, err = cli(db, "ingest", str(EXAMPLES / "port-calder-strike"))
    assert code == 0, err
    assert "ingested" in out and "0 failed" in out
    lines = error_lines(err)
    assert lines and all(f"story {bad[0]}" in line or "story s" in line for line in lines)
    assert any("failing since an earlier run" in line for line in lines)
    assert repo.stale_story_ids() == bad
    good = [s.story.id for s in repo.list_stories() if s.story.id not in bad]
    assert good

    code, out, err = cli(db, "show", good[0])
    assert code == 0 and err == ""
    code, out, err = cli(db, "show", good[0], "--format", "json")
    assert code == 0 and '"quick_read"' in out

    code, out, err = cli(db, "show", bad[0])
    assert code == 1
    assert error_lines(err) == [
        f"error: story {bad[0]}: analysis failed: OverflowError: date value out of range"
    ]
    assert "Brennock" in out  # the story and its articles are still shown

    poison.cure()  # the cause is fixed: the next command repairs the story
    code, out, err = cli(db, "show", bad[0])
    assert code == 0 and err == ""
    assert repo.stale_story_ids() == []
    assert repo.get_analysis(bad[0]) is not None and repo.analysis_error(bad[0]) is None


def test_ingest_reports_a_failing_story_of_its_own_batch_and_exits_1(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    flood = folder_pages("brennock-flood")
    Poison(monkeypatch, {a.id for a in extract_pages(flood, settings=Settings()) if isinstance(a, Article)})
    code, out, err = cli(db, "ingest", str(EXAMPLES / "brennock-flood"), str(EXAMPLES / "port-calder-strike"))
    assert code == 1
    lines = error_lines(err)
    assert lines and all("analysis failed: OverflowError" in line for line in lines)
    repo = Repository.open(db)
    assert repo.count_articles() == len(flood) + len(folder_pages("port-calder-strike"))
    assert len(repo.stale_story_ids()) == len(lines)  # the rest were analysed

    code, out, err = cli(db, "--debug", "show", repo.stale_story_ids()[0])
    assert code == 1 and "Traceback" in err  # show retried it, and --debug shows why it failed
    code, out, err = cli(db, "ingest", "--format", "json", str(EXAMPLES / "bank-of-arvandia-rates"))
    assert code == 0 and '"earlier_errors"' in out


def test_debug_shows_the_traceback(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    flood = folder_pages("brennock-flood")
    Poison(monkeypatch, {a.id for a in extract_pages(flood, settings=Settings()) if isinstance(a, Article)})
    code, _, err = cli(db, "--debug", "analyse", str(EXAMPLES / "brennock-flood"))
    assert code == 1 and "Traceback" in err and "OverflowError" in err


def _explode_on_odd(n: int) -> int:
    if n % 2:
        raise ValueError(f"odd {n}")
    return n * 10


def _number(n: int) -> str:
    return f"item {n}"


@pytest.mark.parametrize("threshold", [10**6, 1])
def test_failures_come_back_as_values_in_process_and_on_dask(threshold: int) -> None:
    settings = Settings(database_url="sqlite://", dask_threshold=threshold)
    out = parallel_map(_explode_on_odd, list(range(6)), settings=settings, stage="test", label=_number)
    assert out[0::2] == [0, 20, 40]
    errors = out[1::2]
    assert all(isinstance(e, ItemError) for e in errors)
    assert [e.what for e in errors if isinstance(e, ItemError)] == ["item 1", "item 3", "item 5"]
    assert all(isinstance(e, ItemError) and e.reason == f"test failed: ValueError: odd {i}"
               for i, e in zip((1, 3, 5), errors, strict=True))
