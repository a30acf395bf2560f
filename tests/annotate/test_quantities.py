"""Quantities as intervals: approximation, bounds, ranges, units and what is counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.annotate.quantities import Quantity, compatible, parse_quantity

PAIRS = Path(__file__).parent / "data" / "quantity_pairs.jsonl"


def q(text: str) -> Quantity:
    found = parse_quantity(text)
    assert found is not None, text
    return found


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("two-dozen executives", "23 executives", True),
        ("a dozen people", "12 people", True),
        ("about 300 people", "280 residents", True),
        ("nearly 100 people", "100 people", True),
        ("nearly 100 people", "104 people", False),
        ("at least 21 drones", "25 drones", True),
        ("at least 21 drones", "19 drones", False),
        ("dozens of homes", "50 homes", True),
        ("dozens of homes", "200 homes", False),
        ("between $140 million and $150 million", "$145 million", True),
        ("$140 million to $150 million", "around $160 million", False),
        ("10 miles", "16 kilometers", True),
        ("23 executives", "23 percent", False),
        ("five people", "five houses", False),
        ("Fifty-nine percent", "59%", True),
        ("$2.2 trillion", "$2.24 trillion", True),
        ("$2.2 trillion", "$2.4 trillion", False),
    ],
)
def test_compatible(a: str, b: str, agree: bool) -> None:
    assert compatible(q(a), q(b)) is agree
    assert compatible(q(b), q(a)) is agree


def test_a_mention_says_whether_it_is_approximate_and_what_it_counts() -> None:
    exact, rough = q("23 executives"), q("two-dozen executives")
    assert (exact.value, exact.approximate, exact.counted) == (23.0, False, rough.counted)
    assert rough.approximate and rough.low < 23 < rough.high
    assert q("120 miles an hour").counted == "mph"  # a speed is not a distance
    assert parse_quantity("no number here") is None


def test_labelled_pairs_from_real_sentences() -> None:
    """The hand-labelled set (benchmarks/quantity_pairs.py): >= 100 pairs, >= 20 per kind,
    at least 95% judged as labelled."""
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    kinds = {r["kind"] for r in rows}
    assert len(rows) >= 100 and all(sum(r["kind"] == k for r in rows) >= 20 for k in kinds)
    right = 0
    for row in rows:
        a, b = parse_quantity(row["a"], row["a_sentence"]), parse_quantity(row["b"], row["b_sentence"])
        agree = a is not None and b is not None and compatible(a, b)
        right += ("agree" if agree else "disagree") == row["label"]
    assert right / len(rows) >= 0.95
