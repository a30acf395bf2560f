"""CPU instructions the text path spends on the 181 benchmark pages: a noise-free speed figure.

    .venv/bin/python benchmarks/extract_instructions.py            # needs valgrind
    .venv/bin/python benchmarks/extract_instructions.py --limit 20
    .venv/bin/python benchmarks/extract_instructions.py --html --limit 40   # HTML path vs trafilatura

Pages per second on a shared machine swing by a factor of two with the neighbours' load; the
number of instructions executed does not. This runs the same Python twice under valgrind's
cachegrind, once loading the pages and once loading and extracting them, and prints the
difference: instructions spent in ``extract`` alone (cold verdict cache, as in
``benchmarks/extract.py``). Use it to compare two versions of the code (e.g. a pure-Python
install, ``NEWSPRISM_PURE_PYTHON=1``, against the compiled one): the ratio of their counts is
their speed ratio, whatever the machine is doing. A run takes about half a minute.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = (Path(__file__).resolve().parents[1] / "../shared/eval/extraction").resolve()


def _workload(extract_pages: bool, limit: int | None) -> None:
    from newsprism.extract import extract
    from newsprism.extract.text import clear_caches
    from newsprism.model import Page

    full = json.loads((BENCH / "fulltext-html-text.json").read_text("utf-8"))["output"]
    ids = sorted(json.loads((BENCH / "ground-truth.json").read_text("utf-8")))[:limit]
    pages = [Page(source=k, content=full[k]["articleBody"], kind="text") for k in ids]
    extract(pages[0])  # lazy loads (word lists, compiled regexes) happen before the measured part
    clear_caches()
    gc.collect()
    if extract_pages:
        for page in pages:
            extract(page)


def _html_workload(which: str, limit: int | None) -> None:
    """Load the HTML pages and warm both extractors up (lazy loads, the language model), then
    run newsprism's HTML path ("html") or plain ``trafilatura.extract`` ("trafilatura") on them."""
    import gzip

    import trafilatura

    from newsprism.extract import extract, pagemeta
    from newsprism.model import Page

    ids = sorted(json.loads((BENCH / "ground-truth.json").read_text("utf-8")))[:limit]
    html = [gzip.decompress((BENCH / "html" / f"{k}.html.gz").read_bytes()).decode() for k in ids]
    pages = [Page(source=k, content=h, kind="html") for k, h in zip(ids, html, strict=True)]
    extract(pages[0])
    pagemeta.text_language("a warm-up sentence long enough for the language identifier to run")
    trafilatura.extract(html[0])
    gc.collect()
    if which == "html":
        for page in pages:
            extract(page)
    elif which == "trafilatura":
        for text in html:
            trafilatura.extract(text)


def _instructions(extract_pages: bool, limit: int | None, workload: str | None = None) -> int:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, __file__, "--workload", workload or ("1" if extract_pages else "0")]
    command += ["--limit", str(limit)] if limit else []
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if match is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N benchmark pages only")
    parser.add_argument("--html", action="store_true", help="HTML path vs plain trafilatura instead")
    parser.add_argument(
        "--workload", choices=["0", "1", "load", "html", "trafilatura"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.workload in ("0", "1"):  # the process valgrind watches
        _workload(args.workload == "1", args.limit)
        return
    if args.workload is not None:
        _html_workload(args.workload, args.limit)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found (Debian: apt-get install valgrind)")
    import newsprism.extract

    pages = args.limit or 181
    if args.html:
        base = _instructions(False, args.limit, "load")
        ours = _instructions(False, args.limit, "html") - base
        theirs = _instructions(False, args.limit, "trafilatura") - base
        print(
            f"HTML path, {pages} pages: {ours / 1e6:,.0f} M instructions; plain trafilatura.extract "
            f"{theirs / 1e6:,.0f} M; cost ratio {ours / theirs:.3f}x (target <= 1.2x)"
        )
        return
    spent = _instructions(True, args.limit) - _instructions(False, args.limit)
    compiled = getattr(newsprism.extract, "compiled", lambda: False)  # older versions: pure Python
    print(f"build: {'compiled by mypyc' if compiled() else 'pure Python'}")
    per_page = spent / pages / 1e6
    print(f"text path, {pages} full-page texts: {spent / 1e6:,.0f} M instructions ({per_page:.2f} M a page)")


if __name__ == "__main__":
    main()
