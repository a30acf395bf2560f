"""Is a fast extraction mode for backfills worth having? resiliparse beside trafilatura, measured.

On the 181 Zyte benchmark pages (``../shared/eval/extraction``): F1 with the benchmark's metric
and CPU seconds per page of (1) newsprism's HTML path (trafilatura), (2) resiliparse's
main-content text, (3) that text cleaned by newsprism's own text path. The issue's bar for a
``--fast`` mode is F1 >= 0.95 at >= 5x the speed of the HTML path.

    .venv/bin/python benchmarks/fast_extract.py
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from extract_eval import BENCH, body_of, load_benchmark
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from newsprism.extract.evaluation import evaluate
from newsprism.model import Page


def resiliparse_text(html: str) -> str:
    return extract_plain_text(HTMLTree.parse(html), main_content=True)


def timed(fn: Callable[[str, str], str], html: dict[str, str]) -> tuple[dict[str, str], float]:
    """Outputs and CPU seconds per page (process time: the machine is shared)."""
    started = time.process_time()
    out = {k: fn(k, h) for k, h in html.items()}
    return out, (time.process_time() - started) / max(len(html), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (smoke runs)")
    truth, html, _ = load_benchmark(parser.parse_args().limit)
    runs: dict[str, Callable[[str, str], str]] = {
        "newsprism HTML path (trafilatura)": lambda k, h: body_of(Page(source=k, content=h, kind="html")),
        "resiliparse main content": lambda _k, h: resiliparse_text(h),
        "resiliparse + newsprism text path": lambda k, h: body_of(
            Page(source=k, content=resiliparse_text(h), kind="text")
        ),
    }
    timed(runs["newsprism HTML path (trafilatura)"], dict(list(html.items())[:5]))  # warm caches
    base = 0.0
    print(f"{len(html)} pages from {BENCH}")
    for name, fn in runs.items():
        out, cpu = timed(fn, html)
        base = base or cpu
        s = evaluate(truth, out)
        print(
            f"{name:<36} F1 {s.f1:.4f}  P {s.precision:.4f}  R {s.recall:.4f}  "
            f"{1000 * cpu:6.1f} CPU ms/page  {base / cpu:5.1f}x"
        )


if __name__ == "__main__":
    main()
