"""The comparison's invariants over every story of the public data (issue 13 acceptance).

Stories: each AllSides event (its 1-3 outlets), each ECB+ event (its documents; one voice per
source domain, else per document), the two seed pages and the example records. Each is annotated
and analysed, then ``analysis.invariants.violations`` lists its breaches; the counts per kind are
printed with the number of facts, bullets and the median bullet length.

Run: ``.venv/bin/python benchmarks/analysis_invariants.py [--limit N] [--ecb-every K]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_eval import SEEDS, SHARED, allsides_events, make_article, seed_articles, story_of

from newsprism.analysis import analyse_story
from newsprism.analysis.invariants import KINDS, violations
from newsprism.annotate import annotate
from newsprism.model import Analysis, AnnotatedArticle, Article

ECBPLUS = SHARED / "eval" / "ecbplus" / "ecbplus.jsonl"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "records.jsonl"


def ecbplus_events(every: int = 1) -> Iterator[tuple[str, list[Article]]]:
    """(event, articles) for every ``every``-th ECB+ event in sorted order (1 = all)."""
    docs: dict[str, list[dict[str, str]]] = defaultdict(list)
    with ECBPLUS.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            docs[doc["event"]].append(doc)
    for n, event in enumerate(sorted(docs)):
        if n % every:
            continue
        articles = []
        for doc in sorted(docs[event], key=lambda d: d["id"]):
            lines = [x.strip() for x in doc["text"].splitlines() if x.strip()]
            outlet = urlparse(doc["url_line"]).netloc or doc["id"]
            articles.append(make_article(doc["id"], lines[0][:120], lines, outlet, None))
        yield event, articles


def example_articles() -> list[Article]:
    from datetime import datetime

    out = []
    for line in EXAMPLES.read_text("utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            body = [p.strip() for p in rec["text"].split("\n\n") if p.strip()]
            when = datetime.fromisoformat(rec["published_at"]).replace(tzinfo=None)
            out.append(make_article(rec["url"], rec["title"], body, rec["outlet"], when))
    return out


def all_stories(limit: int | None = None, ecb_every: int = 1) -> Iterator[tuple[str, list[Article]]]:
    """Every story of the public data, labelled by corpus."""
    if SEEDS.exists():
        yield "seeds", seed_articles()
    if EXAMPLES.exists():
        yield "examples", example_articles()
    for _, articles in allsides_events(limit):
        yield "allsides", articles
    if ECBPLUS.exists():
        for n, (_, articles) in enumerate(ecbplus_events(ecb_every)):
            if limit is None or n < limit:
                yield "ecbplus", articles


def analyse(articles: list[Article]) -> tuple[Analysis, list[AnnotatedArticle]]:
    annotated = [annotate(a) for a in articles]
    return analyse_story(story_of(annotated), annotated), annotated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N events per corpus")
    parser.add_argument("--ecb-every", type=int, default=1, help="every K-th ECB+ event")
    parser.add_argument("--show", type=int, default=0, help="print the first N breaches")
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    stories: Counter[str] = Counter()
    facts = 0
    lengths: list[int] = []
    shown = 0
    start = time.process_time()
    for corpus, articles in all_stories(args.limit, args.ecb_every):
        analysis, annotated = analyse(articles)
        stories[corpus] += 1
        facts += len(analysis.facts)
        lengths.extend(len(b.text.split()) for b in analysis.quick_read.bullets)
        for kind, detail in violations(analysis, annotated):
            counts[kind] += 1
            if shown < args.show:
                print(f"  [{corpus}] {kind}: {detail}")
                shown += 1
    print("stories", dict(stories), "facts", facts, "bullets", len(lengths))
    print("median bullet words", statistics.median(lengths) if lengths else 0)
    for kind in KINDS:
        print(f"violations {kind}: {counts[kind]}")
    print(f"cpu seconds {time.process_time() - start:.1f}")


if __name__ == "__main__":
    main()
