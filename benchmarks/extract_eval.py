"""Quality of the extraction stage, reproducibly, beside plain trafilatura in the same run.

    .venv/bin/python benchmarks/extract_eval.py            # all three evaluations
    .venv/bin/python benchmarks/extract_eval.py --limit 40 # CI-sized

1. Seeds (../shared/seeds): precision/recall of body lines against gold.json, plus metadata.
2. HTML benchmark (../shared/eval/extraction, 181 pages): F1/P/R of newsprism's HTML path,
   plain ``trafilatura.extract(html)`` and trafilatura without comments, with the benchmark's
   own metric (``newsprism.extract.evaluation``).
3. Text path on the benchmark's pre-scraped full-page text: F1/P/R overall and on the even/odd
   id halves (the text rules' constants were tuned on the even half).
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import trafilatura

from newsprism.extract import extract
from newsprism.extract.evaluation import Summary, evaluate
from newsprism.model import Article, Page

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / "../shared").resolve()
SEEDS = SHARED / "seeds"
BENCH = SHARED / "eval" / "extraction"


def fmt(name: str, s: Summary) -> str:
    return (
        f"{name:<34} F1 {s.f1:.4f}  P {s.precision:.4f}  R {s.recall:.4f}  "
        f"acc {s.accuracy:.3f}  ({s.pages} pages)"
    )


def seeds() -> None:
    gold = json.loads((SEEDS / "gold.json").read_text("utf-8"))["articles"]
    for name, g in sorted(gold.items()):
        raw = (SEEDS / name).read_bytes()
        art = extract(Page(source=name, content=raw, kind="text"))
        if not isinstance(art, Article):
            print(f"{name}: FAILED {art.reason}")
            continue
        lines = raw.decode("utf-8").splitlines()
        gold_body = {lines[i - 1].strip() for i in g["body_lines"]}
        got = set(art.body)
        tp = len(got & gold_body)
        print(
            f"{name}: body P {tp / max(len(got), 1):.3f} R {tp / len(gold_body):.3f} | "
            f"title ok {art.title == g['title']} | outlet {art.outlet!r} | "
            f"authors {art.authors} role {art.author_role!r} | read {art.read_time_minutes} "
            f"stated {art.read_time_stated} | syndicated {art.syndicated} agency {art.agency!r} "
            f"| summary bullets {len(art.outlet_summary)}"
        )


def load_benchmark(limit: int | None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    truth = {
        k: v["articleBody"] for k, v in json.loads((BENCH / "ground-truth.json").read_text("utf-8")).items()
    }
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    truth = {k: truth[k] for k in ids}
    html = {k: gzip.decompress((BENCH / "html" / f"{k}.html.gz").read_bytes()).decode() for k in ids}
    full = json.loads((BENCH / "fulltext-html-text.json").read_text("utf-8"))["output"]
    text = {k: full[k]["articleBody"] for k in ids}
    return truth, html, text


def body_of(page: Page) -> str:
    result = extract(page)
    return "\n".join(result.body) if isinstance(result, Article) else ""


def html_eval(truth: dict[str, str], html: dict[str, str]) -> None:
    ours = {k: body_of(Page(source=k, content=h, kind="html")) for k, h in html.items()}
    plain = {k: trafilatura.extract(h) or "" for k, h in html.items()}
    nocomments = {k: trafilatura.extract(h, include_comments=False) or "" for k, h in html.items()}
    print(fmt("newsprism HTML path", evaluate(truth, ours)))
    print(fmt("trafilatura.extract(html)", evaluate(truth, plain)))
    print(fmt("trafilatura, include_comments=False", evaluate(truth, nocomments)))
    failed = sum(1 for v in ours.values() if not v)
    print(f"  pages newsprism rejected or found empty: {failed}")


def text_eval(truth: dict[str, str], text: dict[str, str]) -> None:
    ours = {k: body_of(Page(source=k, content=t, kind="text")) for k, t in text.items()}
    ids = sorted(truth)
    print(fmt("unfiltered full-page text", evaluate(truth, text)))
    print(fmt("newsprism text path (all)", evaluate(truth, ours)))
    print(fmt("  even ids (tuning half)", evaluate({k: truth[k] for k in ids[0::2]}, ours)))
    print(fmt("  odd ids (held out)", evaluate({k: truth[k] for k in ids[1::2]}, ours)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N benchmark pages only")
    parser.add_argument("--skip", choices=["seeds", "html", "text"], action="append", default=[])
    args = parser.parse_args()
    if "seeds" not in args.skip and SEEDS.is_dir():
        print("== seeds")
        seeds()
    if not BENCH.is_dir():
        print(f"benchmark data not found at {BENCH}")
        return
    truth, html, text = load_benchmark(args.limit)
    if "html" not in args.skip:
        print("== HTML benchmark")
        html_eval(truth, html)
    if "text" not in args.skip:
        print("== text path on pre-scraped full-page text")
        text_eval(truth, text)


if __name__ == "__main__":
    main()
