"""Load test of the web app: feed and story pages on a store of 10k stories, 50 concurrent clients.

    .venv/bin/python benchmarks/web.py                 # 10k stories, 50 clients, 10 s per page
    .venv/bin/python benchmarks/web.py --stories 2000 --duration 5 --json
    .venv/bin/python benchmarks/web.py --soak 10       # 10 minutes of mixed load, server RSS sampled

The store is generated with bulk inserts (synthetic but realistically sized rows: 3 articles,
6 facts and 3 cited bullets per story), the app runs under uvicorn in its own process, and the
load comes from a second process on loopback: ``wrk`` (Debian package ``wrk``) when installed,
else a Python asyncio + httpx generator. Reports p50/p95/p99 latency, requests/s and the server's
CPU time per request (from /proc; unlike latency it barely moves when other work loads the
machine) per page. Targets (issue #16): p95 <= 150 ms for the story page and the JSON API, API
p95 <= 1.5x the story page's, 0 errors. ``--soak`` runs a mixed load for N minutes on loopback and
samples the server's RSS every 5 s: memory is flat if it grows <= 10 % from minute 2 to the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from newsprism.model import (
    Analysis,
    Bullet,
    Citation,
    Fact,
    FramingTerm,
    QuickRead,
    SentenceRef,
    article_id_for,
    content_hash,
)
from newsprism.serialize import to_jsonable
from newsprism.store import schema
from newsprism.store.repository import Repository

OUTLETS = [
    "Harbour Ledger",
    "Calder Courier",
    "Northern Wire",
    "Brennock Bugle",
    "Arvandia Times",
    "Daily Quay",
]
TOPICS = [
    "dockworkers",
    "floodwater",
    "interest rates",
    "rail strike",
    "council budget",
    "hospital waiting lists",
]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _sentences(i: int, outlet: str) -> list[str]:
    topic = TOPICS[i % len(TOPICS)]
    return [
        f"Officials in district {i} said the {topic} dispute affected {100 + i % 900} households on Tuesday.",
        f"{outlet} reported that talks on the {topic} issue would resume on Wednesday morning.",
        f"Local leader number {i % 97} said the agreement respected the people of the district.",
        f"Analysts estimate the cost of the {topic} disruption at {i % 50 + 1} million pounds.",
    ] * 3


def generate(repo: Repository, count: int, seed: int = 7) -> list[str]:
    """Bulk-insert ``count`` stories with articles, analyses and Quick Reads; returns story ids."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    stories, articles, analyses, quick_reads = [], [], [], []
    for i in range(count):
        sid = f"s{i:06d}"
        outlets = rng.sample(OUTLETS, 3)
        when = T0 + timedelta(minutes=i * 4)
        ids = []
        for k, outlet in enumerate(outlets):
            body = _sentences(i, outlet)
            digest = content_hash(f"{sid}-{k}\n" + "\n".join(body))
            aid = article_id_for(digest)
            ids.append((aid, outlet, body))
            articles.append(
                {
                    "id": aid,
                    "source": f"https://{k}.example/{sid}",
                    "url": f"https://{k}.example/{sid}",
                    "canonical_url": f"https://{k}.example/{sid}",
                    "content_hash": digest,
                    "outlet": outlet,
                    "title": f"{TOPICS[i % len(TOPICS)].capitalize()} dispute in district {i}: {outlet}",
                    "standfirst": None,
                    "authors": [f"{outlet.split()[0]} Reporter"],
                    "author_role": None,
                    "published_at": when + timedelta(minutes=k),
                    "language": "en",
                    "body": body,
                    "word_count": 180,
                    "read_time_minutes": 1 + (i + k) % 4,
                    "read_time_stated": False,
                    "syndicated": k == 2,
                    "agency": outlet if k == 2 else None,
                    "outlet_summary": [],
                    "lead_image_caption": None,
                    "removed": [{"text": "Advertisement", "reason": "ad", "line": 3}],
                    "story_id": sid,
                    "ingested_at": now,
                }
            )
        facts = [
            Fact(
                f"f{j}",
                "consensus" if j < 3 else "exclusive",
                [o for _a, o, _b in ids[: 3 - j % 3]],
                [SentenceRef(a, b[j % 4], j) for a, _o, b in ids[: 3 - j % 3]],
            )
            for j in range(6)
        ]
        bullets = [
            Bullet(ids[0][2][j], [Citation(a, b[j]) for a, _o, b in ids], [f"f{j}"], [o for _a, o, _b in ids])
            for j in range(3)
        ]
        framing = {
            o: [FramingTerm("dispute", 1.2), FramingTerm("disruption", 0.8, True)] for _a, o, _b in ids
        }
        analysis = Analysis(sid, facts, QuickRead(sid, bullets), [], [], framing)
        stories.append(
            {
                "id": sid,
                "headline": f"{TOPICS[i % len(TOPICS)].capitalize()} dispute hits district {i}",
                "outlets": sorted(outlets),
                "key_entities": [],
                "syndication_groups": [],
                "first_seen": when,
                "last_updated": when + timedelta(minutes=2),
                "article_count": 3,
                "analysis_stale": False,
                "updated_at": now,
            }
        )
        analyses.append({"story_id": sid, "data": to_jsonable(analysis), "computed_at": now})
        quick_reads.append(
            {
                "story_id": sid,
                "version": 1,
                "method": "extractive",
                "status": "draft" if i % 3 else "published",
                "bullets": to_jsonable(bullets),
                "created_at": now,
            }
        )
    with repo.engine.begin() as conn:
        conn.execute(insert(schema.stories), stories)
        conn.execute(insert(schema.articles), articles)
        conn.execute(insert(schema.analyses), analyses)
        conn.execute(insert(schema.quick_reads), quick_reads)
    return [str(s["id"]) for s in stories]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_factory() -> Any:
    """Build the app in each uvicorn worker process (``--workers`` > 1 needs an import string)."""
    from newsprism.config import Settings
    from newsprism.web.app import create_app
    from newsprism.web.security import WebConfig

    return create_app(
        Settings(database_url=os.environ["NEWSPRISM_BENCH_DB"]), web=WebConfig(secret_key="bench")
    )


def serve(database: str, port: int, loop: str = "auto", http: str = "auto", workers: int = 1) -> None:
    """Child process: the app under uvicorn, access log off (as in production behind a proxy)."""
    import uvicorn

    from newsprism.web.server import server_options

    os.environ["NEWSPRISM_BENCH_DB"] = database
    options = server_options()
    if http != "auto":  # an explicit parser choice replaces the header-timeout protocol
        options["http"] = http
    uvicorn.run(
        "web:app_factory",
        factory=True,
        app_dir=str(Path(__file__).parent),
        workers=workers,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        loop=loop,
        **options,
    )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (``/proc/<pid>/stat`` fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measured(pid: int, load: Any, *args: Any) -> dict[str, Any]:
    """One load phase with the server's CPU time per request added."""
    before = _cpu_seconds(pid)
    stats: dict[str, Any] = load(*args)
    stats["server_cpu_ms_per_request"] = (_cpu_seconds(pid) - before) * 1000 / max(1, stats["requests"])
    return stats


def soak(pid: int, load: Any, base: str, paths: list[str], clients: int, minutes: float) -> dict[str, Any]:
    """``minutes`` of load in one background process while the server's RSS is sampled every 5 s.

    Bounded in time (the load process has a fixed duration) and in count (one process, ``clients``
    connections, loopback only).
    """
    import threading

    samples: list[tuple[float, float]] = []
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(load(base, paths, clients, minutes * 60)))
    start = time.monotonic()
    worker.start()
    while worker.is_alive():
        samples.append((time.monotonic() - start, _rss_mb(pid)))
        worker.join(5.0)
    at_2 = next((rss for t, rss in samples if t >= 120), samples[0][1])
    end = samples[-1][1]
    return {
        **result,
        "rss_mb_samples": [(round(t), round(r, 1)) for t, r in samples],
        "rss_mb_minute_2": at_2,
        "rss_mb_end": end,
        "rss_growth_from_minute_2": (end - at_2) / at_2 if at_2 else 0.0,
        "load_average_1m_end": os.getloadavg()[0],
    }


def _wait_ready(url: str, timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up")


WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f, "
    .. "\\"requests\\": %%d, \\"errors\\": %%d, \\"seconds\\": %%f}\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, summary.duration / 1e6))
end
"""


def load_wrk(base: str, paths: list[str], clients: int, duration: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    threads = min(int(os.environ.get("WRK_THREADS", "2")), clients)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "5s",
            "-s",
            script.name,
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    stats: dict[str, Any] = json.loads(line[5:])
    stats["rps"] = stats["requests"] / stats["seconds"]
    stats["tool"] = "wrk"
    return stats


def load_python(base: str, paths: list[str], clients: int, duration: float) -> dict[str, Any]:
    """Fallback generator, run in a child process so it does not share the server's CPU budget."""
    code = (
        "import asyncio, json, sys, time, httpx\n"
        "base, paths = sys.argv[1], json.loads(sys.argv[2])\n"
        "clients, duration = int(sys.argv[3]), float(sys.argv[4])\n"
        "lat, errors = [], 0\n"
        "async def worker(i, client, end):\n"
        "    global errors\n"
        "    n = i\n"
        "    while time.perf_counter() < end:\n"
        "        t = time.perf_counter(); r = await client.get(paths[n % len(paths)]); n += clients\n"
        "        lat.append(time.perf_counter() - t); errors += r.status_code != 200\n"
        "async def main():\n"
        "    limits = httpx.Limits(max_connections=clients)\n"
        "    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:\n"
        "        start = time.perf_counter(); end = start + duration\n"
        "        await asyncio.gather(*(worker(i, client, end) for i in range(clients)))\n"
        "        return time.perf_counter() - start\n"
        "secs = asyncio.run(main()); lat.sort()\n"
        "pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000\n"
        "print(json.dumps({'p50': pick(.5), 'p95': pick(.95), 'p99': pick(.99), 'requests': len(lat),"
        " 'errors': errors, 'seconds': secs, 'rps': len(lat) / secs, 'tool': 'python-httpx'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, base, json.dumps(paths), str(clients), str(duration)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--loop", default="auto", help="uvicorn event loop: auto, asyncio or uvloop")
    parser.add_argument("--http", default="auto", help="uvicorn HTTP parser: auto, h11 or httptools")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--db", type=Path, help="reuse (or keep) the generated SQLite store at this path")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="run a mixed soak of MINUTES instead")
    parser.add_argument(
        "--serve", nargs=5, metavar=("DATABASE", "PORT", "LOOP", "HTTP", "WORKERS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2], args.serve[3], int(args.serve[4]))
        return
    workdir = Path(tempfile.mkdtemp(prefix="newsprism-bench-"))
    db_path = args.db or workdir / "bench.db"
    database = f"sqlite:///{db_path}"
    started = time.perf_counter()
    repo = Repository.open(database)
    if repo.count_stories() != args.stories:
        if repo.count_stories():
            raise SystemExit(f"{db_path} holds a different number of stories; remove it first")
        generate(repo, args.stories)
    ids = [f"s{i:06d}" for i in range(args.stories)]
    repo.close()
    build_seconds = time.perf_counter() - started
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", database, str(port), args.loop, args.http, str(args.workers)]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base + "/")
        use_wrk = args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk"))
        load = load_wrk if use_wrk else load_python
        rng = random.Random(1)
        pages = {
            "feed": ["/"],
            # worst case: 2000 random stories, so most views miss the 2 s page cache
            "story": [f"/stories/{sid}" for sid in rng.sample(ids, min(2000, len(ids)))],
            # readers arriving from the feed: the 30 newest stories
            "story-hot": [f"/stories/{sid}" for sid in ids[-30:]],
            # the JSON API on the same worst case as "story", and its story list
            "api-story": [f"/api/v1/stories/{sid}" for sid in rng.sample(ids, min(2000, len(ids)))],
            "api-list": [
                "/api/v1/stories",
                "/api/v1/stories?offset=30",
                "/api/v1/stories?outlet=Daily%20Quay",
            ],
        }
        for paths in pages.values():  # warm up caches (SQLite pages, templates)
            load(base, paths[:50], 4, 1)
        if args.soak:
            mixed = [p for paths in pages.values() for p in paths]
            rng.shuffle(mixed)
            results = {"soak": soak(server.pid, load, base, mixed, args.clients, args.soak)}
        else:
            results = {
                name: measured(server.pid, load, base, paths, args.clients, args.duration)
                for name, paths in pages.items()
            }
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    report = {
        "stories": args.stories,
        "clients": args.clients,
        "store_build_seconds": build_seconds,
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "load_average_1m": os.getloadavg()[0],  # other work on the machine skews latency
        **results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"store: {args.stories} stories ready in {build_seconds:.1f} s (SQLite); {args.clients} clients; "
        f"{args.workers} worker(s); "
        f"{report['cpus']} CPUs, load average {report['load_average_1m']:.1f} during the run"
    )
    if args.soak:
        r = results["soak"]
        print(
            f"soak {args.soak:g} min: {r['requests']} requests, {r['rps']:.1f} req/s, p95 {r['p95']:.1f} ms, "
            f"errors {r['errors']}; server RSS {r['rss_mb_minute_2']:.1f} MB at minute 2 (or 1st sample) -> "
            f"{r['rss_mb_end']:.1f} MB at the end ({r['rss_growth_from_minute_2']:+.1%}; flat if <= +10 %)"
        )
        return
    for name, r in results.items():
        print(
            f"{name:>9}: p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
            f"{r['rps']:7.1f} req/s  server CPU {r['server_cpu_ms_per_request']:5.2f} ms/req  "
            f"errors {r['errors']}  ({r['tool']})"
        )
    story, api = results["story"], results["api-story"]
    print(
        f"checks: story p95 <= 150 ms: {story['p95'] <= 150}; API p95 <= 150 ms: {api['p95'] <= 150}; "
        f"API/story p95 {api['p95'] / story['p95']:.2f} (<= 1.5: {api['p95'] <= 1.5 * story['p95']}); "
        f"errors {sum(r['errors'] for r in results.values())}"
    )


if __name__ == "__main__":
    main()
