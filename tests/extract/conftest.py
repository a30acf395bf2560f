"""Fixtures for the extraction tests: the benchmark folder and a synthetic article."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import require_shared


@pytest.fixture
def bench_dir(eval_dir: Path) -> Path:
    """The public extraction benchmark (181 pages and their ground truth)."""
    return require_shared(eval_dir / "extraction")


PARAGRAPHS = [
    "The city council voted on Tuesday to expand the tram network into the northern districts, "
    "ending a debate that had lasted more than two years.",
    "Supporters of the plan said the new line would cut commuting times for tens of thousands "
    "of residents and reduce traffic on the ring road.",
    "Opponents argued that the tram network expansion would cost far more than the council had "
    "budgeted and warned of years of disruption during construction.",
    "The mayor said construction of the tram line would begin next spring and that the first "
    "trams would run on the northern route by the end of 2027.",
    "Council officials said the northern districts had waited long enough for a reliable "
    "connection to the city centre and its tram network.",
]


@pytest.fixture
def article_lines() -> list[str]:
    return list(PARAGRAPHS)


PageText = Callable[[list[str], list[str], list[str]], str]


def _page_text(before: list[str], body: list[str], after: list[str]) -> str:
    return "\n\n".join([*before, *body, *after])


@pytest.fixture
def page_text() -> PageText:
    """Build blank-line separated page text (before, body, after), as a scraper saves it."""
    return _page_text
