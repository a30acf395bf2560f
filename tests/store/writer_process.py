"""One writer process of the concurrent-writers test (``test_concurrent_writers.py``).

Run as ``python writer_process.py URL ROUNDUPS PART READY GO``: loads the first
``ARTICLES`` AllSides articles, keeps every other one (``PART`` 0 or 1), opens the store and
builds its ``Ingestor`` (grouper restored from the store), touches ``READY``, waits for ``GO``
so both writers group at the same time, ingests its half (no analysis) and prints a JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from newsprism.config import Settings
from newsprism.model import Article
from newsprism.pipeline import Ingestor
from newsprism.store.repository import Repository
from newsprism.stories.evaluation import allsides_articles

ARTICLES = 400


def first_articles(roundups: Path, count: int = ARTICLES) -> list[Article]:
    """The first ``count`` articles of the date-ordered AllSides stream (about 3 per event)."""
    with roundups.open(encoding="utf-8") as handle:
        items = allsides_articles(json.loads(line) for line in handle if line.strip())
    return [item.article for item in items[:count]]


def main(url: str, roundups: str, part: int, ready: str, go: str) -> None:
    articles = first_articles(Path(roundups))[part::2]
    repo = Repository.open(url, run_migrations=False)
    ingestor = Ingestor(repo, Settings(database_url=url))
    Path(ready).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    report = ingestor.ingest_articles(articles, analyse=False)
    repo.close()
    errors = [e.reason for e in report.errors]
    print(json.dumps({"added": len(report.added), "duplicates": len(report.duplicates), "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
