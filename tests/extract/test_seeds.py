"""The two hand-annotated seed pages: every body line kept, no furniture kept, metadata right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.extract import extract
from newsprism.model import Article, Page

SEED_NAMES = ["000_3bd1294ce722238c.txt", "001_e873a29073fcead1.txt"]


def _article(seeds_dir: Path, name: str) -> tuple[Article, dict[str, object], list[str]]:
    gold = json.loads((seeds_dir / "gold.json").read_text("utf-8"))["articles"][name]
    raw = (seeds_dir / name).read_bytes()
    result = extract(Page(source=name, content=raw, kind="text"))
    assert isinstance(result, Article), result
    return result, gold, raw.decode("utf-8").splitlines()


@pytest.mark.parametrize("name", SEED_NAMES)
def test_body_lines_exact(seeds_dir: Path, name: str) -> None:
    article, gold, lines = _article(seeds_dir, name)
    body_lines = gold["body_lines"]
    assert isinstance(body_lines, list)
    assert article.body == [lines[i - 1].strip() for i in body_lines]
    assert article.title == gold["title"]
    assert article.read_time_minutes == gold["stated_read_time_minutes"]
    assert article.read_time_stated
    assert article.syndicated == gold["syndicated"]
    assert article.agency == gold["agency"]
    assert article.outlet == gold["outlet"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_furniture_line_is_reported(seeds_dir: Path, name: str) -> None:
    article, gold, lines = _article(seeds_dir, name)
    body_lines = set(gold["body_lines"])  # type: ignore[call-overload]
    expected = {i + 1 for i, t in enumerate(lines) if t.strip() and i + 1 not in body_lines}
    assert {r.line for r in article.removed} == expected
    assert all(r.reason for r in article.removed)


def test_kyiv_independent_author(seeds_dir: Path) -> None:
    article, _, _ = _article(seeds_dir, SEED_NAMES[1])
    assert article.authors == ["Kateryna Denisova"]
    assert article.author_role == "News Editor"
    reasons = {r.line: r.reason for r in article.removed}
    assert reasons[38] == "author biography"
    assert reasons[50] == "near-duplicate of body paragraph"


def test_ndtv_summary_and_syndication(seeds_dir: Path) -> None:
    article, _, lines = _article(seeds_dir, SEED_NAMES[0])
    assert article.outlet_summary == [lines[i].strip().lstrip("• ") for i in (9, 10, 11)]
    assert article.standfirst == lines[2].strip()
    assert {r.line: r.reason for r in article.removed}[36] == "syndication notice"
