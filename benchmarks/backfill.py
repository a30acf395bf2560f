"""Backfill benchmark: a WARC of N news pages into PostgreSQL, in-process and on Dask (1 and 2 workers).

The archive is built from the real texts in ``../shared/eval/`` (AllSides, ECB+, PolNeAR and the
Zyte ground truth: about 3k distinct texts in ~1.7k events). To reach 100k distinct articles the
generator writes new ones the way an event's coverage varies: each article starts from one of
its event's texts and swaps in sentences from the event's other texts, drops a few, and gets its
own dateline, outlet, URL and date. Stories are founded at a fixed rate (about 110 articles a
day at every N, so cost per article is comparable across N), an event recurs months later (a
new story each time: the grouper retires stories after a few days), and records are written
in crawl order (publication order, jittered by hours). Every content hash is distinct; the
number of (event, recurrence) pairs is the story count the generator expects.

Each mode runs in its own process, so peak memory is that run's own. Printed per run: articles/s
per stage (plan = WARC scan, extract = pages per worker CPU-second and per wall second, store,
analyse) and end to end, CPU seconds per article, peak RSS of the driver and of each worker.

    python benchmarks/backfill.py --sizes 10000                 # in-process, dask1, dask2
    python benchmarks/backfill.py --sizes 10000 100000 --modes inprocess
    python benchmarks/backfill.py --generate 500 out.warc.gz    # just the archive

Throughput on a shared 2-core machine is noisy; CPU seconds per article is the steadier figure.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
DEFAULT_POSTGRES = os.environ.get("NEWSPRISM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
START = datetime(2024, 1, 1, tzinfo=UTC)  # 100k articles end in mid-2026: no page from the future
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


# ---- the real texts, as events ------------------------------------------------------------------
@dataclass
class Text:
    title: str
    sentences: list[str]
    outlet: str | None


def _sentences(paragraphs: list[str]) -> list[str]:
    return [s.strip() for p in paragraphs for s in _SENTENCE.split(p) if len(s.split()) >= 4]


def load_events(root: Path = EVAL) -> list[list[Text]]:
    """Every event's texts: AllSides roundups, ECB+ events, and single-text PolNeAR/Zyte articles."""
    events: dict[str, list[Text]] = {}
    for line in (root / "allsides" / "roundups-2021.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        for article in (row.get("news") or {}).values():
            body = _sentences(article.get("newBody") or [])
            if len(body) >= 2:
                text = Text(article["newsTitle"], body, article.get("newsSource"))
                events.setdefault(f"as{row['id']}", []).append(text)
    for line in (root / "ecbplus" / "ecbplus.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        lines = [x.strip() for x in row["text"].split("\n") if len(x.split()) >= 4]
        if len(lines) >= 3:
            events.setdefault(f"ecb{row['event']}", []).append(Text(lines[0][:120], lines[1:], None))
    for line in (root / "quotes" / "polnear-dev.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        body = _sentences(row["text"].split("\n\n")[1:])
        if len(body) >= 3:
            events[f"pn{row['id']}"] = [Text(row["title"], body[:40], row.get("outlet"))]
    truth = json.loads((root / "extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        body = _sentences(item["articleBody"].split("\n"))
        if len(body) >= 3:
            events[f"zy{key}"] = [Text(body[0][:100], body[1:40], None)]
    return [events[k] for k in sorted(events)]


# ---- the archive ----------------------------------------------------------------------------------
OUTLET_WORDS = (
    ["Daily", "Herald", "Courier", "Gazette", "Tribune", "Post", "Ledger", "Observer", "Chronicle", "Times"],
    [
        *("Northwind", "Riverside", "Lakeshore", "Hillcrest", "Bayview", "Harbor", "Prairie", "Summit"),
        *("Ashford", "Kingsport", "Westbrook", "Elmwood", "Pinecrest", "Mapleton", "Stonebridge"),
    ],
)
CITIES = ["WASHINGTON", "LONDON", "NEW YORK", "CHICAGO", "PARIS", "BERLIN", "TOKYO", "SYDNEY", "TORONTO"]


@dataclass(frozen=True)
class Slot:
    when: datetime
    event: int
    recurrence: int
    index: int


STORIES_PER_DAY = 15.0  # about 110 articles a day, whatever N: a larger archive spans more days


def plan_slots(n: int, events: int, seed: int) -> tuple[list[Slot], int]:
    """N article slots in crawl order and the number of stories they make.

    Stories are founded at a fixed rate, so the news per day (which sets the grouper's window
    state and the reorder buffer) is the same at every N and cost per article can be compared
    across N: 10k articles span about three months, 100k about two and a half years. An event
    recurs every ``events / STORIES_PER_DAY`` days (months: a new story each time).
    """
    rng = random.Random(seed)
    slots: list[Slot] = []
    stories = 0
    order = list(range(events))
    rng.shuffle(order)
    while len(slots) < n:
        event = order[stories % events]
        recurrence = stories // events
        start = START + timedelta(days=(stories + rng.random() * 3 * STORIES_PER_DAY) / STORIES_PER_DAY)
        size = min(rng.randint(3, 12), n - len(slots))
        for index in range(size):
            offset = timedelta(hours=rng.random() * 36)
            slots.append(Slot(start + offset, event, recurrence, index))
        stories += 1
    slots.sort(key=lambda s: s.when + timedelta(hours=rng.random() * 6))  # crawl order: hours late
    return slots, stories


def _variant(texts: list[Text], slot: Slot, rng: random.Random, attempt: int) -> tuple[str, list[str]]:
    base = texts[rng.randrange(len(texts))]
    pool = [s for t in texts for s in t.sentences]
    body = []
    for sentence in base.sentences:
        roll = rng.random()
        if roll < 0.1 + 0.05 * attempt:
            continue
        body.append(rng.choice(pool) if roll < 0.35 + 0.1 * attempt else sentence)
    body = body or base.sentences[:]
    while sum(len(s.split()) for s in body) < 90:  # a page, not a brief: extraction keeps it
        body.append(rng.choice(pool))
    title = texts[rng.randrange(len(texts))].title
    return title, body


def _page(title: str, body: list[str], outlet: str, when: datetime, url: str, dateline: str) -> bytes:
    paragraphs = [body[i : i + 3] for i in range(0, len(body), 3)]
    paragraphs[0] = [f"{dateline} — {paragraphs[0][0]}", *paragraphs[0][1:]]
    article = "\n".join(f"<p>{html.escape(' '.join(p))}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="/r/{i}">More from {html.escape(outlet)} #{i}</a></li>' for i in range(6))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(outlet)}</title>
<meta property="og:site_name" content="{html.escape(outlet)}"><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{when.isoformat()}"></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a>
<a href="/business">Business</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>{html.escape(title)}</h1><p class="byline">By Staff Reporter</p>
<time datetime="{when.isoformat()}">{when:%B %d, %Y}</time>
{article}</article>
<aside><h2>Most read</h2><ul>{related}</ul></aside></main>
<footer><p>© {when.year} {html.escape(outlet)}. All rights reserved.</p>
<a href="/privacy">Privacy</a></footer>
</body></html>""".encode()


def generate(n: int, out: Path, *, seed: int = 7) -> dict[str, int]:
    """Write the archive; returns what a run should find (articles, stories, texts used)."""
    from newsprism.model import content_hash
    from newsprism.sources.warc import write_responses

    events = load_events()
    slots, stories = plan_slots(n, len(events), seed)
    outlets = [f"The {place} {word}" for place in OUTLET_WORDS[1] for word in OUTLET_WORDS[0]]
    seen: set[str] = set()

    def pages() -> Iterator[tuple[str, bytes]]:
        for number, slot in enumerate(slots):
            rng = random.Random(f"{seed}:{number}")
            outlet = outlets[rng.randrange(len(outlets))]
            dateline = f"{rng.choice(CITIES)}, {slot.when:%b %d} ({outlet.split()[1]})"
            for attempt in range(8):
                title, body = _variant(events[slot.event], slot, rng, attempt)
                digest = content_hash("\n\n".join([f"{dateline} — {body[0]}", *body[1:]]))
                if digest not in seen:
                    break
                dateline += f" {number}"
            seen.add(digest)
            slug = quote(re.sub(r"\W+", "-", title.lower()).strip("-")[:60])
            host = re.sub(r"\W+", "", outlet.lower())
            url = f"https://www.{host}.example/{slot.when:%Y/%m/%d}/{slug}-{number}"
            yield url, _page(title, body, outlet, slot.when, url, dateline)

    written = write_responses(out, pages())
    return {"articles": written, "stories": stories, "events": len(events), "distinct_hashes": len(seen)}


# ---- one run (own process) -------------------------------------------------------------------------
def run_one(warc: Path, database: str, workers: int) -> dict[str, object]:
    from newsprism.backfill import Backfill, BackfillOptions
    from newsprism.config import Settings
    from newsprism.store.repository import Repository

    repo = Repository.open(database)
    settings = Settings(database_url=database, dask_scheduler=None)
    cpu = time.process_time()
    trace = Trace(time.perf_counter(), cpu)
    run = Backfill(repo, settings, BackfillOptions(workers=workers or None), progress=trace)
    trace.report = run.report
    report = run.run([warc])
    driver_cpu = time.process_time() - cpu
    return {
        "workers": workers,
        "added": report.added,
        "pages": report.pages,
        "failures": report.failures,
        "duplicates": report.duplicates,
        "stories": len(report.stories),
        "stored_stories": _live_stories(repo),
        "analysed": report.analysed,
        "late": report.late,
        "seconds": report.seconds,
        "cpu_seconds": report.cpu_seconds,
        "driver_cpu": driver_cpu,
        "worker_cpu": report.worker_cpu,
        "analysis_cpu": report.analysis_cpu,
        "driver_peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "worker_peak_rss": report.worker_memory,
    }


def _rss() -> int:
    """Current resident memory of this process (peak only says the worst; the trend says growth)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@dataclass
class Trace:
    """Every ``step`` stored articles, one stderr line: CPU per article over the last step (driver,
    and workers on Dask) and current driver memory, so growth with N shows inside one run and a
    run stopped early still reports what it measured."""

    wall: float
    cpu: float
    step: int = 1000
    report: Any = None
    _next: int = 1000
    _last: tuple[int, float, float] = (0, 0.0, 0.0)

    def __call__(self, stage: str, done: int, _total: int) -> None:
        if stage != "store" or done < self._next or self.report is None:
            return
        self._next = done + self.step
        driver = time.process_time() - self.cpu
        workers = sum(c for _, c in self.report.worker_cpu.values()) + sum(self.report.analysis_cpu.values())
        n, d0, w0 = self._last
        self._last = (done, driver, workers)
        stages = " ".join(f"{k}={v:.0f}" for k, v in self.report.cpu_seconds.items())
        print(
            f"trace stored={done} wall={time.perf_counter() - self.wall:.0f}s "
            f"driver_ms/article={1000 * (driver - d0) / (done - n):.1f} "
            f"worker_ms/article={1000 * (workers - w0) / (done - n):.1f} "
            f"rss={_rss() / 2**20:.0f}MB analysed={self.report.analysed} driver_cpu_s[{stages}]",
            file=sys.stderr,
            flush=True,
        )


def _live_stories(repo: object) -> int:
    from sqlalchemy import func, select

    from newsprism.store import schema

    with repo.engine.connect() as conn:  # type: ignore[attr-defined]
        query = select(func.count()).select_from(schema.stories).where(schema.stories.c.article_count > 0)
        return int(conn.execute(query).scalar_one())


def _fresh_schema(base: str) -> tuple[str, str]:
    """A fresh, empty store for one run: a PostgreSQL schema (or a new SQLite file, for smoke runs)."""
    from sqlalchemy import create_engine, text

    from newsprism.store.database import normalise_url

    name = f"bench_{uuid.uuid4().hex[:10]}"
    if base.startswith("sqlite"):
        return f"sqlite:///{tempfile.gettempdir()}/{name}.db", name
    engine = create_engine(normalise_url(base))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={name}')}", name


def _drop_schema(base: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    from newsprism.store.database import normalise_url

    if base.startswith("sqlite"):
        Path(tempfile.gettempdir(), f"{name}.db").unlink(missing_ok=True)
        return
    engine = create_engine(normalise_url(base))
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    engine.dispose()


def show(n: int, mode: str, r: dict[str, object]) -> None:
    s: dict[str, float] = r["seconds"]  # type: ignore[assignment]
    added = int(r["added"])  # type: ignore[call-overload]
    pages = int(r["pages"])  # type: ignore[call-overload]
    per_worker: dict[str, list[float]] = r["worker_cpu"]  # type: ignore[assignment]
    worker_cpu = sum(c for _, c in per_worker.values()) + sum(r["analysis_cpu"].values())  # type: ignore[attr-defined]
    rate = {w: p / c if c else 0.0 for w, (p, c) in per_worker.items()}
    mb = 1024 * 1024
    print(f"N={n:>7} {mode:<9} articles={added} pages={pages} failures={r['failures']} late={r['late']}")
    print(f"  stories: {r['stories']} touched, {r['stored_stories']} stored, {r['analysed']} analysed")
    print(
        f"  plan {pages / max(s.get('plan', 0), 1e-9):8.0f} pages/s | extract "
        f"{pages / max(s.get('extract', 0), 1e-9):6.1f} pages/s wall (driver waiting) | store "
        f"{added / max(s.get('store', 0), 1e-9):6.0f} articles/s | analyse "
        f"{int(r['analysed']) / max(s.get('analyse', 0), 1e-9):5.1f} stories/s"  # type: ignore[call-overload]
    )
    stage_cpu: dict[str, float] = r.get("cpu_seconds") or {}  # type: ignore[assignment]
    if stage_cpu:
        print(
            "  driver CPU ms/article: "
            + ", ".join(f"{k} {1000 * v / max(added, 1):.2f}" for k, v in stage_cpu.items())
        )
    for worker, value in sorted(rate.items()):
        print(f"  extract on {worker}: {value:6.1f} pages per CPU-second ({per_worker[worker][0]} pages)")
    total = s["total"]
    cpu = float(r["driver_cpu"]) + (worker_cpu if int(r["workers"]) else 0.0)  # type: ignore[call-overload]
    print(
        f"  end to end {added / total:6.1f} articles/s ({total:.0f} s); CPU {1000 * cpu / max(added, 1):.1f} "
        f"ms/article (driver {1000 * float(r['driver_cpu']) / max(added, 1):.1f}; CPU seconds of the driver, "
        f"plus extraction and analysis on the workers)"  # type: ignore[arg-type]
    )
    workers_rss: dict[str, int] = r["worker_peak_rss"]  # type: ignore[assignment]
    rss = ", ".join(f"{v / mb:.0f} MB" for v in workers_rss.values()) or "-"
    driver = int(r["driver_peak_rss"]) / mb  # type: ignore[call-overload]
    print(f"  peak memory: driver {driver:.0f} MB; workers {rss}")
    sys.stdout.flush()


MODES = {"inprocess": 0, "dask1": 1, "dask2": 2}


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=["inprocess", "dask1", "dask2"])
    parser.add_argument(
        "--database", default=DEFAULT_POSTGRES, help="PostgreSQL URL (a schema per run), or 'sqlite'"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="where the archives go (kept)")
    parser.add_argument("--generate", nargs=2, metavar=("N", "OUT"), help="only write an archive")
    parser.add_argument("--run", nargs=3, metavar=("WARC", "DATABASE", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(int(args.generate[0]), Path(args.generate[1]))))
        return
    if args.run:
        print(json.dumps(run_one(Path(args.run[0]), args.run[1], int(args.run[2]))))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsprism-backfill-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[int, str], dict[str, object]] = {}
    for n in args.sizes:
        warc = workdir / f"backfill-{n}.warc.gz"
        started = time.perf_counter()
        expected = _archive(n, warc)
        print(
            f"generated {warc.name}: {expected['articles']} articles from {expected['events']} events, "
            f"{expected['distinct_hashes']} distinct content hashes, {expected['stories']} stories expected, "
            f"{warc.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.0f} s"
        )
        for mode in args.modes:
            url, schema_name = _fresh_schema(args.database)
            try:
                done = subprocess.run(
                    [sys.executable, __file__, "--run", str(warc), url, str(MODES[mode])],
                    stdout=subprocess.PIPE,
                    text=True,
                    check=True,
                )
            finally:
                _drop_schema(args.database, schema_name)
            results[(n, mode)] = json.loads(done.stdout.strip().splitlines()[-1])
            show(n, mode, results[(n, mode)])
    _ratios(results, args.sizes)


def _archive(n: int, warc: Path) -> dict[str, int]:
    """The archive of N articles, reused from ``--workdir`` when a previous run wrote it (the
    generator is deterministic, and a 100k archive takes minutes to write)."""
    summary = warc.with_suffix(".json")
    if warc.exists() and summary.exists():
        return dict(json.loads(summary.read_text()))
    expected = generate(n, warc)
    summary.write_text(json.dumps(expected))
    return expected


def _cost(r: dict[str, Any], workers: int) -> tuple[float, float]:
    """CPU seconds (driver, plus workers on Dask) and wall seconds per stored article."""
    on_workers = sum(c for _, c in r["worker_cpu"].values()) + sum(r["analysis_cpu"].values())
    cpu = float(r["driver_cpu"]) + (on_workers if workers else 0.0)
    added = max(int(r["added"]), 1)
    return cpu / added, float(r["seconds"]["total"]) / added


def _ratios(results: dict[tuple[int, str], dict[str, object]], sizes: list[int]) -> None:
    """The acceptance figures: cost per article 100k vs 10k, and 2-worker extraction efficiency."""
    for mode in MODES:
        costs = {n: _cost(results[(n, mode)], MODES[mode]) for n in sizes if (n, mode) in results}
        if len(costs) > 1:
            small, large = min(costs), max(costs)
            print(
                f"cost per article {mode}: N={large} / N={small}: "
                f"CPU {costs[large][0] / costs[small][0]:.2f}x, "
                f"wall {costs[large][1] / costs[small][1]:.2f}x (target <= 1.3x)"
            )
    for n in sizes:
        one, two = results.get((n, "dask1")), results.get((n, "dask2"))
        if one and two:

            def rate(r: dict[str, object]) -> list[float]:
                return [p / c for p, c in r["worker_cpu"].values() if c]  # type: ignore[attr-defined]

            single = rate(one)[0]
            pair = rate(two)
            ratios = ", ".join(f"{v / single:.0%}" for v in pair)
            speedup = float(one["seconds"]["total"]) / float(two["seconds"]["total"])  # type: ignore[index]
            print(
                f"N={n}: extraction per CPU-second with 2 workers vs 1: {ratios} (target >= 80%); "
                f"wall-clock speed-up {speedup:.2f}x (no target on a shared 2-core machine)"
            )


if __name__ == "__main__":
    main()
