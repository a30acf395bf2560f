"""Cost of the reader views of issue #17: an uncached story page, and the story feeds.

    .venv/bin/python benchmarks/feeds.py                    # 2,000 generated stories
    .venv/bin/python benchmarks/feeds.py --stories 200 --rounds 3

Figures are CPU time (``time.process_time``), which stays meaningful on a loaded machine where
wall-clock throughput does not; peak memory is Python's (tracemalloc) during the feed builds.
The store is the web benchmark's generated one (3 articles, 6 facts, 3 bullets per story).
Printed: story page renders/s (view + template, no page cache), Atom and JSON Feed builds of
1,000 entries per second of CPU, and the per-story feed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from web import generate

from newsprism.config import Settings
from newsprism.store.repository import Repository
from newsprism.web.app import create_app
from newsprism.web.security import WebConfig
from newsprism.web.views import build_story_view


def cpu_per_call(fn: Callable[[], Any], calls: int, rounds: int) -> float:
    """Median CPU seconds per call over ``rounds`` rounds of ``calls`` calls."""
    fn()  # warm caches and compiled templates
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            fn()
        samples.append((time.process_time() - start) / calls)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Repository.open(f"sqlite:///{Path(tmp) / 'feeds.db'}")
        ids = generate(repo, args.stories)
        app = create_app(Settings(), repo=repo, web=WebConfig(secret_key="bench", page_cache_seconds=0))
        ctx = app.state.newsprism
        template = ctx.templates.get_template("story.html")
        loaded = repo.load_story(ids[0])
        assert loaded is not None

        class Anonymous:
            user = None
            role = None

        def render_story() -> None:
            view = build_story_view(*loaded)
            template.render({"v": view, "user": Anonymous(), "csrf_token": "t", "request": None})

        limit = min(1000, len(ids))
        with TestClient(app) as client:
            page = cpu_per_call(render_story, 50, args.rounds)
            tracemalloc.start()
            atom = cpu_per_call(lambda: client.get(f"/feeds/stories.atom?limit={limit}"), 2, args.rounds)
            jsonf = cpu_per_call(lambda: client.get(f"/feeds/stories.json?limit={limit}"), 2, args.rounds)
            one = cpu_per_call(lambda: client.get(f"/stories/{ids[0]}/feed.atom"), 20, args.rounds)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        repo.close()
    result = {
        "stories": args.stories,
        "story_page_renders_per_cpu_second": round(1 / page, 1),
        "story_page_ms_cpu": round(page * 1000, 3),
        "feed_entries": limit,
        "atom_feeds_per_cpu_second": round(1 / atom, 2),
        "atom_entries_per_cpu_second": round(limit / atom),
        "json_feed_entries_per_cpu_second": round(limit / jsonf),
        "story_feed_ms_cpu": round(one * 1000, 2),
        "peak_python_memory_mb": round(peak / 1e6, 1),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"story page (uncached view + template): {result['story_page_ms_cpu']} ms CPU "
        f"= {result['story_page_renders_per_cpu_second']} renders/s per core"
    )
    print(
        f"story feed, {limit} entries: Atom {result['atom_entries_per_cpu_second']} entries/s, "
        f"JSON Feed {result['json_feed_entries_per_cpu_second']} entries/s per core"
    )
    print(
        f"per-story feed: {result['story_feed_ms_cpu']} ms CPU; "
        f"peak Python memory {result['peak_python_memory_mb']} MB"
    )


if __name__ == "__main__":
    main()
