"""Time per story against the number of articles in it, beside sumy LexRank in the same run.

Synthetic stories from the AllSides texts: to make articles of realistic length (~25 sentences)
each synthetic article joins the ~90-word bodies of six AllSides articles on one topic
(Coronavirus, the largest topic), so the story's articles overlap like real coverage does.
For 2, 10 and 50 articles it prints the median CPU seconds of ``analyse_story`` (annotation timed
separately), of sumy LexRank (5 sentences, our tokenizer) on the same sentences, and the ratio.
Single process, single thread (BLAS threads pinned to 1 before numpy loads). Last line: the CPU
time of annotating the 50-article story and of analysing what that produced, each reported
(issue #13's budget: < 1.5 s together), three ways:

- *again*: the same story re-analysed in a process that analysed it before (what a growing story
  costs when one more article joins: most of its sentences were parsed last time);
- *new story*: in a process that has annotated and analysed two 50-article stories of other
  topics (models loaded, the vocabulary's per-word caches warm, no sentence of this story seen):
  what a story costs the first time a long-running ``ingest`` or ``serve`` meets it;
- *first*: the first analysis in a fresh process (``--first``: models loaded, every cache cold).

CPU rather than wall time because the machine is shared.

Run: ``.venv/bin/python benchmarks/analysis.py [--repeat 3]``
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_eval import ALLSIDES, lexrank, make_article, story_of

from newsprism.analysis import analyse_story
from newsprism.analysis.clauses import _parser
from newsprism.annotate import annotate
from newsprism.model import Article

SIZES = (2, 10, 50)
BODIES_PER_ARTICLE = 6
CPU = time.process_time


def topic_bodies(topic: str = "Coronavirus") -> list[tuple[str, list[str]]]:
    """(outlet, paragraphs) of every AllSides article on one topic, in file order."""
    out: list[tuple[str, list[str]]] = []
    with ALLSIDES.open(encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            if event["topic"] != topic:
                continue
            for _, item in sorted(event["news"].items()):
                if item.get("newBody"):
                    out.append((item["newsSource"], [p for p in item["newBody"] if p.strip()]))
    return out


def synthetic_story(n: int, bodies: list[tuple[str, list[str]]]) -> list[Article]:
    """n articles of about 25 sentences, each from six consecutive AllSides bodies."""
    articles = []
    for i in range(n):
        chunk = [bodies[(i * BODIES_PER_ARTICLE + k) % len(bodies)] for k in range(6)]
        paragraphs = [p for _, body in chunk for p in body]
        articles.append(
            make_article(f"syn-{n}-{i}", paragraphs[0][:80], paragraphs, f"{chunk[0][0]} #{i}", None)
        )
    return articles


def median_seconds(fn: object, repeat: int, clock: object = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        start = clock()  # type: ignore[operator]
        fn()  # type: ignore[operator]
        times.append(clock() - start)  # type: ignore[operator]
    return statistics.median(times)


def annotate_then_analyse(articles: list[Article]) -> tuple[float, float]:
    """CPU seconds of the whole per-story cost after extraction, the two halves apart:
    annotation (spaCy NER around quotes included), then analysis of what it produced."""
    start = time.process_time()
    annotated = [annotate(a) for a in articles]
    middle = time.process_time()
    analyse_story(story_of(annotated), annotated)
    return middle - start, time.process_time() - middle


def other_topics_bodies() -> list[tuple[str, list[str]]]:
    """(outlet, paragraphs) of every AllSides article on any topic but the measured one."""
    out: list[tuple[str, list[str]]] = []
    with ALLSIDES.open(encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            if event["topic"] == "Coronavirus":
                continue
            for _, item in sorted(event["news"].items()):
                if item.get("newBody"):
                    out.append((item["newsSource"], [p for p in item["newBody"] if p.strip()]))
    return out


def new_story(repeat: int) -> None:
    """The 50-article story the first time a warm process meets it, median of ``repeat``
    fresh processes (each warms up on two other-topic stories, then measures once)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--new-once"], check=True, capture_output=True, text=True
        ).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    t_annotate = statistics.median(a for a, _ in runs)
    t_analyse = statistics.median(b for _, b in runs)
    print(
        f"{SIZES[-1]} articles, new story in a warm process (median of {repeat} processes), CPU s: "
        f"annotate {t_annotate:.3f} + analyse {t_analyse:.3f} = {t_annotate + t_analyse:.3f} (target < 1.5 s)"
    )


def new_story_once() -> None:
    others = other_topics_bodies()
    for k in range(2):
        annotate_then_analyse(synthetic_story(SIZES[-1], others[k * 300 : (k + 1) * 300]))
    t_annotate, t_analyse = annotate_then_analyse(synthetic_story(SIZES[-1], topic_bodies()))
    print(t_annotate, t_analyse)


def first_analysis() -> None:
    """The 50-article story annotated and analysed once in this (fresh) process, models loaded
    beforehand: what a new story costs. The repeated runs of ``main`` reuse the per-process
    caches (the parses of ``analysis/clauses.py`` above all), which a new story's sentences miss."""
    bodies = topic_bodies()
    annotate(synthetic_story(1, bodies)[0])
    _parser()
    story = synthetic_story(SIZES[-1], bodies)
    t_annotate, t_analyse = annotate_then_analyse(story)
    print(
        f"{SIZES[-1]} articles, first analysis in a fresh process, CPU s: annotate {t_annotate:.3f}"
        f" + analyse {t_analyse:.3f} = {t_annotate + t_analyse:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--first", action="store_true", help="only the first analysis, fresh process")
    parser.add_argument("--new", action="store_true", help="only the new story in a warm process")
    parser.add_argument("--new-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first:
        first_analysis()
        return
    if args.new_once:
        new_story_once()
        return
    if args.new:
        new_story(args.repeat)
        return
    bodies = topic_bodies()
    annotate(synthetic_story(1, bodies)[0])  # load the spaCy model and lexicons once, untimed
    print(
        f"{'articles':>8} {'sentences':>9} {'annotate s':>10} {'analyse s':>9} "
        f"{'lexrank s':>9} {'analyse/lexrank':>15}"
    )
    for n in SIZES:
        articles = synthetic_story(n, bodies)
        t_annotate = median_seconds(lambda a=articles: [annotate(x) for x in a], args.repeat, CPU)
        annotated = [annotate(a) for a in articles]
        story = story_of(annotated)
        t_analyse = median_seconds(lambda s=story, a=annotated: analyse_story(s, a), args.repeat, CPU)
        t_lexrank = median_seconds(lambda a=annotated: lexrank(a, 5), args.repeat, CPU)
        sentences = sum(len(a.sentences) for a in annotated)
        print(
            f"{n:>8} {sentences:>9} {t_annotate:>10.3f} {t_analyse:>9.3f} {t_lexrank:>9.3f} "
            f"{t_analyse / t_lexrank:>15.2f}"
        )
    story = synthetic_story(SIZES[-1], bodies)
    runs = [annotate_then_analyse(story) for _ in range(args.repeat)]
    t_annotate = statistics.median(a for a, _ in runs)
    t_analyse = statistics.median(b for _, b in runs)
    words = sum(len(p.split()) for a in story for p in a.body)
    print(
        f"{SIZES[-1]} articles ({words} words), again, CPU s: annotate {t_annotate:.3f} + analyse "
        f"{t_analyse:.3f} = {t_annotate + t_analyse:.3f} (target < 1.5 s)"
    )
    sys.stdout.flush()
    new_story(args.repeat)
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, "--first"], check=True)

if __name__ == "__main__":
    main()
