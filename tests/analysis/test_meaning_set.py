"""Issue 13 acceptance: the meaning checker on the labelled set of compressions and edits.

The set is generated from real sentences of ``../shared/eval`` by the fixed-seed script
``benchmarks/meaning_eval.py`` (its docstring lists the edit wordings): 7 meaning-changing
categories and 7 meaning-keeping ones, 32 items each (448 items), the system's own compressions
among the keeping ones. At least 95% of changes must be caught in every category and overall,
with at most 5% false alarms.
"""

from __future__ import annotations

import sys
from pathlib import Path

from factories import SHARED_DIR, require_shared

from newsprism.analysis.meaning import meaning_changes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from meaning_eval import CHANGES, KEEPS, build, score


def test_meaning_checker_on_the_labelled_set() -> None:
    require_shared(SHARED_DIR / "eval" / "allsides" / "roundups-2021.jsonl")
    require_shared(SHARED_DIR / "eval" / "ecbplus" / "ecbplus.jsonl")
    items = build("all", 32)
    scores = score(items)
    assert all(scores[c][1] >= 20 for c in CHANGES + KEEPS), scores
    assert sum(scores[c][1] for c in CHANGES) >= 200 and sum(scores[c][1] for c in KEEPS) >= 200
    for c in CHANGES:
        assert scores[c][0] / scores[c][1] >= 0.95, (c, scores[c])
    alarms = sum(scores[c][0] for c in KEEPS) / sum(scores[c][1] for c in KEEPS)
    assert alarms <= 0.05, {c: scores[c] for c in KEEPS}


def test_the_changes_the_issue_names() -> None:
    cases = {
        "connective": ("The flood came after the dam failed.", "The flood came before the dam failed."),
        "number": ("At least 1,200 people were evacuated.", "1,200 people were evacuated."),
        "negation": ("The council did not clear the drains.", "The council cleared the drains."),
        "hedge": ("The bridge may reopen on Friday.", "The bridge will reopen on Friday."),
        "attribution": (
            "Lessmere Regional Council admitted that it had failed to clear the drains.",
            "Lessmere Regional Council had failed to clear the drains.",
        ),
        "speaker": ("Peskov said the talks were on pause.", "Zelensky said the talks were on pause."),
        "concessive": (
            "He sold the company the right to use 'We' for $5.9 million, though he later returned the money.",
            "He sold the company the right to use 'We' for $5.9 million.",
        ),
    }
    for category, (original, edited) in cases.items():
        found = {c.category for c in meaning_changes(original, edited)}
        assert category in found, (category, found)
    assert (
        meaning_changes("The dome, which opened in 1911, burned (no one was hurt).", "The dome burned.") == []
    )
