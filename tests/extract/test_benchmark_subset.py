"""Quality floors on fixed subsets of the public benchmark (the full run is a benchmark).

The HTML floor uses 25 pages (about a second); the text path runs on all 181 pages because
it is fast. Floors sit a little below the measured figures so noise-free regressions show.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsprism.extract import extract
from newsprism.extract.evaluation import evaluate, score_page, summarise
from newsprism.model import Article, Page

HTML_SUBSET = 25


def _truth(bench_dir: Path) -> dict[str, str]:
    data = json.loads((bench_dir / "ground-truth.json").read_text("utf-8"))
    return {k: v["articleBody"] for k, v in data.items()}


def _body(page: Page) -> str:
    result = extract(page)
    return "\n".join(result.body) if isinstance(result, Article) else ""


def test_metric_reproduces_published_floor(bench_dir: Path) -> None:
    truth = _truth(bench_dir)
    full = json.loads((bench_dir / "fulltext-html-text.json").read_text("utf-8"))["output"]
    summary = evaluate(truth, {k: v["articleBody"] for k, v in full.items()})
    assert round(summary.f1, 3) == 0.665
    assert round(summary.precision, 3) == 0.500 and round(summary.recall, 3) == 0.994


def test_metric_edge_cases() -> None:
    assert score_page("", "").tp == 0 and summarise([score_page("", "")]).precision == 1.0
    perfect = score_page("a b c d e", "a b c d e")
    assert (perfect.tp, perfect.fp, perfect.fn, perfect.exact) == (1.0, 0.0, 0.0, True)


def test_text_path_floor(bench_dir: Path) -> None:
    truth = _truth(bench_dir)
    full = json.loads((bench_dir / "fulltext-html-text.json").read_text("utf-8"))["output"]
    ours = {k: _body(Page(k, v["articleBody"], "text")) for k, v in full.items()}
    assert evaluate(truth, ours).f1 >= 0.90  # measured 0.905


def test_html_path_floor(bench_dir: Path) -> None:
    truth = _truth(bench_dir)
    ids = sorted(truth)[:HTML_SUBSET]
    ours = {
        k: _body(Page(k, gzip.decompress((bench_dir / "html" / f"{k}.html.gz").read_bytes()), "html"))
        for k in ids
    }
    assert evaluate({k: truth[k] for k in ids}, ours).f1 >= 0.97  # measured 0.978
