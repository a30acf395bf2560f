"""The streaming backfill on real archives: resumable after ``kill -9``, failures stay local,
``serve`` keeps answering while it writes, and a Dask scheduler started outside is used.

The archives come from the benchmark's generator (real texts from ../shared/eval, mixed within
events), small enough for CI: the benchmark itself measures the large runs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import SHARED_DIR, article_from_paragraphs, require_shared
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from newsprism.backfill import Backfill, BackfillOptions, ReorderBuffer, Unit, plan, read_unit
from newsprism.config import Settings
from newsprism.model import ExtractionFailure
from newsprism.sources.files import load_pages
from newsprism.sources.warc import read_pages, scan, write_responses
from newsprism.store import schema
from newsprism.store.repository import Repository
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig

REPO_ROOT = Path(__file__).resolve().parents[1]
NEWSPRISM = [str(Path(sys.executable).parent / "newsprism")]


def _generator() -> Any:
    require_shared(SHARED_DIR / "eval")
    spec = importlib.util.spec_from_file_location("bench_backfill", REPO_ROOT / "benchmarks" / "backfill.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("warc") / "crawl.warc.gz"
    return path, _generator().generate(120, path)


def _urls(path: Path) -> set[str]:
    pages = read_pages(path, [o for o in scan(path) if isinstance(o, int)], max_bytes=5_000_000)
    return {p.source for p in pages}


def _stored(url: str) -> tuple[list[str], int, int]:
    repo = Repository.open(url)
    try:
        with repo.engine.connect() as conn:
            sources = list(conn.execute(select(schema.articles.c.source)).scalars())
            orphans = conn.execute(
                select(func.count()).select_from(schema.articles).where(schema.articles.c.story_id.is_(None))
            ).scalar_one()
            units = conn.execute(select(func.count()).select_from(schema.backfill_units)).scalar_one()
    finally:
        repo.close()
    return sources, int(orphans), int(units)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*NEWSPRISM, "backfill", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _wait_for_articles(url: str, at_least: int, process: subprocess.Popen[str], timeout: float = 300) -> int:
    deadline = time.monotonic() + timeout
    repo = Repository.open(url)
    try:
        while time.monotonic() < deadline and process.poll() is None:
            count = repo.count_articles()
            if count >= at_least:
                return count
            time.sleep(0.2)
    finally:
        repo.close()
    raise AssertionError(f"backfill stored fewer than {at_least} articles in time")


# ---- resumable --------------------------------------------------------------------------------
Archive = tuple[Path, dict[str, int]]


def test_kill_9_then_rerun_loses_and_duplicates_nothing(archive: Archive, database_url: str) -> None:
    path, expected = archive
    args = [str(path), "--database", database_url, "--unit-size", "10", "--batch-size", "10", "--json"]
    first = _cli(*args)
    seen = _wait_for_articles(database_url, 25, first)
    first.send_signal(signal.SIGKILL)
    first.wait()
    stored_at_kill, _, units_at_kill = _stored(database_url)
    assert seen <= len(stored_at_kill) < expected["articles"], "the kill must land mid-run"

    second = _cli(*args)
    out, err = second.communicate(timeout=600)
    assert second.returncode == 0, err[-2000:]
    report = json.loads(out)
    assert report["units_done_before"] == units_at_kill > 0  # finished units were not redone
    sources, orphans, units = _stored(database_url)
    assert len(sources) == len(set(sources)) == expected["articles"]  # nothing lost or doubled
    assert set(sources) == _urls(path)
    assert orphans == 0  # every article sits in a story
    assert units == report["units"] == 12
    assert report["added"] + len(stored_at_kill) == expected["articles"]

    third = _cli(*args)  # a finished backfill re-run is a no-op
    out, _ = third.communicate(timeout=300)
    assert json.loads(out)["units_done_before"] == 12 and json.loads(out)["added"] == 0


# ---- failures stay local ------------------------------------------------------------------------
def test_malformed_archive_inputs_each_fail_alone(archive: Archive, tmp_path: Path) -> None:
    path, _ = archive
    good = [o for o in scan(path) if isinstance(o, int)][:6]
    pages = read_pages(path, good, max_bytes=5_000_000)
    bad = tmp_path / "bad.warc.gz"
    huge = b"<html><body><p>" + b"word " * 10_000_000 + b"</p></body></html>"  # 50 MB
    records = [(p.source, p.content) for p in pages[:3]] + [("https://huge.example/x", huge)]
    records += [(p.source, p.content) for p in pages[3:]]
    write_responses(bad, records)  # type: ignore[arg-type]
    bad.write_bytes(bad.read_bytes()[:-50])  # the last record's gzip member is cut short
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text('{"url": "https://j.example/1", "text": "too short"}\nnot json\n', encoding="utf-8")
    failures: list[str] = []
    repo = Repository.open(f"sqlite:///{tmp_path / 'store.db'}")
    options = BackfillOptions(unit_size=2, batch_size=3)
    settings = Settings(dask_scheduler=None)
    run = Backfill(repo, settings, options, on_failure=lambda f: failures.append(f"{f.source}: {f.reason}"))
    report = run.run([bad, jsonl])
    assert report.added == 5 and repo.count_articles() == 5
    assert any("huge.example" in f and "larger than" in f for f in failures)
    assert any(pages[-1].source in f and "truncated" in f for f in failures)
    assert any(f.startswith(f"{jsonl}:2: invalid JSON") for f in failures)
    assert report.failures == len(failures) == 4 and all("\n" not in f for f in failures)


# ---- serve while a backfill writes --------------------------------------------------------------
def test_serve_answers_while_a_backfill_writes(archive: Archive, database_url: str) -> None:
    path, expected = archive
    Repository.open(database_url).close()  # migrate before the two processes race to do it
    writer = _cli(str(path), "--database", database_url, "--unit-size", "10", "--batch-size", "10")
    app = create_app(Settings(database_url=database_url), web=WebConfig(secret_key="k", page_cache_seconds=0))
    statuses, counts, slowest = [], [], 0.0
    with TestClient(app) as client:
        while writer.poll() is None:
            started = time.perf_counter()
            listing = client.get("/api/v1/stories", params={"limit": 5})
            feed = client.get("/", params={"q": "the"})
            slowest = max(slowest, time.perf_counter() - started)
            statuses += [listing.status_code, feed.status_code]
            counts.append(app.state.newsprism.repo.count_articles())
            time.sleep(0.1)
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert set(statuses) == {200} and len(statuses) >= 10
    assert counts[0] < counts[-1] <= expected["articles"]  # it answered *during* the writes
    assert slowest < 10.0


# ---- an existing Dask scheduler -----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def dask_scheduler() -> Iterator[tuple[str, int]]:
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    quiet: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    module = [sys.executable, "-m"]
    scheduler = subprocess.Popen(
        [*module, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
        **quiet,
    )
    worker = subprocess.Popen(
        [*module, "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
        **quiet,
    )
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(1, timeout=60)
        yield address, worker.pid
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)


def test_backfill_uses_the_scheduler_named_in_the_environment(
    archive: Archive, dask_scheduler: tuple[str, int], tmp_path: Path
) -> None:
    path, expected = archive
    address, worker_pid = dask_scheduler
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"NEWSPRISM_DASK_SCHEDULER": address}
    run = _cli(str(path), "--database", url, "--json", "--unit-size", "40", env=env)
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err[-2000:]
    report = json.loads(out)
    assert list(report["workers"]) == [f"pid{worker_pid}"]  # the test's worker, not a local cluster
    assert report["workers"][f"pid{worker_pid}"]["pages"] == 120
    assert report["added"] == expected["articles"] == len(_stored(url)[0])


# ---- the parts ----------------------------------------------------------------------------------
def test_reorder_buffer_restores_date_order_within_its_window() -> None:
    t0 = datetime(2025, 3, 1, tzinfo=UTC)

    def run(hours: list[int], limit: int = 100) -> tuple[list[int], int, int]:
        buffer = ReorderBuffer(timedelta(days=1), limit=limit)
        released, held = [], 0
        for h in hours:
            when = t0 + timedelta(hours=h)
            buffer.push(article_from_paragraphs([f"Story {h}."], title=f"t{h}", outlet="o", when=when), "u")
            released += [a.published_at for a, _ in buffer.pop_ready()]
            held = max(held, len(buffer))
        released += [a.published_at for a, _ in buffer.pop_ready(drain=True)]
        return [int((r - t0).total_seconds() // 3600) for r in released if r], buffer.late, held

    hours = [5, 1, 3, 20, 2, 30, 29, 50, 80]
    assert run(hours) == (sorted(hours), 0, 5)
    late = [5, 40, 2]  # 2 arrives after the window moved past it: ingested, counted late
    assert run(late) == ([5, 2, 40], 1, 1)
    assert run(hours, limit=2)[2] == 2  # the cap bounds memory whatever the dates


def test_jsonl_ranges_and_folders_give_the_same_pages_as_ingest(tmp_path: Path) -> None:
    lines = [json.dumps({"url": f"https://j.example/{i}", "text": f"Line {i}."}) for i in range(25)]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(3):
        (tmp_path / f"p{i}.html").write_text(f"<p>page {i}</p>", encoding="utf-8")
    units = [u for u in plan([tmp_path], unit_size=10, max_bytes=1_000_000)]
    got = [p.source for u in units for p in read_unit(u, 1_000_000)]  # type: ignore[arg-type]
    want = [p.source for p in load_pages([tmp_path], max_bytes=1_000_000)]
    assert sorted(got) == sorted(want) and len(got) == 28
    assert [u.kind for u in units] == ["jsonl", "jsonl", "jsonl", "files"]  # type: ignore[union-attr]


def test_units_carry_addresses_not_pages(archive: Archive) -> None:
    """What crosses the Dask scheduler per unit: a path and offsets, a tiny share of the pages."""
    import pickle

    path, expected = archive
    units = [u for u in plan([path], unit_size=40, max_bytes=5_000_000) if isinstance(u, Unit)]
    assert len(units) == 3 and sum(len(u.spec) for u in units) == expected["articles"]  # type: ignore[union-attr]
    shipped = sum(len(pickle.dumps(u)) for u in units)
    assert shipped < 3 * 2_000 and shipped * 100 < path.stat().st_size


def test_gzip_jsonl_is_cut_into_numbered_units(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "dump.jsonl.gz"
    rows = [json.dumps({"url": f"https://g.example/{i}", "text": f"Row {i}."}) for i in range(7)]
    path.write_bytes(gzip.compress(("\n".join(rows) + "\nnot json\n").encode()))
    units = list(plan([path], unit_size=3, max_bytes=1_000))
    results = [r for u in units for r in read_unit(u, 1_000)]  # type: ignore[arg-type]
    assert [r.source for r in results[:7]] == [f"https://g.example/{i}" for i in range(7)]
    assert isinstance(results[7], ExtractionFailure) and results[7].source == f"{path}:8"


def test_a_crawl_out_of_order_backfills_to_the_one_shot_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Articles up to 7 days late, past the reorder window: batches that reach back rewind
    (``pipeline.rewind``), so the store holds what one-shot grouping of the same pages gives."""
    import random

    from newsprism.pipeline import by_publication, extract_pages
    from newsprism.stories import StoryGrouper
    from newsprism.stories.evaluation import allsides_articles, spread_dates

    roundups = require_shared(SHARED_DIR / "eval" / "allsides" / "roundups-2021.jsonl")
    with roundups.open(encoding="utf-8") as handle:
        items = spread_dates(allsides_articles(json.loads(line) for line in handle if line.strip()))
    rng = random.Random(3)
    dated = [i for i in items[:400] if i.article.published_at is not None]
    chosen = sorted(dated, key=lambda i: _when(i.article) + rng.uniform(0, 7) * 86400)
    path = tmp_path / "crawl.jsonl"
    records = [
        {
            "url": f"https://example.org/{i.article.id}",
            "outlet": i.article.outlet,
            "title": i.article.title,
            "published_at": datetime.fromtimestamp(_when(i.article), UTC).isoformat(),
            "text": "\n\n".join(i.article.body),
        }
        for i in chosen
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}")
    pages = [p for p in load_pages([path]) if not isinstance(p, ExtractionFailure)]
    extracted = [a for a in extract_pages(pages, settings=settings) if not isinstance(a, ExtractionFailure)]
    grouper = StoryGrouper()
    for article in by_publication(extracted):
        grouper.add(article)
    expected = {frozenset(s.article_ids) for s in grouper.stories()}
    monkeypatch.setattr(Backfill, "_analyse", lambda *_a, **_k: None)  # grouping only
    repo = Repository.open(settings.database_url)
    try:
        options = BackfillOptions(unit_size=10, batch_size=25, window_days=0.5)
        run = Backfill(repo, settings, options)
        report = run.run([path])
        assert report.late > 0 and report.added == len(extracted)
        # evicted stories are not caught up again as if another writer had stored them: each
        # article counted once in the IDF, and the driver holds only the recent window
        assert run.grouper._tfidf.n_docs == report.added
        assert len(run.grouper._articles) < report.added
        stored: dict[str, set[str]] = {}
        for article, story_id in repo.iter_memberships():
            stored.setdefault(story_id, set()).add(article.id)
        assert {frozenset(s) for s in stored.values()} == expected
    finally:
        repo.close()


def _when(article: Any) -> float:
    return float(article.published_at.timestamp())
