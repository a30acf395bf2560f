"""Every stage's benchmark still runs (tiny sizes): a benchmark that rots is a benchmark lost.

These assert that each script runs end to end and prints its headline figures; the speed
targets themselves live in the benchmarks, not here (timed tests are flaky on shared machines).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

SMOKE_RUNS = {
    "extract": (["--limit", "5", "--rounds", "1"], "pages/s"),
    "extract_eval": (["--limit", "5"], "F1"),
    "fast_extract": (["--limit", "5"], "CPU ms/page"),
    "extract_instructions": (["--limit", "3"], "M instructions"),
    "metadata_eval": (["--limit", "4"], "authors set F1"),
    "backfill": (["--sizes", "40", "--modes", "inprocess", "--database", "sqlite"], "articles/s"),
    "stories": (["--sizes", "1000", "--window", "200", "--skip-quality"], "articles/s"),
    "analysis_eval": (["--limit", "10"], "rouge2"),
    "quotes_eval": (["--limit", "3"], "speaker accuracy"),
    "framing_eval": (["--limit", "40"], "sentence f1"),
    "quantity_pairs": ([], "quantity pairs"),
    "sources": (["--items", "50", "--mode", "sources"], "entries_per_second"),
    "web": (["--stories", "200", "--duration", "1", "--tool", "python", "--clients", "5"], "req/s"),
    "feeds": (["--stories", "50", "--rounds", "1"], "entries/s"),
}


@pytest.mark.parametrize("name", sorted(SMOKE_RUNS))
def test_benchmark_runs(name: str, eval_dir: Path) -> None:
    args, expected = SMOKE_RUNS[name]
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / f"{name}.py"), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout


def test_web_soak_mode_runs() -> None:
    """The soak mode of the web benchmark (a few seconds here; 10 minutes when run for real)."""
    args = ["--stories", "100", "--tool", "python", "--clients", "3", "--soak", "0.05"]
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "web.py"), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "server RSS" in done.stdout and "errors 0" in done.stdout
