"""CPU seconds of ``annotate`` alone on the 50-article synthetic story of ``benchmarks/analysis.py``.

Issue #14 splits the 1.5 s budget of annotate + analyse; annotation's share is <= 0.8 s. CPU
time (``time.process_time``), median of ``--repeat`` runs, after one untimed article loads the
spaCy model and the lexicons. Also prints the quotes and sentences seen, the work spaCy scales
with.

Run: ``.venv/bin/python benchmarks/annotate_cpu.py [--repeat 5]``
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis import synthetic_story, topic_bodies

from newsprism.annotate import annotate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bodies = topic_bodies()
    story = synthetic_story(50, bodies)
    annotate(synthetic_story(1, bodies)[0])  # load the model and lexicons, untimed
    seconds = []
    for _ in range(args.repeat):
        started = time.process_time()
        annotated = [annotate(article) for article in story]
        seconds.append(time.process_time() - started)
    quotes = sum(len(a.quotes) for a in annotated)
    sentences = sum(len(a.sentences) for a in annotated)
    print(
        f"annotate, 50 articles ({sentences} sentences, {quotes} quotes): "
        f"{statistics.median(seconds):.3f} s CPU (median of {args.repeat}; target <= 0.8 s)"
    )


if __name__ == "__main__":
    main()
