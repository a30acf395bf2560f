"""Metadata on real publisher pages (../shared/eval/metadata): shapes that must hold on every page.

Not scores (``benchmarks/metadata_eval.py`` measures those against the gold): invariants. No page
is refused, no date is impossible, every author has a kind, no outlet is a URL or a bare host
fragment, and titles do not end in the site's name.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsprism.extract import extract, metadata
from newsprism.model import Article, ExtractionFailure, Page

FETCHED = datetime(2026, 12, 1, tzinfo=UTC)
# The Zyte pages whose JSON-LD or meta dates say 0001-01-01.
YEAR_ONE = (
    "1ee91d1fce65e09be8b8d2d29eab771546d98ca2ba5c862941e660e9fec12432",
    "65ce3a4577a0306994efa190a0d96e84014f9d4257ad54753e807ede518f02c0",
    "776a1c046798b474e410f6edf3225d6a27fecd0de6aac22aef7b7f64fe87caaf",
)


@pytest.fixture(scope="module")
def extracted(eval_dir: Path) -> list[tuple[dict[str, object], Article | ExtractionFailure]]:
    folder = eval_dir / "metadata"
    gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text("utf-8").splitlines() if line]
    out = []
    for g in gold:
        path = folder / str(g["file"])
        out.append(
            (g, extract(Page(str(path), gzip.decompress(path.read_bytes()), "html", fetched_at=FETCHED)))
        )
    return out


def test_no_real_page_is_refused(
    extracted: list[tuple[dict[str, object], Article | ExtractionFailure]],
) -> None:
    refused = [r.reason for _g, r in extracted if isinstance(r, ExtractionFailure)]
    assert refused == []


def test_real_page_metadata_is_well_formed(
    extracted: list[tuple[dict[str, object], Article | ExtractionFailure]],
) -> None:
    latest = metadata.latest_plausible(FETCHED)
    for _gold, article in extracted:
        assert isinstance(article, Article)
        assert len(article.author_kinds) == len(article.authors)
        assert set(article.author_kinds) <= {"person", "organization"}
        if article.published_at is not None:
            assert datetime(1990, 1, 1, tzinfo=UTC) <= article.published_at <= latest
            assert article.published_precision in ("day", "time")
            offset = article.published_at.utcoffset()
            if article.published_offset_minutes is not None and offset is not None:
                assert offset.total_seconds() == article.published_offset_minutes * 60
        outlet = article.outlet or ""
        assert "://" not in outlet and not outlet.startswith("www.")
        bare = outlet.islower() and "." not in outlet and " " not in outlet  # "nj", "floridatoday"
        assert not bare or outlet in metadata.domain_outlets().values(), outlet  # "rbb24" is a brand
        assert article.language


def test_cjk_pages_are_measured_in_characters(
    extracted: list[tuple[dict[str, object], Article | ExtractionFailure]],
) -> None:
    """Japanese pages were refused as "only 38 words": their characters count now."""
    japanese = [a for g, a in extracted if g["language"] == "ja" and isinstance(a, Article)]
    assert japanese and all(a.word_count >= 100 for a in japanese)


@pytest.mark.parametrize("page_id", YEAR_ONE)
def test_year_one_dates_are_no_dates(eval_dir: Path, page_id: str) -> None:
    path = eval_dir / "extraction" / "html" / f"{page_id}.html.gz"
    article = extract(Page(str(path), gzip.decompress(path.read_bytes()), "html", fetched_at=FETCHED))
    assert isinstance(article, Article)
    assert article.published_at is None or article.published_at.year >= metadata.EARLIEST_YEAR
